"""The poster: a print layout around a barcode, with the film's title and year, a time axis
with labelled ticks and the film's palette.

Drawn with matplotlib's object API (no pyplot) on a page of the print size. In a PNG the
barcode is the mode's own pixels placed one to one (:func:`scenepal.render.barcode.draw`, no
resampling); in SVG and PDF it is the mode's vector shapes (:mod:`scenepal.render.vector`), and
the text stays text (editable, in the page's fonts).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from matplotlib.collections import PathCollection
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Rectangle
from matplotlib.path import Path as MplPath

from scenepal.models import Analysis
from scenepal.render.barcode import draw
from scenepal.render.barcodes import BarcodeMode, BarcodeOptions
from scenepal.render.vector import Box, Drawing, Wedge, bezier_arc

VectorSource = Callable[[tuple[int, int]], Drawing]
"""Makes a mode's vector shapes at a pixel size."""

Place = Callable[[float, float], tuple[float, float]]
"""Picture units of the barcode -> figure coordinates."""

PAPER = "#fbfaf7"
INK = "#1b1b1b"
MUTED = "#6b6b6b"

STRIP_PAGE_CM = (60.0, 30.0)
"""Default page of a strip poster (landscape), in centimetres."""

RING_PAGE_CM = (50.0, 70.0)
"""Default page of a ring poster (portrait), in centimetres."""

_TICK_STEPS_S = (1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1200, 1800, 3600, 7200)


@dataclass(frozen=True)
class PosterText:
    """The words on a poster: ``title`` and, when given, ``year``."""

    title: str
    year: int | None = None


def default_title(analysis: Analysis) -> str:
    """The film's file name without its extension.

    >>> from types import SimpleNamespace
    >>> default_title(SimpleNamespace(video=SimpleNamespace(path="films/Vertigo.1958.mkv")))
    'Vertigo.1958'
    """
    return Path(analysis.video.path).stem or "untitled"


def tick_times(duration_s: float, *, most: int = 10) -> list[float]:
    """Round times from 0 to ``duration_s``, at most ``most`` + 1 of them.

    >>> tick_times(7200.0)
    [0.0, 900.0, 1800.0, 2700.0, 3600.0, 4500.0, 5400.0, 6300.0, 7200.0]
    """
    step = next((s for s in _TICK_STEPS_S if duration_s / s <= most), _TICK_STEPS_S[-1])
    count = math.floor(duration_s / step + 1e-9)
    return [float(i * step) for i in range(count + 1)]


def tick_label(seconds: float, duration_s: float) -> str:
    """``h:mm`` for a film of an hour or more, else ``m:ss``.

    >>> tick_label(5400, 7200), tick_label(90, 600)
    ('1:30', '1:30')
    """
    whole = round(seconds)
    if duration_s >= 3600:
        return f"{whole // 3600}:{whole % 3600 // 60:02d}"
    return f"{whole // 60}:{whole % 60:02d}"


def duration_label(seconds: float) -> str:
    """A film's length in words.

    >>> duration_label(45), duration_label(1380), duration_label(6725)
    ('45 s', '23 min', '1 h 52 min')
    """
    whole = round(seconds)
    if whole < 60:
        return f"{whole} s"
    minutes = round(seconds / 60)
    if minutes < 60:
        return f"{minutes} min"
    return f"{minutes // 60} h {minutes % 60:02d} min"


class _Page:
    """Placement in inches from the page's top-left corner onto a matplotlib Figure."""

    def __init__(self, fig: Figure, width: float, height: float) -> None:
        self.fig, self.width, self.height = fig, width, height

    def xy(self, x: float, y: float) -> tuple[float, float]:
        """Figure coordinates of a point ``x`` inches right and ``y`` inches down."""
        return x / self.width, 1 - y / self.height

    def text(self, x: float, y: float, s: str, points: float, **kw: object) -> None:
        """Text at (x, y) inches, ``points`` tall."""
        fx, fy = self.xy(x, y)
        self.fig.text(fx, fy, s, fontsize=points, color=kw.pop("color", INK), **kw)  # type: ignore[arg-type]


