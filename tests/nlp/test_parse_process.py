"""The parse process: Docs parsed in a child read exactly as Docs parsed here; a window
spaCy fails on, or a child that dies, leaves its texts to be parsed here; the child never
outlives the process that started it."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from spacy.tokens import Doc
from tests.processes import running, wait_for

from sitrep.engine import Engine, EngineConfig, default_engine
from sitrep.errors import ModelError
from sitrep.models import Report
from sitrep.nlp.annotate import BATCH_SIZE
from sitrep.nlp.parse_process import ParseProcess

pytestmark = pytest.mark.slow

TEXTS = [
    "Shelling killed three civilians in Aleppo on Monday.\nA second line follows it.",
    "IS fighters attacked an army post near Mosul, the ministry said on 3 May 2016.",
    "Police fired tear gas at protesters in Nairobi; two people were hurt, witnesses said.",
]


def _annotations(doc: Doc) -> list[object]:
    """Every annotation the pipeline's stages read, token by token and span by span."""
    tokens = [
        (t.text, t.whitespace_, t.tag_, t.pos_, str(t.morph), t.dep_, t.head.i, t.lemma_, t.norm_)
        for t in doc
    ]
    return [
        tokens,
        [(e.start, e.end, e.label_) for e in doc.ents],
        [s.start for s in doc.sents],
        [c.start for c in doc.noun_chunks],
    ]


@pytest.fixture(scope="module")
def child() -> Iterator[ParseProcess]:
    process = ParseProcess()
    assert process.ready(wait=True)
    yield process
    process.close()


def test_docs_parsed_in_the_child_read_as_docs_parsed_here(child: ParseProcess) -> None:
    engine = default_engine()
    getters = child.parse(TEXTS, engine.nlp.vocab)
    for text, get in zip(TEXTS, getters, strict=True):
        doc = get()
        assert doc is not None and doc.vocab is engine.nlp.vocab
        assert _annotations(doc) == _annotations(engine.annotate(text))
    assert TEXTS[1].startswith("IS") and doc is not None
    report = Report(text=TEXTS[0], published=date(2016, 3, 7))
    first = getters[0]()
    assert engine.extract_report(report, first) == engine.extract_report(report)


def test_a_window_spacy_fails_on_is_left_to_be_parsed_here(child: ParseProcess) -> None:
    vocab = default_engine().nlp.vocab
    failing = child.parse(["A fine text.", 42, "Another one."], vocab)  # type: ignore[list-item]
    assert [get() for get in failing] == [None, None, None]
    after = child.parse(["The next window is parsed."], vocab)
    doc = after[0]()
    assert doc is not None and doc.text == "The next window is parsed."


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads processes from /proc")
def test_when_the_child_dies_its_texts_are_parsed_here_and_nothing_more_is_sent() -> None:
    process = ParseProcess()
    assert process.ready(wait=True)
    vocab = default_engine().nlp.vocab
    os.kill(process.pid, signal.SIGSTOP)  # it cannot answer this window before it dies
    waiting = process.parse(TEXTS, vocab)
    os.kill(process.pid, signal.SIGKILL)
    assert [get() for get in waiting] == [None] * len(TEXTS)
    assert wait_for(lambda: not running(process.pid), 10)
    with pytest.raises(ModelError, match="the parse process ended"):
        process.parse(TEXTS, vocab)


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads processes from /proc")
def test_the_child_ends_when_the_process_that_started_it_is_killed() -> None:
    script = (
        "import time\n"
        "from sitrep.nlp.parse_process import ParseProcess\n"
        "process = ParseProcess()\n"
        "process.ready(wait=True)\n"
        "print(process.pid, flush=True)\n"
        "time.sleep(120)\n"
    )
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    parent = subprocess.Popen(
        [sys.executable, "-c", script], env=env, stdout=subprocess.PIPE, text=True
    )
    try:
        assert parent.stdout is not None
        pid = int(parent.stdout.readline())
        assert running(pid)
        parent.kill()
        parent.wait(timeout=30)
        assert wait_for(lambda: not running(pid), 20), f"the parse process {pid} runs on"
    finally:
        parent.kill()


def test_an_engine_starts_the_process_for_a_full_window_and_its_docs_match() -> None:
    engine = Engine()
    small = engine.parse_ahead(TEXTS)
    assert engine._parse_process is None  # a batch this small is parsed here
    assert [doc.text for doc in small() if doc is not None] == TEXTS
    assert engine.start_parse_process(wait=True) == ((os.cpu_count() or 1) > 1)
    window = [f"{TEXTS[n % 3]} ({n})" for n in range(BATCH_SIZE)]
    window.append("word " * 5_000)  # too long for a window: parsed alone, here
    docs = list(engine.parse_ahead(window)())
    assert docs[-1] is None
    here = engine.annotate_many(window)
    assert [_annotations(d) for d in docs[:-1] if d] == [_annotations(d) for d in here[:-1] if d]
    assert len([d for d in docs if d is not None]) == BATCH_SIZE
    process = engine._parse_process
    if process is not None:
        process.close()
        assert wait_for(lambda: not running(process.pid), 20)


def test_no_process_for_an_engine_given_its_pipeline_or_told_not_to() -> None:
    nlp = default_engine().nlp
    for engine in (Engine(nlp=nlp), Engine(EngineConfig(parse_process=False))):
        assert not engine.start_parse_process()
        window = [f"{TEXTS[0]} ({n})" for n in range(BATCH_SIZE)]
        assert len(list(engine.parse_ahead(window)())) == BATCH_SIZE
        assert engine._parse_process is None
