"""The store keeps each report once, its events without duplicates, and finds them again."""

from __future__ import annotations

import hashlib
import importlib
import os
import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from importlib.resources import files
from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine, text

from sitrep.errors import StoreError
from sitrep.models import Actor, Event, Evidence, Place, Report, Span
from sitrep.store import Base, EventFilter, Store
from sitrep.store._search import SEARCH_TABLE
from sitrep.store.accounts import Accounts

REPORT_TEXT = (
    "Islamic State fighters opened fire on two cars at a checkpoint near Palmyra on "
    "Tuesday, killing five people, a local network said."
)


def _span(words: str) -> Span:
    start = REPORT_TEXT.index(words)
    return Span.of(REPORT_TEXT, start, start + len(words))


def make_event(
    *,
    event_type: str = "Violence against civilians",
    sub_event_type: str = "Attack",
    day: date | None = date(2015, 11, 17),
    fatalities: int = 5,
    actor1: str = "Islamic State (Syria)",
    actor2: str | None = "Civilians (Syria)",
    country: str = "Syria",
    admin1: str = "Homs",
) -> Event:
    return Event(
        event_type=event_type,
        sub_event_type=sub_event_type,
        event_date=day,
        time_precision=1,
        actor1=Actor(name=actor1, inter=2, country=country),
        actor2=Actor(name=actor2, inter=7, country=country) if actor2 else None,
        place=Place(location="Tadmur", country=country, admin1=admin1, geo_precision=2),
        fatalities=fatalities,
        attack_method="firearms",
        evidence={"fatalities": Evidence(spans=[_span("killing five")], rule="death")},
    )


@pytest.fixture
def store(db_url: str) -> Store:
    return Store(db_url)


def test_the_same_report_twice_is_stored_once(store: Store) -> None:
    report = Report(text=REPORT_TEXT, source="network", origin="a.txt")
    first = store.add_report(report, events=[make_event()])
    again = store.add_report(Report(text=REPORT_TEXT, origin="copy.txt"), events=[make_event()])
    assert first == (report.report_id, True)
    assert again == (report.report_id, False)
    assert store.count_reports() == 1
    assert store.count_events() == 1
    stored = store.get_report(report.report_id)
    assert stored is not None and stored.report.origin == "a.txt"  # the first copy is kept


def test_events_get_ids_in_report_order_and_round_trip(store: Store) -> None:
    report = Report(text=REPORT_TEXT)
    events = [make_event(), make_event(event_type="Battles", sub_event_type="Armed clash")]
    store.add_report(report, events=events)
    found = store.query_events(EventFilter(report_id=report.report_id))
    assert [e.event_id for e in found] == [f"{report.report_id}-01", f"{report.report_id}-02"]
    assert found[0].evidence["fatalities"].spans[0].text == "killing five"
    assert found[0].model_dump(exclude={"event_id", "report_id"}) == events[0].model_dump(
        exclude={"event_id", "report_id"}
    )


def test_add_events_replaces_never_duplicates(store: Store) -> None:
    report_id, _ = store.add_report(Report(text=REPORT_TEXT))
    store.add_events(report_id, [make_event(), make_event()])
    store.add_events(report_id, [make_event(fatalities=2)])
    events = store.query_events()
    assert len(events) == 1 and events[0].fatalities == 2


def test_add_events_needs_a_stored_report(store: Store) -> None:
    with pytest.raises(StoreError, match="not stored"):
        store.add_events("0123456789abcdef", [make_event()])


def test_an_event_of_another_report_is_refused(store: Store) -> None:
    report_id, _ = store.add_report(Report(text=REPORT_TEXT))
    stray = make_event().model_copy(update={"report_id": "ffffffffffffffff"})
    with pytest.raises(StoreError, match="belongs to report ffffffffffffffff"):
        store.add_events(report_id, [stray])
    assert store.count_events() == 0  # the transaction was rolled back


def test_a_failed_report_is_updated_on_retry_an_ok_one_is_not(store: Store) -> None:
    report = Report(text=REPORT_TEXT)
    store.add_report(report, status="failed", error="extractor crashed")
    assert store.add_report(report, events=[make_event()]) == (report.report_id, False)
    stored = store.get_report(report.report_id)
    assert stored is not None and stored.status == "ok" and stored.error is None
    assert store.count_events() == 1
    store.add_report(report, status="failed", error="later failure", events=[])
    assert store.get_report(report.report_id).status == "ok"  # type: ignore[union-attr]
    assert store.count_events() == 1


