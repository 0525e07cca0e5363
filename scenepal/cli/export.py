"""`scenepal export`: palette files (scenepal.palettes does the work)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from scenepal import palettes
from scenepal.cli._app import (
    EXIT_CODES_HELP,
    EXIT_USAGE,
    AnalysisFileArg,
    DebugOption,
    app,
    errors,
    fail,
    folder_of,
    write_and_say,
)
from scenepal.export import load_analysis


@app.command("export", epilog=EXIT_CODES_HELP)
def export_palette(
    analysis_file: AnalysisFileArg,
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
    debug: DebugOption = False,
) -> None:
    """Write the film's palette (or a scene's, or every scene's) as a palette file."""
    with errors(debug):
        writer = palettes.get_format(fmt)
        if output == "-" and not writer.text:
            fail(f"{writer.name} is a binary format; give a file with -o", EXIT_USAGE)
        analysis = load_analysis(analysis_file)
        data = writer.write(palettes.palette_set(analysis, scene=scene, all_scenes=all_scenes))
        if output == "-":
            sys.stdout.buffer.write(data)
            sys.stdout.flush()
            return
        folder = folder_of(analysis_file)
        target = (
            Path(output)
            if output
            else folder
            / palettes.default_file_name(writer.name, scene=scene, all_scenes=all_scenes)
        )
        write_and_say(target, data)
