"""Training and measuring the event classifier on the annotated corpus.

Examples are the corpus's labelled sentences, one reading each: a sentence whose annotators
disagree is left out (and listed) until the guidelines settle it. Cross-validation groups
sentences by document, so no article is in both training and test; synthetic sentences
train in every fold and are never scored; the blind VOA stories are neither trained on nor
scored here (`score_blind` scores them once, at the end).
"""

from __future__ import annotations

import hashlib
import random
from collections import Counter, defaultdict
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from sitrep.errors import CorpusError
from sitrep.events.learn.classifier import NO_EVENT
from sitrep.events.learn.corpus import SentenceLabel, SentencePointer, SourceData, Split
from sitrep.events.learn.features import encoder

#: Folds of the document-grouped cross-validation.
FOLDS = 5
#: Shares of the training documents for the learning curve.
CURVE_FRACTIONS = (0.25, 0.5, 0.75, 1.0)
SEED = 11
#: Held-out folds for calibrating probabilities.
_CALIBRATION_FOLDS = 3


class Example(BaseModel):
    """One labelled sentence, ready to train on."""

    sid: str
    text: str
    #: A sub-event type or NO_EVENT.
    label: str
    #: The document the sentence comes from ("source:doc id"), for grouped folds.
    group: str
    split: Split
    synthetic: bool = False


class ClassScore(BaseModel):
    precision: float
    recall: float
    f1: float
    support: int


class Scores(BaseModel):
    """Scores of predictions against gold labels."""

    sentences: int
    #: Macro-F1 over the sub-event types that occur in the gold labels.
    macro_f1: float
    #: F1 of "reports an event" against "no event".
    event_f1: float
    #: Among sentences both gold and model call an event: the share with the right sub-type.
    sub_type_accuracy: float
    #: Brier score of the event probability (lower is better; None without probabilities).
    event_brier: float | None = None
    per_class: dict[str, ClassScore]


class CurvePoint(BaseModel):
    fraction: float
    training_sentences: int
    macro_f1: float
    event_f1: float


class TrainingReport(BaseModel):
    """What `sitrep corpus train` measured, and what the model card records."""

    created: str
    data_sha256: str
    examples: int
    synthetic: int
    #: Sentences left out because their annotators disagree.
    disagreements: list[str]
    #: Feature set -> its cross-validated scores; the best by macro-F1 is kept.
    feature_sets: dict[str, Scores]
    feature_set: str
    learning_curve: list[CurvePoint]
    sklearn_version: str


def reading(label: SentenceLabel) -> str:
    return str(label.sub_event_type) if label.event else NO_EVENT


def build_examples(
    pointers: Sequence[SentencePointer], labels: Sequence[SentenceLabel], data: SourceData
) -> tuple[list[Example], list[str]]:
    """One example per labelled sentence, and the sids left out for disagreement."""
    by_pointer = {pointer.sid: pointer for pointer in pointers}
    by_sid: dict[str, list[SentenceLabel]] = defaultdict(list)
    for label in labels:
        by_sid[label.sid].append(label)
    examples: list[Example] = []
    disagreements: list[str] = []
    for sid, found in sorted(by_sid.items()):
        if len({reading(label) for label in found}) > 1:
            disagreements.append(sid)
            continue
        label = found[0]
        if label.synthetic:
            if not label.text:
                raise CorpusError(f"{sid}: a synthetic label carries its own text")
            examples.append(
                Example(
                    sid=sid,
                    text=label.text,
                    label=reading(label),
                    group=f"synthetic:{sid}",
                    split="train",
                    synthetic=True,
                )
            )
            continue
        pointer = by_pointer.get(sid)
        if pointer is None:
            raise CorpusError(f"label {sid!r} names no sentence of the pool; rebuilt pool?")
        examples.append(
            Example(
                sid=sid,
                text=data.text(pointer),
                label=reading(label),
                group=f"{pointer.source}:{pointer.doc_id}",
                split=pointer.split,
            )
        )
    return examples, disagreements


def build_classifier(feature_set: str, labels: Sequence[str]) -> Any:
    """An unfitted pipeline: the named encoder, then a calibrated linear classifier.

    The classifier is logistic regression fitted by stochastic gradient descent (seconds on
    two cores where lbfgs took a minute, at the same cross-validated scores), and its
    probabilities are calibrated by Platt scaling on held-out folds. With fewer than
    three examples of some class there is nothing to hold out, so the raw probabilities
    are used (only tiny corpora, such as the tests', are in that case).
    """
    from sklearn.calibration import CalibratedClassifierCV
    from sklearn.linear_model import SGDClassifier
    from sklearn.pipeline import Pipeline

    linear = SGDClassifier(loss="log_loss", alpha=2e-5, max_iter=100, tol=1e-4, random_state=SEED)
    smallest = min(Counter(labels).values()) if labels else 0
    classify = (
        CalibratedClassifierCV(linear, method="sigmoid", cv=_CALIBRATION_FOLDS, ensemble=False)
        if smallest >= _CALIBRATION_FOLDS
        else linear
    )
    return Pipeline([("encode", encoder(feature_set)), ("classify", classify)])