def poster_figure(
    analysis: Analysis,
    mode: BarcodeMode,
    *,
    page_in: tuple[float, float],
    dpi: int,
    text: PosterText,
    options: BarcodeOptions,
    vector: bool,
    drawing_for: VectorSource | None = None,
) -> Figure:
    """The poster as a Figure of ``page_in`` inches at ``dpi``.

    Args:
        analysis: the film.
        mode: the barcode mode.
        page_in: the page (width, height) in inches.
        dpi: the pixels per inch of a PNG, and so of the barcode's pixels in it.
        text: title and year.
        options: the mode's options.
        vector: True for SVG or PDF (the barcode as shapes), False for PNG (as pixels).
        drawing_for: makes the vector shapes of the barcode at a size (needed with ``vector``).
    """
    width, height = page_in
    fig = Figure(figsize=(width, height), dpi=dpi, facecolor=PAPER)
    page = _Page(fig, width, height)
    unit = min(width, height)
    margin = 0.07 * unit
    title_pt = max(10.0, unit * 72 * 0.055)
    label_pt = max(6.0, unit * 72 * 0.018)
    span = _film_span(analysis)
    ring = mode.shape == "ring"
    top = _heading(page, text, ring=ring, margin=margin, title_pt=title_pt)
    palette_h = 0.09 * unit
    bottom = height - margin - palette_h - 2.2 * label_pt / 72
    upper = top + (title_pt * 1.3 / 72 if ring and text.year is not None else 0) + 0.6 * margin
    box = _barcode_box(
        page, ring=ring, margin=margin, upper=upper, bottom=bottom, label_pt=label_pt
    )
    _barcode(
        page, analysis, mode, box, dpi=dpi, options=options, vector=vector, drawing_for=drawing_for
    )
    if ring:
        _ring_ticks(page, box, span, label_pt)
    else:
        _strip_ticks(page, box, span, label_pt)
    _palette(
        page, analysis, margin, height - margin - palette_h, width - 2 * margin, palette_h, label_pt
    )
    scenes = len(analysis.scenes)
    page.text(
        width - margin,
        height - margin / 2,
        f"{scenes} scene{'s' if scenes != 1 else ''} · {duration_label(span)} · scenepal",
        label_pt * 0.8,
        color=MUTED,
        ha="right",
        va="center",
    )
    return fig


def _heading(page: _Page, text: PosterText, *, ring: bool, margin: float, title_pt: float) -> float:
    """The title (and year) at the top of the page: left and right above a strip, centred
    above a ring. Returns the title's baseline, in inches from the top."""
    top = margin + title_pt / 72
    page.text(
        page.width / 2 if ring else margin,
        top,
        text.title,
        title_pt,
        weight="bold",
        ha="center" if ring else "left",
        va="baseline",
    )
    if text.year is not None:
        page.text(
            page.width / 2 if ring else page.width - margin,
            top + (title_pt * 0.75 / 72 if ring else 0),
            str(text.year),
            title_pt * (0.5 if ring else 0.8),
            color=MUTED,
            ha="center" if ring else "right",
            va="top" if ring else "baseline",
        )
    return top


def _barcode_box(
    page: _Page, *, ring: bool, margin: float, upper: float, bottom: float, label_pt: float
) -> tuple[float, float, float, float]:
    """Where the barcode goes between ``upper`` and ``bottom`` (inches from the top), leaving
    room for its time ticks: (left, top, width, height) in inches."""
    width = page.width
    if ring:
        ticks_room = 3.2 * label_pt / 72
        diameter = min(width - 2 * margin, bottom - upper - 0.5 * margin) - 2 * ticks_room
        return (width / 2 - diameter / 2, upper + ticks_room, diameter, diameter)
    axis_room = 3.0 * label_pt / 72
    bar_h = min(bottom - upper - axis_room - 0.6 * margin, (width - 2 * margin) / 2.5)
    return (
        margin,
        upper + (bottom - upper - axis_room - bar_h) / 2 - 0.3 * margin,
        width - 2 * margin,
        bar_h,
    )


def _film_span(analysis: Analysis) -> float:
    return max(analysis.scenes[-1].scene.end_s - analysis.scenes[0].scene.start_s, 0.0)


def _barcode(
    page: _Page,
    analysis: Analysis,
    mode: BarcodeMode,
    box: tuple[float, float, float, float],
    *,
    dpi: int,
    options: BarcodeOptions,
    vector: bool,
    drawing_for: VectorSource | None,
) -> None:
    x, y, w, h = box
    size = (max(1, round(w * dpi)), max(1, round(h * dpi)))
    if not vector:
        pixels = draw(analysis, mode, size, options)
        left = round(x * dpi)
        bottom = round((page.height - y) * dpi) - size[1]
        page.fig.figimage(pixels, xo=left, yo=bottom, origin="upper", zorder=2)
        return
    if drawing_for is None:
        raise ValueError("a vector poster needs the barcode's shapes")
    shapes = drawing_for(size)
    sx, sy = w / size[0], h / size[1]

    def at(px: float, py: float) -> tuple[float, float]:
        return page.xy(x + px * sx, y + py * sy)

    paths = [_box_path(b, at) for b in shapes.boxes] + [_wedge_path(w, at) for w in shapes.wedges]
    fills = [b.fill for b in shapes.boxes] + [w.fill for w in shapes.wedges]
    page.fig.add_artist(
        PathCollection(
            paths,
            facecolors=np.array(fills) / 255,
            edgecolors="none",
            linewidths=0,
            antialiaseds=False,
            transform=page.fig.transFigure,
            zorder=2,
        )
    )


