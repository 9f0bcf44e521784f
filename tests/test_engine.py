"""The engine: built once, passed to the stages; engines with other settings side by side."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest
from spacy.vocab import Vocab

import sitrep
from sitrep.actors import ActorDictionary, load_dictionary
from sitrep.engine import STAGES, Engine, EngineConfig, default_engine
from sitrep.errors import ConfigError
from sitrep.events._lexicon import EventLexicons, TriggerLexicon, default_lexicons
from sitrep.geo import Admin1, Country, GazetteerEntry, InMemoryGeocoder
from sitrep.models import PLACE_FIELDS, Event, Report
from sitrep.nlp.annotate import PIPE_CHARS
from sitrep.rules import load_rules

AIR_STRIKE = (
    "An air strike hit a market in Maarat al-Numan in Idlib on Monday, killing nine people."
)


def test_the_default_engine_is_built_once() -> None:
    assert default_engine() is default_engine()


def test_an_engine_refuses_to_switch_off_an_unknown_rule() -> None:
    with pytest.raises(ConfigError, match="'actor.no-such'"):
        Engine(EngineConfig(disabled_rules=frozenset({"actor.no-such"})))


def test_without_shares_the_models_and_adds_to_the_switched_off_rules() -> None:
    engine = Engine(EngineConfig(disabled_rules=frozenset({"toll.more-adds"})))
    ablated = engine.without("actor.inferred-perpetrator")
    assert ablated.config.disabled_rules == {"toll.more-adds", "actor.inferred-perpetrator"}
    assert ablated.geocoder is engine.geocoder and ablated.dictionary is engine.dictionary
    assert not ablated.enabled("actor.inferred-perpetrator") and engine.enabled(
        "actor.inferred-perpetrator"
    )


@pytest.mark.slow
def test_two_engines_with_other_settings_code_side_by_side() -> None:
    report = Report(text=AIR_STRIKE, published=date(2016, 5, 3))
    full = default_engine()
    ablated = full.without("actor.inferred-perpetrator")
    [inferred] = full.extract_report(report)
    [unnamed] = ablated.extract_report(report)
    assert inferred.actor1 is not None and inferred.actor1.name.startswith("Military Forces")
    assert unnamed.actor1 is not None and unnamed.actor1.name.startswith("Unidentified")
    # the first engine is unchanged by the second
    [again] = full.extract_report(report)
    assert again.actor1 == inferred.actor1


@pytest.mark.slow
def test_extract_takes_an_engine_and_defaults_to_the_default_one() -> None:
    ablated = default_engine().without("type.trigger-lexicon")
    assert sitrep.extract(AIR_STRIKE, date="2016-05-03", engine=ablated) == []
    assert len(sitrep.extract(AIR_STRIKE, date="2016-05-03")) == 1


def test_a_report_in_another_language_says_why_it_has_no_event() -> None:
    coding = Engine().code(Report(text="Un texte en français.", language="fr"))
    assert coding.events == [] and "'fr'" in coding.no_event_reason


def test_every_stage_declares_fields_and_every_rule_field_has_a_writer() -> None:
    written = {field for stage in STAGES for field in stage.writes}
    assert {"event_type", "actor1", "fatalities", "admin1", "notes"} <= written
    rule_fields = {rule.field for rule in load_rules()} - {"place"}
    assert rule_fields <= written


def test_every_event_field_has_a_stage_that_writes_it() -> None:
    written = {field for stage in STAGES for field in stage.writes}
    # `place` is written as its parts (PLACE_FIELDS); the computed fields follow from others.
    assert set(Event.model_fields) - {"place"} <= written
    assert set(PLACE_FIELDS) <= written


# Engines with other resources, side by side in one process (sentences written for these
# tests; the town and the group are made up, so the packaged data knows neither).
VILLAGE_SHELLED = (
    "Artillery shells hit the village of Tell Zaharun in Idlib province on Monday, "
    "killing four civilians."
)
GROUP_ATTACKS = (
    "Fighters of the Harrow Hawks attacked an army checkpoint near Saraqib in Idlib on "
    "Monday, killing two soldiers."
)
KIDNAPPING = "Gunmen kidnapped two aid workers in Saraqib in Idlib on Sunday."
MAY_3 = date(2016, 5, 3)


def _code(engine: Engine, text: str) -> list[Event]:
    return engine.extract_report(Report(text=text, published=MAY_3))


def _small_gazetteer() -> InMemoryGeocoder:
    return InMemoryGeocoder(
        places=[
            (
                GazetteerEntry(900001, "Tell Zaharun", 35.9, 36.6, "SY", "07", "", 800, "P", "PPL"),
                [],
            )
        ],
        admin1s=[Admin1("SY", "07", "Idleb", "Idlib", 35.93, 36.63)],
        countries=[Country("SY", "Syria", 760, "AS", ("TR", "IQ", "JO", "LB", "IL"))],
    )


def _dictionary_with_the_harrow_hawks() -> ActorDictionary:
    raw = load_dictionary().model_dump()
    hawks = {
        "id": "harrow_hawks",
        "name": "Harrow Hawks Brigade",
        "inter": 2,
        "country": "Syria",
        "aliases": ["Harrow Hawks"],
    }
    return ActorDictionary.model_validate({**raw, "actors": [*raw["actors"], hawks]})


def _lexicons_without(word: str) -> EventLexicons:
    lexicons = default_lexicons()
    raw = lexicons.triggers.model_dump()
    for entry in raw["triggers"]:
        entry["terms"] = [term for term in entry["terms"] if word not in term]
    return replace(lexicons, triggers=TriggerLexicon.model_validate(raw))


@pytest.mark.slow
def test_an_engine_codes_with_its_own_gazetteer_and_the_default_one_with_its_own() -> None:
    default = default_engine()
    small = Engine(geocoder=_small_gazetteer(), nlp=default.nlp)
    [placed] = _code(small, VILLAGE_SHELLED)
    assert placed.place is not None
    assert (placed.place.location, placed.place.admin1, placed.place.geo_precision) == (
        "Tell Zaharun",
        "Idleb",
        1,
    )
    # the packaged gazetteer lacks the village: coded to its province, before and after
    for _ in range(2):
        [approximate] = _code(default, VILLAGE_SHELLED)
        assert approximate.place is not None and approximate.place.location != "Tell Zaharun"
        assert approximate.place.geo_precision == 3


@pytest.mark.slow
def test_an_engine_names_actors_from_its_own_dictionary() -> None:
    default = default_engine()
    with_hawks = Engine(dictionary=_dictionary_with_the_harrow_hawks(), nlp=default.nlp)
    [named] = _code(with_hawks, GROUP_ATTACKS)
    assert named.actor1 is not None and named.actor1.name == "Harrow Hawks Brigade"
    assert named.actor1.inter == 2 and "actor_unlisted" not in named.flags
    # the default dictionary does not know the group: its own words, flagged, before and after
    for _ in range(2):
        [unlisted] = _code(default, GROUP_ATTACKS)
        assert unlisted.actor1 is not None and unlisted.actor1.name == "Harrow Hawks"
        assert "actor_unlisted" in unlisted.flags


@pytest.mark.slow
def test_an_engine_finds_events_with_its_own_trigger_lexicon() -> None:
    default = default_engine()
    no_kidnap = Engine(lexicons=_lexicons_without("kidnap"), nlp=default.nlp)
    coding = no_kidnap.code(Report(text=KIDNAPPING, published=MAY_3))
    assert coding.events == [] and "no word of the event lexicon" in coding.no_event_reason
    for _ in range(2):
        [abduction] = _code(default, KIDNAPPING)
        assert abduction.sub_event_type == "Abduction/forced disappearance"


def test_without_keeps_the_engines_resources() -> None:
    lexicons = _lexicons_without("kidnap")
    engine = Engine(geocoder=_small_gazetteer(), lexicons=lexicons)
    ablated = engine.without("toll.more-adds")
    assert ablated.lexicons is lexicons and ablated.place_rules is engine.place_rules
    assert ablated.geocoder is engine.geocoder


def test_actor_matchers_are_built_once_per_engine_from_its_dictionary() -> None:
    vocab = Vocab()
    own = Engine(dictionary=_dictionary_with_the_harrow_hawks())
    matchers = own.actor_matchers(vocab)
    assert own.actor_matchers(vocab) is matchers
    assert matchers.dictionary is own.dictionary
    assert Engine().actor_matchers(vocab).dictionary is not own.dictionary


@pytest.mark.slow
def test_texts_parsed_together_read_as_texts_parsed_one_by_one() -> None:
    engine = default_engine()
    texts = [
        "Shelling killed three civilians in Aleppo on Monday.\nA second line follows.",
        "Police fired tear gas at protesters in Nairobi, witnesses said.",
        "word " * (PIPE_CHARS // 5 + 1),
    ]
    together = engine.annotate_many(texts)
    assert together[2] is None  # too long for a batch: parsed alone, within its budget
    for text, doc in zip(texts[:2], together, strict=False):
        alone = engine.annotate(text)
        assert doc is not None
        assert [(t.text, t.dep_, t.head.i, t.lemma_) for t in doc] == [
            (t.text, t.dep_, t.head.i, t.lemma_) for t in alone
        ]
        assert [(e.text, e.label_) for e in doc.ents] == [(e.text, e.label_) for e in alone.ents]
        assert [s.start for s in doc.sents] == [s.start for s in alone.sents]
    report = Report(text=texts[0], published=date(2016, 3, 7))
    assert engine.extract_report(report, together[0]) == engine.extract_report(report)
