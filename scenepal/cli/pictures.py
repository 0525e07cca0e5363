"""`scenepal render`, `scenepal plot` and `scenepal report`: pictures and pages drawn again from
an analysis.json, without decoding."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from scenepal.cli._app import EXIT_CODES_HELP, app, err, errors, folder_of
from scenepal.export import load_analysis
from scenepal.outputs import check_output_folder, figure_png, report_page, write_file, write_outputs
from scenepal.render.plots import plot


@app.command(epilog=EXIT_CODES_HELP)
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
    with errors(debug):
        analysis = load_analysis(analysis_file)
        folder = output or (analysis_file if analysis_file.is_dir() else analysis_file.parent)
        written = write_outputs(analysis, check_output_folder(folder), report=not no_report)
        err.print(f"wrote {folder}/: {', '.join(p.name for p in written)}", markup=False)


@app.command("plot", epilog=EXIT_CODES_HELP)
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
    with errors(debug):
        analysis = load_analysis(analysis_file)
        figure = plot(name, analysis, scene=None if scene is None else scene - 1)
        suffix = "" if scene is None else f"-scene-{scene}"
        target = output or folder_of(analysis_file) / f"{name}{suffix}.png"
        write_file(target, figure_png(figure, analysis.scenepal_version))
        err.print(f"wrote {target}", markup=False)


@app.command("report", epilog=EXIT_CODES_HELP)
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
    with errors(debug):
        analysis = load_analysis(analysis_file)
        page = report_page(analysis)
        target = output or folder_of(analysis_file) / "report.html"
        write_file(target, page)
        err.print(f"wrote {target}", markup=False)
