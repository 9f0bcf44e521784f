from __future__ import annotations

import pytest

from sitrep.events.learn import PoolPlan, SourceData, blind_voa_stories, build_pool
from sitrep.events.learn.pool import is_clean_sentence

pytestmark = pytest.mark.slow  # parses with the spaCy model


def test_fragments_too_short_or_too_long_are_not_sentences() -> None:
    assert not is_clean_sentence("Photo: staff.")
    assert not is_clean_sentence("12 - 14 - 2017 / 18:30")
    assert not is_clean_sentence("word " * 200)
    assert is_clean_sentence("Air strikes target villages in southern Idlib")


def test_the_pool_samples_every_source_and_marks_the_blind_stories(
    fixture_data: SourceData,
) -> None:
    plan = PoolPlan(fakes=3, voa=6, ucdp=5, maverick=5, voa_per_article=2)
    pointers = build_pool(fixture_data, plan)
    texts = {p.sid: fixture_data.text(p) for p in pointers}
    by_source = {
        source: [p for p in pointers if p.source == source]
        for source in ("fakes", "voa", "ucdp", "maverick", "seed")
    }
    # Whole articles until the quota: FA-KES' two articles give 3 + 2 clean sentences.
    assert len(by_source["fakes"]) == 5
    assert "Photo: staff." not in texts.values()
    # VOA: two blind stories of ten, all in, before any training story; at most 2 sentences each.
    blind = blind_voa_stories(fixture_data.documents("voa"))
    assert {p.doc_id for p in pointers if p.split == "blind"} == blind
    assert all(p.split == ("blind" if p.doc_id in blind else "train") for p in by_source["voa"])
    assert len(by_source["voa"]) == 6
    # Identical headlines once; a one-word headline and a row without a headline dropped.
    ucdp = sorted(texts[p.sid] for p in by_source["ucdp"])
    assert ucdp == [
        "Air strikes target villages in southern Idlib",
        "Clashes between rebels and the army in Daraa countryside",
    ]
    maverick = sorted(texts[p.sid] for p in by_source["maverick"])
    assert maverick == [
        "Mob burns houses of rival supporters in Eldoret",
        "Police fire tear gas on marchers in Kisumu",
    ]
    assert len(by_source["seed"]) == 2
    assert build_pool(fixture_data, plan) == pointers  # seeded: the same pool again
