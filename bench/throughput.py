"""Throughput of sitrep against bare spaCy: the same model, the same texts, one process.

    .venv/bin/python bench/throughput.py [--reports 300]

The corpus is the project's example reports, the notes of its ACLED test fixture and, when
the shared dev data sits next to the repository, the FA-KES dev articles. When these give
fewer reports than asked, the corpus is cycled with a "(copy N)" line added to each text,
so every report is distinct (nothing can be answered from a cache) and the words are real.

Four sides, after a warm-up that loads the model and sitrep's lexicons and gazetteer and
starts the parse process: bare spaCy one document at a time (`nlp(text)`);
`sitrep.extract(text)` one document at a time; and the batch runner end to end (`run_batch`
into a SQLite file: each window of reports parsed together, coded while the one before it
is stored), once as it runs by default (the next window parsed in a second process, on a
machine of two cores or more) and once all in one process. They take turns on chunks of
reports so that a change of load on a shared machine hits all alike. Targets:
sitrep.extract at 0.6x the words per second of bare spaCy or better, the batch at 0.9x.
Not a test: timings vary by machine.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import NamedTuple

import sitrep
from sitrep.engine import Engine, default_engine
from sitrep.ingest import parse_report_date, run_batch
from sitrep.models import Report
from sitrep.nlp import load_model
from sitrep.pipeline import PipelineExtractor
from sitrep.store import Store

ROOT = Path(__file__).resolve().parents[1]
FAKES = ROOT.parent / "shared" / "data" / "fakes_dev.csv"
ACLED_FIXTURE = ROOT / "tests" / "evaluate" / "fixtures" / "acled_sample.csv"


class Text(NamedTuple):
    text: str
    date: str | None


def example_reports() -> list[Text]:
    reports = sorted((ROOT / "examples" / "reports").glob("*.json"))
    loaded = [json.loads(path.read_text("utf-8")) for path in reports]
    return [Text(report["text"], report["date"]) for report in loaded]


def acled_notes() -> list[Text]:
    with ACLED_FIXTURE.open(encoding="utf-8") as handle:
        return [Text(row["notes"], row["event_date"]) for row in csv.DictReader(handle)]


def fakes_articles() -> list[Text]:
    with FAKES.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    # The report date is not needed for speed; FA-KES writes it M/D/YY.
    return [Text(f"{row['article_title']}\n\n{row['article_content']}", None) for row in rows]


def corpus(size: int) -> tuple[list[Text], str]:
    """At least `size` distinct reports, and a line saying what they are."""
    parts = {"example reports": example_reports(), "ACLED fixture notes": acled_notes()}
    if FAKES.exists():
        parts["FA-KES dev articles"] = fakes_articles()
    base = [text for texts in parts.values() for text in texts]
    texts = list(base)
    copy = 1
    while len(texts) < size:
        copy += 1
        copies = [Text(f"(copy {copy})\n{item.text}", item.date) for item in base]
        texts += copies[: size - len(texts)]
    described = ", ".join(f"{len(items)} {name}" for name, items in parts.items())
    if copy > 1:
        described += f"; {len(texts) - len(base)} of them again with a '(copy N)' line"
    if not FAKES.exists():
        described += f"; {FAKES} absent"
    return texts, described


def as_report(text: Text) -> Report:
    published: date | None = parse_report_date(text.date) if text.date else None
    return Report(text=text.text, published=published)


def compare(
    runs: dict[str, Callable[[Sequence[Text]], object]], texts: Sequence[Text], chunk: int = 64
) -> dict[str, float]:
    """Seconds each run spends on the whole corpus, measured chunk by chunk in turn.

    The machine is shared: taking turns on chunks (first one side, then the others, in an
    order that rotates) spreads any change of load evenly over all sides.
    """
    seconds = dict.fromkeys(runs, 0.0)
    names = list(runs)
    for index in range(0, len(texts), chunk):
        items = texts[index : index + chunk]
        turn = (index // chunk) % len(names)
        for name in names[turn:] + names[:turn]:
            start = time.perf_counter()
            runs[name](items)
            seconds[name] += time.perf_counter() - start
    return seconds


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--reports", type=int, default=300, help="corpus size (default 300)")
    args = parser.parse_args()

    texts, described = corpus(args.reports)
    nlp = load_model()
    try:
        sitrep.extract(texts[0].text, date=texts[0].date)  # warm-up: lexicons, gazetteer
    except NotImplementedError as error:
        print(f"sitrep's pipeline is not implemented yet ({error}); nothing to compare")
        return 1
    engine = default_engine()
    started = time.perf_counter()
    parse_process = engine.start_parse_process(wait=True)
    start_seconds = time.perf_counter() - started
    # The same models and gazetteer; an engine handed its pipeline parses in its own process.
    in_one_process = PipelineExtractor(
        Engine(nlp=engine.nlp, geocoder=engine.geocoder, dictionary=engine.dictionary)
    )

    with tempfile.TemporaryDirectory() as folder:
        # One database each: a report one batch stored, the other would find and skip.
        store = Store(f"sqlite:///{Path(folder) / 'throughput.db'}")
        second_store = Store(f"sqlite:///{Path(folder) / 'one-process.db'}")
        seconds = compare(
            {
                "spacy": lambda items: [nlp(item.text) for item in items],
                "extract": lambda items: [
                    sitrep.extract(item.text, date=item.date) for item in items
                ],
                "batch": lambda items: run_batch([as_report(item) for item in items], store),
                "batch in one process": lambda items: run_batch(
                    [as_report(item) for item in items], second_store, extractor=in_one_process
                ),
            },
            texts,
        )
    words = sum(len(item.text.split()) for item in texts)
    speed = {name: words / spent for name, spent in seconds.items()}
    print(f"corpus: {len(texts)} reports, {words:,} words ({described})")
    print(f"bare spaCy ({nlp.meta['name']} {nlp.meta['version']}): {speed['spacy']:,.0f} words/s")
    print(f"sitrep.extract: {speed['extract']:,.0f} words/s")
    print(f"sitrep batch into SQLite: {speed['batch']:,.0f} words/s")
    if parse_process:
        print(f"  (its parse process started in {start_seconds:.1f} s, during the warm-up)")
    else:
        print("  (no parse process on this machine: the batch parses in its own process)")
    one_process = speed["batch in one process"]
    print(f"sitrep batch into SQLite, all in one process: {one_process:,.0f} words/s")
    print(
        f"ratio sitrep.extract / spaCy: {speed['extract'] / speed['spacy']:.2f}x (target 0.6x), "
        f"batch / spaCy: {speed['batch'] / speed['spacy']:.2f}x (target 0.9x), "
        f"batch in one process / spaCy: {one_process / speed['spacy']:.2f}x"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
