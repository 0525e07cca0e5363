"""The palette sheet: one row per scene with its timecode, its representative frame, swatches,
hex codes and weights.

Long films are split into pages of :data:`ROWS_PER_PAGE` scenes; the first page also carries a
header with the film's name, length and palette. When the analysis has thumbnails
(``SceneResult.representative``), rows are taller and each shows its scene's frame between the
label and the swatches; an analysis without them (made before 1.4, or with its ``thumbs/``
folder gone) draws the colours alone, as before. Drawn with matplotlib's object API (no
pyplot); the output folder keeps the pages as PNGs and all of them in one PDF.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import cv2
import numpy as np
from matplotlib.figure import Figure
from matplotlib.image import BboxImage
from matplotlib.patches import Rectangle
from matplotlib.transforms import Bbox, TransformedBbox
from numpy.typing import NDArray

from scenepal.export import display_path, timecode
from scenepal.models import Analysis, Palette, SceneResult
from scenepal.thumbs import decode_jpeg

ROWS_PER_PAGE = 60
"""Scenes per sheet page."""

_ROW_IN = 0.34
_THUMB_ROW_IN = 0.5
_HEADER_IN = 1.5
_WIDTH_IN = 11.0
_LABEL_IN = 2.3
_STRIP_IN = 1.6
_PAD_IN = 0.25
_MAX_ASPECT = 2.4
"""The thumbnail column is as wide as the widest picture, up to 2.4:1."""


def _ink(rgb: tuple[int, int, int]) -> str:
    """Black or white text, whichever reads better on ``rgb``."""
    r, g, b = (c / 255.0 for c in rgb)
    return "#000000" if 0.2126 * r**2.2 + 0.7152 * g**2.2 + 0.0722 * b**2.2 > 0.18 else "#ffffff"


def _percent(weight: float) -> str:
    """A weight as a whole percentage; shares under 1% read "<1%".

    >>> _percent(0.005), _percent(0.256)
    ('<1%', '26%')
    """
    return "<1%" if weight < 0.01 else f"{weight:.0%}"


EXCLUDED_MARK_SHARE = 0.25
"""Scenes with more than this share of their frames left out of the palette (black, fades,
dips, dissolves) are marked: their palette stands for less of what was on screen."""


def excluded_mark(result: SceneResult) -> str | None:
    """The mark for a scene with more than a quarter of its frames left out, or None.

    >>> from scenepal.models import Excluded, Scene
    >>> r = SceneResult(Scene(0, 0, 100, 0.0, 4.0), Palette(()), (0, 0, 0), False, 9, 9,
    ...                 excluded=Excluded(black=20, fade_out=10))
    >>> excluded_mark(r)
    '30% left out'
    """
    frames = result.scene.frame_count
    if frames <= 0 or result.excluded.total <= EXCLUDED_MARK_SHARE * frames:
        return None
    return f"{result.excluded.total / frames:.0%} left out"


def _to_rgb01(rgb: tuple[int, int, int]) -> tuple[float, float, float]:
    return (rgb[0] / 255.0, rgb[1] / 255.0, rgb[2] / 255.0)


@dataclass(frozen=True)
class _Layout:
    """Sizes in inches shared by every page of one sheet."""

    width: float  # the page
    row: float  # one scene's row
    thumb: float  # the thumbnail column (0 without thumbnails)
    slots: int  # swatch cells per row
    dpi: int

    @classmethod
    def of(cls, analysis: Analysis, thumbs: dict[int, NDArray[np.uint8]], dpi: int) -> _Layout:
        slots = max([analysis.settings.colors, *(len(r.palette) for r in analysis.scenes)])
        if not thumbs:
            return cls(_WIDTH_IN, _ROW_IN, 0.0, slots, dpi)
        aspect = min(_MAX_ASPECT, max(t.shape[1] / t.shape[0] for t in thumbs.values()))
        column = round(aspect * (_THUMB_ROW_IN - 0.06) + _PAD_IN, 2)
        return cls(_WIDTH_IN + column, _THUMB_ROW_IN, column, slots, dpi)

    @property
    def cells_x(self) -> float:
        """Where the swatch cells start."""
        return _LABEL_IN + self.thumb + _PAD_IN


def _rect(fig: Figure, x: float, y: float, w: float, h: float, rgb: tuple[int, int, int]) -> None:
    """A filled rectangle at (x, y) inches from the page's bottom left corner."""
    width, height = fig.get_size_inches()
    fig.patches.append(
        Rectangle(
            (x / width, y / height),
            w / width,
            h / height,
            transform=fig.transFigure,
            facecolor=_to_rgb01(rgb),
            edgecolor="none",
        )
    )


