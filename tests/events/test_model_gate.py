"""The event classifier in the events stage: `model.no-event` gates lexicon triggers in
sentences it reads as reporting no event, `model.sub-type` amends the sub-event type within
the event type; both are recorded, and both switch off.

Most tests run the real pipeline with a stand-in classifier that reads sentences by words we
choose, so they test the integration, not the model's current weights; the last ones load
the committed model and read sentences we wrote."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

import numpy as np
import pytest

from sitrep.engine import Engine, EngineConfig
from sitrep.events.learn.classifier import MODEL_FILE, NO_EVENT, EventClassifier
from sitrep.events.learn.thresholds import load_gate
from sitrep.export._why import report_decisions
from sitrep.models import Extraction, Report

pytestmark = pytest.mark.slow

CLASSES = [NO_EVENT, "Air/drone strike", "Armed clash", "Shelling/artillery/missile attack"]


class ReadsByWords:
    """A stand-in for the trained pipeline: a sentence holding one of the keys gets its
    probabilities; any other sentence reads as an armed clash, surely an event."""

    classes_ = np.array(CLASSES)

    def __init__(self, readings: dict[str, dict[str, float]]) -> None:
        self.readings = readings
        self.calls: list[list[str]] = []

    def predict_proba(self, sentences: Sequence[str]) -> np.ndarray:
        self.calls.append(list(sentences))
        rows = []
        for sentence in sentences:
            reading = next(
                (r for key, r in self.readings.items() if key in sentence), {"Armed clash": 0.9}
            )
            rest = (1.0 - sum(reading.values())) / (len(CLASSES) - len(reading))
            rows.append([reading.get(name, rest) for name in CLASSES])
        return np.array(rows)


#: Critics' "attack" is read as no event; shelling "from the air" surely as an air strike.
READINGS = {
    "Critics": {NO_EVENT: 0.95},
    "war crime": {NO_EVENT: 0.9},
    "from the air": {"Air/drone strike": 0.9},
    "hesitant": {"Air/drone strike": 0.6},
}


@pytest.fixture(scope="module")
def base() -> Engine:
    return Engine()


@pytest.fixture
def stand_in() -> ReadsByWords:
    return ReadsByWords(READINGS)


@pytest.fixture
def engine(base: Engine, stand_in: ReadsByWords) -> Engine:
    engine = Engine(
        geocoder=base.geocoder,
        dictionary=base.dictionary,
        rules=base.rules,
        nlp=base.nlp,
        classifier=EventClassifier(stand_in, {}),
    )
    return engine


def code(engine: Engine, text: str) -> Extraction:
    return engine.code(Report(text=text, published=date(2016, 5, 3)))


#: A trigger word in another sense, which the rules alone code as an armed clash.
WORD_SENSE = "Critics attacked the plan of the governor of Homs on Monday."
SHELLING_BY_AIRCRAFT = (
    "Government forces shelled Saraqib from the air on Monday, killing five people."
)


def test_a_trigger_in_a_sentence_read_as_no_event_is_suppressed_with_the_probability(
    engine: Engine,
) -> None:
    coding = code(engine, WORD_SENSE)
    assert coding.events == []
    gated = [s for s in coding.suppressions if s.rule == "model.no-event"]
    assert gated and all(s.words.text in WORD_SENSE for s in gated)
    assert "model, P(event)=0.05 < " in gated[0].detail
    assert "model.no-event" in coding.no_event_reason


def test_a_generic_statement_read_as_no_event_is_suppressed(engine: Engine) -> None:
    coding = code(engine, "Shelling of residential areas is a war crime under international law.")
    assert coding.events == []
    assert {s.rule for s in coding.suppressions} == {"model.no-event"}
    assert code(engine.without("model.no-event"), "Shelling of homes is a war crime.").events


def test_a_sentence_read_as_an_event_keeps_its_trigger(engine: Engine) -> None:
    coding = code(
        engine, "Gunmen attacked a checkpoint in Saraqib on Monday, killing two soldiers."
    )
    assert [e.sub_event_type for e in coding.events] == ["Armed clash"]
    assert not [s for s in coding.suppressions if s.rule.startswith("model.")]


def test_all_sentences_of_a_report_are_read_in_one_call(
    engine: Engine, stand_in: ReadsByWords
) -> None:
    code(engine, f"{WORD_SENSE} Rebels attacked a checkpoint in Idlib on Tuesday.")
    assert len(stand_in.calls) == 1
    assert len(stand_in.calls[0]) == 2


def test_a_sure_sub_type_of_the_same_event_type_replaces_the_rules_and_says_so(
    engine: Engine,
) -> None:
    coding = code(engine, SHELLING_BY_AIRCRAFT)
    [event] = coding.events
    assert event.event_type == "Explosions/Remote violence"
    assert event.sub_event_type == "Air/drone strike"
    evidence = event.evidence["sub_event_type"]
    assert evidence.amended_by == ["model.sub-type"]
    assert evidence.confidence == pytest.approx(0.9)
    assert evidence.spans[0].text == SHELLING_BY_AIRCRAFT  # the model read the sentence
    # the event type stays the rules', with the rule's record
    assert event.evidence["event_type"].amended_by == []
    assert "model, p=0.90" in report_decisions(coding, engine.rules).plain


def test_the_model_s_evidence_is_its_sentence_without_the_blank_lines_after_it(
    engine: Engine,
) -> None:
    [event] = code(engine, f"{SHELLING_BY_AIRCRAFT}\n\nThe town was quiet on Tuesday.").events
    assert event.evidence["sub_event_type"].spans[0].text == SHELLING_BY_AIRCRAFT


def test_an_unsure_sub_type_leaves_the_rules_decision_recorded(engine: Engine) -> None:
    coding = code(engine, "Hesitant government forces shelled the town of Saraqib on Monday.")
    [event] = coding.events
    assert event.sub_event_type == "Shelling/artillery/missile attack"
    assert event.evidence["sub_event_type"].rule == "type.trigger-lexicon"
    assert event.evidence["sub_event_type"].amended_by == []


def test_a_sub_type_of_another_event_type_never_replaces_the_rules(base: Engine) -> None:
    # A protest the model reads, surely, as an air strike: the event type is the rules'.
    reader = ReadsByWords({"marched": {"Air/drone strike": 0.95}})
    engine = Engine(rules=base.rules, nlp=base.nlp, classifier=EventClassifier(reader, {}))
    [event] = code(engine, "Protesters marched through Homs on Friday.").events
    assert event.sub_event_type == "Peaceful protest"


def test_each_rule_switches_off_on_its_own(engine: Engine) -> None:
    without_gate = code(engine.without("model.no-event"), WORD_SENSE)
    assert not [s for s in without_gate.suppressions if s.rule == "model.no-event"]
    assert len(without_gate.events) == 1

    without_sub_type = code(engine.without("model.sub-type"), SHELLING_BY_AIRCRAFT)
    assert [e.sub_event_type for e in without_sub_type.events] == [
        "Shelling/artillery/missile attack"
    ]
    # the other rule still works in each
    assert code(engine.without("model.sub-type"), WORD_SENSE).events == []


def test_an_engine_without_the_model_never_consults_it(
    base: Engine, stand_in: ReadsByWords
) -> None:
    engine = Engine(
        EngineConfig(use_model=False),
        rules=base.rules,
        nlp=base.nlp,
        classifier=EventClassifier(stand_in, {}),
    )
    assert len(code(engine, WORD_SENSE).events) == 1
    off = Engine(rules=base.rules, nlp=base.nlp, classifier=EventClassifier(stand_in, {}))
    code(off.without("model.no-event", "model.sub-type"), WORD_SENSE)
    assert stand_in.calls == []


# --- the committed model, on sentences we wrote ------------------------------------------


@pytest.fixture(scope="module")
def committed(base: Engine) -> Engine:
    if not MODEL_FILE.is_file():
        pytest.skip(f"no committed event classifier at {MODEL_FILE}: build it with `make train`")
    return base


def test_the_committed_model_loads_with_its_card(committed: Engine) -> None:
    classifier = committed.classifier
    assert NO_EVENT in classifier.classes
    assert len(classifier.classes) >= 25
    assert classifier.card["feature_set"] in ("words", "words+chars")
    gate = load_gate()
    assert 0 < gate.event_probability < gate.sub_type_probability <= 1


@pytest.mark.parametrize(
    "text",
    [
        # "battle" said of politics: the rules alone code an armed clash
        "The prime minister told reporters that the election campaign had been a battle of ideas.",
        "The president told reporters that the talks had been a battle of ideas and would resume.",
        "The president told reporters that the debate on the constitution had been a battle.",
    ],
)
def test_the_committed_model_gates_what_the_lexicon_misreads(committed: Engine, text: str) -> None:
    coding = code(committed, text)
    assert coding.events == []
    assert "model.no-event" in {s.rule for s in coding.suppressions}
    # the rules alone would have coded an event
    assert code(committed.without("model.no-event"), text).events


def test_a_planned_strike_stays_without_an_event_with_the_model_on(committed: Engine) -> None:
    # The context rules catch it before the model is asked; the model must not undo that.
    coding = code(committed, "Rebels are planning to attack the airport if the talks fail.")
    assert coding.events == []


@pytest.mark.parametrize(
    ("text", "sub_event_type"),
    [
        (
            "Gunmen opened fire on a checkpoint near Daraa on Sunday, killing two soldiers.",
            "Armed clash",
        ),
        (
            "Warplanes struck the town of Saraqib on Monday, killing seven people.",
            "Air/drone strike",
        ),
        ("Farmers protested in the capital on Monday against the new tax.", "Peaceful protest"),
    ],
)
def test_the_committed_model_keeps_real_events(
    committed: Engine, text: str, sub_event_type: str
) -> None:
    coding = code(committed, text)
    assert [e.sub_event_type for e in coding.events] == [sub_event_type]
    assert not [s for s in coding.suppressions if s.rule.startswith("model.")]
