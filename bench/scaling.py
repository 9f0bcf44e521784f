"""Does sitrep's cost grow linearly with a report's length? Time per 1,000 words at four
report sizes, against bare spaCy (the same model) on the same texts.

    .venv/bin/python bench/scaling.py [--sizes 1000 10000 100000 1000000]

Reports of each size are made of whole sentences of the FA-KES dev articles laid end to
end, read from ../shared/data at run time. Each size codes about the same number of words
in all (many 1 KB reports, one 1 MB report), sitrep and spaCy taking turns report by report
so a change of load on a shared machine hits both alike. The ratio sitrep / spaCy must not
grow with size. Not a test: timings vary by machine.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable

from throughput import FAKES, fakes_articles

import sitrep
from sitrep.nlp import load_model

#: Words coded per size, whatever the size: enough for a stable figure on small reports.
_WORDS_PER_SIZE = 30_000


def reports_of(size: int, sentences: list[str], count: int) -> list[str]:
    """`count` reports of about `size` bytes each, made of whole sentences in turn."""
    reports: list[str] = []
    position = 0
    while len(reports) < count:
        parts: list[str] = []
        length = 0
        while length < size:
            sentence = sentences[position % len(sentences)]
            position += 1
            parts.append(sentence)
            length += len(sentence.encode("utf-8")) + 1
        reports.append(" ".join(parts).strip())
    return reports


def seconds(run: Callable[[str], object], text: str) -> float:
    start = time.perf_counter()
    run(text)
    return time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000, 10_000, 100_000, 1_000_000])
    args = parser.parse_args()
    if not FAKES.exists():
        print(f"{FAKES} is absent: the benchmark needs the shared dev data")
        return 1
    sentences = [
        part.strip().rstrip(".") + "."
        for article in fakes_articles()
        for part in article.text.replace("\n", " ").split(". ")
        if part.strip()
    ]
    nlp = load_model()
    nlp.max_length = 2 * max(args.sizes)  # bare spaCy parses each report whole
    runs: dict[str, Callable[[str], object]] = {
        "spacy": nlp,
        "sitrep": lambda text: sitrep.extract(text, date="2017-01-01"),
    }
    runs["sitrep"](sentences[0])  # warm-up: lexicons, gazetteer
    print(
        f"{'size':>10} {'reports':>8} {'words':>9} {'spaCy s/1k words':>17} "
        f"{'sitrep s/1k words':>18} {'ratio':>6}"
    )
    for size in args.sizes:
        words_each = max(1, size // 6)  # about six bytes a word in English news
        count = max(1, _WORDS_PER_SIZE // words_each)
        reports = reports_of(size, sentences, count)
        spent = {"spacy": 0.0, "sitrep": 0.0}
        for number, report in enumerate(reports):
            for name in list(runs)[:: 1 if number % 2 == 0 else -1]:
                spent[name] += seconds(runs[name], report)
        words = sum(len(report.split()) for report in reports)
        per_spacy, per_sitrep = 1000 * spent["spacy"] / words, 1000 * spent["sitrep"] / words
        print(
            f"{size:>10,} {len(reports):>8} {words:>9,} {per_spacy:>17.3f} "
            f"{per_sitrep:>18.3f} {per_sitrep / per_spacy:>5.2f}x",
            flush=True,
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
