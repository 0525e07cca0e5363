"""The typer app every command registers on, the exit codes, and how failures become one line
on stderr and an exit code."""

from __future__ import annotations

import traceback
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any, NoReturn

import typer
from rich.console import Console

from scenepal._entry import EXIT_INTERRUPTED, HeldInterrupt
from scenepal._version import __version__
from scenepal.errors import (
    AnalysisFileError,
    ConfigError,
    InputNotFoundError,
    OutputError,
    ScenepalError,
    VideoOpenError,
)
from scenepal.outputs import write_file

EXIT_OK = 0
EXIT_UNEXPECTED = 1
EXIT_USAGE = 2
EXIT_PARTIAL = 3
EXIT_DATAERR = 65
EXIT_NOINPUT = 66
EXIT_CANTCREAT = 73

EXIT_CODES_HELP = (
    "Exit codes: 0 success, 2 usage error, 3 partial result (the file ends early; see coverage "
    "in analysis.json), 65 not a usable video, 66 input missing or not a file, 73 output cannot "
    "be written, 130 interrupted, 1 unexpected error."
)

app = typer.Typer(
    name="scenepal",
    help="Read a film and tell its colour story: scenes, palettes, a movie barcode.\n\n"
    + EXIT_CODES_HELP,
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)

err = Console(stderr=True, highlight=False, soft_wrap=True)


def fail(message: str, code: int) -> NoReturn:
    err.print(f"scenepal: error: {message}", markup=False)
    raise typer.Exit(code)


def code_for(exc: ScenepalError) -> int:
    if isinstance(exc, InputNotFoundError):
        return EXIT_NOINPUT
    if isinstance(exc, VideoOpenError | AnalysisFileError):
        return EXIT_DATAERR
    if isinstance(exc, OutputError):
        return EXIT_CANTCREAT
    if isinstance(exc, ConfigError):
        return EXIT_USAGE
    return EXIT_UNEXPECTED


@contextmanager
def errors(debug: bool) -> Iterator[None]:
    """Turn every failure into one line on stderr and an exit code."""
    try:
        yield
    except typer.Exit:
        raise
    except ScenepalError as exc:
        if debug:
            traceback.print_exc()
        fail(str(exc), code_for(exc))
    except HeldInterrupt:
        fail(
            "interrupted once the outputs were in place; nothing after them was done",
            EXIT_INTERRUPTED,
        )
    except KeyboardInterrupt:
        fail("interrupted; no outputs were written", EXIT_INTERRUPTED)
    except Exception as exc:  # the last line of defence: one line, not a traceback
        if debug:
            traceback.print_exc()
        fail(
            f"unexpected {exc.__class__.__name__}: {exc} (run with --debug for details)",
            EXIT_UNEXPECTED,
        )


def _version(value: bool) -> None:
    if value:
        typer.echo(f"scenepal {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Show the version."),
    ] = False,
) -> None:
    """Read a film and tell its colour story: scenes, palettes, a movie barcode."""


AnalysisFileArg = Annotated[
    Path, typer.Argument(help="An analysis.json, or the folder holding it.")
]
"""The analysis argument of every command that reads one."""
DebugOption = Annotated[bool, typer.Option(help="Show tracebacks of unexpected errors.")]
"""``--debug``, on every command."""
NoReportOption = Annotated[bool, typer.Option("--no-report", help="Do not write report.html.")]
"""``--no-report``, on the commands that write the outputs."""


def output_option(help_text: str) -> Any:
    """``--output``/``-o`` with its help (the type is the command's own)."""
    return typer.Option("--output", "-o", help=help_text)


def write_and_say(target: Path, data: bytes) -> None:
    """Write one output file (atomically) and say so on stderr."""
    write_file(target, data)
    err.print(f"wrote {target}", markup=False)


def say_written(folder: Path, written: list[Path]) -> None:
    """Say on stderr which outputs were written into ``folder``: the files, and each sub-folder
    once with its count (``thumbs/ (1,200 files)``), not a thousand thumbnail names."""
    names: dict[str, int] = {}
    for path in written:
        parts = path.relative_to(folder).parts if path.is_relative_to(folder) else (path.name,)
        key = parts[0] + ("/" if len(parts) > 1 else "")
        names[key] = names.get(key, 0) + 1
    listed = [f"{n} ({count:,} files)" if n.endswith("/") else n for n, count in names.items()]
    err.print(f"wrote {folder}/: {', '.join(listed)}", markup=False)


def folder_of(analysis_file: Path) -> Path:
    """The folder an analysis.json argument names (the file's folder, or the folder itself)."""
    return analysis_file if analysis_file.is_dir() else analysis_file.parent