def _box_path(box: Box, place: Place) -> MplPath:
    """A box as a closed matplotlib path, in figure coordinates."""
    corners = [(box.x, box.y), (box.x + box.width, box.y)]
    corners += [(box.x + box.width, box.y + box.height), (box.x, box.y + box.height)]
    verts = [place(px, py) for px, py in corners]
    return MplPath([*verts, verts[0]], closed=True)


def _wedge_path(wedge: Wedge, place: Place) -> MplPath:
    """A wedge as a matplotlib path of cubic Bézier arcs, in figure coordinates."""
    start = wedge.arc(wedge.outer)[0]
    verts = [place(start[0], start[1])]
    codes = [int(MplPath.MOVETO)]

    def arc(radius: float, *, reverse: bool) -> None:
        for c1, c2, end in bezier_arc(wedge, radius, reverse=reverse):
            verts.extend([place(*c1), place(*c2), place(*end)])
            codes.extend([int(MplPath.CURVE4)] * 3)

    arc(wedge.outer, reverse=False)
    inner = wedge.point(wedge.inner, wedge.end) if wedge.inner > 0 else (wedge.cx, wedge.cy)
    verts.append(place(*inner))
    codes.append(int(MplPath.LINETO))
    if wedge.inner > 0:
        arc(wedge.inner, reverse=True)
    verts.append(verts[0])
    codes.append(int(MplPath.CLOSEPOLY))
    return MplPath(verts, codes)


def _strip_ticks(
    page: _Page, box: tuple[float, float, float, float], span: float, points: float
) -> None:
    x, y, w, h = box
    length = points / 72 * 0.8
    for t in tick_times(span):
        tx = x + (t / span if span > 0 else 0) * w
        page.fig.add_artist(
            _line(page, (tx, y + h + length * 0.3), (tx, y + h + length * 1.3), points)
        )
        page.text(tx, y + h + length * 1.5, tick_label(t, span), points, ha="center", va="top")


def _ring_ticks(
    page: _Page, box: tuple[float, float, float, float], span: float, points: float
) -> None:
    x, y, w, _ = box
    cx, cy, r = x + w / 2, y + w / 2, w / 2
    length = points / 72 * 0.8
    times = tick_times(span, most=12)
    if len(times) > 1 and span - times[-1] < 1e-6:
        times = times[:-1]  # the end is the start, at 12 o'clock
    for t in times:
        a = 2 * math.pi * (t / span if span > 0 else 0)
        sin, cos = math.sin(a), math.cos(a)
        inner, outer, label = r + length * 0.3, r + length * 1.3, r + length * 1.6
        page.fig.add_artist(
            _line(
                page,
                (cx + inner * sin, cy - inner * cos),
                (cx + outer * sin, cy - outer * cos),
                points,
            )
        )
        page.text(
            cx + label * sin,
            cy - label * cos,
            tick_label(t, span),
            points,
            ha="center" if abs(sin) < 0.3 else ("left" if sin > 0 else "right"),
            va="center" if abs(cos) < 0.3 else ("bottom" if cos > 0 else "top"),
        )


def _line(page: _Page, a: tuple[float, float], b: tuple[float, float], points: float) -> Line2D:
    (x0, y0), (x1, y1) = page.xy(*a), page.xy(*b)
    return Line2D(
        [x0, x1], [y0, y1], transform=page.fig.transFigure, color=INK, linewidth=points / 10
    )


def _palette(
    page: _Page, analysis: Analysis, x: float, y: float, w: float, h: float, points: float
) -> None:
    """The film's palette: one equal swatch per colour, its hex code and share beneath."""
    swatches = analysis.palette.swatches
    if not swatches:
        return
    gap = 0.06 * h
    cell = (w - gap * (len(swatches) - 1)) / len(swatches)
    for i, s in enumerate(swatches):
        left = x + i * (cell + gap)
        fx, fy = page.xy(left, y + h * 0.7)
        page.fig.add_artist(
            Rectangle(
                (fx, fy),
                cell / page.width,
                h * 0.7 / page.height,
                transform=page.fig.transFigure,
                facecolor=np.array(s.rgb) / 255,
                edgecolor="none",
            )
        )
        page.text(left, y + h * 0.82, s.hex, points, va="top", family="monospace")
        page.text(
            left, y + h * 0.82 + 1.4 * points / 72, f"{s.weight:.0%}", points, va="top", color=MUTED
        )
