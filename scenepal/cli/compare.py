"""`scenepal compare`: how one analysis of a film differs from another (two grades, two
transfers)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from scenepal.cli._app import EXIT_CODES_HELP, DebugOption, app, err, errors, output_option
from scenepal.compare import compare, comparison_csv, comparison_to_dict, describe
from scenepal.export import load_analysis
from scenepal.outputs import check_output_folder, figure_png, write_file
from scenepal.render.comparison import comparison_figure


@app.command("compare", epilog=EXIT_CODES_HELP)
def compare_command(
    a_file: Annotated[Path, typer.Argument(help="Analysis A (the reference).")],
    b_file: Annotated[Path, typer.Argument(help="Analysis B, compared with A.")],
    output: Annotated[Path, output_option("Folder for compare.json, .csv and .png.")] = Path(
        "compare"
    ),
    offset: Annotated[
        float | None,
        typer.Option(help="B time minus A time in seconds, when known (default: found)."),
    ] = None,
    debug: DebugOption = False,
) -> None:
    """Align two analyses of one film (two grades, two transfers) and write how B differs
    from A: compare.json, compare.csv and compare.png."""
    with errors(debug):
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
        err.print(describe(result), markup=False)
        err.print(f"wrote {folder}/: {', '.join(files)}", markup=False)
