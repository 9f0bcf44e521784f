"""What the readers yield besides Reports, and the options they read with."""

from __future__ import annotations

import os
from datetime import date as Date
from typing import Literal

from pydantic import BaseModel, Field, field_validator

from sitrep.errors import InputError
from sitrep.ingest._decode import printable

#: Largest document read by default (bytes of text): larger ones are refused, not truncated.
DEFAULT_MAX_BYTES = 5_000_000
MAX_BYTES_ENV = "SITREP_MAX_BYTES"


def max_bytes_from_env() -> int:
    """The size limit from SITREP_MAX_BYTES, else the default."""
    raw = os.environ.get(MAX_BYTES_ENV)
    if raw is None or not raw.strip():
        return DEFAULT_MAX_BYTES
    try:
        value = int(raw.replace("_", ""))
    except ValueError:
        value = 0
    if value <= 0:
        raise InputError(f"{MAX_BYTES_ENV}={raw!r} is not a positive number of bytes")
    return value


class IngestIssue(BaseModel):
    """Something about the input a person should see.

    kind "failed": a document (or a whole file) could not be read, with the reason;
    "skipped": a file in a folder that is not a report format; "warning": the document
    was read but something in it was set aside (an unreadable date).
    """

    origin: str
    reason: str
    kind: Literal["failed", "skipped", "warning"] = "failed"

    @field_validator("origin", "reason")
    @classmethod
    def _printable(cls, value: str) -> str:
        # A file name may hold a newline, a bidi override or undecodable bytes.
        return printable(value)

    def __str__(self) -> str:
        return f"{self.origin}: {self.reason}"


class IngestOptions(BaseModel):
    """How to read the inputs.

    `date` and `source` apply to documents that do not carry their own. The `*_column`
    names pick CSV columns or JSON keys; text must be present, the others are used when
    present ("date", "title", "source", "url", "language" by default) and, when named
    explicitly, must exist.
    """

    date: Date | None = None
    source: str | None = None
    text_column: str = "text"
    date_column: str | None = None
    title_column: str | None = None
    source_column: str | None = None
    url_column: str | None = None
    #: The language of every document, instead of the detected one ("en" re-codes a report
    #: that detection took for another language).
    language: str | None = Field(default=None, min_length=2, max_length=16)
    #: The CSV separator; None sniffs it from the header row (comma, semicolon, tab, bar).
    delimiter: str | None = Field(default=None, min_length=1, max_length=1)
    max_bytes: int = Field(default_factory=max_bytes_from_env, gt=0)
