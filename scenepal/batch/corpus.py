"""A corpus's own outputs, from its catalog and its films' analysis.json: a CSV of per-film
facts and statistics (``corpus.csv``) and every film's barcode on one sheet
(``corpus-barcodes.png``)."""

from __future__ import annotations

import csv
import io
import os
import statistics
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from PIL import Image

from scenepal.batch.catalog import STATUSES, Catalog, FilmRecord
from scenepal.batch.films import Film
from scenepal.errors import AnalysisFileError, InputNotFoundError
from scenepal.export import load_analysis, timecode
from scenepal.models import Analysis
from scenepal.outputs import figure_png, write_file
from scenepal.render.corpus import SheetRow, corpus_sheet
from scenepal.stats_json import stats_to_dict

CSV_NAME = "corpus.csv"
SHEET_NAME = "corpus-barcodes.png"


@dataclass(frozen=True)
class CorpusFilm:
    """A film of the corpus that is done: its catalog row, output folder and analysis."""

    record: FilmRecord
    output: Path
    analysis: Analysis


@dataclass(frozen=True)
class Corpus:
    """The films of a corpus that are done, and those whose analysis could not be read.

    Attributes:
        films: the films done, sorted by key.
        unreadable: ``(key, reason)`` of done films whose analysis.json cannot be loaded.
        not_done: films the catalog lists as pending, running or failed.
    """

    films: tuple[CorpusFilm, ...]
    unreadable: tuple[tuple[str, str], ...]
    not_done: int


def load_corpus(corpus: str | os.PathLike[str]) -> Corpus:
    """The done films of ``corpus`` (its catalog and their analysis.json files).

    Raises:
        InputNotFoundError: ``corpus`` has no catalog.
    """
    with Catalog(corpus, create=False) as catalog:
        records = catalog.records()
    films: list[CorpusFilm] = []
    unreadable: list[tuple[str, str]] = []
    for record in records:
        if record.status != "done":
            continue
        output = Film(record.key, Path(record.source)).output_in(corpus)
        try:
            films.append(CorpusFilm(record, output, load_analysis(output)))
        except AnalysisFileError as exc:
            unreadable.append((record.key, str(exc)))
    not_done = len(records) - len(films) - len(unreadable)
    return Corpus(tuple(films), tuple(unreadable), not_done)


def status_document(corpus: str | os.PathLike[str]) -> dict[str, Any]:
    """What ``scenepal status --json`` prints: ``{"films": [{"path", "status", "error",
    "seconds", "output"}], "counts": {"done", "failed", "pending", "running"}}``, films sorted
    by their path in the library; ``path`` is the film's absolute path, ``output`` its folder
    in ``corpus``, ``seconds`` the wall time of its last analysis (so far, while running).

    Raises:
        InputNotFoundError: ``corpus`` has no catalog.
    """
    with Catalog(corpus, create=False) as catalog:
        records = catalog.records()
    now = time.time()
    films = [
        {
            "path": r.source,
            "status": r.status,
            "error": r.error,
            "seconds": None if (s := r.seconds(now)) is None else round(s, 3),
            "output": str(Film(r.key, Path(r.source)).output_in(corpus)),
        }
        for r in records
    ]
    counts = {name: sum(r.status == name for r in records) for name in STATUSES}
    return {"films": films, "counts": counts}


def _flat(prefix: str, value: Any, out: dict[str, Any]) -> None:
    """Scalars of nested statistics as ``a_b`` columns (lists, such as histograms, left out)."""
    if isinstance(value, dict):
        for name, inner in value.items():
            _flat(f"{prefix}_{name}" if prefix else name, inner, out)
    elif not isinstance(value, list):
        out[prefix] = round(value, 4) if isinstance(value, float) else value


def film_facts(film: CorpusFilm) -> dict[str, Any]:
    """One film's row of corpus.csv: what it is, how it was cut, its palette, its colour
    statistics (every scalar of analysis.json's ``stats``, prefixed ``stats_``)."""
    a, record = film.analysis, film.record
    lengths = [r.scene.duration_s for r in a.scenes]
    minutes = a.duration_s / 60
    row: dict[str, Any] = {
        "film": record.key,
        "output": film.output.as_posix(),
        "duration_s": round(a.duration_s, 3),
        "frames": a.frame_count,
        "fps": round(a.video.fps, 3),
        "width": a.video.width,
        "height": a.video.height,
        "codec": a.video.codec,
        "hdr": a.video.color.hdr or "",
        "coverage": round(a.coverage, 4),
        "scenes": len(a.scenes),
        "cuts_per_minute": round((len(a.scenes) - 1) / minutes, 3) if minutes > 0 else "",
        "mean_scene_s": round(statistics.fmean(lengths), 3) if lengths else "",
        "median_scene_s": round(statistics.median(lengths), 3) if lengths else "",
        "analysis_s": round(record.seconds(0.0) or 0.0, 2),
        "decode_fps": round(record.fps, 1) if record.fps is not None else "",
        "scenepal_version": a.scenepal_version,
    }
    for i, swatch in enumerate(a.palette.swatches, start=1):
        row[f"color_{i}"] = "#{:02x}{:02x}{:02x}".format(*swatch.rgb)
        row[f"weight_{i}"] = round(swatch.weight, 4)
    if a.stats is not None:
        _flat("stats", stats_to_dict(a.stats), row)
    return row


def corpus_csv(films: Sequence[CorpusFilm]) -> str:
    """corpus.csv: one row per film; columns are the union over films, in first-seen order
    (a film without a column, such as an analysis without statistics, leaves it empty)."""
    rows = [film_facts(f) for f in films]
    columns: dict[str, None] = {}
    for row in rows:
        columns.update(dict.fromkeys(row))
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(columns), lineterminator="\n", restval="")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def sheet_rows(films: Sequence[CorpusFilm]) -> list[SheetRow]:
    """Each film's barcode as its output folder holds it (barcode.png), with its name."""
    rows = []
    for film in films:
        with Image.open(film.output / "barcode.png") as image:
            pixels = np.asarray(image.convert("RGB"), dtype=np.uint8)
        rows.append(SheetRow(film.record.key, film.analysis.duration_s, pixels))
    return rows


def write_corpus_outputs(corpus: str | os.PathLike[str], loaded: Corpus) -> list[Path]:
    """Write corpus.csv and corpus-barcodes.png into ``corpus``; return their paths.

    Raises:
        OutputError: a file cannot be written.
        InputNotFoundError: no film is done.
    """
    films = loaded.films
    if not films:
        raise InputNotFoundError(f"no film of {corpus} is done yet (scenepal status lists them)")
    total_s = sum(f.analysis.duration_s for f in films)
    title = f"{len(films)} films, {timecode(total_s)[:8]} in all"
    figure = corpus_sheet(sheet_rows(films), title=title)
    version = films[0].analysis.scenepal_version
    folder = Path(corpus)
    return [
        write_file(folder / CSV_NAME, corpus_csv(films).encode("utf-8")),
        write_file(folder / SHEET_NAME, figure_png(figure, version)),
    ]
