"""The ``scenepal`` command: a thin typer layer over :func:`scenepal.analyze` and the outputs.

Exit codes: 0 success; 2 usage error; 65 the input is not a usable video; 66 the input does not
exist or is not a file; 73 the output cannot be written; 130 interrupted; 1 anything unexpected
(``--debug`` shows the traceback). Errors are one line on stderr; ``--json`` output goes to
stdout and nothing else does.
"""

from __future__ import annotations

import json
import sys
import time
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, NoReturn

import typer
from rich.console import Console
from rich.progress import (
    BarColumn,
    Progress,
    ProgressColumn,
    Task,
    TaskProgressColumn,
    TextColumn,
    TimeRemainingColumn,
)
from rich.text import Text

from scenepal import checkpoint, palettes, pipeline
from scenepal._entry import EXIT_INTERRUPTED, sigterm_as_interrupt
from scenepal._version import __version__
from scenepal.compare import compare, comparison_csv, comparison_to_dict, describe
from scenepal.config import COLOR_SPACES, HDR_MODES, AnalysisConfig
from scenepal.errors import (
    AnalysisFileError,
    ConfigError,
    InputNotFoundError,
    OutputError,
    ScenepalError,
    VideoOpenError,
)
from scenepal.export import analysis_to_json, load_analysis, timecode
from scenepal.models import Analysis
from scenepal.outputs import (
    check_output_folder,
    default_output_folder,
    figure_png,
    report_page,
    write_file,
    write_outputs,
)
from scenepal.render.comparison import comparison_figure
from scenepal.render.plots import plot
from scenepal.scenes import DETECTORS

EXIT_OK = 0
EXIT_UNEXPECTED = 1
EXIT_USAGE = 2
EXIT_PARTIAL = 3
EXIT_DATAERR = 65
EXIT_NOINPUT = 66
EXIT_CANTCREAT = 73

_EXIT_CODES_HELP = (
    "Exit codes: 0 success, 2 usage error, 3 partial result (the file ends early; see coverage "
    "in analysis.json), 65 not a usable video, 66 input missing or not a file, 73 output cannot "
    "be written, 130 interrupted, 1 unexpected error."
)

app = typer.Typer(
    name="scenepal",
    help="Read a film and tell its colour story: scenes, palettes, a movie barcode.\n\n"
    + _EXIT_CODES_HELP,
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)

_err = Console(stderr=True, highlight=False, soft_wrap=True)


def _fail(message: str, code: int) -> NoReturn:
    _err.print(f"scenepal: error: {message}", markup=False)
    raise typer.Exit(code)


def _code_for(exc: ScenepalError) -> int:
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
def _errors(debug: bool) -> Iterator[None]:
    """Turn every failure into one line on stderr and an exit code."""
    try:
        yield
    except typer.Exit:
        raise
    except ScenepalError as exc:
        if debug:
            traceback.print_exc()
        _fail(str(exc), _code_for(exc))
    except KeyboardInterrupt:
        _fail("interrupted; no outputs were written", EXIT_INTERRUPTED)
    except Exception as exc:  # the last line of defence: one line, not a traceback
        if debug:
            traceback.print_exc()
        _fail(
            f"unexpected {exc.__class__.__name__}: {exc} (run with --debug for details)",
            EXIT_UNEXPECTED,
        )


class _RateColumn(ProgressColumn):
    """Frames decoded per second."""

    def render(self, task: Task) -> Text:
        frames = task.fields.get("frames", 0)
        elapsed = task.elapsed or 0.0
        rate = frames / elapsed if elapsed > 0 else 0.0
        return Text(f"{frames} frames, {rate:.0f} fps", style="progress.data.speed")


