"""Readers: files, folders and stdin in; Reports (or IngestIssues) out, one document at a time.

Whole-document formats (.txt, .html, a .json file, stdin) are refused above `max_bytes`
before they are read. CSV and JSON Lines files are streamed, so they may be any size;
each of their documents is held to the same limit.
"""

from __future__ import annotations

import csv
import json
import os
import re
import sys
from collections.abc import Callable, Iterable, Iterator, Mapping
from datetime import date
from pathlib import Path
from typing import Any, BinaryIO, TextIO

from sitrep.errors import InputError, ParseError
from sitrep.ingest._dates import parse_report_date
from sitrep.ingest._decode import (
    check_is_text,
    clean_text,
    decode_text,
    detect_encoding,
    one_line,
    printable,
)
from sitrep.ingest._language import detect_language
from sitrep.ingest._records import MAX_BYTES_ENV, IngestIssue, IngestOptions
from sitrep.models import Report
from sitrep.store import REPORT_FIELD_LIMITS

Item = Report | IngestIssue
STDIN = "-"
_STDIN_ORIGIN = "<stdin>"

#: Fields read from JSON objects and CSV rows besides the text, with their option name.
_FIELD_OPTIONS = {
    "date": "date_column",
    "title": "title_column",
    "source": "source_column",
    "url": "url_column",
}
_ENCODING_SAMPLE_BYTES = 65536
#: A page has an article when at least one block of its main text is a sentence this long;
#: otherwise trafilatura's fallbacks have only found menus and link lists.
_MIN_ARTICLE_BLOCK_WORDS = 8
#: Separators a CSV file's header row is sniffed for when --delimiter is not given.
CSV_DELIMITERS = ",;\t|"
_TOO_DEEP = "nested too deeply to read (a JSON or HTML structure hundreds of levels deep)"


def read_paths(
    paths: Iterable[str | Path],
    options: IngestOptions | None = None,
    *,
    stdin: BinaryIO | None = None,
    on_file_done: Callable[[str], None] | None = None,
) -> Iterator[Item]:
    """Every document of every path (files, folders recursively, "-" for stdin), in order."""
    options = options or IngestOptions()
    for target in find_inputs(paths):
        if isinstance(target, IngestIssue):
            yield target
            continue
        yield from read_input(target, options, stdin=stdin)
        if on_file_done is not None:
            on_file_done(str(target))


def find_inputs(paths: Iterable[str | Path]) -> Iterator[Path | str | IngestIssue]:
    """Expand folders (recursively, sorted); list what is missing or not a report format."""
    for raw in paths:
        if str(raw) == STDIN:
            yield STDIN
            continue
        path = Path(raw)
        if path.is_dir():
            yield from _folder_inputs(path)
        elif path.is_file():
            yield path
        else:
            yield IngestIssue(origin=str(path), reason="no such file or folder")


def _folder_inputs(folder: Path) -> Iterator[Path | IngestIssue]:
    """A folder's files, recursively and sorted; what cannot be listed or read is named.

    Links to folders are not followed (a link loop cannot make the walk endless)."""
    unreadable: list[IngestIssue] = []

    def note_unreadable(error: OSError) -> None:
        unreadable.append(
            IngestIssue(
                origin=str(error.filename or folder),
                reason=f"cannot list this folder ({error.strerror or error}); its files were "
                "not read: fix its permissions and run again",
            )
        )

    children: list[Path] = []
    for parent, _folders, names in os.walk(folder, onerror=note_unreadable):
        children.extend(Path(parent) / name for name in names)
    yield from unreadable
    for child in sorted(children):
        if not child.is_file():
            kind = "a broken link" if child.is_symlink() else "not a regular file"
            yield IngestIssue(origin=str(child), kind="skipped", reason=f"{kind}, not read")
        elif child.suffix.lower() in READERS:
            yield child
        else:
            yield IngestIssue(
                origin=str(child),
                kind="skipped",
                reason=f"not a report format ({child.suffix or 'no extension'}); "
                f"sitrep reads {', '.join(READERS)}",
            )


