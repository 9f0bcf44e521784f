"""Benchmark the geocoder alone (not a test): cold start-up and resolutions per second.

    .venv/bin/python bench/geocoder.py [--reports N]

Start-up: a fresh interpreter imports sitrep.geo and loads the cached gazetteer (the cache
must exist: `sitrep gazetteer build`). Throughput: `find_places` over reports already
parsed by spaCy (FA-KES dev articles when ../shared is present, else the example reports),
counted in place mentions resolved per second, next to spaCy's own parsing time.
"""

from __future__ import annotations

import argparse
import csv
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
STARTUP = (
    "import time; t = time.perf_counter(); "
    "from sitrep.geo import GeoNamesGeocoder; u = time.perf_counter(); "
    "GeoNamesGeocoder().lookup('Homs'); v = time.perf_counter(); "
    "print(u - t, v - u)"
)


def cold_startup_seconds(runs: int = 3) -> tuple[float, float, float]:
    """Medians of `runs` fresh processes: (importing sitrep, loading the cached gazetteer,
    whole process wall time)."""
    imports, loads, wall = [], [], []
    for _ in range(runs):
        started = time.perf_counter()
        out = subprocess.run(
            [sys.executable, "-c", STARTUP], check=True, capture_output=True, text=True
        ).stdout
        wall.append(time.perf_counter() - started)
        imported, loaded = (float(v) for v in out.strip().splitlines()[-1].split())
        imports.append(imported)
        loads.append(loaded)
    return statistics.median(imports), statistics.median(loads), statistics.median(wall)


def corpus(limit: int) -> list[str]:
    fakes = ROOT.parent / "shared" / "data" / "fakes_dev.csv"
    if fakes.exists():
        with fakes.open(encoding="utf-8") as handle:
            rows = list(csv.DictReader(handle))
        return [f"{r['article_title']}\n\n{r['article_content']}" for r in rows][:limit]
    reports = sorted((ROOT / "examples" / "reports").glob("*.json"))
    return [json.loads(p.read_text(encoding="utf-8"))["text"] for p in reports][:limit]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, default=205)
    args = parser.parse_args()

    from sitrep.geo import GeoNamesGeocoder, find_places
    from sitrep.nlp import load_model

    imported, loaded, wall = cold_startup_seconds()
    print(
        f"cold start-up (cache present): gazetteer load {loaded:.3f} s; importing sitrep "
        f"(spaCy, pydantic) {imported:.3f} s; whole process {wall:.3f} s"
    )

    texts = corpus(args.reports)
    nlp = load_model()
    started = time.perf_counter()
    docs = list(nlp.pipe(texts))
    spacy_seconds = time.perf_counter() - started
    geocoder = GeoNamesGeocoder()
    find_places(docs[0], geocoder)  # warm the lazily loaded index and rule files

    started = time.perf_counter()
    mentions = sum(len(find_places(doc, geocoder)) for doc in docs)
    geo_seconds = time.perf_counter() - started
    words = sum(len(doc) for doc in docs)
    print(f"corpus: {len(docs)} reports, {words} tokens, {mentions} place mentions")
    print(
        f"find_places: {mentions / geo_seconds:,.0f} resolutions/s "
        f"({len(docs) / geo_seconds:,.0f} reports/s, {geo_seconds:.2f} s)"
    )
    print(
        f"spaCy parse of the same reports: {spacy_seconds:.2f} s; "
        f"geocoding adds {geo_seconds / spacy_seconds:.1%} of spaCy's time"
    )

    names = [m.span.text for doc in docs[:50] for m in find_places(doc, geocoder)]
    started = time.perf_counter()
    rounds = 20
    for _ in range(rounds):
        for name in names:
            geocoder.lookup(name)
    lookups = rounds * len(names) / (time.perf_counter() - started)
    print(f"gazetteer lookups by name: {lookups:,.0f}/s")


if __name__ == "__main__":
    main()
