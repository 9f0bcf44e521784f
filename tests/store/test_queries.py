"""Event queries at scale: equality filters compare the column as stored (so its index
answers), the list's date order is read off an index, and a filter set's total is counted
once while the data stays the same."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, timedelta
from typing import Any

import pytest
from sqlalchemy import event, func, select

from sitrep.models import Actor, Event, Place, Report
from sitrep.store import EventFilter, Store
from sitrep.store._schema import EventRow
from sitrep.store.review import Reviews

PLACES = [("Syria", "Idleb"), ("Syria", "Aleppo"), ("Iraq", "Ninewa"), ("Yemen", "Taizz")]
TYPES = [
    ("Battles", "Armed clash"),
    ("Explosions/Remote violence", "Air/drone strike"),
    ("Violence against civilians", "Attack"),
]


def _event(number: int) -> Event:
    country, admin1 = PLACES[number % len(PLACES)]
    event_type, sub_event_type = TYPES[number % len(TYPES)]
    return Event(
        event_type=event_type,
        sub_event_type=sub_event_type,
        event_date=date(2023, 1, 1) + timedelta(days=number) if number % 7 else None,
        time_precision=1,
        actor1=Actor(name="Military Forces of Syria (2000-)", inter=1, country=country),
        place=Place(location=f"place {number}", country=country, admin1=admin1, geo_precision=2),
        fatalities=number % 5,
    )


@pytest.fixture
def store(db_url: str) -> Iterator[Store]:
    with Store(db_url) as store:
        for report in range(6):
            store.add_report(
                Report(text=f"report number {report} of the query tests."),
                events=[_event(report * 4 + n) for n in range(4)],
            )
        yield store


@contextmanager
def statements(store: Store) -> Iterator[list[str]]:
    """The SQL statements the store sends while the block runs."""
    sent: list[str] = []

    def record(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        sent.append(statement)

    event.listen(store.engine, "before_cursor_execute", record)
    try:
        yield sent
    finally:
        event.remove(store.engine, "before_cursor_execute", record)


def _counts(sent: list[str]) -> list[str]:
    return [statement for statement in sent if "count(" in statement.lower()]


def _sql(store: Store, filters: EventFilter, column: Any = EventRow.event_id) -> str:
    query = store.event_query(filters, select(column))
    return str(query.compile(store.engine, compile_kwargs={"literal_binds": True}))


def test_equality_filters_match_any_case_without_a_function_on_the_column(store: Store) -> None:
    for filters, expected in [
        (EventFilter(country="sYRIA"), 12),
        (EventFilter(admin1="IDLEB"), 6),
        (EventFilter(admin1="idlib", admin1_aliases=["Idleb"]), 6),
        (EventFilter(event_type="battles"), 8),
        (EventFilter(sub_event_type="AIR/DRONE STRIKE"), 8),
        (EventFilter(country="syria", event_type="BATTLES"), 4),
        (EventFilter(country="Lebanon"), 0),
    ]:
        assert store.count_events(filters) == expected, filters
        assert len(store.query_events(filters)) == expected, filters
        sql = _sql(store, filters).lower()
        assert "lower(" not in sql, sql
    syria = store.query_events(EventFilter(country="SYRIA"))
    assert {e.place.country for e in syria if e.place} == {"Syria"}


@pytest.mark.parametrize(
    ("filters", "column"),
    [
        (EventFilter(country="syria"), "country"),
        (EventFilter(admin1="idleb"), "admin1"),
        (EventFilter(event_type="battles"), "event_type"),
        (EventFilter(sub_event_type="attack"), "sub_event_type"),
    ],
)
def test_sqlite_answers_each_equality_filter_from_an_index_it_leads(
    store: Store, filters: EventFilter, column: str
) -> None:
    if store.engine.dialect.name != "sqlite":
        pytest.skip("EXPLAIN QUERY PLAN is SQLite's; the SQL test covers PostgreSQL")
    plan = _plan(store, filters.model_copy(update={"order": "event_id"}))
    assert re.search(
        rf"SEARCH events USING (COVERING )?INDEX ix_events_{column}\w* \({column}=\?", plan
    ), plan


@pytest.mark.parametrize(
    ("filters", "index"),
    [
        (EventFilter(order="date"), "ix_events_date_order"),
        (EventFilter(order="-date"), "ix_events_date_desc_order"),
        (EventFilter(country="syria"), "ix_events_country_date"),
        (EventFilter(admin1="Idleb", order="date"), "ix_events_admin1_date"),
    ],
)
def test_sqlite_reads_a_page_in_date_order_off_an_index_without_sorting(
    store: Store, filters: EventFilter, index: str
) -> None:
    if store.engine.dialect.name != "sqlite":
        pytest.skip("EXPLAIN QUERY PLAN is SQLite's")
    plan = _plan(store, filters)
    assert index in plan and "TEMP B-TREE" not in plan, plan


def test_date_orders_put_undated_events_last_in_both_directions(store: Store) -> None:
    for order in ("date", "-date"):
        days = [e.event_date for e in store.query_events(EventFilter(order=order))]  # type: ignore[arg-type]
        dated = [day for day in days if day is not None]
        assert days[: len(dated)] == dated and None in days
        assert dated == sorted(dated, reverse=order == "-date")


def _plan(store: Store, filters: EventFilter, column: Any = EventRow.event_id) -> str:
    paged = filters.model_copy(update={"limit": 50})
    with store.engine.connect() as connection:
        plan = f"EXPLAIN QUERY PLAN {_sql(store, paged, column)}"
        rows = connection.exec_driver_sql(plan).all()
    return "\n".join(str(row[-1]) for row in rows)


def test_a_filter_sets_total_is_counted_once_until_the_data_changes(store: Store) -> None:
    syria = EventFilter(country="Syria", limit=5)
    with statements(store) as sent:
        assert store.count_events(syria) == 12
        assert store.count_events(syria.model_copy(update={"offset": 5, "order": "-date"})) == 12
    assert len(_counts(sent)) == 1
    with statements(store) as sent:
        assert store.count_events(EventFilter(country="Iraq")) == 6
    assert len(_counts(sent)) == 1  # another filter set is counted on its own

    # A review, a correction and a new report each change the data: the total is recounted.
    first = store.query_events(syria)[0]
    Reviews(store).set_review(first.event_id, "rejected", user="amira", note="a duplicate")
    assert store.count_events(syria) == 11
    moved = store.query_events(syria)[0]
    assert moved.place is not None
    store.update_event(
        moved.model_copy(update={"place": moved.place.model_copy(update={"country": "Iraq"})})
    )
    assert store.count_events(syria) == 10
    store.add_report(Report(text="another report for the totals."), events=[_event(0)])
    assert store.count_events(syria) == 11


def test_a_write_by_another_store_on_the_same_database_is_seen(db_url: str) -> None:
    with Store(db_url) as reader, Store(db_url) as writer:
        writer.add_report(Report(text="the first report of two."), events=[_event(0)])
        assert reader.count_events(EventFilter(country="Syria")) == 1
        writer.add_report(Report(text="the second report of two."), events=[_event(4)])
        assert reader.count_events(EventFilter(country="Syria")) == 2


@pytest.mark.parametrize(
    "criteria",
    [
        {},
        {"order": "-date"},
        {"order": "-fatalities", "country": "syria"},
        {"order": "queue", "event_type": "Battles"},
        {"since": date(2023, 1, 5), "admin1": "idleb"},
    ],
)
def test_every_page_is_the_slice_of_the_whole_list(store: Store, criteria: dict[str, Any]) -> None:
    whole = [e.event_id for e in store.query_events(EventFilter.model_validate(criteria))]
    paged = [
        e.event_id
        for offset in range(0, len(whole) + 5, 5)
        for e in store.query_events(
            EventFilter.model_validate({**criteria, "offset": offset, "limit": 5})
        )
    ]
    assert paged == whole and whole


def test_sqlite_counts_country_and_type_from_an_index_alone(store: Store) -> None:
    if store.engine.dialect.name != "sqlite":
        pytest.skip("EXPLAIN QUERY PLAN is SQLite's")
    unpaged = EventFilter(country="syria", event_type="battles")
    counted = select(func.count()).select_from(
        store.event_query(unpaged, select(EventRow.event_id)).order_by(None).subquery()
    )
    sql = str(counted.compile(store.engine, compile_kwargs={"literal_binds": True}))
    with store.engine.connect() as connection:
        plan = str(connection.exec_driver_sql(f"EXPLAIN QUERY PLAN {sql}").all())
    assert "COVERING INDEX ix_events_country_type" in plan, plan


def test_sqlite_finds_a_deep_pages_ids_in_the_index_alone(store: Store) -> None:
    if store.engine.dialect.name != "sqlite":
        pytest.skip("EXPLAIN QUERY PLAN is SQLite's")
    plan = _plan(store, EventFilter(country="Syria", offset=10), EventRow.current)
    assert "COVERING INDEX ix_events_country_date" in plan, plan


def test_postgresql_can_answer_the_actor_filter_from_trigram_indexes(store: Store) -> None:
    if store.engine.dialect.name != "postgresql":
        pytest.skip("trigram indexes are PostgreSQL's (SQLite scans; see the README)")
    assert len(store.query_events(EventFilter(actor="forces of syr"))) == 24
    sql = _sql(store, EventFilter(actor="forces of syr", review="all"))
    with store.engine.connect() as connection:
        # On tables this small a scan is cheaper: only bitmap scans are left, which need an
        # index whose condition is the filter's (a plain scan of any index would do too).
        connection.exec_driver_sql("SET enable_seqscan = off")
        connection.exec_driver_sql("SET enable_indexscan = off")
        plan = "\n".join(row[0] for row in connection.exec_driver_sql(f"EXPLAIN {sql}"))
    assert "ix_event_search_actors_trgm" in plan, plan


def test_the_models_declare_every_index_the_migrations_make(store: Store) -> None:
    # Alembic cannot compare expression indexes on SQLite, so their names are compared here.
    if store.engine.dialect.name != "sqlite":
        pytest.skip("read from sqlite_master")
    with store.engine.connect() as connection:
        made = connection.exec_driver_sql(
            "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'events' "
            "AND sql IS NOT NULL"
        ).scalars()
        assert set(made) == {index.name for index in EventRow.__table__.indexes}