def test_filters(store: Store) -> None:
    store.add_report(
        Report(text=REPORT_TEXT),
        events=[
            make_event(day=date(2015, 11, 17), fatalities=5),
            make_event(
                event_type="Battles",
                sub_event_type="Armed clash",
                day=date(2015, 12, 1),
                fatalities=0,
                actor2="Military Forces of Syria (2000-)",
                admin1="Deir ez Zor",
            ),
            make_event(day=None, fatalities=1, country="Iraq", admin1="Ninewa"),
        ],
    )

    def matching(**criteria: object) -> list[int]:
        return [e.fatalities for e in store.query_events(EventFilter.model_validate(criteria))]

    assert matching(country="syria") == [5, 0]
    assert matching(admin1="Deir ez Zor") == [0]
    assert matching(event_type="battles") == [0]
    assert matching(actor="forces of syria") == [0]
    assert matching(actor="islamic state") == [5, 0, 1]
    assert matching(since=date(2015, 11, 20)) == [0]
    assert matching(until=date(2015, 11, 20)) == [5]
    assert matching(min_fatalities=1) == [5, 1]
    assert matching(order="-fatalities") == [5, 1, 0]
    assert matching(order="-date") == [0, 5, 1]  # undated last
    assert matching(order="-fatalities", limit=1, offset=1) == [1]
    assert store.count_events(EventFilter(country="Syria", limit=1)) == 2


def test_actor_filter_treats_like_wildcards_literally(store: Store) -> None:
    store.add_report(Report(text=REPORT_TEXT), events=[make_event()])
    assert store.query_events(EventFilter(actor="%")) == []
    assert store.query_events(EventFilter(actor="_")) == []


def test_a_correction_keeps_the_machine_original(store: Store) -> None:
    store.add_report(Report(text=REPORT_TEXT), events=[make_event(fatalities=5)])
    event = store.query_events()[0]
    store.update_event(event.model_copy(update={"fatalities": 4}))
    assert store.get_event(event.event_id).fatalities == 4  # type: ignore[union-attr]
    assert store.get_original_event(event.event_id).fatalities == 5  # type: ignore[union-attr]
    assert [e.fatalities for e in store.query_events(EventFilter(min_fatalities=5))] == []


def test_list_reports_by_status(store: Store) -> None:
    store.add_report(Report(text="one"), status="ok")
    store.add_report(Report(text="deux", language="fr"), status="unsupported_language")
    flagged = store.list_reports(status="unsupported_language")
    assert [r.report.text for r in flagged] == ["deux"]
    assert flagged[0].report.language == "fr"
    assert store.count_reports(status="ok") == 1
    assert len(store.list_reports(limit=1)) == 1


def test_unknown_ids_give_none(store: Store) -> None:
    assert store.get_report("nope") is None
    assert store.get_event("nope") is None


# Alembic cannot reflect SQLite's expression indexes (the date orders) to compare them;
# test_queries.py compares their names instead.
@pytest.mark.filterwarnings("ignore:.*expression-based index:UserWarning")
@pytest.mark.filterwarnings("ignore:Skipped unsupported reflection of expression-based index")
def test_schema_comes_from_migrations_and_matches_the_models(tmp_path: Path) -> None:
    # Every module with tables on `Base`, so all of them are compared with the migrations.
    importlib.import_module("sitrep.store.accounts")
    importlib.import_module("sitrep.store.review")
    importlib.import_module("sitrep.store.server_state")
    importlib.import_module("sitrep.link.store")
    config = Config()
    config.set_main_option("script_location", str(files("sitrep.store") / "migrations"))
    head = ScriptDirectory.from_config(config).get_current_head()
    url = f"sqlite:///{tmp_path / 'fresh.db'}"
    Store(url).close()
    store = Store(url)  # reopening an up-to-date database changes nothing
    with store.engine.connect() as connection:
        assert connection.scalar(text("SELECT version_num FROM alembic_version")) == head
        assert connection.scalar(text("PRAGMA journal_mode")) == "wal"
        # The full-text index (an FTS5 virtual table and its shadow tables) is raw SQL of
        # migration 0004, outside the models.
        context = MigrationContext.configure(
            connection,
            opts={
                "include_name": lambda name, kind, _: (
                    not (kind == "table" and (name or "").startswith(SEARCH_TABLE))
                )
            },
        )
        assert compare_metadata(context, Base.metadata) == []


