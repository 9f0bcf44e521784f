"""The engine: built once, passed to the stages; engines with other settings side by side."""

from __future__ import annotations

from datetime import date

import pytest

import sitrep
from sitrep.engine import STAGES, Engine, EngineConfig, default_engine
from sitrep.errors import ConfigError
from sitrep.models import Report
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