@contextmanager
def _progress(show: bool, label: str) -> Iterator[Callable[[pipeline.Progress], None] | None]:
    """A rich progress bar on stderr, or nothing when stderr is not a terminal or quiet."""
    if not show or not _err.is_terminal:
        yield None
        return
    bar = Progress(
        TextColumn("[bold]{task.description}"),
        BarColumn(bar_width=24),
        TaskProgressColumn(),
        _RateColumn(),
        TextColumn("{task.fields[scenes]} scenes"),
        TimeRemainingColumn(),
        console=_err,
        transient=True,
    )
    with bar:
        task = bar.add_task(label, total=None, frames=0, scenes=0)

        def update(p: pipeline.Progress) -> None:
            total = p.duration_s if p.duration_s else None
            bar.update(task, total=total, completed=p.time_s, frames=p.frames, scenes=p.scenes)

        yield update


def _report(analysis: Analysis, written: list[Path], elapsed: float, quiet: bool) -> None:
    for line in analysis.warnings:
        _err.print(f"scenepal: warning: {line}", markup=False)
    if quiet:
        return
    fps = analysis.frame_count / elapsed if elapsed > 0 else 0.0
    folder = written[0].parent if written else Path()
    _err.print(
        f"{len(analysis.scenes)} scenes, {analysis.frame_count} frames in {elapsed:.1f} s "
        f"({fps:.0f} fps); film palette {' '.join(analysis.palette.hex_codes)}",
        markup=False,
    )
    _err.print(f"wrote {folder}/: {', '.join(p.name for p in written)}", markup=False)


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


def _analyze_into(
    video: str,
    folder: Path,
    config: AnalysisConfig,
    *,
    restart: bool,
    quiet: bool,
    report: bool = True,
) -> Analysis:
    """Analyse ``video`` (resuming from a checkpoint in ``folder`` unless ``restart``), write
    the outputs into ``folder`` (``report``: report.html too), remove the checkpoint and report
    on stderr."""
    if restart:
        checkpoint.remove(folder)

    def resumed(at_s: float) -> None:
        _err.print(
            f"scenepal: resuming from {timecode(at_s)[:8]} (checkpoint in {folder}/)",
            markup=False,
        )

    start = time.perf_counter()
    with _progress(not quiet, Path(video).name) as on_progress:
        analysis = pipeline.analyze(
            video, config=config, on_progress=on_progress, checkpoint_dir=folder, on_resume=resumed
        )
    written = write_outputs(analysis, folder, report=report)
    checkpoint.remove(folder)
    _report(analysis, written, time.perf_counter() - start, quiet)
    return analysis


_DEFAULTS = AnalysisConfig()


@app.command(epilog=_EXIT_CODES_HELP)
def analyze(
    video: Annotated[str, typer.Argument(help="The film to analyse.", show_default=False)],
    output: Annotated[
        Path | None,
        typer.Option(
            "--output", "-o", help="Output folder (default: <film>.scenepal/ next to the film)."
        ),
    ] = None,
    colors: Annotated[
        int, typer.Option("--colors", "-k", min=1, max=32, help="Colours per palette.")
    ] = _DEFAULTS.colors,
    detector: Annotated[
        str,
        typer.Option("--detector", "-d", help=f"Scene detector: {', '.join(DETECTORS)}."),
    ] = _DEFAULTS.detector,
    threshold: Annotated[
        float | None,
        typer.Option(help="Detector threshold (default: the detector's own)."),
    ] = None,
    min_scene_len: Annotated[
        int, typer.Option(min=1, help="Shortest scene, in frames.")
    ] = _DEFAULTS.min_scene_len,
    seed: Annotated[int, typer.Option(min=0, help="Clustering seed.")] = _DEFAULTS.seed,
    color_space: Annotated[
        str, typer.Option(help=f"Space to cluster in: {', '.join(COLOR_SPACES)}.")
    ] = _DEFAULTS.color_space,
    hdr: Annotated[
        str, typer.Option(help=f"HDR handling: {', '.join(HDR_MODES)}.")
    ] = _DEFAULTS.hdr,
    preview: Annotated[
        bool,
        typer.Option(
            "--preview", help="Keyframes only: many times faster, approximate scene boundaries."
        ),
    ] = False,
    restart: Annotated[
        bool,
        typer.Option(
            "--restart", help="Ignore a checkpoint left by an interrupted run; start again."
        ),
    ] = False,
    json_out: Annotated[
        bool, typer.Option("--json", help="Print analysis.json to stdout.")
    ] = False,
    quiet: Annotated[
        bool, typer.Option("--quiet", "-q", help="No progress bar and no summary.")
    ] = False,
    no_report: Annotated[
        bool, typer.Option("--no-report", help="Do not write report.html.")
    ] = False,
    debug: Annotated[bool, typer.Option(help="Show tracebacks of unexpected errors.")] = False,
) -> None:
    """Find the scenes of VIDEO and their palettes; write the outputs.

    Writes analysis.json, barcode.png, palettes.png, scenes.csv, the statistics plots
    (timeline.png, huewheel.png, vectorscope.png) and report.html to the output folder.
    \f
    (Not shown in --help: this function is long only by its option declarations, one per
    command-line option; the work is in _analyze_into.)
    """
    with _errors(debug), sigterm_as_interrupt():
        config = AnalysisConfig(
            colors=colors,
            detector=detector,
            threshold=threshold,
            min_scene_len=min_scene_len,
            seed=seed,
            color_space=color_space,
            hdr=hdr,
            preview=preview,
        )
        folder = check_output_folder(output if output else default_output_folder(video))
        analysis = _analyze_into(
            video, folder, config, restart=restart, quiet=quiet, report=not no_report
        )
        if json_out:
            sys.stdout.write(analysis_to_json(analysis))
            sys.stdout.flush()
        if analysis.partial:
            raise typer.Exit(EXIT_PARTIAL)


