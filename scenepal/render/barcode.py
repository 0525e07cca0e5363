"""Barcodes as pixels: a mode's bands drawn as a strip or a ring, mixed in linear light.

A strip lays the bands left to right, each as wide as its share of the film, its stripes top to
bottom. Where a pixel column (or row) spans several bands (or stripes), it is their mix in
linear light, weighted by how much of the pixel each covers: the picture is the exact box
filter of the bands, so nothing is dropped however many scenes share a column, and a band that
fills whole columns has exactly its colour.

A ring lays the same bands clockwise from 12 o'clock, stripes from the outer edge in. Each pixel
takes the mean of the bands over its angular width at its radius (the box filter again, around
the ring), and its coverage of the ring as alpha: a ring is RGBA, transparent outside.
"""

from __future__ import annotations

import math

import numpy as np
from numpy.typing import NDArray

from scenepal import color
from scenepal.models import Analysis
from scenepal.render.barcodes import DEFAULT_MODE, Bands, BarcodeMode, BarcodeOptions, get_mode

DEFAULT_SIZE = (2400, 800)
"""Default barcode size in pixels (width, height): 8 x 2.7 inches at 300 dpi."""

DEFAULT_INNER = 0.5
"""A ring's hole, as a share of its outer radius, when not given."""


def barcode(analysis: Analysis, size: tuple[int, int] = DEFAULT_SIZE) -> NDArray[np.uint8]:
    """The default (scenes) barcode as a uint8 sRGB image of shape (height, width, 3).

    Band widths are proportional to scene durations over the whole film.
    """
    return draw(analysis, get_mode(DEFAULT_MODE), size, BarcodeOptions())


def ring_columns(size: tuple[int, int]) -> int:
    """Time slices around a ring drawn at ``size``: one per pixel of its outer edge.

    >>> ring_columns((1600, 1600))
    5027
    """
    return max(1, round(math.pi * min(size)))


def columns_for(mode: BarcodeMode, size: tuple[int, int]) -> int:
    """How many columns along the film a mode's picture at ``size`` has."""
    return size[0] if mode.shape == "strip" else ring_columns(size)


def draw(
    analysis: Analysis, mode: BarcodeMode, size: tuple[int, int], options: BarcodeOptions
) -> NDArray[np.uint8]:
    """A mode's barcode at ``size`` (width, height): uint8 (height, width, 3) sRGB for a strip,
    (height, width, 4) sRGBA for a ring (transparent around it).

    Raises:
        ValueError: the size is not positive.
    """
    width, height = size
    if width < 1 or height < 1:
        raise ValueError(f"barcode size must be positive, got {size}")
    bands = mode.bands(analysis, columns_for(mode, size), options)
    if mode.shape == "ring":
        inner = DEFAULT_INNER if options.inner is None else options.inner
        return ring_pixels(bands, size, inner=inner)
    return strip_pixels(bands, size)


def strip_pixels(bands: Bands, size: tuple[int, int]) -> NDArray[np.uint8]:
    """The bands as a strip: uint8 (height, width, 3) sRGB."""
    linear = strip_linear(bands, size)
    return np.ascontiguousarray(color.encode_srgb8(linear))


def strip_linear(bands: Bands, size: tuple[int, int]) -> NDArray[np.float64]:
    """The bands as a strip in linear light: float64 (height, width, 3), each pixel the mean of
    the bands and stripes over its area."""
    width, height = size
    profiles = _profiles(bands, 1 if bands.is_solid else height)  # (n, h, 3)
    x = bands.edges * width
    widths = np.diff(x)
    # The integral of the picture from the left edge, at each band edge, then at each column
    # edge (linear inside a band): a column is the difference of two.
    integral = np.concatenate(
        [np.zeros((1, *profiles.shape[1:])), np.cumsum(profiles * widths[:, None, None], axis=0)]
    )
    at = np.arange(width + 1, dtype=np.float64)
    band = np.clip(np.searchsorted(x, at, side="right") - 1, 0, len(widths) - 1)
    inside = np.clip(at - x[band], 0.0, widths[band])
    columns = integral[band] + inside[:, None, None] * profiles[band]
    image = np.diff(columns, axis=0)  # (width, h, 3)
    if bands.is_solid:
        image = np.broadcast_to(image, (width, height, 3))
    return np.ascontiguousarray(image.transpose(1, 0, 2))


