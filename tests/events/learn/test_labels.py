from __future__ import annotations

import json
from pathlib import Path

import pytest

from sitrep.errors import CorpusError
from sitrep.events.learn import SentenceLabel, SourceData, agreement, import_labels, merge_labels
from sitrep.events.learn.labels import find_span, parse_label

from .conftest import pointer_to

SENTENCE = "Rebels shelled Idlib and the army shelled Idlib again, killing two."


def _event(**fields: object) -> dict[str, object]:
    return {
        "sid": "s1",
        "annotator": "amira",
        "event": True,
        "event_type": "Explosions/Remote violence",
        "sub_event_type": "Shelling/artillery/missile attack",
        "trigger": "shelled",
        **fields,
    }


def test_a_span_is_its_first_occurrence_unless_numbered() -> None:
    first = find_span(SENTENCE, "Idlib")
    second = find_span(SENTENCE, "Idlib@2")
    assert SENTENCE[first.start : first.end] == "Idlib"
    assert second.start > first.start and SENTENCE[second.start : second.end] == "Idlib"


def test_a_span_not_in_the_sentence_is_refused() -> None:
    with pytest.raises(CorpusError, match="not in the sentence"):
        find_span(SENTENCE, "idlib")
    with pytest.raises(CorpusError, match="occurrence 3"):
        find_span(SENTENCE, "Idlib@3")


def test_spans_become_offsets_and_no_text_is_kept() -> None:
    label = parse_label(_event(fatalities="two", place="Idlib@2"), {"s1": SENTENCE})
    assert label.fatalities is not None and label.place is not None
    assert SENTENCE[label.fatalities.start : label.fatalities.end] == "two"
    assert label.place.start == SENTENCE.rindex("Idlib")
    assert label.text is None


@pytest.mark.parametrize(
    ("fields", "reason"),
    [
        ({"sub_event_type": "Shelling"}, "not one of ACLED's 25"),
        ({"event_type": "Battles"}, "is a sub-type of 'Explosions/Remote violence'"),
        ({"trigger": None}, "needs its trigger"),
        ({"event": False}, "no-event line"),
        ({"sid": "s9"}, "not in the pool"),
        ({"actors": "Rebels"}, "unknown keys"),
    ],
)
def test_a_bad_line_says_why(fields: dict[str, object], reason: str) -> None:
    with pytest.raises(CorpusError, match=reason):
        parse_label(_event(**fields), {"s1": SENTENCE})


def test_a_synthetic_sentence_keeps_its_own_text() -> None:
    text = "Fighters planted a landmine that killed a shepherd near the village."
    label = parse_label(
        _event(
            sid="syn-amira-1",
            synthetic=True,
            text=text,
            trigger="planted a landmine",
            event_type="Explosions/Remote violence",
            sub_event_type="Remote explosive/landmine/IED",
        ),
        {},
    )
    assert label.synthetic and label.text == text


def test_import_keeps_good_lines_and_lists_bad_ones(
    tmp_path: Path, fixture_data: SourceData
) -> None:
    pointer = pointer_to(
        fixture_data,
        "fakes",
        "102",
        "article_content",
        "A car bomb exploded near a checkpoint in Azaz, wounding six people.",
    )
    good = {
        "sid": pointer.sid,
        "annotator": "omar",
        "event": True,
        "event_type": "Explosions/Remote violence",
        "sub_event_type": "Remote explosive/landmine/IED",
        "trigger": "car bomb exploded",
        "place": "Azaz",
        "fatalities": None,
    }
    bad = {**good, "place": "Aleppo"}
    path = tmp_path / "b01.jsonl"
    path.write_text("\n".join([json.dumps(good), "{not json", json.dumps(bad)]) + "\n")
    result = import_labels([path, tmp_path / "missing.jsonl"], [pointer], fixture_data)
    assert [label.sid for label in result.labels] == [pointer.sid]
    assert result.rejects[0].startswith(f"{path}:2: ")
    assert result.rejects[1].startswith(f"{path}:3: ") and "'Aleppo'" in result.rejects[1]
    assert "missing.jsonl: cannot read" in result.rejects[2]


def _label(sid: str, annotator: str, sub: str | None) -> SentenceLabel:
    event_type = {"Armed clash": "Battles", "Air/drone strike": "Explosions/Remote violence"}
    return SentenceLabel(
        sid=sid,
        annotator=annotator,
        event=sub is not None,
        sub_event_type=sub,
        event_type=event_type.get(sub or ""),
    )


def test_a_reimported_line_replaces_the_annotators_earlier_one() -> None:
    merged = merge_labels(
        [_label("s1", "a", None)], [_label("s1", "a", "Armed clash"), _label("s1", "b", None)]
    )
    assert [(x.annotator, x.sub_event_type) for x in merged] == [("a", "Armed clash"), ("b", None)]


def test_agreement_is_cohens_kappa_over_double_labelled_sentences() -> None:
    first = ["Armed clash", "Armed clash", "Air/drone strike", None, None, "Air/drone strike"]
    second = [
        "Armed clash",
        "Air/drone strike",
        "Air/drone strike",
        None,
        "Armed clash",
        "Air/drone strike",
    ]
    labels = [_label(f"s{i}", "a", sub) for i, sub in enumerate(first)]
    labels += [_label(f"s{i}", "b", sub) for i, sub in enumerate(second)]
    labels.append(_label("s99", "a", "Armed clash"))  # single-labelled: not counted
    result = agreement(labels)
    assert result.sentences == 6
    # event: a says 4 yes / 2 no, b 5 yes / 1 no, agreeing on 5 of 6:
    # po = 5/6, pe = (4*5 + 2*1) / 36 = 22/36, kappa = (30/36 - 22/36) / (14/36) = 8/14
    assert result.event_kappa == pytest.approx(8 / 14)
    # sub-type over the 4 both called events: agree on 3; a 2 clash/2 air, b 1 clash/3 air:
    # pe = (2*1 + 2*3) / 16 = 0.5, kappa = (0.75 - 0.5) / 0.5 = 0.5
    assert result.sub_event_sentences == 4
    assert result.sub_event_kappa == pytest.approx(0.5)
    assert set(result.disagreements) == {"s1", "s4"}
