"""How long reviewing ten events takes with the keyboard workflow, driven in headless
Chromium (Debian's /usr/bin/chromium, through Playwright) against `sitrep serve`.

    .venv/bin/python bench/review_keyboard.py [--events 10] [--corrections 3] [--think 0]

Ten events of ten hand-written reports are stored (confidences spread so the queue has an
order), an analyst logs in and presses "Next to review"; then, for each event in the queue:
it is verified with `v` (which moves on to the next one); every third event is first
corrected: `e` to the form, the toll typed into its field, Enter to save, then `v`. The
time is the wall clock from the first event shown to the queue being empty, with `--think`
seconds of reading added per event by the script (0: what the software itself costs).
Not a test: timings vary by machine.
"""

from __future__ import annotations

import argparse
import os
import socket
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

import httpx
from playwright.sync_api import sync_playwright

from sitrep.models import Actor, Event, Place, Report
from sitrep.store import Store
from sitrep.store.accounts import Accounts

CHROMIUM = "/usr/bin/chromium"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run"]
NAME, PASSWORD = "bench", "bench password 1"
TOWNS = ["Saraqib", "Ariha", "Sarmin", "Binnish", "Taftanaz", "Maarrat Misrin", "Jisr al-Shughur",
         "Kafr Nabl", "Khan Shaykhun", "Atarib"]  # fmt: skip


def seed(db: str, count: int) -> None:
    with Store(db) as store:
        Accounts(store).add_user(NAME, "analyst", PASSWORD)
        for n in range(count):
            town = TOWNS[n % len(TOWNS)]
            text = (
                f"Government artillery shelled {town} in Idlib province on day {n + 1}, "
                f"killing {n + 2} civilians, a local monitor said."
            )
            event = Event(
                event_type="Explosions/Remote violence",
                sub_event_type="Shelling/artillery/missile attack",
                event_date=date(2024, 3, 1 + n),
                actor1=Actor(name="Military Forces of Syria (2000-)", inter=1, country="Syria"),
                actor2=Actor(name="Civilians (Syria)", inter=7, country="Syria"),
                place=Place(location=town, country="Syria", admin1="Idleb"),
                fatalities=n + 2,
                confidence=0.4 + n * 0.05,
            )
            store.add_report(Report(text=text, title=f"Shelling of {town}"), events=[event])


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=10)
    parser.add_argument("--corrections", type=int, default=3, help="events corrected first")
    parser.add_argument("--think", type=float, default=0.0, help="seconds read per event")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="sitrep-review-bench-"))
    db = f"sqlite:///{folder / 'bench.db'}"
    seed(db, args.events)
    port = free_port()
    server = subprocess.Popen(
        [Path(sys.executable).with_name("sitrep"), "serve", "--db", db, "--port", str(port)],
        env=os.environ.copy(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"{base}/health", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.2)
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
            page = browser.new_page(viewport={"width": 1366, "height": 768})
            page.goto(f"{base}/login")
            page.fill("input[name=name]", NAME)
            page.fill("input[name=password]", PASSWORD)
            page.click("button[type=submit]")
            page.wait_for_url(f"{base}/events")
            every = max(1, args.events // max(1, args.corrections)) if args.corrections else 0
            reviewed, corrected = 0, 0
            start = time.perf_counter()
            page.click("#next-to-review")
            page.wait_for_selector("#queue-nav")
            while "/events/" in page.url and reviewed < args.events:
                time.sleep(args.think)
                if every and reviewed % every == 0 and corrected < args.corrections:
                    page.keyboard.press("e")
                    page.focus("#correct-form input[name=fatalities]")
                    page.keyboard.press("Control+A")
                    page.keyboard.type("1")
                    with page.expect_navigation():
                        page.keyboard.press("Enter")
                    corrected += 1
                with page.expect_navigation():
                    page.keyboard.press("v")
                reviewed += 1
            elapsed = time.perf_counter() - start
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=10)
    print(
        f"{reviewed} events reviewed ({corrected} corrected, then verified) in {elapsed:.1f} s "
        f"with the keyboard workflow ({args.think:.0f} s reading time per event added by "
        f"the script): {elapsed / max(reviewed, 1):.2f} s per event"
    )


if __name__ == "__main__":
    main()