def read_input(
    target: Path | str, options: IngestOptions, *, stdin: BinaryIO | None = None
) -> Iterator[Item]:
    """The documents of one file (or of stdin for "-").

    A file named explicitly with another extension is read as plain text.
    """
    if target == STDIN:
        origin, documents = _STDIN_ORIGIN, _read_stdin(stdin or sys.stdin.buffer, options)
    else:
        path = Path(target)
        origin, documents = str(path), READERS.get(path.suffix.lower(), _read_txt)(path, options)
    yield from _isolated(documents, origin)


def _isolated(documents: Iterator[Item], origin: str) -> Iterator[Item]:
    """The documents, until one cannot be read: that becomes an issue, the batch goes on."""
    try:
        yield from documents
    except InputError as error:
        yield IngestIssue(origin=origin, reason=_without_origin(str(error), origin))
    except OSError as error:
        yield IngestIssue(origin=origin, reason=f"cannot read: {error.strerror or error}")
    except RecursionError:
        yield IngestIssue(origin=origin, reason=_TOO_DEEP)
    except Exception as error:  # noqa: BLE001 - a reader's bug costs one document, not the batch
        yield IngestIssue(origin=origin, reason=f"cannot read: {one_line(error)}")


# Whole-document formats ---------------------------------------------------------------


def _read_txt(path: Path, options: IngestOptions) -> Iterator[Item]:
    text = decode_text(_read_bytes(path, options), str(path))
    yield from _reports(text, str(path), options, {})


def _read_html(path: Path, options: IngestOptions) -> Iterator[Item]:
    origin = str(path)
    html = decode_text(_read_bytes(path, options), origin)
    yield from _html_reports(html, origin, options)


def _read_stdin(stream: BinaryIO, options: IngestOptions) -> Iterator[Item]:
    origin = _STDIN_ORIGIN
    data = stream.read(options.max_bytes + 1)
    if len(data) > options.max_bytes:
        raise InputError(_too_large(origin, None, options.max_bytes))
    text = decode_text(data, origin)
    if re.match(r"\s*<(!doctype\s+html|html)[\s>]", text[:1000], re.IGNORECASE):
        yield from _html_reports(text, origin, options)
    else:
        yield from _reports(text, origin, options, {})


def _html_reports(html: str, origin: str, options: IngestOptions) -> Iterator[Item]:
    import trafilatura  # slow to import: only for HTML

    # Only dates the page states in its markup: the extensive search guesses from
    # copyright lines and links, and a wrong report date misdates every "yesterday".
    document = trafilatura.bare_extraction(
        html,
        with_metadata=True,
        include_comments=False,
        date_extraction_params={"extensive_search": False, "original_date": True},
    )
    blocks = [line.strip() for line in (getattr(document, "text", None) or "").splitlines()]
    blocks = [block for block in blocks if block]
    if not any(len(block.split()) >= _MIN_ARTICLE_BLOCK_WORDS for block in blocks):
        yield IngestIssue(
            origin=origin,
            reason="no article text found in the HTML (only navigation, scripts or markup)",
        )
        return
    # trafilatura gives one line per block: blank lines keep paragraphs apart, as in .txt.
    text = "\n\n".join(blocks)
    metadata = {
        "title": getattr(document, "title", None),
        "date": getattr(document, "date", None),
        "url": getattr(document, "url", None),
        "source": getattr(document, "sitename", None),
    }
    yield from _reports(text, origin, options, metadata)


def _read_json(path: Path, options: IngestOptions) -> Iterator[Item]:
    origin = str(path)
    one_per_line = "; or write the reports one per line as .jsonl, which is read line by line"
    text = decode_text(_read_bytes(path, options, hint=one_per_line), origin)
    data = _parse_json(text, origin)
    if isinstance(data, dict):
        yield from _object_reports(data, origin, options)
    elif isinstance(data, list):
        if not data:
            raise InputError(f"{origin}: an empty JSON list, there is no report to read")
        for number, item in enumerate(data, start=1):
            yield from _object_reports(item, f"{origin}#item={number}", options)
    else:
        raise InputError(f"{origin}: expected a JSON object or a list of objects")


