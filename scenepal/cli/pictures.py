"""`scenepal plot` and `scenepal report`: plots and pages drawn again from an analysis.json,
without decoding (`scenepal render` is in :mod:`scenepal.cli.render`)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from scenepal.cli._app import (
    EXIT_CODES_HELP,
    AnalysisFileArg,
    DebugOption,
    app,
    errors,
    folder_of,
    output_option,
    write_and_say,
)
from scenepal.export import load_analysis
from scenepal.outputs import figure_png, report_page
from scenepal.render.plots import plot


@app.command("plot", epilog=EXIT_CODES_HELP)
def plot_command(
    name: Annotated[str, typer.Argument(help="timeline, huewheel or vectorscope.")],
    analysis_file: AnalysisFileArg,
    scene: Annotated[
        int | None,
        typer.Option(min=1, help="One scene's hue wheel (scenes numbered from 1)."),
    ] = None,
    output: Annotated[
        Path | None,
        output_option("The PNG to write (default: NAME[-scene-N].png beside it)."),
    ] = None,
    debug: DebugOption = False,
) -> None:
    """Draw one statistics plot of an analysis (the film's, or one scene's hue wheel)."""
    with errors(debug):
        analysis = load_analysis(analysis_file)
        figure = plot(name, analysis, scene=None if scene is None else scene - 1)
        suffix = "" if scene is None else f"-scene-{scene}"
        target = output or folder_of(analysis_file) / f"{name}{suffix}.png"
        write_and_say(target, figure_png(figure, analysis.scenepal_version))


@app.command("report", epilog=EXIT_CODES_HELP)
def report_command(
    analysis_file: AnalysisFileArg,
    output: Annotated[
        Path | None,
        output_option("The page to write (default: report.html beside it)."),
    ] = None,
    debug: DebugOption = False,
) -> None:
    """Write report.html, one self-contained page about an analysis (no decoding)."""
    with errors(debug):
        analysis = load_analysis(analysis_file)
        page = report_page(analysis)
        target = output or folder_of(analysis_file) / "report.html"
        write_and_say(target, page)
