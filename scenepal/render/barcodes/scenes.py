"""``scenes``: one band per scene, as wide as the scene is long, its palette stacked by weight
(heaviest at the top)."""

from __future__ import annotations

import numpy as np

from scenepal import color
from scenepal.models import Analysis, Palette
from scenepal.render.barcodes.base import Bands, BarcodeOptions, scene_edges


def palette_bands(analysis: Analysis) -> Bands:
    """One band per scene, its swatches as stripes as tall as their weights."""
    k = max(1, *(len(r.palette) for r in analysis.scenes))
    n = len(analysis.scenes)
    bounds = np.ones((n, k + 1))
    bounds[:, 0] = 0.0
    linear = np.zeros((n, k, 3))
    for i, r in enumerate(analysis.scenes):
        stripes = _stripes(r.palette)
        bounds[i, 1 : len(stripes) + 1] = np.cumsum([w for w, _ in stripes])
        bounds[i, len(stripes) :] = 1.0
        for j, (_, lin) in enumerate(stripes):
            linear[i, j] = lin
    return Bands(scene_edges(analysis), bounds, linear)


def _stripes(palette: Palette) -> list[tuple[float, np.ndarray]]:
    return [(s.weight, color.srgb_to_linear(np.array(s.rgb) / 255.0)) for s in palette.swatches]


def scene_bands(analysis: Analysis, columns: int, options: BarcodeOptions) -> Bands:
    """One band (or wedge) per scene (``columns`` and ``options`` do not change them)."""
    return palette_bands(analysis)
