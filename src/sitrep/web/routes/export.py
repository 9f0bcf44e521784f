"""API: the filtered events in every format `sitrep export` writes (its own writers)."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import IO, Annotated, get_args

from fastapi import APIRouter, Query
from fastapi.responses import StreamingResponse

from sitrep.errors import InputError
from sitrep.export import ExportFormat, write_events, write_incidents
from sitrep.link.store import Incidents
from sitrep.web._units import UnitQuery
from sitrep.web.deps import FilterDep, StoreDep, ViewerDep

router = APIRouter(prefix="/api", tags=["export"])

EXPORT_FORMATS: tuple[str, ...] = get_args(ExportFormat)
_MEDIA_TYPES = {
    "acled": ("text/csv", "csv"),
    "csv": ("text/csv", "csv"),
    "json": ("application/json", "json"),
    "jsonl": ("application/x-ndjson", "jsonl"),
    "geojson": ("application/geo+json", "geojson"),
    "table": ("text/plain", "txt"),
}
#: Exports above this size are spooled to a temporary file instead of memory.
_SPOOL_BYTES = 8_000_000


@router.get("/export")
def export_events(
    _: ViewerDep,
    store: StoreDep,
    filters: FilterDep,
    format: Annotated[ExportFormat, Query(description="acled, csv, json, jsonl, geojson, table")],
    bom: Annotated[
        bool, Query(description="CSV: start with a UTF-8 byte order mark (for Excel)")
    ] = False,
    unit: UnitQuery = "events",
) -> StreamingResponse:
    """Every event matching the filters (no paging), as a download, each with its review
    (rejected events only when the review filter asks for them); with `unit=incidents`,
    one row per incident holding such an event, as `sitrep export --unit incidents`."""
    if unit == "incidents" and format == "table":
        raise InputError("incidents are exported as acled, csv, json, jsonl or geojson")
    # Closed by _chunks once the response is sent.
    spool = tempfile.SpooledTemporaryFile(  # noqa: SIM115
        max_size=_SPOOL_BYTES, mode="w+", encoding="utf-8", newline=""
    )
    if unit == "incidents":
        write_incidents(Incidents(store).matching(filters), format, spool, bom=bom)  # type: ignore[arg-type]
    else:
        write_events(store.iter_records(filters), format, spool, bom=bom)  # type: ignore[arg-type]
    spool.seek(0)
    media_type = _MEDIA_TYPES[format][0]
    return StreamingResponse(
        _chunks(spool),
        media_type=f"{media_type}; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{export_file_name(format)}"'},
    )


def export_file_name(fmt: str) -> str:
    """sitrep-acled-2026-12-07.csv: the format and the day in the name, so two downloads
    of different formats never overwrite each other."""
    day = datetime.now(UTC).date().isoformat()
    return f"sitrep-{fmt}-{day}.{_MEDIA_TYPES[fmt][1]}"


def _chunks(spool: IO[str]) -> Iterator[bytes]:
    with spool:
        while chunk := spool.read(65536):
            yield chunk.encode("utf-8")
