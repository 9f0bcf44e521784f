"""The parse process: a second process with its own annotation pipeline, parsing a batch's
next window of texts while this process codes the window before it.

In one process, spaCy's parse and sitrep's own coding take turns: the rules, the gazetteer
and the database writes are Python that holds the GIL, so threads cannot run them beside
the parser. In a child process the parse runs on another core. The parsed Docs come back
as a `DocBin` (tokens, tags, lemmas, arcs, entities, sentence starts, norms: every
annotation the stages read) and are rebuilt on this process's vocabulary.

The child is a new interpreter running `main` below, not a fork and not
`multiprocessing`: a fork would copy locks held by this process's other threads (the
read-ahead reader, a web server's request threads), and multiprocessing's "spawn" runs the
caller's main script again in the child when it lacks a `__main__` guard. Texts go to the
child's stdin and Docs come back on its stdout, pickled, one answer per text, in order.
The child ends when its stdin closes: when this process closes it or is gone, however it
ended. It loads sitrep and the model itself, a few seconds, so `ready` tells the caller
when sending it texts is worth it.
"""

from __future__ import annotations

import os
import pickle
import queue
import signal
import subprocess
import sys
import threading
from collections import deque
from collections.abc import Callable
from concurrent.futures import Future
from functools import partial
from typing import IO, Any

from spacy.tokens import Doc, DocBin
from spacy.vocab import Vocab

from sitrep.errors import ModelError
from sitrep.nlp.annotate import build_annotation_pipeline

#: The longest `ready(wait=True)` waits for the child to load sitrep and the model.
START_SECONDS = 120
#: The longest a text's Doc is waited for. No text the child is sent (20,000 characters at
#: most) takes nearly as long: past it the child is taken to be stuck and is ended.
DOC_SECONDS = 300
#: Texts per `nlp.pipe` batch in the child. spaCy gives a batch's Docs only once all of it
#: is parsed: in batches of a window's size, this process would wait for the whole window,
#: then code it while the child sits idle. Batches of 8 parse about as fast (measured).
STREAM_BATCH = 8


class ParseProcess:
    """One child process that parses windows of texts, in the order they came, and sends
    back each Doc as soon as it is parsed (the first can be coded while the rest parse)."""

    def __init__(self) -> None:
        # The child imports the same sitrep as this process, however it was found.
        path = os.pathsep.join(entry for entry in sys.path if entry)
        self._child = subprocess.Popen(
            [sys.executable, "-c", f"from {__name__} import main; main()"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            env={**os.environ, "PYTHONPATH": path},
        )
        self._lock = threading.Lock()
        self._windows_sent = 0
        self._loaded: Future[bytes] = Future()
        # (window number, the answer awaited) for every text sent and not answered yet.
        self._waiting: deque[tuple[int, Future[bytes]]] = deque([(0, self._loaded)])
        self._gone: str | None = None
        threading.Thread(
            target=self._read_answers, name="sitrep-parse-answers", daemon=True
        ).start()

    @property
    def pid(self) -> int:
        """The child's process id."""
        return self._child.pid

    def ready(self, wait: bool = False) -> bool:
        """Whether the child has loaded its pipeline (until then a window is parsed sooner
        here); `wait` waits for it, up to START_SECONDS. Raises ModelError when the child
        could not start, TimeoutError when it took longer."""
        if not wait and not self._loaded.done():
            return False
        self._loaded.result(timeout=START_SECONDS)
        return True

    def parse(self, texts: list[str], vocab: Vocab) -> list[Callable[[], Doc | None]]:
        """Send `texts` to the child now; for each text, a function that waits for its Doc,
        on `vocab`, or gives None when spaCy failed on this window or the child is gone
        (the caller then parses the text itself, alone, so that a failure stays with its
        own text). Raises ModelError when the child is gone already."""
        answers: list[Future[bytes]] = [Future() for _ in texts]
        with self._lock:
            if self._gone is not None:
                raise ModelError(self._gone)
            self._windows_sent += 1
            self._waiting.extend((self._windows_sent, answer) for answer in answers)
            try:
                _send(self._child.stdin, texts)
            except OSError as error:
                for _ in answers:
                    self._waiting.pop()
                raise ModelError(f"the parse process is gone ({error})") from error
        return [partial(self._doc, answer, vocab) for answer in answers]

    def close(self) -> None:
        """End the child (it stops once the window it is parsing is done)."""
        if self._child.stdin is not None:
            try:
                self._child.stdin.close()
            except OSError:
                pass  # the child is gone already

    def _doc(self, answer: Future[bytes], vocab: Vocab) -> Doc | None:
        try:
            parsed = answer.result(timeout=DOC_SECONDS)
        except TimeoutError:
            self._child.kill()  # stuck: every text still waiting is parsed here
            return None
        except ModelError:
            return None
        try:
            return next(DocBin().from_bytes(parsed).get_docs(vocab))
        except Exception:  # noqa: BLE001 - an unreadable answer: the text is parsed here
            return None

    def _read_answers(self) -> None:
        answers = self._child.stdout
        try:
            while True:
                kind, value = pickle.load(answers)  # type: ignore[arg-type]
                with self._lock:
                    window, answer = self._waiting.popleft()
                    if kind == "doc":
                        answer.set_result(value)
                        continue
                    # The child gave up on this window: its texts left are parsed here.
                    failed = [answer]
                    while self._waiting and self._waiting[0][0] == window:
                        failed.append(self._waiting.popleft()[1])
                for answer in failed:
                    answer.set_exception(ModelError(f"the parse process: {value}"))
        except (EOFError, OSError, pickle.UnpicklingError, ValueError) as error:
            self._child.kill()  # done already, or its answers are unreadable: it cannot go on
            ended = self._child.wait()
            with self._lock:
                self._gone = f"the parse process ended (exit status {ended}; {error or 'EOF'})"
                while self._waiting:
                    self._waiting.popleft()[1].set_exception(ModelError(self._gone))


def _send(stream: IO[bytes] | None, value: Any) -> None:
    if stream is None:
        raise OSError("no pipe to the parse process")
    pickle.dump(value, stream, protocol=pickle.HIGHEST_PROTOCOL)
    stream.flush()


def main() -> None:
    """The child: windows of texts in on stdin; on the original stdout, in order, ("doc",
    its DocBin's bytes) for each text, or ("error", why) for the rest of a window spaCy
    failed on; first ("doc", b"") once the pipeline is loaded."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is for the parent to handle
    answers = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)  # what anything prints goes to stderr, not into the answers
    windows: queue.Queue[list[str] | None] = queue.Queue()
    # Requests are read as they come, so a parent sending the next window never blocks.
    threading.Thread(target=_read_windows, args=(windows,), daemon=True).start()
    try:
        nlp = build_annotation_pipeline()
    except Exception as error:  # noqa: BLE001 - told to the parent, which parses itself
        _send(answers, ("error", f"cannot load the model: {error}"))
        return
    _send(answers, ("doc", b""))
    while (texts := windows.get()) is not None:
        try:
            for doc in nlp.pipe(texts, batch_size=STREAM_BATCH):
                _send(answers, ("doc", DocBin(store_user_data=False, docs=[doc]).to_bytes()))
        except Exception as error:  # noqa: BLE001 - the parent parses the rest alone
            _send(answers, ("error", f"{type(error).__name__}: {error}"))


def _read_windows(windows: queue.Queue[list[str] | None]) -> None:
    try:
        while True:
            windows.put(pickle.load(sys.stdin.buffer))
    except (EOFError, OSError, pickle.UnpicklingError):
        windows.put(None)  # the parent closed the pipe or is gone: end
