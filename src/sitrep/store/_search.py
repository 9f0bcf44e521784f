"""Full-text search over events: their report's title and text, their notes and actor names.

One row per event in `event_search` (created by migration 0004_i15_workspace): an FTS5
virtual table on SQLite, a plain table searched with `to_tsvector` on PostgreSQL and other
servers. The store rewrites an event's row whenever the event is stored or corrected.
"""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Connection,
    Select,
    bindparam,
    func,
    literal_column,
    select,
    text,
)
from sqlalchemy.orm import Session
from sqlalchemy.sql import column, table

from sitrep.errors import InputError
from sitrep.models import Event
from sitrep.store._schema import EventRow

SEARCH_TABLE = "event_search"
#: Searched columns, in the order the table declares them after event_id.
SEARCH_COLUMNS = ("title", "body", "notes", "actors")
_WORD = re.compile(r"\w+", re.UNICODE)
search_table = table(SEARCH_TABLE, column("event_id"), *(column(name) for name in SEARCH_COLUMNS))


def search_values(event: Event, title: str | None, body: str) -> dict[str, str]:
    """What an event is found by: its report, its note and its actors (with associates)."""
    names = [
        name
        for actor in (event.actor1, event.actor2)
        if actor is not None
        for name in (actor.name, *actor.associated)
    ]
    return {
        "event_id": event.event_id,
        "title": title or "",
        "body": body,
        "notes": event.notes,
        "actors": "; ".join(names),
    }


def index_events(connection: Session | Connection, rows: list[dict[str, str]]) -> None:
    """Write the search rows of these events, replacing any they had."""
    if not rows:
        return
    unindex_events(connection, [row["event_id"] for row in rows])
    columns = ", ".join(("event_id", *SEARCH_COLUMNS))
    values = ", ".join(f":{name}" for name in ("event_id", *SEARCH_COLUMNS))
    connection.execute(text(f"INSERT INTO {SEARCH_TABLE} ({columns}) VALUES ({values})"), rows)


def unindex_events(connection: Session | Connection, event_ids: list[str]) -> None:
    if event_ids:
        statement = text(f"DELETE FROM {SEARCH_TABLE} WHERE event_id IN :ids").bindparams(
            bindparam("ids", expanding=True)
        )
        connection.execute(statement, {"ids": event_ids})


def search_words(query: str) -> list[str]:
    """The words of a search; punctuation and search-engine operators are ignored."""
    words = _WORD.findall(query)
    if not words:
        raise InputError(f"search {query!r} has no words to look for: give one or more words")
    return words


def matches(query: str, dialect: str) -> ColumnElement[bool]:
    """Events whose report, note or actors contain every word of `query` (each word also
    matches as the start of a longer one: 'Idl' finds Idlib)."""
    words = search_words(query)
    if dialect == "sqlite":
        # Each word quoted, so FTS5 reads none of them as an operator (AND, NEAR, ...).
        expression = " ".join(f'"{word}"*' for word in words)
        fts: Select[Any] = (
            select(literal_column("event_id"))
            .select_from(text(SEARCH_TABLE))
            .where(text(f"{SEARCH_TABLE} MATCH :search_expression"))
            .params(search_expression=expression)
        )
        return EventRow.event_id.in_(fts)
    document = func.to_tsvector(
        "simple", func.concat_ws(" ", *(search_table.c[name] for name in SEARCH_COLUMNS))
    )
    wanted = func.to_tsquery("simple", " & ".join(f"{word}:*" for word in words))
    found = select(search_table.c.event_id).where(document.op("@@")(wanted))
    return EventRow.event_id.in_(found)
