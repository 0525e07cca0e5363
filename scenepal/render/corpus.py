"""The corpus sheet: every film's barcode on one page, one row per film with its name and
length. Drawn with matplotlib's object API (no pyplot)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from matplotlib.figure import Figure

from scenepal.export import timecode

_WIDTH_IN = 12.0
_ROW_IN = 0.42
_HEADER_IN = 0.6
_LABEL_SHARE = 0.26
_GAP_SHARE = 0.18  # of a row: the space between two barcodes


@dataclass(frozen=True)
class SheetRow:
    """One film on the corpus sheet.

    Attributes:
        name: the film's name (its path in the library).
        duration_s: its length in seconds.
        barcode: its barcode, uint8 (H, W, 3) RGB.
    """

    name: str
    duration_s: float
    barcode: np.ndarray


def corpus_sheet(rows: Sequence[SheetRow], *, title: str) -> Figure:
    """Every film's barcode, one under the other, stretched to one width, in the order given.

    Raises:
        ValueError: no rows.
    """
    if not rows:
        raise ValueError("a corpus sheet needs at least one film")
    height = _HEADER_IN + _ROW_IN * len(rows)
    fig = Figure(figsize=(_WIDTH_IN, height), dpi=100, facecolor="white")
    fig.text(0.01, 1 - 0.35 * _HEADER_IN / height, title, fontsize=12, weight="bold", va="center")
    row_h = _ROW_IN / height
    for i, row in enumerate(rows):
        bottom = 1 - (_HEADER_IN + _ROW_IN * (i + 1)) / height
        ax = fig.add_axes(
            (
                _LABEL_SHARE,
                bottom + row_h * _GAP_SHARE / 2,
                0.99 - _LABEL_SHARE,
                row_h * (1 - _GAP_SHARE),
            )
        )
        ax.imshow(row.barcode, aspect="auto", interpolation="antialiased")
        ax.set_axis_off()
        label = row.name if len(row.name) <= 48 else "…" + row.name[-47:]
        fig.text(0.01, bottom + row_h / 2, label, fontsize=8, va="center", ha="left")
        fig.text(
            _LABEL_SHARE - 0.01,
            bottom + row_h / 2,
            timecode(row.duration_s)[:8],
            fontsize=7,
            va="center",
            ha="right",
            color="#555555",
        )
    return fig