def _parse_json(text: str, origin: str, *, one_line_only: bool = False) -> Any:
    """The JSON value of `text`, or InputError saying why it cannot be read."""
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        where = "" if one_line_only else f" at line {error.lineno}"
        raise InputError(f"{origin}: not valid JSON ({error.msg}{where})") from None
    except RecursionError:
        raise InputError(f"{origin}: {_TOO_DEEP}") from None
    except ValueError as error:  # e.g. an integer of thousands of digits
        raise InputError(f"{origin}: not readable JSON ({one_line(error)})") from None


# Streamed formats ---------------------------------------------------------------------


def _read_jsonl(path: Path, options: IngestOptions) -> Iterator[Item]:
    documents = 0
    with _open_text(path) as lines:
        for number, line in enumerate(lines, start=1):
            origin = f"{path}#line={number}"
            if not line.strip():
                continue  # blank lines separate nothing in JSON Lines
            documents += 1
            if len(line) > options.max_bytes:
                yield IngestIssue(origin=origin, reason=_too_large("", None, options.max_bytes))
                continue
            try:
                data = _parse_json(line, origin, one_line_only=True)
            except InputError as error:
                yield IngestIssue(origin=origin, reason=_without_origin(str(error), origin))
                continue
            yield from _isolated(_object_reports(data, origin, options), origin)
    if not documents:
        raise InputError(f"{path}: only blank lines, there is no report to read")


def _read_csv(path: Path, options: IngestOptions) -> Iterator[Item]:
    # The csv module refuses fields over its limit (128 KiB): allow a whole document.
    csv.field_size_limit(max(csv.field_size_limit(), options.max_bytes + 1))
    with _open_text(path) as stream:
        header = stream.readline()
        stream.seek(0)
        delimiter = options.delimiter or _sniff_delimiter(header)
        rows = csv.DictReader(stream, delimiter=delimiter)
        columns = [name for name in (rows.fieldnames or []) if name]
        _check_columns(columns, str(path), options, delimiter)
        number = 1  # the header is row 1, as a spreadsheet numbers it
        while True:
            number += 1
            origin = f"{path}#row={number}"
            try:
                row = next(rows)
            except StopIteration:
                break
            except csv.Error as error:
                yield IngestIssue(origin=origin, reason=f"unreadable CSV row ({error})")
                continue
            yield from _isolated(_object_reports(row, origin, options), origin)
    if number == 2:
        raise InputError(f"{path}: a header row and no report rows, there is nothing to read")


def _sniff_delimiter(header: str) -> str:
    """The delimiter of a CSV file, judged on its header row; a comma when unclear."""
    try:
        return csv.Sniffer().sniff(header, delimiters=CSV_DELIMITERS).delimiter
    except csv.Error:
        return ","


def _check_columns(columns: list[str], origin: str, options: IngestOptions, delimiter: str) -> None:
    if not columns:
        raise InputError(f"{origin}: no header row; the first row must name the columns")
    wanted = [("--text-column", options.text_column)] + [
        (f"--{option.replace('_', '-')}", getattr(options, option))
        for option in _FIELD_OPTIONS.values()
        if getattr(options, option) is not None
    ]
    for flag, column in wanted:
        if column not in columns:
            # One column found: the file is more likely separated by another character.
            separator = (
                f"; or, if {delimiter!r} is not its separator, give it with --delimiter"
                if len(columns) == 1
                else ""
            )
            raise InputError(
                f"{origin}: no column {column!r} (columns: {', '.join(columns)}); "
                f"name the right one with {flag}{separator}"
            )


def _open_text(path: Path) -> TextIO:
    with path.open("rb") as raw:
        sample = raw.read(_ENCODING_SAMPLE_BYTES)
    encoding = detect_encoding(sample, str(path), complete=len(sample) < _ENCODING_SAMPLE_BYTES)
    check_is_text(sample.decode(encoding, errors="replace"), str(path))
    return path.open(encoding=encoding, errors="replace", newline="")


# From raw fields to Reports -----------------------------------------------------------


