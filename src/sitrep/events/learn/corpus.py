"""The annotated corpus: sentences as pointers into ../shared/data, and their labels.

No third-party sentence is stored in the project. A sentence is a `SentencePointer` (source,
document id, field, character offsets into that field); its text is read back from the
source files by `SourceData.text()`. Labels carry their spans as offsets relative to the
sentence.
"""

from __future__ import annotations

import csv
import json
import os
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Literal, TypeVar

from pydantic import BaseModel, ConfigDict, ValidationError

from sitrep.errors import CorpusError
from sitrep.models import EVENT_TYPES

Source = Literal["fakes", "voa", "ucdp", "maverick", "seed"]
Split = Literal["train", "blind"]
SPAN_FIELDS = ("trigger", "actor1", "actor2", "fatalities", "place", "date")

#: The committed corpus, next to this module.
CORPUS_DIR = Path(__file__).with_name("corpus")
POOL_FILE = CORPUS_DIR / "pool.jsonl"
LABELS_FILE = CORPUS_DIR / "labels.jsonl"

#: Where each source lives under the shared data folder, and the column naming a document.
SOURCE_FILES: dict[str, tuple[str, str]] = {
    "fakes": ("fakes_dev.csv", "unit_id"),
    "voa": ("voa_stories.jsonl", "id"),
    "ucdp": ("ucdp_syria_dev.csv", "id"),
    "maverick": ("maverick_kenya.csv", "id"),
    "seed": ("seed_report.txt", ""),
}
SEED_DOC_ID = "seed_report"
SEED_FIELD = "text"


class SentencePointer(BaseModel):
    """One sentence of the pool: where it is, never what it says."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    sid: str
    source: Source
    doc_id: str
    field: str
    start: int
    end: int
    split: Split


class Offsets(BaseModel):
    """A span of a label, as character offsets into the sentence text."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    start: int
    end: int


class SentenceLabel(BaseModel):
    """One annotator's reading of one sentence (span texts already turned into offsets)."""

    model_config = ConfigDict(extra="forbid")

    sid: str
    annotator: str
    event: bool
    event_type: str | None = None
    sub_event_type: str | None = None
    trigger: Offsets | None = None
    actor1: Offsets | None = None
    actor2: Offsets | None = None
    fatalities: Offsets | None = None
    place: Offsets | None = None
    date: Offsets | None = None
    note: str = ""
    #: Sentences the team wrote for rare sub-types: they may train, never evaluate.
    synthetic: bool = False
    #: Only for synthetic sentences, which are our own words and so may be stored.
    text: str | None = None


def sub_event_parent(sub_event_type: str) -> str | None:
    """ACLED's event type of a sub-event type, None if the name is not one of the 25."""
    for event_type, subs in EVENT_TYPES.items():
        if sub_event_type in subs:
            return event_type
    return None


def shared_data_dir() -> Path:
    """../shared/data beside the checkout, or $SITREP_SHARED_DATA."""
    configured = os.environ.get("SITREP_SHARED_DATA")
    if configured:
        return Path(configured)
    return Path(__file__).resolve().parents[4].parent / "shared" / "data"


class SourceData:
    """The shared data files, read once each, as {doc id: {field: text}} per source."""

    def __init__(self, root: Path | None = None) -> None:
        self.root = root if root is not None else shared_data_dir()
        self._documents: dict[str, dict[str, dict[str, str]]] = {}

    def documents(self, source: str) -> dict[str, dict[str, str]]:
        """Every document of a source in file order; a repeated id keeps its first row."""
        if source not in self._documents:
            self._documents[source] = self._read(source)
        return self._documents[source]

    def text(self, pointer: SentencePointer) -> str:
        """The sentence a pointer names, read from the source file."""
        try:
            field_text = self.documents(pointer.source)[pointer.doc_id][pointer.field]
        except KeyError:
            raise CorpusError(
                f"{pointer.sid}: {pointer.source} has no document {pointer.doc_id!r} with a "
                f"field {pointer.field!r}; is {self.root} the right shared data folder?"
            ) from None
        if pointer.end > len(field_text):
            raise CorpusError(
                f"{pointer.sid}: offsets {pointer.start}-{pointer.end} run past the field "
                f"({len(field_text)} characters); the shared data changed: rebuild the pool"
            )
        return field_text[pointer.start : pointer.end]

    def _read(self, source: str) -> dict[str, dict[str, str]]:
        if source not in SOURCE_FILES:
            raise CorpusError(f"unknown source {source!r}; use one of {sorted(SOURCE_FILES)}")
        file_name, id_column = SOURCE_FILES[source]
        path = self.root / file_name
        if not path.is_file():
            raise CorpusError(
                f"{path} not found: the corpus points into the shared data folder; "
                "set SITREP_SHARED_DATA to where fakes_dev.csv and the others are"
            )
        if source == "seed":
            return {SEED_DOC_ID: {SEED_FIELD: path.read_text(encoding="utf-8")}}
        if path.suffix == ".jsonl":
            rows: Iterable[dict[str, str]] = (
                json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line
            )
        else:
            # newline="" keeps the line breaks inside quoted fields as they are in the file,
            # so offsets stay valid on every platform.
            with path.open(encoding="utf-8", newline="") as handle:
                rows = list(csv.DictReader(handle))
        documents: dict[str, dict[str, str]] = {}
        for row in rows:
            documents.setdefault(str(row[id_column]), {k: str(v) for k, v in row.items()})
        return documents


Model = TypeVar("Model", bound=BaseModel)


def read_jsonl(path: Path, model: type[Model]) -> list[Model]:
    """Records of one model from a JSON Lines file; a bad line is an error naming it."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise CorpusError(f"{path}: {exc.strerror}; check the path") from exc
    records = []
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            records.append(model.model_validate_json(line))
        except ValidationError as exc:
            first = exc.errors()[0]
            raise CorpusError(
                f"{path}:{number}: {first['msg']} at {'.'.join(map(str, first['loc']))}; "
                "fix or remove the line"
            ) from None
    return records


def write_jsonl(path: Path, records: Iterable[BaseModel | dict[str, object]]) -> int:
    """Write records one per line (None fields left out of models); returns the count."""
    path.parent.mkdir(parents=True, exist_ok=True)
    count = 0
    with path.open("w", encoding="utf-8") as handle:
        for record in records:
            if isinstance(record, BaseModel):
                line = record.model_dump_json(exclude_none=True)
            else:
                line = json.dumps(record, ensure_ascii=False)
            handle.write(line + "\n")
            count += 1
    return count


def resolve(
    pointers: Iterable[SentencePointer], data: SourceData
) -> Iterator[tuple[SentencePointer, str]]:
    """Each pointer with its sentence text."""
    for pointer in pointers:
        yield pointer, data.text(pointer)