def score(
    gold: Sequence[str],
    predicted: Sequence[str],
    event_probabilities: Sequence[float] | None = None,
) -> Scores:
    """Per-class and summary scores of predicted labels against gold ones."""
    from sklearn.metrics import brier_score_loss, f1_score, precision_recall_fscore_support

    classes = sorted(set(gold) | set(predicted))
    precision, recall, f1, support = precision_recall_fscore_support(
        gold, predicted, labels=classes, zero_division=0
    )
    per_class = {
        name: ClassScore(
            precision=round(float(p), 3),
            recall=round(float(r), 3),
            f1=round(float(f), 3),
            support=int(s),
        )
        for name, p, r, f, s in zip(classes, precision, recall, f1, support, strict=True)
    }
    gold_types = [name for name in classes if name != NO_EVENT and per_class[name].support]
    macro = sum(per_class[name].f1 for name in gold_types) / len(gold_types) if gold_types else 0.0
    both = [(g, p) for g, p in zip(gold, predicted, strict=True) if NO_EVENT not in (g, p)]
    return Scores(
        sentences=len(gold),
        macro_f1=round(macro, 3),
        event_f1=round(
            float(
                f1_score(
                    [g != NO_EVENT for g in gold],
                    [p != NO_EVENT for p in predicted],
                    zero_division=0,
                )
            ),
            3,
        ),
        sub_type_accuracy=round(sum(g == p for g, p in both) / len(both), 3) if both else 0.0,
        event_brier=round(
            float(brier_score_loss([g != NO_EVENT for g in gold], event_probabilities)), 3
        )
        if event_probabilities is not None
        else None,
        per_class=per_class,
    )


def _folds(examples: Sequence[Example], folds: int) -> list[tuple[list[int], list[int]]]:
    from sklearn.model_selection import GroupKFold

    splitter = GroupKFold(n_splits=folds)
    groups = [example.group for example in examples]
    return [(list(train), list(test)) for train, test in splitter.split(examples, groups=groups)]


def _subsample(
    examples: Sequence[Example], indices: Sequence[int], fraction: float, rng: random.Random
) -> list[int]:
    """A share of the training documents (whole documents, seeded)."""
    if fraction >= 1.0:
        return list(indices)
    groups = sorted({examples[i].group for i in indices})
    kept = set(rng.sample(groups, max(1, round(len(groups) * fraction))))
    return [i for i in indices if examples[i].group in kept]


class OutOfFold(BaseModel):
    """Each evaluable sentence's gold label and the probabilities a model trained without its
    document gave it (document-grouped folds)."""

    sids: list[str]
    gold: list[str]
    classes: list[str]
    probabilities: list[list[float]]

    def predicted(self) -> list[str]:
        return [
            self.classes[max(range(len(row)), key=row.__getitem__)] for row in self.probabilities
        ]

    def event_probabilities(self) -> list[float]:
        no_event = self.classes.index(NO_EVENT)
        return [1.0 - row[no_event] for row in self.probabilities]


def out_of_fold(
    examples: Sequence[Example], feature_set: str, folds: int = FOLDS, fraction: float = 1.0
) -> OutOfFold:
    """Document-grouped k-fold predictions of one feature set (trained on `fraction` of docs)."""
    evaluable = [e for e in examples if not e.synthetic and e.split == "train"]
    synthetic = [e for e in examples if e.synthetic]
    if len({e.group for e in evaluable}) < folds:
        raise CorpusError(
            f"cross-validation needs at least {folds} labelled documents; label more first"
        )
    classes = sorted({e.label for e in examples if e.split == "train"})
    rng = random.Random(SEED)
    sids: list[str] = []
    gold: list[str] = []
    rows: list[list[float]] = []
    for train_idx, test_idx in _folds(evaluable, folds):
        train = [evaluable[i] for i in _subsample(evaluable, train_idx, fraction, rng)]
        train += synthetic
        model = build_classifier(feature_set, [e.label for e in train])
        model.fit([e.text for e in train], [e.label for e in train])
        test = [evaluable[i] for i in test_idx]
        # A class missing from a fold's training sentences gets probability 0.
        column = {str(name): n for n, name in enumerate(model.classes_)}
        for example, row in zip(test, model.predict_proba([e.text for e in test]), strict=True):
            sids.append(example.sid)
            gold.append(example.label)
            rows.append([float(row[column[c]]) if c in column else 0.0 for c in classes])
    return OutOfFold(sids=sids, gold=gold, classes=classes, probabilities=rows)