def _profiles(bands: Bands, height: int) -> NDArray[np.float64]:
    """float64 (n, height, 3): each band's column, each row the mix of the stripes over it."""
    if bands.is_solid:
        return bands.linear[:, :1, :].copy()
    bounds = bands.bounds * height  # (n, k + 1)
    rows = np.arange(height, dtype=np.float64)[None, :, None]
    top, bottom = bounds[:, None, :-1], bounds[:, None, 1:]
    cover = np.clip(np.minimum(bottom, rows + 1) - np.maximum(top, rows), 0.0, 1.0)  # (n, h, k)
    profiles: NDArray[np.float64] = np.einsum("nhk,nkc->nhc", cover, bands.linear)
    return profiles


def ring_pixels(bands: Bands, size: tuple[int, int], *, inner: float) -> NDArray[np.uint8]:
    """The bands as a ring in the middle of ``size``: uint8 (height, width, 4) sRGB and alpha.

    The film starts at 12 o'clock and runs clockwise; stripes go from the outer edge (the top
    of a strip) in. ``inner`` is the hole's radius as a share of the outer radius.
    """
    width, height = size
    outer = min(width, height) / 2
    hole = inner * outer
    columns = ring_columns(size)
    rows = max(1, math.ceil(outer - hole))
    unrolled = strip_linear(bands, (columns, rows))  # (rows, columns, 3)
    # Integral around the ring, per row: a pixel is the mean over its angular width.
    integral = np.concatenate([np.zeros((rows, 1, 3)), np.cumsum(unrolled, axis=1)], axis=1)
    y, x = np.mgrid[0:height, 0:width]
    dx = x + 0.5 - width / 2
    dy = y + 0.5 - height / 2
    radius = np.hypot(dx, dy)
    alpha = np.clip(outer - radius + 0.5, 0.0, 1.0) * np.clip(radius - hole + 0.5, 0.0, 1.0)
    on = alpha > 0
    r, ax, ay = radius[on], dx[on], dy[on]
    turn = (np.arctan2(ax, -ay) / (2 * math.pi)) % 1.0  # clockwise from 12 o'clock
    row = np.clip(((outer - r) / max(outer - hole, 1e-9) * rows).astype(np.int64), 0, rows - 1)
    half = columns / (4 * math.pi * np.maximum(r, 0.5))  # half a pixel, in columns
    centre = turn * columns
    span = _around(integral, row, centre + half, columns) - _around(
        integral, row, centre - half, columns
    )
    linear = span / (2 * half)[:, None]
    image = np.zeros((height, width, 4), dtype=np.uint8)
    image[on, :3] = color.encode_srgb8(linear)
    image[..., 3] = np.rint(alpha * 255).astype(np.uint8)
    return image


def _around(
    integral: NDArray[np.float64], row: NDArray[np.int64], at: NDArray[np.float64], columns: int
) -> NDArray[np.float64]:
    """The per-row integral around the ring at positions ``at`` (in columns, any number of
    turns), linear inside a column."""
    flat = integral.reshape(-1, 3)
    turns = np.floor(at / columns)
    within = at - turns * columns
    column = np.clip(within.astype(np.int64), 0, columns - 1)
    frac = (within - column)[:, None]
    start = row * (columns + 1)
    here = np.take(flat, start + column, axis=0)
    step = np.take(flat, start + column + 1, axis=0) - here
    full = np.take(flat, start + columns, axis=0)
    result: NDArray[np.float64] = turns[:, None] * full + here + frac * step
    return result
