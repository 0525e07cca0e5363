"""Barcode modes: a registry, one module per mode.

Each module holds one :class:`~scenepal.render.barcodes.base.BarcodeMode` (``MODE``); adding a
mode is one new module and one line in :data:`MODES`. The command line lists the modes from here.

========================  ================================================================
``frames``                one column per time slice, the mean of its frames (--smooth N)
``scenes``                one band per scene, its palette stacked by weight (the default)
``dominant``              one band per scene in its heaviest palette colour
``circular-frames``       ``frames`` as a ring, clockwise from 12 o'clock
``circular-scenes``       ``scenes`` as a ring, clockwise from 12 o'clock
========================  ================================================================
"""

from __future__ import annotations

from scenepal.errors import ConfigError
from scenepal.render.barcodes import circular_frames, circular_scenes, dominant, frames, scenes
from scenepal.render.barcodes.base import Bands, BarcodeMode, BarcodeOptions, check_options

MODES: dict[str, BarcodeMode] = {
    m.MODE.name: m.MODE for m in (frames, scenes, dominant, circular_frames, circular_scenes)
}
"""Every barcode mode by name, in the order the help lists them."""

DEFAULT_MODE = "scenes"
"""The mode of ``barcode.png``."""


def get_mode(name: str) -> BarcodeMode:
    """The mode called ``name``.

    Raises:
        ConfigError: no mode has that name (the message lists them).
    """
    try:
        return MODES[name]
    except KeyError:
        raise ConfigError(
            f"unknown barcode mode {name!r}; choose from {', '.join(MODES)}"
        ) from None


__all__ = [
    "DEFAULT_MODE",
    "MODES",
    "Bands",
    "BarcodeMode",
    "BarcodeOptions",
    "check_options",
    "get_mode",
]
