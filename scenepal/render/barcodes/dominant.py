"""``dominant``: one band per scene, as wide as the scene is long, in its dominant colour (the
heaviest swatch of its palette)."""

from __future__ import annotations

import numpy as np

from scenepal import color
from scenepal.models import Analysis
from scenepal.render.barcodes.base import Bands, BarcodeOptions, scene_edges


def dominant_bands(analysis: Analysis, columns: int, options: BarcodeOptions) -> Bands:
    """One solid band per scene (``columns`` does not change them)."""
    rgb = np.array([r.palette[0].rgb if len(r.palette) else r.mean_rgb for r in analysis.scenes])
    return Bands.solid(scene_edges(analysis), color.srgb_to_linear(rgb / 255.0))
