"""No tracked file repeats third-party text of the dev data word for word.

The dev articles, stories and headlines in ../shared/data are read by tests at run time and
never copied into the project (data/README.md). A run of 8 words shared with them is taken
as a copy: shorter runs are common phrases ("were killed in an air strike on the"), longer
ones let a copied sentence through by changing one word in eight.
"""

from __future__ import annotations

import csv
import json
import re
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED_DATA = ROOT.parent / "shared" / "data"
RUN = 8
WORD = re.compile(r"[\w']+")
#: Columns of the CSV files that hold third-party prose (the rest are codes and figures).
PROSE_COLUMN = re.compile(r"content|title|headline|^source$")


def word_runs(text: str) -> set[str]:
    words = [word.lower() for word in WORD.findall(text)]
    return {" ".join(words[i : i + RUN]) for i in range(len(words) - RUN + 1)}


def _data_texts(root: Path) -> Iterator[str]:
    csv.field_size_limit(10**8)
    for path in sorted(root.iterdir()):
        if path.suffix == ".txt":
            yield path.read_text(encoding="utf-8", errors="replace")
        elif path.suffix == ".jsonl":
            for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
                try:
                    record = json.loads(line)
                except ValueError:
                    continue
                yield f"{record.get('title', '')} {record.get('text', '')}"
        elif path.suffix == ".csv":
            with path.open(encoding="utf-8", errors="replace", newline="") as handle:
                for row in csv.DictReader(handle):
                    yield " ".join(v for k, v in row.items() if k and v and PROSE_COLUMN.search(k))


def _tracked_text_files() -> list[Path]:
    listed = subprocess.run(
        ["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, text=True, check=False
    )
    if listed.returncode != 0:
        pytest.skip("not a git checkout: the tracked files cannot be listed")
    paths = [ROOT / name for name in listed.stdout.split("\0") if name]
    return [path for path in paths if path.is_file() and not path.name.endswith(".lock")]


def test_word_runs_are_eight_words_case_blind():
    assert word_runs("One two three four five six seven") == set()
    assert word_runs("One two three four five six seven EIGHT nine") == {
        "one two three four five six seven eight",
        "two three four five six seven eight nine",
    }


def _copied_lines(text: str, known: set[str]) -> list[int]:
    """The lines (1-based) where a run of `RUN` words shared with `known` starts; runs may
    cross line breaks, as a quote wrapped in a docstring or a paragraph does."""
    words = [
        (match.group().lower(), text.count("\n", 0, match.start())) for match in WORD.finditer(text)
    ]
    lines = []
    for i in range(len(words) - RUN + 1):
        if " ".join(word for word, _ in words[i : i + RUN]) in known:
            lines.append(words[i][1] + 1)
    return sorted(set(lines))


def _gold_labels(root: Path) -> set[str]:
    """The FA-KES class names: a taxonomy (facts), which the scorer must spell as the gold."""
    with (root / "fakes_dev.csv").open(encoding="utf-8", newline="") as handle:
        return {
            row[column] for row in csv.DictReader(handle) for column in ("actor", "cause_of_death")
        }


def test_no_tracked_file_shares_an_eight_word_run_with_the_dev_data():
    if not SHARED_DATA.is_dir():
        pytest.skip(f"the dev data is not here ({SHARED_DATA}); it lives in ../shared/data")
    known: set[str] = set()
    for text in _data_texts(SHARED_DATA):
        known |= word_runs(text)
    for label in _gold_labels(SHARED_DATA):
        known -= word_runs(label)
    hits = []
    for path in _tracked_text_files():
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            continue  # binary files (images, fonts) hold no prose
        lines = text.splitlines()
        for number in _copied_lines(text, known):
            hits.append(f"{path.relative_to(ROOT)}:{number}: {lines[number - 1].strip()[:100]}")
    assert not hits, (
        "these lines repeat the dev data word for word; describe the case in our own words "
        "(tests read the texts from ../shared at run time):\n" + "\n".join(hits)
    )
