"""The movie barcode: one band per scene, as wide as the scene is long, its palette stacked.

Each scene's band shows its swatches as horizontal stripes, heaviest at the top, each as tall as
its weight. Where a pixel column spans several scenes (short scenes in a long film), the column
is their mix in linear light, weighted by how much of the column each covers.
"""

from __future__ import annotations

import math

import numpy as np
from numpy.typing import NDArray

from scenepal import color
from scenepal.models import Analysis, Palette

DEFAULT_SIZE = (2400, 800)
"""Default barcode size in pixels (width, height): 8 x 2.7 inches at 300 dpi."""


def _stripes(palette: Palette, height: int) -> NDArray[np.float64]:
    """One column (height, 3) of the palette's stripes, in linear light."""
    column = np.zeros((height, 3))
    edges = np.cumsum([0.0, *(s.weight for s in palette.swatches)]) * height
    edges[-1] = height
    for s, top, bottom in zip(palette.swatches, edges[:-1], edges[1:], strict=True):
        linear = color.srgb_to_linear(np.array(s.rgb) / 255.0)
        t, b = math.floor(top), math.ceil(bottom)
        for y in range(t, min(b, height)):
            cover = min(bottom, y + 1) - max(top, y)
            if cover > 0:
                column[y] += cover * linear
    return column


def barcode(analysis: Analysis, size: tuple[int, int] = DEFAULT_SIZE) -> NDArray[np.uint8]:
    """The barcode as a uint8 sRGB image of shape (height, width, 3).

    Band widths are proportional to scene durations over the whole film.
    """
    width, height = size
    if width < 1 or height < 1:
        raise ValueError(f"barcode size must be positive, got {size}")
    total = sum(r.scene.duration_s for r in analysis.scenes)
    image = np.zeros((width, height, 3))  # column-major while composing
    x = 0.0
    for r in analysis.scenes:
        share = r.scene.duration_s / total if total > 0 else 1.0 / len(analysis.scenes)
        x0, x1 = x, min(width, x + share * width)
        x = x1
        if x1 <= x0:
            continue
        col = _stripes(r.palette, height)
        first, last = math.floor(x0), math.ceil(x1)
        if last - first == 1:
            image[first] += (x1 - x0) * col
            continue
        image[first] += (first + 1 - x0) * col
        image[first + 1 : last - 1] += col
        image[last - 1] += (x1 - (last - 1)) * col
    srgb = color.linear_to_srgb(np.clip(image, 0.0, 1.0))
    return np.ascontiguousarray(color.to_uint8(srgb).transpose(1, 0, 2))
