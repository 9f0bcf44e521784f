"""Which FA-KES dev articles sitrep links into one incident (not a test; a measurement).

    .venv/bin/python bench/fakes_incidents.py [--data ../shared/data/fakes_dev.csv] [--out F.jsonl]

Codes every article with the pipeline, links all their events with the shipped scorer, and
prints each incident told by more than one article: its date, place, type, toll, flags,
and the articles (unit ids) with the toll each gives. `--out` writes the incidents as JSON
Lines (evidence included) for reading them side by side.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from sitrep.evaluate import read_fakes
from sitrep.link import LinkView, build_incident, cluster, groups
from sitrep.models import Event
from sitrep.pipeline import extract_report

ROOT = Path(__file__).resolve().parents[1]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared/data/fakes_dev.csv")
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    golds, _ = read_fakes(args.data)
    events: dict[str, Event] = {}
    unit_of: dict[str, str] = {}
    for gold in golds:
        if gold.report.report_id in unit_of:
            continue  # a repeated article is coded once
        unit_of[gold.report.report_id] = gold.row_id
        for event in extract_report(gold.report):
            events[event.event_id] = event
    incident_of = cluster(LinkView.of(e) for e in events.values())
    incidents = [
        build_incident(incident_id, [events[e] for e in members])
        for incident_id, members in groups(incident_of).items()
        if len({events[e].report_id for e in members}) > 1
    ]
    print(
        f"{len(unit_of)} articles, {len(events)} events, {len(set(incident_of.values()))} "
        f"incidents; {len(incidents)} told by more than one article"
    )
    for incident in sorted(incidents, key=lambda i: str(i.event.event_date)):
        merged = incident.event
        place = merged.place.location if merged.place else "?"
        tolls = ", ".join(f"{unit_of[e.report_id]}: {e.fatalities}" for e in incident.events)
        print(
            f"{merged.event_date} {place} {merged.sub_event_type}; toll {merged.fatalities} "
            f"[{tolls}] corroboration {incident.corroboration} flags {incident.flags}"
        )
    if args.out:
        with args.out.open("w", encoding="utf-8") as out:
            for incident in incidents:
                out.write(incident.model_dump_json() + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
