"""Who asserts each event, with its words; claims by a party are flagged."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.slow


def test_named_monitor(code) -> None:
    [event] = code(
        "Government forces shelled Douma on Tuesday and five civilians died, "
        "the Syrian Observatory for Human Rights said."
    )
    assert event.attribution == "the Syrian Observatory for Human Rights"
    assert event.evidence["attribution"].rule == "source.monitor"
    assert "claim_by_party" not in event.flags


def test_according_to_an_anonymous_source(code) -> None:
    [event] = code("Government forces shelled Douma on Tuesday, according to activists.")
    assert event.attribution == "activists"


def test_a_party_speaking_of_its_own_strikes_is_flagged(code) -> None:
    [event] = code(
        "Russian warplanes struck rebel positions on Tuesday, the Russian defence ministry said."
    )
    assert event.attribution == "the Russian defence ministry"
    assert "claim_by_party" in event.flags


def test_no_source_named_is_the_outlet(code) -> None:
    [event] = code("Government forces shelled Douma on Tuesday.", source="Idleb Field Network")
    assert event.attribution == "Idleb Field Network"
    assert event.evidence["attribution"].spans == []
