"""The ``scenepal`` console script: catches Ctrl-C and SIGTERM from the very first instant.

Importing the command line loads PyAV, OpenCV, matplotlib and typer, which takes a second or
two; a signal in that time must still end in one line and exit code 130, not a traceback.
"""

from __future__ import annotations

import signal
import sys

EXIT_INTERRUPTED = 130


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def main() -> None:
    """Run the command line."""
    # Ctrl-C must interrupt even when the parent started us with SIGINT ignored (background
    # jobs, some test runners): Python would otherwise keep ignoring it.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, _interrupt)
    try:
        from scenepal.cli import run
    except KeyboardInterrupt:
        sys.stderr.write("scenepal: error: interrupted; no outputs were written\n")
        sys.exit(EXIT_INTERRUPTED)
    run()
