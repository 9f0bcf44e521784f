"""Training the event classifier on a small corpus of our own sentences, and loading it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from sitrep.errors import CorpusError, ModelError
from sitrep.events.learn import SentenceLabel, SentencePointer, SourceData
from sitrep.events.learn.classifier import NO_EVENT, EventClassifier
from sitrep.events.learn.train import (
    Example,
    build_examples,
    cross_validate,
    save,
    score,
    score_blind,
    train,
)

FIXTURE = Path(__file__).with_name("fixtures") / "training_examples.jsonl"


@pytest.fixture
def examples() -> list[Example]:
    return [
        Example.model_validate(json.loads(line))
        for line in FIXTURE.read_text(encoding="utf-8").splitlines()
    ]


def test_cross_validation_scores_only_real_training_sentences(examples: list[Example]) -> None:
    scores = cross_validate(examples, "words", folds=5)
    # 30 real training sentences: the synthetic one trains, the two blind ones are kept out.
    assert scores.sentences == 30
    assert set(scores.per_class) >= {NO_EVENT, "Air/drone strike", "Peaceful protest"}
    assert 0.0 <= scores.event_f1 <= 1.0
    assert scores.event_brier is not None


def test_cross_validation_needs_enough_documents(examples: list[Example]) -> None:
    few = [example for example in examples if example.group in {"fixture:d1", "fixture:d2"}]
    with pytest.raises(CorpusError, match="at least 5 labelled documents"):
        cross_validate(few, "words", folds=5)


def test_a_trained_model_reads_new_sentences_of_the_kinds_it_saw(
    examples: list[Example], tmp_path: Path
) -> None:
    model, report = train(examples, [], ["words", "words+chars"], [FIXTURE], curve=False)
    assert report.feature_set in {"words", "words+chars"}
    assert report.examples == 31  # 30 real + 1 synthetic; blind sentences never train
    save(model, report, tmp_path / "classifier.joblib", tmp_path / "card.json")

    classifier = EventClassifier.load(tmp_path / "classifier.joblib", tmp_path / "card.json")
    assert classifier.card["data_sha256"] == report.data_sha256
    strike, meeting = classifier.predict(
        [
            "Warplanes bombed the market on Friday, killing five.",
            "The minister said the talks would continue next week.",
        ]
    )
    assert strike.label == "Air/drone strike"
    assert meeting.label == NO_EVENT
    assert strike.event_probability > meeting.event_probability
    assert 0.0 <= meeting.probability <= 1.0


def test_loading_a_missing_or_broken_model_says_how_to_rebuild_it(tmp_path: Path) -> None:
    with pytest.raises(ModelError, match="make train"):
        EventClassifier.load(tmp_path / "none.joblib")
    broken = tmp_path / "classifier.joblib"
    broken.write_bytes(b"not a model")
    with pytest.raises(ModelError, match="cannot load"):
        EventClassifier.load(broken)


def test_sentences_whose_annotators_disagree_are_left_out(tmp_path: Path) -> None:
    data_dir = tmp_path / "shared"
    data_dir.mkdir()
    (data_dir / "seed_report.txt").write_text(
        "Gunmen attacked a checkpoint at dawn. The town was quiet later.", encoding="utf-8"
    )
    pointers = [
        SentencePointer(
            sid="seed-a",
            source="seed",
            doc_id="seed_report",
            field="text",
            start=0,
            end=37,
            split="train",
        ),
        SentencePointer(
            sid="seed-b",
            source="seed",
            doc_id="seed_report",
            field="text",
            start=38,
            end=62,
            split="train",
        ),
    ]
    attack = {"event": True, "event_type": "Battles", "sub_event_type": "Armed clash"}
    labels = [
        SentenceLabel(sid="seed-a", annotator="one", **attack),
        SentenceLabel(sid="seed-a", annotator="two", **attack),
        SentenceLabel(sid="seed-b", annotator="one", event=False),
        SentenceLabel(
            sid="seed-b",
            annotator="two",
            event=True,
            event_type="Battles",
            sub_event_type="Armed clash",
        ),
    ]
    built, disagreements = build_examples(pointers, labels, SourceData(data_dir))
    assert [example.sid for example in built] == ["seed-a"]
    assert built[0].text == "Gunmen attacked a checkpoint at dawn."
    assert built[0].group == "seed:seed_report"
    assert disagreements == ["seed-b"]


def test_blind_scoring_counts_found_invented_and_missed(examples: list[Example]) -> None:
    class Always:
        def predict(self, texts: list[str]) -> list[str]:
            return ["Air/drone strike" for _ in texts]

    result = score_blind(Always(), examples)
    assert (result.sentences, result.gold_events) == (2, 1)
    assert (result.found, result.invented, result.missed, result.sub_type_right) == (1, 1, 0, 1)


def test_macro_f1_averages_the_sub_types_present_in_gold() -> None:
    scores = score(
        ["Armed clash", "Armed clash", "Attack", NO_EVENT],
        ["Armed clash", "Attack", "Attack", NO_EVENT],
    )
    # Armed clash: P 1, R .5 -> F1 .667; Attack: P .5, R 1 -> .667; no event is not averaged.
    assert scores.macro_f1 == pytest.approx(0.667, abs=0.001)
    assert scores.sub_type_accuracy == pytest.approx(2 / 3, abs=0.001)
    assert scores.event_f1 == 1.0
