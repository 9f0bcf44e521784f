"""The lexicons are data an analyst edits; a broken one is a clear LexiconError."""

from __future__ import annotations

from pathlib import Path

import pytest

from sitrep.errors import LexiconError
from sitrep.events import _lexicon
from sitrep.events._lexicon import TriggerLexicon, context_lexicon, fatality_lexicon


def test_words_that_yaml_would_read_as_booleans_stay_words() -> None:
    assert "no" in context_lexicon().negation
    assert "on" in context_lexicon().target_prepositions


def test_vague_quantities_follow_acled() -> None:
    vague = fatality_lexicon().vague_numbers
    assert (vague["dozens"], vague["hundreds"], vague["tens"]) == (12, 100, 10)


def test_an_unknown_sub_event_type_is_refused(tmp_path: Path) -> None:
    bad = tmp_path / "triggers.yaml"
    bad.write_text(
        "triggers:\n  - {event_type: Battles, sub_event_type: Skirmish, family: violence,"
        " priority: 1, terms: [skirmish]}\n",
        encoding="utf-8",
    )
    with pytest.raises(LexiconError, match="triggers.0.*Skirmish"):
        _lexicon._load(str(bad), TriggerLexicon)


def test_malformed_yaml_is_refused(tmp_path: Path) -> None:
    bad = tmp_path / "triggers.yaml"
    bad.write_text("triggers: [unclosed\n", encoding="utf-8")
    with pytest.raises(LexiconError, match="fix the file"):
        _lexicon._load(str(bad), TriggerLexicon)


def test_a_copy_with_other_triggers_indexes_its_own_words() -> None:
    lexicon = _lexicon.trigger_lexicon()
    assert "kidnap" in lexicon.term_index and "kidnap" in lexicon.event_words  # cached now
    kept = [e for e in lexicon.triggers if not any("kidnap" in t for t in e.terms)]
    copy = lexicon.model_copy(update={"triggers": kept})
    assert "kidnap" not in copy.term_index and "kidnap" not in copy.event_words
    assert "kidnap" in lexicon.term_index