def _palette_row(fig: Figure, palette: Palette, *, y: float, h: float, layout: _Layout) -> None:
    """Swatch cells with hex codes, then a strip with the weights to scale, at height y (in)."""
    fig_w, fig_h = fig.get_size_inches()
    cell = (fig_w - layout.cells_x - _STRIP_IN - 2 * _PAD_IN) / layout.slots
    for i, s in enumerate(palette.swatches):
        x = layout.cells_x + i * cell
        _rect(fig, x, y, cell - 0.04, h, s.rgb)
        fig.text(
            (x + cell / 2 - 0.02) / fig_w,
            (y + h / 2) / fig_h,
            f"{s.hex}  {_percent(s.weight)}",
            ha="center",
            va="center",
            fontsize=7,
            family="monospace",
            color=_ink(s.rgb),
        )
    x = fig_w - _STRIP_IN - _PAD_IN
    for s in palette.swatches:
        _rect(fig, x, y, s.weight * _STRIP_IN, h, s.rgb)
        x += s.weight * _STRIP_IN


def _thumbnail_column(
    fig: Figure,
    pictures: list[NDArray[np.uint8] | None],
    *,
    top: float,
    layout: _Layout,
) -> None:
    """The page's thumbnails, one a row from ``top`` (in) down, drawn as one picture of the
    thumbnail column at the sheet's resolution: each thumbnail is shrunk once to the pixels it
    covers, and the page holds one image, not one a row (a PDF page stays small and quick)."""
    fig_w, fig_h = fig.get_size_inches()
    dpi, row_px = layout.dpi, layout.row * layout.dpi
    margin = round(0.03 * dpi)
    height = max(1, round(len(pictures) * row_px))
    column = np.full((height, max(1, round((layout.thumb - _PAD_IN) * dpi)), 3), 255, np.uint8)
    for i, image in enumerate(pictures):
        if image is None:
            continue
        h = round((i + 1) * row_px) - round(i * row_px) - 2 * margin
        w = min(round(h * image.shape[1] / image.shape[0]), column.shape[1])
        shrink = w < image.shape[1]
        small = cv2.resize(
            image, (w, h), interpolation=cv2.INTER_AREA if shrink else cv2.INTER_CUBIC
        )
        y = round(i * row_px) + margin
        column[y : y + h, :w] = small
    x, bottom = _LABEL_IN + _PAD_IN, top - height / dpi
    box = Bbox.from_bounds(
        x / fig_w, bottom / fig_h, column.shape[1] / dpi / fig_w, height / dpi / fig_h
    )
    picture = BboxImage(TransformedBbox(box, fig.transFigure), interpolation="nearest")
    picture.set_data(column)
    fig.add_artist(picture)


