"""API: the filtered events in every format `sitrep export` writes (its own writers)."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from typing import IO, Annotated, get_args

from fastapi import APIRouter, Query
from fastapi.responses import StreamingResponse

from sitrep.export import ExportFormat, write_events
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
) -> StreamingResponse:
    """Every event matching the filters (no paging), as a download."""
    # Closed by _chunks once the response is sent.
    spool = tempfile.SpooledTemporaryFile(  # noqa: SIM115
        max_size=_SPOOL_BYTES, mode="w+", encoding="utf-8", newline=""
    )
    write_events(store.iter_events(filters), format, spool)  # type: ignore[arg-type]
    spool.seek(0)
    media_type, extension = _MEDIA_TYPES[format]
    return StreamingResponse(
        _chunks(spool),
        media_type=f"{media_type}; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="sitrep-events.{extension}"'},
    )


def _chunks(spool: IO[str]) -> Iterator[bytes]:
    with spool:
        while chunk := spool.read(65536):
            yield chunk.encode("utf-8")
