"""A report posted again with other metadata: what may change in place, and what may not.

A report is its text (its id is the text's hash), so the same text posted again is the same
report. Its title, source and URL describe it and change in place, each change audited
(`report.metadata_changed` in the account audit, with the old and new values). Its date
and language decided how it was coded (event dates, the language model), so they change
only by coding it again: `sitrep reextract ID --date/--language`, which keeps the analysts'
work and audits the change.
"""

from __future__ import annotations

from sitrep.models import Report
from sitrep.store._schema import REPORT_FIELD_LIMITS, ReportRow
from sitrep.store._store import Store, StoredReport
from sitrep.store.audit import UNATTRIBUTED, record

#: Metadata that describes a report and changes in place.
DESCRIPTIVE_FIELDS = ("title", "source", "url")
#: Metadata that decided its coding: changed by re-extraction only.
CODING_FIELDS = {"published": "--date", "language": "--language"}


def metadata_changes(known: StoredReport, report: Report) -> dict[str, tuple[object, object]]:
    """The fields this copy states (not None) with another value than the stored report's:
    field -> (stored, new)."""
    changes = {}
    for field in (*DESCRIPTIVE_FIELDS, *CODING_FIELDS):
        new, old = getattr(report, field), getattr(known.report, field)
        if isinstance(new, str) and field in REPORT_FIELD_LIMITS:
            new = new[: REPORT_FIELD_LIMITS[field]]  # as stored (the column's limit)
        if new is not None and new != old:
            changes[field] = (old, new)
    return changes


def update_metadata(
    store: Store, known: StoredReport, report: Report, by: str | None = None
) -> list[str]:
    """Apply this copy's title, source and URL to the stored report, audited; return one
    line per change, and per date or language that was not applied, saying why."""
    changes = metadata_changes(known, report)
    report_id = known.report_id
    described = {f: values for f, values in changes.items() if f in DESCRIPTIVE_FIELDS}
    lines = []
    if described:
        with store.session(write=True) as session:
            row = session.get(ReportRow, report_id)
            if row is None:
                return []
            for field, (old, new) in described.items():
                setattr(row, field, new)
                record(
                    session,
                    by or UNATTRIBUTED,
                    "report.metadata_changed",
                    report_id,
                    f"{field}: {old!r} -> {new!r}",
                )
                lines.append(f"{field} changed from {old!r} to {new!r}")
    for field, flag in CODING_FIELDS.items():
        if field in changes:
            old, new = changes[field]
            lines.append(
                f"{field} {new} not applied (stored: {old}): its events were coded with the "
                f"stored one; re-code it with `sitrep reextract {report_id} {flag} {new}`"
            )
    return lines
