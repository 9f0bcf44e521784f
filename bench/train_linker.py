"""Learn the linker's pair scorer on MAVERICK Kenya and write src/sitrep/link/scorer.yaml.

    .venv/bin/python bench/train_linker.py [--data ../shared/data/maverick_kenya.csv] [--check]

First cross-validates by election (each election's reports linked by a scorer whose weights,
linkage and threshold were learned on the other elections only) and prints the held-out
figures; then learns on every record and writes the shipped scorer with those figures.
Deterministic: the same data gives the same file (`--check` fails when it would differ).
"""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path

import yaml

from sitrep.evaluate._linking import linking_metrics
from sitrep.evaluate._maverick import read_maverick
from sitrep.link import LinkView
from sitrep.link._train import cross_validate, fit_scorer

ROOT = Path(__file__).resolve().parents[1]
SCORER = ROOT / "src" / "sitrep" / "link" / "scorer.yaml"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared/data/maverick_kenya.csv")
    parser.add_argument("--check", action="store_true", help="fail if scorer.yaml would change")
    args = parser.parse_args()
    records, skipped = read_maverick(args.data)
    for problem in skipped:
        print(f"skipped: {problem}", file=sys.stderr)
    views = [LinkView.of(r.event) for r in records]
    gold = {r.event.event_id: r.incident_id for r in records}
    election = {r.event.event_id: r.election for r in records}
    deaths = {r.event.event_id: r.event.fatalities for r in records}
    predicted, scorers = cross_validate(views, gold, election)
    held_out = {k: round(v, 3) for k, v in linking_metrics(gold, predicted, deaths).items()}
    print("cross-validated by election:", held_out)
    for name, scorer in scorers.items():
        print(f"  {name}: linkage {scorer.linkage}, threshold {scorer.threshold}")
    scorer = fit_scorer(views, gold)
    document = {
        "how": (
            "bench/train_linker.py: logistic regression (scikit-learn, C=1) on the blocked "
            "pairs of MAVERICK Kenya (report-level records, gold incident ids, CC BY 4.0); "
            "linkage and threshold chosen by the B-cubed F1 of clustering the same records. "
            "Rerun the script to reproduce this file."
        ),
        "data": f"{args.data.name}: {len(records)} records, {len(set(gold.values()))} incidents",
        "cross_validated_by_election": held_out,
        "model": scorer.model_dump(),
    }
    text = yaml.safe_dump(document, sort_keys=False, width=100)
    if args.check:
        same = SCORER.exists() and SCORER.read_text(encoding="utf-8") == text
        print("scorer.yaml is up to date" if same else "scorer.yaml differs from a fresh training")
        return 0 if same else 1
    SCORER.write_text(text, encoding="utf-8")
    print(f"wrote {SCORER.relative_to(ROOT)} ({date.today()})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