def cross_validate(
    examples: Sequence[Example], feature_set: str, folds: int = FOLDS, fraction: float = 1.0
) -> Scores:
    """Document-grouped k-fold scores of one feature set (trained on `fraction` of docs)."""
    predictions = out_of_fold(examples, feature_set, folds, fraction)
    return score(predictions.gold, predictions.predicted(), predictions.event_probabilities())


def learning_curve(
    examples: Sequence[Example], feature_set: str, fractions: Sequence[float] = CURVE_FRACTIONS
) -> list[CurvePoint]:
    """Cross-validated scores against the share of training documents used."""
    evaluable = sum(not e.synthetic and e.split == "train" for e in examples)
    points = []
    for fraction in fractions:
        scores = cross_validate(examples, feature_set, fraction=fraction)
        points.append(
            CurvePoint(
                fraction=fraction,
                training_sentences=round(evaluable * (FOLDS - 1) / FOLDS * fraction),
                macro_f1=scores.macro_f1,
                event_f1=scores.event_f1,
            )
        )
    return points


def data_hash(paths: Sequence[Path]) -> str:
    """sha256 over the corpus files the model was trained from."""
    digest = hashlib.sha256()
    for path in paths:
        digest.update(path.read_bytes())
    return digest.hexdigest()


def train(
    examples: Sequence[Example],
    disagreements: Sequence[str],
    feature_sets: Sequence[str],
    corpus_files: Sequence[Path],
    curve: bool = True,
) -> tuple[Any, TrainingReport]:
    """Compare feature sets by cross-validation, fit the best on all training sentences."""
    import sklearn

    compared = {name: cross_validate(examples, name) for name in feature_sets}
    best = max(compared, key=lambda name: (compared[name].macro_f1, compared[name].event_f1))
    training = [e for e in examples if e.split == "train"]
    model = build_classifier(best, [e.label for e in training])
    model.fit([e.text for e in training], [e.label for e in training])
    report = TrainingReport(
        created=datetime.now(UTC).date().isoformat(),
        data_sha256=data_hash(corpus_files),
        examples=len(training),
        synthetic=sum(e.synthetic for e in training),
        disagreements=list(disagreements),
        feature_sets=compared,
        feature_set=best,
        learning_curve=learning_curve(examples, best) if curve else [],
        sklearn_version=sklearn.__version__,
    )
    return model, report


def save(model: Any, report: TrainingReport, model_file: Path, card_file: Path) -> None:
    """The fitted pipeline (compressed) and its card, next to each other."""
    import joblib

    model_file.parent.mkdir(parents=True, exist_ok=True)
    joblib.dump(model, model_file, compress=3)
    card_file.write_text(report.model_dump_json(indent=2) + "\n", encoding="utf-8")


class BlindScores(BaseModel):
    """The held-out VOA stories, scored once: events found, invented, missed, sub-type."""

    sentences: int
    gold_events: int
    found: int
    invented: int
    missed: int
    sub_type_right: int
    scores: Scores


def score_blind(model: Any, examples: Sequence[Example]) -> BlindScores:
    blind = [e for e in examples if e.split == "blind" and not e.synthetic]
    if not blind:
        raise CorpusError("no labelled blind sentence yet; label the blind VOA stories first")
    gold = [e.label for e in blind]
    predicted = [str(label) for label in model.predict([e.text for e in blind])]
    pairs = list(zip(gold, predicted, strict=True))
    return BlindScores(
        sentences=len(blind),
        gold_events=sum(g != NO_EVENT for g in gold),
        found=sum(g != NO_EVENT and p != NO_EVENT for g, p in pairs),
        invented=sum(g == NO_EVENT and p != NO_EVENT for g, p in pairs),
        missed=sum(g != NO_EVENT and p == NO_EVENT for g, p in pairs),
        sub_type_right=sum(g != NO_EVENT and g == p for g, p in pairs),
        scores=score(gold, predicted),
    )


def report_lines(report: TrainingReport) -> list[str]:
    """A readable summary of a training run."""
    lines = [
        (
            f"examples: {report.examples} ({report.synthetic} synthetic); "
            f"{len(report.disagreements)} left out for disagreement"
        )
    ]
    for name, scores in report.feature_sets.items():
        mark = " (kept)" if name == report.feature_set else ""
        lines.append(
            f"{name}{mark}: macro-F1 {scores.macro_f1:.3f}, event F1 {scores.event_f1:.3f}, "
            f"sub-type accuracy {scores.sub_type_accuracy:.3f}, event Brier "
            f"{scores.event_brier} over {scores.sentences} sentences"
        )
    best: dict[str, Any] = report.feature_sets[report.feature_set].per_class
    for name, per in best.items():
        lines.append(
            f"  {name}: P {per.precision:.2f} R {per.recall:.2f} F1 {per.f1:.2f} (n={per.support})"
        )
    for point in report.learning_curve:
        lines.append(
            f"curve {point.fraction:.2f} ({point.training_sentences} sentences): "
            f"macro-F1 {point.macro_f1:.3f}, event F1 {point.event_f1:.3f}"
        )
    return lines
