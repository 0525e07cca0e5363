"""Barcodes as vector shapes: one rectangle per stripe of a band on a strip, one annular wedge
per stripe on a ring; written as SVG (:mod:`scenepal.render.vector_svg`) and PDF
(:mod:`scenepal.render.vector_pdf`) with the standard library, no embedded raster.

No seams: viewers anti-alias each shape's edges on their own, so two shapes that merely touch
let the background show through a faint line where they meet. Each shape is therefore drawn a
little past its far edge (one unit to the right on a strip, one unit of arc clockwise on a ring,
one unit inwards for the stripes of a band) and the next shape is drawn over the overlap: what
shows of each is exactly its own area, and nothing shows between them. The first wedge of a
ring also starts a unit before 12 o'clock, under the last one.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from scenepal import color
from scenepal.render.barcodes import Bands

OVERLAP = 1.0
"""How far a shape reaches under the next one, in picture units (pixels of the raster)."""


@dataclass(frozen=True)
class Box:
    """A filled rectangle: columns [x, x + width), rows [y, y + height), in picture units."""

    x: float
    y: float
    width: float
    height: float
    fill: tuple[int, int, int]


@dataclass(frozen=True)
class Wedge:
    """A filled annular wedge around (cx, cy): radii [inner, outer], from turn ``start`` to turn
    ``end`` clockwise from 12 o'clock (a turn is 360 degrees)."""

    cx: float
    cy: float
    inner: float
    outer: float
    start: float
    end: float
    fill: tuple[int, int, int]

    def arc(self, radius: float, *, reverse: bool = False) -> list[tuple[float, float, float]]:
        """Points (x, y, turn) along the arc at ``radius``, at most a quarter turn apart."""
        steps = max(1, math.ceil((self.end - self.start) * 4 - 1e-9))
        turns = np.linspace(self.start, self.end, steps + 1)
        if reverse:
            turns = turns[::-1]
        return [(*self.point(radius, float(t)), float(t)) for t in turns]

    def point(self, radius: float, turn: float) -> tuple[float, float]:
        """The point at ``radius`` and ``turn`` (y grows downwards)."""
        angle = 2 * math.pi * turn
        return self.cx + radius * math.sin(angle), self.cy - radius * math.cos(angle)


@dataclass(frozen=True)
class Drawing:
    """Shapes on a ``width`` x ``height`` picture, painted in order."""

    width: float
    height: float
    boxes: tuple[Box, ...] = ()
    wedges: tuple[Wedge, ...] = ()


def _fills(bands: Bands) -> NDArray[np.uint8]:
    """uint8 (n, k, 3) sRGB of every stripe, encoded once from linear light."""
    return color.encode_srgb8(np.clip(bands.linear, 0.0, 1.0))


def strip_drawing(bands: Bands, size: tuple[int, int]) -> Drawing:
    """The bands as a strip of ``size`` (width, height): one box per non-empty stripe."""
    width, height = size
    fills = _fills(bands)
    x = bands.edges * width
    boxes = []
    for i in range(len(x) - 1):
        if x[i + 1] <= x[i]:
            continue
        right = min(x[i + 1] + OVERLAP, width)
        y = bands.bounds[i] * height
        for j in range(len(y) - 1):
            if y[j + 1] <= y[j]:
                continue
            bottom = min(y[j + 1] + OVERLAP, height)
            rgb = fills[i, j]
            boxes.append(
                Box(
                    float(x[i]),
                    float(y[j]),
                    float(right - x[i]),
                    float(bottom - y[j]),
                    (int(rgb[0]), int(rgb[1]), int(rgb[2])),
                )
            )
    return Drawing(width, height, boxes=tuple(boxes))


def ring_drawing(bands: Bands, size: tuple[int, int], *, inner: float) -> Drawing:
    """The bands as a ring in the middle of ``size``: one wedge per non-empty stripe, the film
    clockwise from 12 o'clock, stripes from the outer edge in."""
    width, height = size
    outer = min(width, height) / 2
    hole = inner * outer
    depth = outer - hole
    fills = _fills(bands)
    step = OVERLAP / (2 * math.pi * outer)  # one unit of arc at the outer edge, in turns
    n = len(bands.edges) - 1
    wedges = []
    for i in range(n):
        start, end = float(bands.edges[i]), float(bands.edges[i + 1])
        if end <= start:
            continue
        reach = min(end + step, 1.0) if i < n - 1 else end
        begin = start - step if start == 0.0 and n > 1 else start
        radii = outer - bands.bounds[i] * depth
        for j in range(len(radii) - 1):
            if radii[j + 1] >= radii[j]:
                continue
            rgb = fills[i, j]
            wedges.append(
                Wedge(
                    width / 2,
                    height / 2,
                    max(float(radii[j + 1]) - OVERLAP, hole),
                    float(radii[j]),
                    begin,
                    reach,
                    (int(rgb[0]), int(rgb[1]), int(rgb[2])),
                )
            )
    return Drawing(width, height, wedges=tuple(wedges))


Point = tuple[float, float]


def bezier_arc(wedge: Wedge, radius: float, *, reverse: bool) -> list[tuple[Point, Point, Point]]:
    """Cubic Bézier segments (control 1, control 2, end) along the wedge's arc at ``radius``,
    at most a quarter turn each, from its start (or its end with ``reverse``)."""
    points = wedge.arc(radius, reverse=reverse)
    segments = []
    for (x0, y0, t0), (x1, y1, t1) in itertools.pairwise(points):
        k = 4 / 3 * math.tan(math.pi * (t1 - t0) / 2) * radius
        a0, a1 = 2 * math.pi * t0, 2 * math.pi * t1
        # The tangent of a clockwise turn (y down) at angle a is (cos a, sin a).
        c1 = (x0 + k * math.cos(a0), y0 + k * math.sin(a0))
        c2 = (x1 - k * math.cos(a1), y1 - k * math.sin(a1))
        segments.append((c1, c2, (x1, y1)))
    return segments


def number(value: float) -> str:
    """A coordinate as short text: up to 4 decimals, no trailing zeros.

    >>> number(12.0), number(0.125), number(1 / 3), number(-0.00001)
    ('12', '0.125', '0.3333', '0')
    """
    text = f"{value:.4f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text
