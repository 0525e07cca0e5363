"""The palette sheet: one row per scene with its timecode, swatches, hex codes and weights.

Long films are split into pages of :data:`ROWS_PER_PAGE` scenes; the first page also carries a
header with the film's name, length and palette. Drawn with matplotlib's object API (no pyplot).
"""

from __future__ import annotations

from pathlib import Path

from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

from scenepal.export import display_path, timecode
from scenepal.models import Analysis, Palette, SceneResult

ROWS_PER_PAGE = 60
"""Scenes per sheet page."""

_ROW_IN = 0.34
_HEADER_IN = 1.5
_WIDTH_IN = 11.0
_LABEL_IN = 2.3
_STRIP_IN = 1.6
_PAD_IN = 0.25


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


def _palette_row(
    fig: Figure, palette: Palette, *, y: float, h: float, slots: int, fig_w: float, fig_h: float
) -> None:
    """Swatch cells with hex codes, then a strip with the weights to scale, at height y (in)."""
    cells_w = fig_w - _LABEL_IN - _STRIP_IN - 3 * _PAD_IN
    cell = cells_w / slots
    for i, s in enumerate(palette.swatches):
        x = _LABEL_IN + _PAD_IN + i * cell
        fig.patches.append(
            Rectangle(
                (x / fig_w, y / fig_h),
                (cell - 0.04) / fig_w,
                h / fig_h,
                transform=fig.transFigure,
                facecolor=_to_rgb01(s.rgb),
                edgecolor="none",
            )
        )
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
        w = s.weight * _STRIP_IN
        fig.patches.append(
            Rectangle(
                (x / fig_w, y / fig_h),
                w / fig_w,
                h / fig_h,
                transform=fig.transFigure,
                facecolor=_to_rgb01(s.rgb),
                edgecolor="none",
            )
        )
        x += w


def sheets(analysis: Analysis, *, dpi: int = 150) -> list[Figure]:
    """The palette sheet, one Figure per page."""
    results = analysis.scenes
    pages = [results[i : i + ROWS_PER_PAGE] for i in range(0, len(results), ROWS_PER_PAGE)]
    slots = max([analysis.settings.colors, *(len(r.palette) for r in results)])
    figures = []
    name = display_path(Path(analysis.video.path).name)
    for number, page in enumerate(pages, start=1):
        header = _HEADER_IN if number == 1 else 0.6
        fig_h = header + len(page) * _ROW_IN + _PAD_IN
        fig = Figure(figsize=(_WIDTH_IN, fig_h), dpi=dpi, facecolor="white")
        top = fig_h - 0.35
        title = f"{name} · palettes" + (
            f" (page {number} of {len(pages)})" if len(pages) > 1 else ""
        )
        fig.text(_PAD_IN / _WIDTH_IN, top / fig_h, title, fontsize=12, weight="bold", va="center")
        if number == 1:
            summary = (
                f"{timecode(analysis.duration_s)} · {len(results)} scenes · "
                f"{analysis.frame_count} frames · {analysis.settings.detector} detector · "
                f"{analysis.settings.colors} colours in {analysis.settings.color_space.upper()}"
                f" · seed {analysis.settings.seed} · scenepal {analysis.scenepal_version}"
            )
            fig.text(
                _PAD_IN / _WIDTH_IN,
                (top - 0.3) / fig_h,
                summary,
                fontsize=8,
                va="center",
                color="#444444",
            )
            fig.text(
                _PAD_IN / _WIDTH_IN,
                (top - 0.78) / fig_h,
                "film palette",
                fontsize=9,
                va="center",
                weight="bold",
            )
            _palette_row(
                fig,
                analysis.palette,
                y=top - 0.95,
                h=0.34,
                slots=slots,
                fig_w=_WIDTH_IN,
                fig_h=fig_h,
            )
        y = fig_h - header - _ROW_IN
        for r in page:
            s = r.scene
            label = f"{s.index + 1:>4}  {timecode(s.start_s)[:-2]}  {s.duration_s:6.1f} s"
            fig.text(
                _PAD_IN / _WIDTH_IN,
                (y + _ROW_IN * 0.45) / fig_h,
                label,
                fontsize=7.5,
                family="monospace",
                va="center",
            )
            mark = excluded_mark(r)
            if mark is not None:
                fig.text(
                    (_LABEL_IN + _PAD_IN - 0.05) / _WIDTH_IN,
                    (y + _ROW_IN * 0.45) / fig_h,
                    mark,
                    fontsize=5.5,
                    ha="right",
                    va="center",
                    color="#b03000",
                )
            if r.black:
                fig.text(
                    (_LABEL_IN + _PAD_IN) / _WIDTH_IN,
                    (y + _ROW_IN * 0.45) / fig_h,
                    "black (no picture)",
                    fontsize=7.5,
                    va="center",
                    color="#666666",
                    style="italic",
                )
            else:
                _palette_row(
                    fig,
                    r.palette,
                    y=y + 0.03,
                    h=_ROW_IN - 0.06,
                    slots=slots,
                    fig_w=_WIDTH_IN,
                    fig_h=fig_h,
                )
            y -= _ROW_IN
        figures.append(fig)
    return figures


def page_names(count: int, stem: str = "palettes") -> list[str]:
    """File names of the sheet's pages: ``palettes.png``, then ``palettes-002.png``, ...

    >>> page_names(3)
    ['palettes.png', 'palettes-002.png', 'palettes-003.png']
    """
    return [f"{stem}.png" if i == 1 else f"{stem}-{i:03d}.png" for i in range(1, count + 1)]
