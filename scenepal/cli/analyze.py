"""`scenepal analyze`: decode a film once and write its outputs, with a progress bar."""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import typer
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

from scenepal import checkpoint, pipeline
from scenepal._entry import sigterm_as_interrupt
from scenepal.cli._app import (
    EXIT_CODES_HELP,
    EXIT_PARTIAL,
    DebugOption,
    NoReportOption,
    app,
    err,
    errors,
    output_option,
    say_written,
)
from scenepal.cli.render import (
    BarcodeOption,
    DpiOption,
    FormatOption,
    InnerOption,
    PosterOption,
    PrintOption,
    SizeOption,
    SmoothOption,
    TitleOption,
    YearOption,
    request_of,
)
from scenepal.cli.settings import (
    DEFAULTS,
    ColorsOption,
    ColorSpaceOption,
    DetectorOption,
    HdrOption,
    MinSceneLenOption,
    PreviewOption,
    SeedOption,
    ThresholdOption,
    config_from,
)
from scenepal.config import AnalysisConfig
from scenepal.export import analysis_to_json, timecode
from scenepal.models import Analysis
from scenepal.outputs import check_output_folder, default_output_folder, write_outputs
from scenepal.rendering import PictureRequest, barcode_files


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
    if not show or not err.is_terminal:
        yield None
        return
    bar = Progress(
        TextColumn("[bold]{task.description}"),
        BarColumn(bar_width=24),
        TaskProgressColumn(),
        _RateColumn(),
        TextColumn("{task.fields[scenes]} scenes"),
        TimeRemainingColumn(),
        console=err,
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
        err.print(f"scenepal: warning: {line}", markup=False)
    if quiet:
        return
    fps = analysis.frame_count / elapsed if elapsed > 0 else 0.0
    folder = written[0].parent if written else Path()
    err.print(
        f"{len(analysis.scenes)} scenes, {analysis.frame_count} frames in {elapsed:.1f} s "
        f"({fps:.0f} fps); film palette {' '.join(analysis.palette.hex_codes)}",
        markup=False,
    )
    say_written(folder, written)


def _analyze_into(
    video: str,
    folder: Path,
    config: AnalysisConfig,
    *,
    restart: bool,
    quiet: bool,
    report: bool = True,
    pictures: PictureRequest | None = None,
) -> Analysis:
    """Analyse ``video`` (resuming from a checkpoint in ``folder`` unless ``restart``), write
    the outputs into ``folder`` (``report``: report.html too; ``pictures``: the barcodes it
    asks for), remove the checkpoint and report on stderr."""
    if restart:
        checkpoint.remove(folder)

    def resumed(at_s: float) -> None:
        err.print(
            f"scenepal: resuming from {timecode(at_s)[:8]} (checkpoint in {folder}/)",
            markup=False,
        )

    start = time.perf_counter()
    with _progress(not quiet, Path(video).name) as on_progress:
        analysis = pipeline.analyze(
            video, config=config, on_progress=on_progress, checkpoint_dir=folder, on_resume=resumed
        )
    extra = barcode_files(analysis, pictures) if pictures is not None else None
    written = write_outputs(analysis, folder, report=report, extra=extra)
    checkpoint.remove(folder)
    _report(analysis, written, time.perf_counter() - start, quiet)
    return analysis


@app.command(epilog=EXIT_CODES_HELP)
def analyze(
    video: Annotated[str, typer.Argument(help="The film to analyse.", show_default=False)],
    output: Annotated[
        Path | None,
        output_option("Output folder (default: <film>.scenepal/ next to the film)."),
    ] = None,
    colors: ColorsOption = DEFAULTS.colors,
    detector: DetectorOption = DEFAULTS.detector,
    threshold: ThresholdOption = None,
    min_scene_len: MinSceneLenOption = DEFAULTS.min_scene_len,
    seed: SeedOption = DEFAULTS.seed,
    color_space: ColorSpaceOption = DEFAULTS.color_space,
    hdr: HdrOption = DEFAULTS.hdr,
    preview: PreviewOption = False,
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
    no_report: NoReportOption = False,
    barcode: BarcodeOption = None,
    size: SizeOption = None,
    print_size: PrintOption = None,
    dpi: DpiOption = None,
    fmt: FormatOption = None,
    poster: PosterOption = False,
    title: TitleOption = None,
    year: YearOption = None,
    smooth: SmoothOption = None,
    inner: InnerOption = None,
    debug: DebugOption = False,
) -> None:
    """Find the scenes of VIDEO and their palettes; write the outputs.

    Writes analysis.json, timeline.bin, barcode.png, palettes.png, scenes.csv, the statistics
    plots (timeline.png, huewheel.png, vectorscope.png) and report.html to the output folder;
    with picture options (as for render), the barcodes they ask for too.
    \f
    (Not shown in --help: this function is long only by its option declarations, one per
    command-line option; the work is in _analyze_into.)
    """
    with errors(debug), sigterm_as_interrupt():
        config = config_from(locals())
        pictures = request_of(
            barcode, size, print_size, dpi, fmt, poster, title, year, smooth, inner
        )
        folder = check_output_folder(output if output else default_output_folder(video))
        analysis = _analyze_into(
            video,
            folder,
            config,
            restart=restart,
            quiet=quiet,
            report=not no_report,
            pictures=pictures,
        )
        if json_out:
            sys.stdout.write(analysis_to_json(analysis))
            sys.stdout.flush()
        if analysis.partial:
            raise typer.Exit(EXIT_PARTIAL)