@app.command(epilog=_EXIT_CODES_HELP)
def render(
    analysis_file: Annotated[
        Path, typer.Argument(help="An analysis.json, or the folder holding it.")
    ],
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", help="Output folder (default: the analysis's folder)."),
    ] = None,
    no_report: Annotated[
        bool, typer.Option("--no-report", help="Do not write report.html.")
    ] = False,
    debug: Annotated[bool, typer.Option(help="Show tracebacks of unexpected errors.")] = False,
) -> None:
    """Redraw the pictures, plots, report and scenes.csv from an analysis.json, without
    decoding."""
    with _errors(debug):
        analysis = load_analysis(analysis_file)
        folder = output or (analysis_file if analysis_file.is_dir() else analysis_file.parent)
        written = write_outputs(analysis, check_output_folder(folder), report=not no_report)
        _err.print(f"wrote {folder}/: {', '.join(p.name for p in written)}", markup=False)


# --- palette files: `scenepal export` (scenepal.palettes does the work) ---


@app.command("export", epilog=_EXIT_CODES_HELP)
def export_palette(
    analysis_file: Annotated[
        Path, typer.Argument(help="An analysis.json, or the folder holding it.")
    ],
    fmt: Annotated[
        str,
        typer.Option(
            "--format",
            "-f",
            help="; ".join(f"{f.name}: {f.description}" for f in palettes.FORMATS.values()),
            show_default=False,
        ),
    ],
    scene: Annotated[
        int | None,
        typer.Option(min=1, help="One scene's palette (scenes numbered from 1, as on the sheet)."),
    ] = None,
    all_scenes: Annotated[
        bool, typer.Option("--all-scenes", help="Every scene's palette, each as a group.")
    ] = False,
    output: Annotated[
        str | None,
        typer.Option(
            "--output",
            "-o",
            help="The file to write, - for standard output (text formats); default: "
            "palette[-scene-N|-all-scenes].EXT beside the analysis.",
        ),
    ] = None,
    debug: Annotated[bool, typer.Option(help="Show tracebacks of unexpected errors.")] = False,
) -> None:
    """Write the film's palette (or a scene's, or every scene's) as a palette file."""
    with _errors(debug):
        writer = palettes.get_format(fmt)
        if output == "-" and not writer.text:
            _fail(f"{writer.name} is a binary format; give a file with -o", EXIT_USAGE)
        analysis = load_analysis(analysis_file)
        data = writer.write(palettes.palette_set(analysis, scene=scene, all_scenes=all_scenes))
        if output == "-":
            sys.stdout.buffer.write(data)
            sys.stdout.flush()
            return
        folder = analysis_file if analysis_file.is_dir() else analysis_file.parent
        target = (
            Path(output)
            if output
            else folder
            / palettes.default_file_name(writer.name, scene=scene, all_scenes=all_scenes)
        )
        write_file(target, data)
        _err.print(f"wrote {target}", markup=False)