def test_a_database_of_an_earlier_version_is_upgraded_with_its_data(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'old.db'}"
    config = Config()
    config.set_main_option("script_location", str(files("sitrep.store") / "migrations"))
    token = "sitrep_made_before_labels"
    with create_engine(url).begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "0002")  # the workspace's first schema: tokens had no label
        connection.execute(
            text(
                "INSERT INTO users (name, role, password_hash, created_at) "
                "VALUES ('omar', 'viewer', 'x', '2026-11-24 10:00:00')"
            )
        )
        connection.execute(
            text(
                "INSERT INTO api_tokens (user_id, token_sha256, created_at) "
                "VALUES (1, :digest, '2026-11-24 10:00:00')"
            ),
            {"digest": hashlib.sha256(token.encode()).hexdigest()},
        )
    with Store(url) as store:
        accounts = Accounts(store)
        user = accounts.user_for_token(token)
        assert user is not None and user.name == "omar"
        assert [t.label for t in accounts.list_tokens()] == [None]
        accounts.create_token("omar", "after the upgrade")
        assert [t.label for t in accounts.list_tokens()] == [None, "after the upgrade"]


def test_in_memory_database_works() -> None:
    store = Store("sqlite://")
    store.add_report(Report(text=REPORT_TEXT), events=[make_event()])
    assert store.count_events() == 1


def test_bad_urls_give_one_line_store_errors(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="not a database URL"):
        Store("not a url")
    with pytest.raises(StoreError) as error:
        Store(f"sqlite:///{tmp_path / 'missing-folder' / 'x.db'}")
    assert "\n" not in str(error.value) and "unable to open database" in str(error.value)


def test_concurrent_writers_lose_nothing(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'shared.db'}"
    stores = [Store(url), Store(url)]  # two engines: as two processes would

    def write(store: Store, offset: int) -> None:
        for n in range(offset, offset + 40):
            store.add_report(Report(text=f"report {n}"), events=[make_event(fatalities=n)])

    threads = [threading.Thread(target=write, args=(s, i * 40)) for i, s in enumerate(stores)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert stores[0].count_reports() == 80
    assert sorted(e.fatalities for e in stores[1].query_events()) == list(range(80))


def test_stores_opening_a_new_database_at_once_all_succeed(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'new.db'}"
    errors: list[Exception] = []

    def open_and_count() -> None:
        try:
            Store(url).count_reports()
        except StoreError as error:
            errors.append(error)

    threads = [threading.Thread(target=open_and_count) for _ in range(5)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []


def test_a_database_from_a_newer_sitrep_is_refused_clearly(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'future.db'}"
    with Store(url).engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = '9999'"))
    with pytest.raises(StoreError) as error:
        Store(url)
    message = str(error.value)
    assert "\n" not in message and "'9999'" in message and "newer sitrep" in message


def test_the_store_runs_on_the_backend_under_test(store: Store) -> None:
    wanted = os.environ.get("SITREP_TEST_DB", "sqlite")
    assert store.engine.dialect.name == wanted


def test_concurrent_stores_adding_one_report_insert_or_skip(db_url: str) -> None:
    # Separate stores are separate processes' connections: only the database serialises them.
    stores = [Store(db_url) for _ in range(6)]
    report = Report(text="Gunmen killed a shopkeeper in Baquba on Friday.", title="one")
    barrier = threading.Barrier(len(stores))

    def add(store: Store) -> bool:
        barrier.wait()
        return store.add_report(report, events=[])[1]

    with ThreadPoolExecutor(len(stores)) as pool:
        created = list(pool.map(add, stores))
    assert created.count(True) == 1
    assert stores[0].count_reports() == 1
    for store in stores:
        store.close()


def test_metadata_longer_than_its_column_is_cut_not_fatal(store: Store) -> None:
    report = Report(text="A report with a very long title.", title="T" * 5000, url="u" * 9000)
    store.add_report(report)
    stored = store.get_report(report.report_id)
    assert stored is not None
    assert stored.report.title == "T" * 1000 and stored.report.url == "u" * 2000
