"""`sitrep extract --workers/--scheduler`: Dask runs the extraction, the database ends up the same."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from tests.processes import wait_for
from typer.testing import CliRunner, Result

from sitrep.cli.app import app
from sitrep.ingest import load_extractor, read_paths, run_batch
from sitrep.models import Report
from sitrep.store import Store

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples" / "reports"
EXTRACTORS = Path(__file__).parent / "fixtures" / "extractors"
READER_FIXTURES = Path(__file__).parent / "fixtures"
CLI_EXTRACTORS = ROOT / "tests" / "cli" / "fixtures"


def sitrep(*args: str) -> Result:
    return CliRunner().invoke(app, list(args))


def stored(db: str) -> tuple[list[tuple[str, str]], list[str], list[dict[str, object]]]:
    """Reports (id, status), event ids and ACLED rows, in the database's own order."""
    store = Store(db)
    reports = [(r.report.report_id, r.status) for r in store.list_reports()]
    events = list(store.iter_events())
    return reports, [e.event_id for e in events], [e.acled_row() for e in events]


@pytest.fixture(autouse=True)
def extractors_importable(monkeypatch: pytest.MonkeyPatch) -> None:
    # Spawned workers inherit sys.path, so they load the extractors named below too.
    monkeypatch.syspath_prepend(str(EXTRACTORS))
    monkeypatch.delenv("SITREP_EXTRACTOR", raising=False)


@pytest.fixture(scope="module")
def serial_db(tmp_path_factory: pytest.TempPathFactory) -> str:
    db = f"sqlite:///{tmp_path_factory.mktemp('serial') / 'serial.db'}"
    result = sitrep("extract", str(EXAMPLES), "--db", db, "--format", "jsonl")
    assert result.exit_code == 0, result.output
    return db


@pytest.mark.slow
def test_two_workers_store_exactly_what_a_serial_run_stores(serial_db: str, tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'parallel.db'}"
    result = sitrep("extract", str(EXAMPLES), "--db", db, "--workers", "2", "--format", "jsonl")
    assert result.exit_code == 0, result.output
    reports, event_ids, rows = stored(db)
    serial_reports, serial_ids, serial_rows = stored(serial_db)
    assert len(reports) == len(list(EXAMPLES.glob("*.json")))
    assert event_ids, "the examples code to events"
    assert (reports, event_ids, rows) == (serial_reports, serial_ids, serial_rows)