# --- statistics: `scenepal plot`, `scenepal report`, `scenepal compare` (issue 12) ---


def _folder_of(analysis_file: Path) -> Path:
    return analysis_file if analysis_file.is_dir() else analysis_file.parent


@app.command("plot", epilog=_EXIT_CODES_HELP)
def plot_command(
    name: Annotated[str, typer.Argument(help="timeline, huewheel or vectorscope.")],
    analysis_file: Annotated[
        Path, typer.Argument(help="An analysis.json, or the folder holding it.")
    ],
    scene: Annotated[
        int | None,
        typer.Option(min=1, help="One scene's hue wheel (scenes numbered from 1)."),
    ] = None,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output", "-o", help="The PNG to write (default: NAME[-scene-N].png beside it)."
        ),
    ] = None,
    debug: Annotated[bool, typer.Option(help="Show tracebacks of unexpected errors.")] = False,
) -> None:
    """Draw one statistics plot of an analysis (the film's, or one scene's hue wheel)."""
    with _errors(debug):
        analysis = load_analysis(analysis_file)
        figure = plot(name, analysis, scene=None if scene is None else scene - 1)
        suffix = "" if scene is None else f"-scene-{scene}"
        target = output or _folder_of(analysis_file) / f"{name}{suffix}.png"
        write_file(target, figure_png(figure, analysis.scenepal_version))
        _err.print(f"wrote {target}", markup=False)


@app.command("report", epilog=_EXIT_CODES_HELP)
def report_command(
    analysis_file: Annotated[
        Path, typer.Argument(help="An analysis.json, or the folder holding it.")
    ],
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", help="The page to write (default: report.html beside it)."),
    ] = None,
    debug: Annotated[bool, typer.Option(help="Show tracebacks of unexpected errors.")] = False,
) -> None:
    """Write report.html, one self-contained page about an analysis (no decoding)."""
    with _errors(debug):
        analysis = load_analysis(analysis_file)
        page = report_page(analysis)
        target = output or _folder_of(analysis_file) / "report.html"
        write_file(target, page)
        _err.print(f"wrote {target}", markup=False)


@app.command("compare", epilog=_EXIT_CODES_HELP)
def compare_command(
    a_file: Annotated[Path, typer.Argument(help="Analysis A (the reference).")],
    b_file: Annotated[Path, typer.Argument(help="Analysis B, compared with A.")],
    output: Annotated[
        Path, typer.Option("--output", "-o", help="Folder for compare.json, .csv and .png.")
    ] = Path("compare"),
    offset: Annotated[
        float | None,
        typer.Option(help="B time minus A time in seconds, when known (default: found)."),
    ] = None,
    debug: Annotated[bool, typer.Option(help="Show tracebacks of unexpected errors.")] = False,
) -> None:
    """Align two analyses of one film (two grades, two transfers) and write how B differs
    from A: compare.json, compare.csv and compare.png."""
    with _errors(debug):
        a, b = load_analysis(a_file), load_analysis(b_file)
        result = compare(a, b, offset_s=offset)
        folder = check_output_folder(output)
        folder.mkdir(parents=True, exist_ok=True)
        version = a.scenepal_version
        files = {
            "compare.json": (json.dumps(comparison_to_dict(result), indent=2) + "\n").encode(),
            "compare.csv": comparison_csv(result).encode(),
            "compare.png": figure_png(comparison_figure(a, b, result), version),
        }
        for name, data in files.items():
            write_file(folder / name, data)
        _err.print(describe(result), markup=False)
        _err.print(f"wrote {folder}/: {', '.join(files)}", markup=False)


def run() -> None:
    """Console-script entry point."""
    app(prog_name="scenepal")
