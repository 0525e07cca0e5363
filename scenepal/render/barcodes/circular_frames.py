"""``circular-frames``: the frames barcode wrapped into a ring, the film starting at 12 o'clock
and running clockwise; one wedge per time slice (as many as pixels around the outer edge)."""

from __future__ import annotations

from scenepal.models import Analysis
from scenepal.render.barcodes.base import Bands, BarcodeOptions
from scenepal.render.barcodes.frames import frame_bands


class CircularFramesMode:
    """The frames barcode as a ring."""

    name = "circular-frames"
    description = "the frames barcode as a ring, clockwise from 12 o'clock (--smooth N, --inner F)"
    shape = "ring"
    options = frozenset({"smooth", "inner"})
    default_size = (1600, 1600)

    def bands(self, analysis: Analysis, columns: int, options: BarcodeOptions) -> Bands:
        """One wedge per time slice; smoothing wraps around the ring."""
        return frame_bands(analysis, columns, options, wrap=True)


MODE = CircularFramesMode()
