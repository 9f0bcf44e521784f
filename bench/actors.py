"""Score the actors stage (not a test): actor1 and actor2 of the main event, on every source.

    .venv/bin/python bench/actors.py [--only acled,voa,maverick] [--maverick N] [--misses F]

- acled: the ACLED-style notes fixtures of tests/evaluate/fixtures, actor1 and actor2 of the
  note's first event against the coder's (year ranges ignored, as `sitrep evaluate` does).
- voa: Voice of America stories (../shared/data/voa_stories.jsonl) against our hand labels
  (tests/actors/fixtures/voa_actors_gold.yaml); the main event is `primary_event`, else the
  first event. Stories labelled `no_event` only count the ones where sitrep codes one.
- maverick: MAVERICK Kenya records (../shared/data/maverick_kenya.csv), N of them chosen by
  a hash of the record id; the text coded is the source headline. MAVERICK's actors are
  not named as ACLED names them, and its actor order is not ACLED's (police firing on
  protesters come first): each of a record's first two actors counts as found when the
  main event holds an actor (actor1 or actor2) of an inter code ACLED could give its type,
  and every predicted actor named after a country must name Kenya (`country_right`: the
  foreign armies and police of issue 13).
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import re
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import yaml

from sitrep import extract_report
from sitrep.evaluate import actor_key, primary_event, read_acled
from sitrep.models import Actor, Event, Report

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "data"
FIXTURES = ROOT / "tests" / "evaluate" / "fixtures"
VOA_GOLD = ROOT / "tests" / "actors" / "fixtures" / "voa_actors_gold.yaml"

#: MAVERICK actor types -> the inter codes ACLED may give such an actor.
MAVERICK_INTER = {
    "Security forces": {1},
    "Non-state armed actor": {2, 3, 4},
    "Political actor": {3, 5, 6},
    # Citizens who riot or demonstrate are coded as rioters or protesters by ACLED.
    "Citizens": {5, 6, 7},
}
_HEADLINE = re.compile(r"^.*? \((\d{4}-\d{2}-\d{2})\) (?P<headline>.+)$")
#: "Civilians (Kenya)", "Military Forces of Syria (2000-)": the country an actor is named after.
_NAMED_COUNTRY = re.compile(
    r"(?:Forces of (?:the )?(?P<of>[A-Z][\w ]+?)(?: \(|$| [A-Z]))|"
    r"\((?P<paren>[A-Z][A-Za-z ]+)\)$"
)


@dataclass
class Tally:
    hits: dict[str, list[bool]] = field(default_factory=dict)
    misses: list[dict[str, str]] = field(default_factory=list)

    def add(self, metric: str, hit: bool, row: str, gold: str, got: str) -> None:
        self.hits.setdefault(metric, []).append(hit)
        if not hit:
            self.misses.append({"row": row, "metric": metric, "gold": gold, "got": got})

    def summary(self) -> dict[str, str]:
        return {m: f"{sum(h) / len(h):.3f} ({sum(h)}/{len(h)})" for m, h in self.hits.items()}


def _name(actor: Actor | None) -> str:
    return actor.name if actor else ""


def _same(gold: Sequence[str], actor: Actor | None) -> bool:
    return actor is not None and actor_key(actor.name) in {actor_key(g) for g in gold if g}


def main_event(events: Sequence[Event]) -> Event | None:
    return primary_event(events) or (events[0] if events else None)


def score_acled(tally: Tally) -> None:
    for path in sorted(FIXTURES.glob("acled_*.csv")):
        golds, _ = read_acled(path)
        with path.open(encoding="utf-8") as handle:
            actor2 = {row["event_id_cnty"]: row["actor2"] for row in csv.DictReader(handle)}
        for gold in golds:
            events = extract_report(gold.report)
            event = events[0] if events else None
            first = event.actor1 if event else None
            second = event.actor2 if event else None
            tally.add(
                "acled_actor1", _same([gold.actor1], first), gold.row_id, gold.actor1, _name(first)
            )
            wanted = actor2.get(gold.row_id, "")
            hit = _same([wanted], second) if wanted else second is None
            tally.add("acled_actor2", hit, gold.row_id, wanted, _name(second))


def _voa_stories() -> dict[str, dict[str, str]]:
    with (SHARED / "voa_stories.jsonl").open(encoding="utf-8") as handle:
        return {str(s["id"]): s for s in map(json.loads, handle)}


def score_voa(tally: Tally) -> None:
    stories = _voa_stories()
    labels = yaml.safe_load(VOA_GOLD.read_text(encoding="utf-8"))["stories"]
    for label in labels:
        story = stories[str(label["id"])]
        report = Report(
            text=story["text"],
            title=story["title"],
            published=date.fromisoformat(story["published"][:10]),
            source="Voice of America",
        )
        event = main_event(extract_report(report))
        row = str(label["id"])
        if label.get("no_event"):
            tally.add(
                "voa_no_event_kept_empty",
                event is None,
                row,
                "no event",
                f"{event.event_type}: {_name(event.actor1)}" if event else "",
            )
            continue
        for slot in ("1", "2"):
            gold = [label[f"actor{slot}"], *label.get(f"also{slot}", [])]
            actor = getattr(event, f"actor{slot}") if event else None
            tally.add(f"voa_actor{slot}", _same(gold, actor), row, gold[0], _name(actor))


def _sample(rows: list[dict[str, str]], n: int) -> list[dict[str, str]]:
    ordered = sorted(rows, key=lambda r: hashlib.sha1(r["id"].encode()).hexdigest())
    return ordered[:n]


def _named_country(actor: Actor) -> str | None:
    match = _NAMED_COUNTRY.search(actor.name)
    if match is None:
        return None
    named = match.group("of") or match.group("paren")
    return None if named and named[0].isdigit() else named


def _maverick_records(n: int) -> Iterator[tuple[dict[str, str], str]]:
    with (SHARED / "maverick_kenya.csv").open(encoding="utf-8") as handle:
        rows = [r for r in csv.DictReader(handle) if r["actor1_type"] in MAVERICK_INTER]
    for row in _sample(rows, n):
        match = _HEADLINE.match(row["source"])
        if match:
            yield row, match.group("headline")


def score_maverick(tally: Tally, n: int) -> None:
    for row, headline in _maverick_records(n):
        report = Report(text=headline, published=date.fromisoformat(row["date_start"]))
        event = main_event(extract_report(report))
        actors = [a for a in (event.actor1, event.actor2) if a] if event else []
        got = "; ".join(f"{a.name} [{a.inter}]" for a in actors)
        for slot in ("1", "2"):
            kind = row[f"actor{slot}_type"]
            if kind in MAVERICK_INTER:
                hit = any(a.inter in MAVERICK_INTER[kind] for a in actors)
                gold = f"{row[f'actor{slot}']} [{kind}]"
                tally.add("maverick_actor_found", hit, row["event_id"], gold, got)
        for actor in actors:
            if (named := _named_country(actor)) is not None:
                tally.add(
                    "maverick_country_right", named == "Kenya", row["event_id"], "Kenya", actor.name
                )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", default="acled,voa,maverick")
    parser.add_argument("--maverick", type=int, default=200, help="MAVERICK records to score")
    parser.add_argument("--misses", type=Path, help="write every miss here (JSON Lines)")
    args = parser.parse_args()
    wanted = set(args.only.split(","))
    if wanted & {"voa", "maverick"} and not SHARED.exists():
        sys.exit(f"{SHARED} is missing: run with --only acled, or next to the shared data")
    tally = Tally()
    if "acled" in wanted:
        score_acled(tally)
    if "voa" in wanted:
        score_voa(tally)
    if "maverick" in wanted:
        score_maverick(tally, args.maverick)
    for metric, value in tally.summary().items():
        print(f"{metric:28} {value}")
    if args.misses:
        with args.misses.open("w", encoding="utf-8") as out:
            for miss in tally.misses:
                out.write(json.dumps(miss, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
