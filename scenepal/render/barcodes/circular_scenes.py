"""``circular-scenes``: the scenes barcode wrapped into a ring, the film starting at 12 o'clock
and running clockwise; one wedge per scene, its palette in rings from the outer edge in."""

from __future__ import annotations

from scenepal.models import Analysis
from scenepal.render.barcodes.base import Bands, BarcodeOptions
from scenepal.render.barcodes.scenes import palette_bands


class CircularScenesMode:
    """The scenes barcode as a ring."""

    name = "circular-scenes"
    description = "the scenes barcode as a ring, clockwise from 12 o'clock (--inner F)"
    shape = "ring"
    options = frozenset({"inner"})
    default_size = (1600, 1600)

    def bands(self, analysis: Analysis, columns: int, options: BarcodeOptions) -> Bands:
        """One wedge per scene (``columns`` does not change them)."""
        return palette_bands(analysis)


MODE = CircularScenesMode()
