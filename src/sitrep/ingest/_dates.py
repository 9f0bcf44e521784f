"""Report dates as written in metadata ("2015-11-20", "11/20/15", "20 November 2015")."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal

from sitrep.errors import ParseError

# A publication date is absolute: "yesterday" in metadata has nothing to be relative to,
# and a date without a year would silently get the current one.
_DATEPARSER_SETTINGS: dict[str, Any] = {
    "PARSERS": ["timestamp", "absolute-time", "custom-formats"],
    "REQUIRE_PARTS": ["year"],
    "PREFER_DAY_OF_MONTH": "first",
    "PREFER_MONTH_OF_YEAR": "first",
    "RETURN_AS_TIMEZONE_AWARE": False,
}


def parse_report_date(value: str, order: Literal["DMY", "MDY"] | None = None) -> date:
    """Parse a report's date, or raise ParseError naming the value. `order` reads numeric
    dates day first or month first (dateparser's own guess when None)."""
    value = value.strip()
    try:
        return date.fromisoformat(value)
    except ValueError:
        pass
    import dateparser  # slow to import: only when a date is not ISO

    settings = _DATEPARSER_SETTINGS | ({"DATE_ORDER": order} if order else {})
    parsed: datetime | None = dateparser.parse(value, settings=settings)
    if parsed is None:
        raise ParseError(
            f"date {value!r} could not be read (give a day with its year, e.g. 2015-11-20)"
        )
    return parsed.date()
