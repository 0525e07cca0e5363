"""``dominant``: one band per scene, as wide as the scene is long, in its dominant colour (the
heaviest swatch of its palette)."""

from __future__ import annotations

import numpy as np

from scenepal import color
from scenepal.models import Analysis
from scenepal.render.barcodes.base import Bands, BarcodeOptions, scene_edges


class DominantMode:
    """One band per scene in its dominant colour."""

    name = "dominant"
    description = "one band per scene, as wide as it is long, in its heaviest palette colour"
    shape = "strip"
    options: frozenset[str] = frozenset()
    default_size = (2400, 800)

    def bands(self, analysis: Analysis, columns: int, options: BarcodeOptions) -> Bands:
        """One solid band per scene (``columns`` does not change them)."""
        rgb = np.array(
            [r.palette[0].rgb if len(r.palette) else r.mean_rgb for r in analysis.scenes]
        )
        return Bands.solid(scene_edges(analysis), color.srgb_to_linear(rgb / 255.0))


MODE = DominantMode()
