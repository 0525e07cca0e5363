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


_ENCODE_STEPS = 65535
_ENCODE_LUT = color.to_uint8(color.linear_to_srgb(np.linspace(0.0, 1.0, _ENCODE_STEPS + 1)))
"""Linear light (in 1/65535 steps) -> 8-bit sRGB: exact to the level, and no float64 image."""


def _encode(linear: NDArray[np.float32]) -> NDArray[np.uint8]:
    index = np.clip(linear * _ENCODE_STEPS + 0.5, 0, _ENCODE_STEPS).astype(np.uint16)
    out: NDArray[np.uint8] = _ENCODE_LUT[index]
    return out


def _stripes(palette: Palette, height: int) -> NDArray[np.float32]:
    """One column (height, 3) of the palette's stripes, in linear light."""
    column = np.zeros((height, 3), dtype=np.float32)
    edges = np.cumsum([0.0, *(s.weight for s in palette.swatches)]) * height
    edges[-1] = height
    for s, top, bottom in zip(palette.swatches, edges[:-1], edges[1:], strict=True):
        linear = color.srgb_to_linear(np.array(s.rgb) / 255.0).astype(np.float32)
        t, b = math.floor(top), math.ceil(bottom)
        if b - t <= 2:
            for y in range(t, min(b, height)):
                column[y] += (min(bottom, y + 1) - max(top, y)) * linear
            continue
        column[t] += (t + 1 - top) * linear
        column[t + 1 : b - 1] += linear
        if b - 1 < height:
            column[b - 1] += (bottom - (b - 1)) * linear
    return column


def barcode(analysis: Analysis, size: tuple[int, int] = DEFAULT_SIZE) -> NDArray[np.uint8]:
    """The barcode as a uint8 sRGB image of shape (height, width, 3).

    Band widths are proportional to scene durations over the whole film. Composed column by
    column in float32 linear light and encoded through a lookup table, so a 2400 x 800 barcode
    needs about 25 MB whatever the number of scenes.
    """
    width, height = size
    if width < 1 or height < 1:
        raise ValueError(f"barcode size must be positive, got {size}")
    total = sum(r.scene.duration_s for r in analysis.scenes)
    image = np.zeros((width, height, 3), dtype=np.float32)  # column-major while composing
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
            image[first] += np.float32(x1 - x0) * col
            continue
        image[first] += np.float32(first + 1 - x0) * col
        image[first + 1 : last - 1] += col
        image[last - 1] += np.float32(x1 - (last - 1)) * col
    return np.ascontiguousarray(_encode(image).transpose(1, 0, 2))
