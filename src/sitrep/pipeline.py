"""The per-report pipeline: a pure function of (engine, report) to the report's Events.

annotate (spaCy) -> actors and places (their stages) -> events (triggers, arguments,
fatalities, dates, attribution, merged per incident) -> ids. The stages and the fields each
writes are listed in `sitrep.engine.STAGES`; `Engine.code` runs them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import date as Date

from spacy.tokens import Doc

from sitrep.engine import Engine, default_engine
from sitrep.errors import ParseError
from sitrep.models import Event, Report


def extract_report(report: Report, engine: Engine | None = None) -> list[Event]:
    """Code one report into events, each with evidence for its fields (default engine
    unless one is given).

    Reports in a language the pipeline does not code yield no events (never invented ones).
    """
    return (engine or default_engine()).extract_report(report)


class PipelineExtractor:
    """The batch runner's default extractor: `extract_report` on an engine (the default
    one unless given), which also parses a batch's texts together (`parse_many`, by
    `nlp.pipe`) and can start parsing a window ahead of its turn (`parse_ahead`).

    Without an engine it holds nothing, so it travels to a Dask worker as a name and codes
    there with the worker's own default engine."""

    def __init__(self, engine: Engine | None = None) -> None:
        self.engine = engine

    def __call__(self, report: Report, doc: Doc | None = None) -> list[Event]:
        return self._engine().extract_report(report, doc)

    def parse_many(self, texts: Sequence[str]) -> list[Doc | None]:
        return self._engine().annotate_many(texts)

    def parse_ahead(self, texts: Sequence[str]) -> Callable[[], Iterable[Doc | None]]:
        return self._engine().parse_ahead(texts)

    def _engine(self) -> Engine:
        return self.engine or default_engine()


def extract(
    text: str,
    *,
    date: Date | str | None = None,
    source: str | None = None,
    url: str | None = None,
    title: str | None = None,
    engine: Engine | None = None,
) -> list[Event]:
    """Code a report's text into ACLED-style events (no database needed).

    `date` is the report's publication date (a `datetime.date` or an ISO string); relative
    expressions such as "yesterday" are resolved against it.
    """
    if isinstance(date, str):
        try:
            published: Date | None = Date.fromisoformat(date)
        except ValueError as exc:
            raise ParseError(f"report date {date!r} is not an ISO date (YYYY-MM-DD)") from exc
    else:
        published = date
    return extract_report(
        Report(text=text, published=published, source=source, url=url, title=title), engine
    )
