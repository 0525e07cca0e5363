"""The ``scenepal`` command: a thin typer layer over :func:`scenepal.analyze` and the outputs.

Exit codes: 0 success; 2 usage error; 65 the input is not a usable video; 66 the input does not
exist or is not a file; 73 the output cannot be written; 130 interrupted; 1 anything unexpected
(``--debug`` shows the traceback). Errors are one line on stderr; ``--json`` output goes to
stdout and nothing else does.

One module per command family, each registering its commands on the one typer app in ``_app``:
``analyze`` (decode and write the outputs), ``render`` (the outputs again, and barcodes of any
mode, size and format), ``pictures`` (plot, report), ``export`` (palette files), ``compare``
and ``batch`` (batch, status, corpus: a film library on Dask). A new command family is a new
module imported here.
"""

from __future__ import annotations

from scenepal.cli import analyze, batch, compare, export, pictures, render
from scenepal.cli._app import app

__all__ = ["app", "run"]

# The command modules register on ``app`` when imported.
COMMAND_MODULES = (analyze, batch, compare, export, pictures, render)


def run() -> None:
    """Console-script entry point."""
    app(prog_name="scenepal")
