"""The event classifier's say in the events stage: whether a trigger's sentence reports an
event at all (`model.no-event`), and which sub-event type (`model.sub-type`).

The lexicon finds the triggers and the rules their arguments; the model reads each sentence
holding a trigger (all of a report's in one batched call) and, where it is sure enough by
the thresholds of `model_gate.yaml`, gates the trigger or amends the sub-event type.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from spacy.tokens import Span as TokenSpan

from sitrep.events._draft import CodingContext, Draft
from sitrep.events._triggers import Trigger
from sitrep.events.learn.classifier import NO_EVENT, Prediction
from sitrep.events.learn.corpus import sub_event_parent
from sitrep.nlp.index import sentence_of

if TYPE_CHECKING:
    from sitrep.events.learn.thresholds import ModelGate

NO_EVENT_RULE = "model.no-event"
SUB_TYPE_RULE = "model.sub-type"
MODEL_RULES = (NO_EVENT_RULE, SUB_TYPE_RULE)


@dataclass(frozen=True)
class SentenceModel:
    """A batched sentence classifier (`EventClassifier.predict`) and its thresholds."""

    predict: Callable[[Sequence[str]], list[Prediction]]
    gate: ModelGate


#: The model's reading of each sentence, by the sentence's first token.
Readings = dict[int, Prediction]


def read_sentences(triggers: Sequence[Trigger], model: SentenceModel) -> Readings:
    """The model's reading of every sentence holding a trigger, in one call."""
    sentences: dict[int, TokenSpan] = {}
    for trigger in triggers:
        sentence = sentence_of(trigger.span)
        sentences.setdefault(sentence.start, sentence)
    predictions = model.predict([sentence.text for sentence in sentences.values()])
    return dict(zip(sentences, predictions, strict=True))


def gate_triggers(
    triggers: list[Trigger], readings: Readings, gate: ModelGate, ctx: CodingContext
) -> list[Trigger]:
    """The triggers whose sentence the model reads as reporting an event; the others are
    suppressed with the probability it gave (a word used in another sense, a generic or
    hypothetical statement the context rules did not catch)."""
    kept = []
    for trigger in triggers:
        reading = readings[sentence_of(trigger.span).start]
        if reading.event_probability < gate.event_probability:
            ctx.suppress(
                NO_EVENT_RULE,
                trigger.span,
                f"model, P(event)={reading.event_probability:.2f} < {gate.event_probability}",
            )
        else:
            kept.append(trigger)
    return kept


def amend_sub_type(draft: Draft, reading: Prediction, gate: ModelGate) -> None:
    """The model's sub-event type replaces the rules' when it is of the same event type and
    the model is sure (the rules keep the event type, and with it the actors' roles)."""
    label = reading.label
    if label == NO_EVENT or label == draft.sub_event_type:
        return
    if sub_event_parent(label) != draft.event_type:
        return
    if reading.probability < gate.sub_type_probability:
        return
    draft.sub_event_type = label
    draft.model_sub_type = (label, reading.probability)