def _header(fig: Figure, analysis: Analysis, *, top: float, layout: _Layout) -> None:
    """The first page's summary line and the film's palette, below the title at ``top``."""
    fig_w, fig_h = fig.get_size_inches()
    s = analysis.settings
    summary = (
        f"{timecode(analysis.duration_s)} · {len(analysis.scenes)} scenes · "
        f"{analysis.frame_count} frames · {s.detector} detector · "
        f"{s.colors} colours in {s.color_space.upper()}"
        f" · seed {s.seed} · scenepal {analysis.scenepal_version}"
    )
    x = _PAD_IN / fig_w
    fig.text(x, (top - 0.3) / fig_h, summary, fontsize=8, va="center", color="#444444")
    fig.text(x, (top - 0.78) / fig_h, "film palette", fontsize=9, va="center", weight="bold")
    _palette_row(fig, analysis.palette, y=top - 0.95, h=0.34, layout=layout)


def _scene_row(fig: Figure, r: SceneResult, *, y: float, layout: _Layout) -> None:
    """One scene's row, its bottom at ``y`` (in): label, mark, swatches."""
    fig_w, fig_h = fig.get_size_inches()
    s, middle = r.scene, (y + layout.row * 0.45) / fig_h
    label = f"{s.index + 1:>4}  {timecode(s.start_s)[:-2]}  {s.duration_s:6.1f} s"
    text: dict[str, Any] = {"va": "center", "fontsize": 7.5}
    fig.text(_PAD_IN / fig_w, middle, label, family="monospace", **text)
    mark = excluded_mark(r)
    if mark is not None:
        x = (_LABEL_IN + _PAD_IN - 0.05) / fig_w
        fig.text(x, middle, mark, fontsize=5.5, ha="right", va="center", color="#b03000")
    if r.black:
        x = layout.cells_x / fig_w
        fig.text(x, middle, "black (no picture)", color="#666666", style="italic", **text)
    else:
        _palette_row(fig, r.palette, y=y + 0.03, h=layout.row - 0.06, layout=layout)


def _thumbnails(analysis: Analysis) -> dict[int, NDArray[np.uint8]]:
    """Each scene's thumbnail (uint8 (h, w, 3) sRGB) by scene index, where it has a readable
    one."""
    pictures = {}
    for r in analysis.scenes:
        if r.representative is not None:
            try:
                pictures[r.scene.index] = decode_jpeg(r.representative.jpeg)
            except ValueError:
                continue  # an unreadable file: that row shows its colours alone
    return pictures


def sheets(analysis: Analysis, *, dpi: int = 150) -> list[Figure]:
    """The palette sheet, one Figure per page."""
    results = analysis.scenes
    pages = [results[i : i + ROWS_PER_PAGE] for i in range(0, len(results), ROWS_PER_PAGE)]
    thumbs = _thumbnails(analysis)
    layout = _Layout.of(analysis, thumbs, dpi)
    name = display_path(Path(analysis.video.path).name)
    figures = []
    for number, page in enumerate(pages, start=1):
        header = _HEADER_IN if number == 1 else 0.6
        fig_h = header + len(page) * layout.row + _PAD_IN
        fig = Figure(figsize=(layout.width, fig_h), dpi=dpi, facecolor="white")
        top = fig_h - 0.35
        title = f"{name} · palettes" + (
            f" (page {number} of {len(pages)})" if len(pages) > 1 else ""
        )
        x = _PAD_IN / layout.width
        fig.text(x, top / fig_h, title, fontsize=12, weight="bold", va="center")
        if number == 1:
            _header(fig, analysis, top=top, layout=layout)
        for row, r in enumerate(page, start=1):
            _scene_row(fig, r, y=fig_h - header - row * layout.row, layout=layout)
        if thumbs:
            pictures = [thumbs.get(r.scene.index) for r in page]
            _thumbnail_column(fig, pictures, top=fig_h - header, layout=layout)
        figures.append(fig)
    return figures


def page_names(count: int, stem: str = "palettes") -> list[str]:
    """File names of the sheet's pages: ``palettes.png``, then ``palettes-002.png``, ...

    >>> page_names(3)
    ['palettes.png', 'palettes-002.png', 'palettes-003.png']
    """
    return [f"{stem}.png" if i == 1 else f"{stem}-{i:03d}.png" for i in range(1, count + 1)]