def _object_reports(data: Any, origin: str, options: IngestOptions) -> Iterator[Item]:
    if not isinstance(data, Mapping):
        yield IngestIssue(origin=origin, reason="expected a JSON object with a text field")
        return
    text = data.get(options.text_column)
    if not isinstance(text, str):
        keys = ", ".join(str(key) for key in data) or "none"
        yield IngestIssue(
            origin=origin,
            reason=f"no text in field {options.text_column!r} (fields: {keys}); "
            "name the right one with --text-column",
        )
        return
    metadata = {
        field: data.get(getattr(options, option) or field)
        for field, option in _FIELD_OPTIONS.items()
    }
    metadata["language"] = data.get("language")
    yield from _reports(text, origin, options, metadata)


def _report_date(value: str, source: str | None, url: str | None) -> tuple[date, bool]:
    """A metadata date, numeric ones read by the source's convention (day first unless it is
    US-style, as event dates are), and whether its numbers could be read either way."""
    from sitrep.events.dates import date_order, is_ambiguous_numeric  # only for such dates

    if not is_ambiguous_numeric(value):
        return parse_report_date(value), False
    return parse_report_date(value, date_order(source, url)), True


def _reports(
    text: str, origin: str, options: IngestOptions, metadata: Mapping[str, Any]
) -> Iterator[Item]:
    """The Report for one document's text, after any warning about its metadata."""
    text = clean_text(text.replace("\r\n", "\n").replace("\r", "\n")).strip()
    if not text:
        yield IngestIssue(origin=origin, reason="empty document, there is no text to read")
        return
    if not any(char.isalnum() for char in text):
        yield IngestIssue(origin=origin, reason="no words in the document, nothing to code")
        return
    size = len(text.encode("utf-8"))
    if size > options.max_bytes:
        yield IngestIssue(origin=origin, reason=_too_large("", size, options.max_bytes))
        return
    published = options.date
    raw_date = _text_or_none(metadata.get("date"))
    source = _text_or_none(metadata.get("source")) or options.source
    url = _text_or_none(metadata.get("url"))
    if raw_date is not None:
        try:
            published, ambiguous = _report_date(raw_date, source, url)
            if ambiguous:
                yield IngestIssue(
                    origin=origin,
                    kind="warning",
                    reason=f"date {raw_date!r} is ambiguous, read as {published.isoformat()} "
                    "(the source's convention); give an ISO date (YYYY-MM-DD) to be sure",
                )
        except ParseError as error:
            yield IngestIssue(
                origin=origin,
                kind="warning",
                reason=f"{error}; stored without a report date, its events are flagged undated",
            )
            published = None
    language = metadata.get("language")
    fields = {"source": source, "url": url, "title": _text_or_none(metadata.get("title"))}
    for field, value in fields.items():
        limit = REPORT_FIELD_LIMITS[field]
        if value is not None and len(value) > limit:
            fields[field] = value[:limit]
            yield IngestIssue(
                origin=origin,
                kind="warning",
                reason=f"{field} of {len(value):,} characters cut to the {limit:,} the "
                "database holds",
            )
    yield Report(
        text=text,
        published=published,
        language=options.language or _text_or_none(language) or detect_language(text),
        origin=printable(origin)[: REPORT_FIELD_LIMITS["origin"]],
        **fields,
    )


def _read_bytes(path: Path, options: IngestOptions, *, hint: str = "") -> bytes:
    """A whole file's bytes, refused before reading when over the size limit."""
    size = path.stat().st_size
    if size > options.max_bytes:
        raise InputError(_too_large(str(path), size, options.max_bytes) + hint)
    return path.read_bytes()


def _too_large(origin: str, size: int | None, limit: int) -> str:
    measured = f"{size / 1e6:.1f} MB; " if size is not None else ""
    prefix = f"{origin}: " if origin else ""
    return (
        f"{prefix}too large ({measured}the limit is {limit / 1e6:g} MB per document); "
        f"raise it with --max-bytes or {MAX_BYTES_ENV}"
    )


def _text_or_none(value: Any) -> str | None:
    if value is None:
        return None
    text = clean_text(str(value)).strip()
    return text or None


def _without_origin(message: str, origin: str) -> str:
    return message.removeprefix(f"{origin}: ")


READERS: dict[str, Callable[[Path, IngestOptions], Iterator[Item]]] = {
    ".txt": _read_txt,
    ".html": _read_html,
    ".htm": _read_html,
    ".json": _read_json,
    ".jsonl": _read_jsonl,
    ".csv": _read_csv,
}
