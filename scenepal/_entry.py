"""The ``scenepal`` console script: catches Ctrl-C and SIGTERM from the very first instant.

Importing the command line loads PyAV, OpenCV, matplotlib and typer, which takes a second or
two; a signal in that time must still end in one line and exit code 130, not a traceback.
This module imports nothing heavy, so the handlers are in place before those imports start.
"""

from __future__ import annotations

import signal
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager

EXIT_INTERRUPTED = 130


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


@contextmanager
def _handled(handler: Callable[[int, object], None], *signums: int) -> Iterator[None]:
    """``handler`` handles ``signums`` during the block; the previous handlers come back
    afterwards. Outside the main thread, where handlers cannot be set, the block runs
    unchanged."""
    try:
        previous = {s: signal.signal(s, handler) for s in signums}
    except ValueError:
        yield
        return
    try:
        yield
    finally:
        for signum, old in previous.items():
            signal.signal(signum, old)


@contextmanager
def sigterm_as_interrupt() -> Iterator[None]:
    """SIGTERM ends the block like Ctrl-C (a ``KeyboardInterrupt``): cleanly, without partial
    outputs."""
    with _handled(_interrupt, signal.SIGTERM):
        yield


class HeldInterrupt(KeyboardInterrupt):
    """A Ctrl-C or SIGTERM held back by :func:`interrupts_held` and raised once its block had
    finished: what the block did is complete (the outputs are in place), the rest was not done."""


@contextmanager
def interrupts_held() -> Iterator[None]:
    """Hold Ctrl-C and SIGTERM back until the block is done, then interrupt (with
    :class:`HeldInterrupt`): for steps that must not be left half-done (the renames that put a
    run's outputs in place)."""
    held: list[int] = []
    with _handled(lambda signum, frame: held.append(signum), signal.SIGINT, signal.SIGTERM):
        yield
    if held:
        raise HeldInterrupt


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
