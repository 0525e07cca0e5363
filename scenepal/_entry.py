"""The ``scenepal`` console script: catches Ctrl-C and SIGTERM from the very first instant.

Importing the command line loads PyAV, OpenCV, matplotlib and typer, which takes a second or
two; a signal in that time must still end in one line and exit code 130, not a traceback.
This module imports nothing heavy, so the handlers are in place before those imports start.
"""

from __future__ import annotations

import signal
import sys
from collections.abc import Iterator
from contextlib import contextmanager

EXIT_INTERRUPTED = 130


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


@contextmanager
def sigterm_as_interrupt() -> Iterator[None]:
    """SIGTERM ends the block like Ctrl-C (a ``KeyboardInterrupt``): cleanly, without partial
    outputs. The previous handler comes back afterwards. Outside the main thread (where
    handlers cannot be set, e.g. a test runner's thread) the block runs unchanged."""
    try:
        previous = signal.signal(signal.SIGTERM, _interrupt)
    except ValueError:
        yield
        return
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def main() -> None:
    """Run the command line."""
    # Ctrl-C must interrupt even when the parent started us with SIGINT ignored (background
    # jobs, some test runners): Python would otherwise keep ignoring it.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    with sigterm_as_interrupt():
        try:
            from scenepal.cli import run
        except KeyboardInterrupt:
            sys.stderr.write("scenepal: error: interrupted; no outputs were written\n")
            sys.exit(EXIT_INTERRUPTED)
        run()