@pytest.mark.slow
def test_a_failing_document_is_reported_and_the_others_stored(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    good = sorted(EXAMPLES.glob("*.json"))[:3]
    for path in good:
        shutil.copy(path, folder / path.name)
    broken = json.loads(good[0].read_text("utf-8"))
    broken["text"] += "\n[scanner noise: page unreadable]"
    (folder / "broken.json").write_text(json.dumps(broken), "utf-8")
    db = f"sqlite:///{tmp_path / 'parallel.db'}"
    extractor = "parallel_extractors:pipeline_failing_on_noise"
    args = ("extract", str(folder), "--db", db, "--workers", "2", "--extractor", extractor)

    result = sitrep(*args)
    assert result.exit_code == 0, result.output
    assert "4 reports read: 3 new, 0 already in the database" in result.stderr
    assert (
        f"{folder / 'broken.json'}: extraction failed: ValueError: scanner noise in the text"
        in result.stderr
    )
    statuses = sorted(status for _, status in stored(db)[0])
    assert statuses == ["failed", "ok", "ok", "ok"]


def test_reports_already_stored_are_not_sent_to_the_workers(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    for path in sorted(EXAMPLES.glob("*.json"))[:2]:
        shutil.copy(path, folder / path.name)
    db = f"sqlite:///{tmp_path / 'parallel.db'}"
    first = sitrep(
        "extract", str(folder), "--db", db, "--extractor", "parallel_extractors:refusing"
    )
    assert "2 failed:" in first.stderr
    # Reports whose extraction failed are sent again; the good run stores them.
    good = sitrep("extract", str(folder), "--db", db, "--workers", "1")
    assert good.exit_code == 0, good.output
    assert "2 reports read: 2 new" in good.stderr
    rerun = sitrep(
        "extract",
        str(folder),
        "--db",
        db,
        "--workers",
        "2",
        "--extractor",
        "parallel_extractors:refusing",
    )
    assert rerun.exit_code == 0, rerun.output
    assert "2 reports read: 0 new, 2 already in the database" in rerun.stderr
    assert "failed" not in rerun.stderr


def test_a_mixed_folder_gives_the_serial_summary_and_rows(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Unreadable files, an unsupported language, a report given twice: all at their turn.
    monkeypatch.syspath_prepend(str(CLI_EXTRACTORS))
    killings = load_extractor("fake_extractor:killings")
    serial_store, parallel_store = Store("sqlite://"), Store("sqlite://")
    inputs = [READER_FIXTURES, READER_FIXTURES / "wire.txt"]
    serial = run_batch(read_paths(inputs), serial_store, extractor=killings)
    parallel = run_batch(read_paths(inputs), parallel_store, extractor=killings, workers=2)
    assert serial.failures and serial.warnings and serial.events_found
    assert serial.already_known == 1  # wire.txt, the second time
    assert parallel.model_dump() == serial.model_dump()
    assert [e.acled_row() for e in parallel_store.iter_events()] == [
        e.acled_row() for e in serial_store.iter_events()
    ]
    assert [r.status for r in parallel_store.list_reports()] == [
        r.status for r in serial_store.list_reports()
    ]


def test_windows_in_flight_settle_in_input_order_with_duplicates_across_windows(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # More than three windows, two of them coded at once; a report given again a window
    # later is coded twice and settled once, as known.
    from sitrep.ingest._parallel import WINDOW

    monkeypatch.syspath_prepend(str(CLI_EXTRACTORS))
    killings = load_extractor("fake_extractor:killings")
    words = ["one", "two", "three", "four", "five", "six", "seven"]
    texts = [f"Report {n}: a strike, killing {words[n % 7]}." for n in range(3 * WINDOW + 10)]
    texts.insert(WINDOW + 3, texts[2])
    reports = [Report(text=text) for text in texts]
    serial_store, parallel_store = Store("sqlite://"), Store("sqlite://")
    serial = run_batch(reports, serial_store, extractor=killings)
    parallel = run_batch(reports, parallel_store, extractor=killings, workers=2)
    assert serial.already_known == 1 and serial.stored == serial.events_found == len(texts) - 1
    assert parallel.model_dump() == serial.model_dump()
    assert [e.acled_row() for e in parallel_store.iter_events()] == [
        e.acled_row() for e in serial_store.iter_events()
    ]


def test_workers_and_scheduler_together_are_refused(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'x.db'}"
    result = sitrep(
        "extract",
        str(EXAMPLES),
        "--db",
        db,
        "--workers",
        "2",
        "--scheduler",
        "tcp://127.0.0.1:8786",
    )
    assert result.exit_code == 1
    assert "error: give --workers or --scheduler, not both" in result.stderr


def _processes_in_group(group: int) -> list[int]:
    """The ids of the live processes of a process group (read from /proc)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            # the command name is in brackets and may hold spaces: split after it
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue  # it ended while we looked
        state, group_id = fields[0], int(fields[2])
        if group_id == group and state != "Z":
            found.append(int(entry.name))
    return found


@pytest.mark.slow
@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads processes from /proc")
@pytest.mark.parametrize("stop", [signal.SIGKILL, signal.SIGTERM], ids=["killed", "terminated"])
def test_a_stopped_parallel_run_leaves_no_worker_behind(tmp_path: Path, stop: int) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    for path in sorted(EXAMPLES.glob("*.json"))[:4]:
        shutil.copy(path, folder / path.name)
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(EXTRACTORS), *sys.path])}
    command = [
        sys.executable,
        "-c",
        "from sitrep.cli.app import main; main()",
        "extract",
        str(folder),
    ]
    command += ["--db", f"sqlite:///{tmp_path / 'x.db'}", "--workers", "2"]
    command += ["--extractor", "parallel_extractors:slow"]
    # a session of its own: the run and every process it starts share one process group
    run = subprocess.Popen(
        command,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        assert wait_for(lambda: len(_processes_in_group(run.pid)) >= 3, 120), (
            "the run never started its two workers"
        )
        run.send_signal(stop)
        run.wait(timeout=30)
        assert wait_for(lambda: not _processes_in_group(run.pid), 20), (
            f"workers left running: {_processes_in_group(run.pid)}"
        )
    finally:
        for pid in _processes_in_group(run.pid):
            os.kill(pid, signal.SIGKILL)


@pytest.fixture
def dask_cluster(tmp_path: Path) -> Iterator[str]:
    """A real Dask cluster on loopback: `dask scheduler` and two `dask worker` processes,
    as a user starts them. Yields the scheduler's address; everything is stopped after."""
    distributed = pytest.importorskip("distributed", reason="--scheduler needs sitrep[scale]")
    dask_command = str(Path(sys.executable).with_name("dask"))
    address_file = tmp_path / "scheduler.json"
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    common = {"env": env, "stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL}
    processes = [
        subprocess.Popen(
            [dask_command, "scheduler", "--host", "127.0.0.1", "--port", "0"]
            + ["--dashboard-address", ":0", "--scheduler-file", str(address_file)],
            **common,  # type: ignore[call-overload]
        )
    ]
    try:
        deadline = time.monotonic() + 60
        while not address_file.exists() and time.monotonic() < deadline:
            time.sleep(0.2)
        for _ in range(2):
            processes.append(
                subprocess.Popen(
                    [dask_command, "worker", "--scheduler-file", str(address_file)]
                    + ["--nthreads", "1", "--no-dashboard", "--host", "127.0.0.1"],
                    **common,  # type: ignore[call-overload]
                )
            )
        with distributed.Client(scheduler_file=str(address_file), timeout="60s") as client:
            client.wait_for_workers(2, timeout=120)
            address = str(json.loads(address_file.read_text())["address"])
        yield address
    finally:
        for process in reversed(processes):
            process.terminate()
        for process in processes:
            process.wait(timeout=30)


@pytest.mark.slow
def test_a_dask_cluster_of_two_workers_stores_what_a_serial_run_stores(
    serial_db: str, tmp_path: Path, dask_cluster: str
) -> None:
    db = f"sqlite:///{tmp_path / 'cluster.db'}"
    result = sitrep(
        "extract", str(EXAMPLES), "--db", db, "--scheduler", dask_cluster, "--format", "jsonl"
    )
    assert result.exit_code == 0, result.output
    assert stored(db) == stored(serial_db)


def test_a_serial_run_does_not_import_dask(tmp_path: Path) -> None:
    # A fresh interpreter: this test session may have imported Dask already.
    script = (
        "import sys\n"
        "from sitrep.cli.app import app\n"
        "from typer.testing import CliRunner\n"
        f"result = CliRunner().invoke(app, ['extract', {str(READER_FIXTURES / 'wire.txt')!r},"
        f" '--db', 'sqlite:///{tmp_path / 'serial.db'}', '--extractor', 'fake_extractor:killings'])\n"
        "print(result.exit_code, 'dask' in sys.modules)\n"
    )
    env = {**os.environ, "PYTHONPATH": str(CLI_EXTRACTORS)}
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, env=env, check=True
    )
    assert done.stdout.split() == ["0", "False"]
