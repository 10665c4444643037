"""A heartbeat on stderr for runs that take a while, only when a person is watching (stderr is a terminal).

Nothing is printed for quick runs, in CI logs or when stderr is redirected, so output stays byte-for-byte the same
there; the line is erased when the work is done.
"""
from __future__ import annotations

import contextlib
import sys
import threading
import time

DELAY = 3.0      # seconds of silence before the first line: most runs of this repository finish well before
INTERVAL = 1.0


@contextlib.contextmanager
def progress(what: str, stream=None, delay: float = DELAY, interval: float = INTERVAL):
    stream = stream or sys.stderr
    if not _is_terminal(stream):
        yield
        return
    done = threading.Event()
    start = time.monotonic()
    shown = []

    def beat():
        if done.wait(delay):
            return
        while not done.is_set():
            stream.write(f"\rpulse-gate: {what}... {time.monotonic() - start:.0f} s")
            stream.flush()
            shown.append(True)
            done.wait(interval)

    thread = threading.Thread(target=beat, name="pulse-gate-progress", daemon=True)
    thread.start()
    try:
        yield
    finally:
        done.set()
        thread.join()
        if shown:
            stream.write("\r\x1b[K")
            stream.flush()


def _is_terminal(stream) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False
