"""`scenepal render`: the outputs drawn again from an analysis.json, or barcodes of any mode,
size and format (`--barcode`, `--size`/`--print`, `--format`, `--poster`); the picture options
are shared with `scenepal analyze`."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from scenepal.cli._app import (
    EXIT_CODES_HELP,
    EXIT_USAGE,
    AnalysisFileArg,
    DebugOption,
    NoReportOption,
    app,
    errors,
    fail,
    folder_of,
    output_option,
    say_written,
)
from scenepal.export import load_analysis
from scenepal.outputs import check_output_folder, write_outputs
from scenepal.render.barcodes import MODES
from scenepal.rendering import PictureRequest, barcode_files, picture_request, write_pictures

_MODES_HELP = "; ".join(f"{m.name}: {m.description}" for m in MODES.values())

BarcodeOption = Annotated[
    str | None,
    typer.Option(
        "--barcode",
        "-b",
        help=f"Barcode modes to draw, comma-separated, each as barcode-MODE.EXT. {_MODES_HELP}.",
        show_default=False,
    ),
]
SizeOption = Annotated[
    str | None,
    typer.Option(
        "--size",
        help="Picture size WIDTHxHEIGHT in pixels (default 2400x800 for strips, 1600x1600 for "
        "rings).",
        show_default=False,
    ),
]
PrintOption = Annotated[
    str | None,
    typer.Option(
        "--print",
        help="Printed size WIDTHxHEIGHT in cm or in (40x10cm, 16x4in), drawn at --dpi.",
        show_default=False,
    ),
]
DpiOption = Annotated[
    int | None,
    typer.Option(
        "--dpi",
        help="Dots per inch of --print (default 300); SVG and PDF drawn at --size get their "
        "physical size from it.",
        show_default=False,
    ),
]
FormatOption = Annotated[
    str | None,
    typer.Option(
        "--format",
        "-f",
        help="png, svg or pdf, several comma-separated (default png); SVG and PDF are vector.",
        show_default=False,
    ),
]
PosterOption = Annotated[
    bool,
    typer.Option(
        "--poster",
        help="A print layout around each barcode (poster-MODE.EXT): title, year, the film's "
        "palette and a time axis.",
    ),
]
TitleOption = Annotated[
    str | None, typer.Option("--title", help="The poster's title (default: the film's file name).")
]
YearOption = Annotated[int | None, typer.Option("--year", help="The poster's year.")]
SmoothOption = Annotated[
    int | None,
    typer.Option(
        "--smooth",
        help="frames modes: average each column with its neighbours over N columns.",
        show_default=False,
    ),
]
InnerOption = Annotated[
    float | None,
    typer.Option(
        "--inner",
        help="ring modes: the hole's radius as a share of the ring's (default 0.5).",
        show_default=False,
    ),
]


def request_of(
    barcode: str | None,
    size: str | None,
    print_size: str | None,
    dpi: int | None,
    fmt: str | None,
    poster: bool,
    title: str | None,
    year: int | None,
    smooth: int | None,
    inner: float | None,
) -> PictureRequest | None:
    """The barcodes the picture options ask for (``--barcode scenes`` when only other picture
    options are given), or None when none is given.

    Raises:
        ConfigError: a mode, format, size or option is unknown, malformed or does not apply.
    """
    given = (size, print_size, dpi, fmt, title, year, smooth, inner)
    if barcode is None and not poster and all(v is None for v in given):
        return None
    return picture_request(
        barcode or "scenes",
        size=size,
        print_size=print_size,
        dpi=dpi,
        formats=fmt or "png",
        poster=poster,
        title=title,
        year=year,
        smooth=smooth,
        inner=inner,
    )


@app.command(epilog=EXIT_CODES_HELP)
def render(
    analysis_file: AnalysisFileArg,
    output: Annotated[
        Path | None, output_option("Output folder (default: the analysis's folder).")
    ] = None,
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
    no_report: NoReportOption = False,
    debug: DebugOption = False,
) -> None:
    """Draw pictures from an analysis.json, without the film.

    Without picture options: the pictures, plots, report and scenes.csv again. With them: the
    barcodes asked for, as barcode-MODE.EXT (poster-MODE.EXT with --poster).
    \f
    (Not shown in --help: long only by its option declarations.)
    """
    with errors(debug):
        request = request_of(
            barcode, size, print_size, dpi, fmt, poster, title, year, smooth, inner
        )
        if request is not None and no_report:
            fail("--no-report is for redrawing the outputs, not with picture options", EXIT_USAGE)
        analysis = load_analysis(analysis_file)
        folder = check_output_folder(output or folder_of(analysis_file))
        if request is None:
            written = write_outputs(analysis, folder, report=not no_report)
        else:
            written = write_pictures(barcode_files(analysis, request), folder)
        say_written(folder, written)
