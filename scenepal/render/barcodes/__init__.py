"""Barcode modes: a registry, one module per mode.

:data:`MODES` is the table of :class:`~scenepal.render.barcodes.base.BarcodeMode` entries; the
bands each draws come from a module of their own (``frames``, ``scenes``, ``dominant``), and a
ring mode draws a strip mode's bands around a circle. Adding a mode is one entry here (and a
module when it draws new bands). The command line lists the modes from here.

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
from scenepal.render.barcodes import dominant, frames, scenes
from scenepal.render.barcodes.base import (
    RING_SIZE,
    STRIP_SIZE,
    Bands,
    BarcodeMode,
    BarcodeOptions,
    check_options,
)

_SMOOTH, _INNER, _BOTH = frozenset({"smooth"}), frozenset({"inner"}), frozenset({"smooth", "inner"})

MODES: dict[str, BarcodeMode] = {
    m.name: m
    for m in (
        BarcodeMode(
            "frames",
            "one column per time slice, the linear-light mean of its frames (--smooth N)",
            "strip",
            _SMOOTH,
            STRIP_SIZE,
            frames.frame_bands,
        ),
        BarcodeMode(
            "scenes",
            "one band per scene, as wide as it is long, its palette stacked by weight",
            "strip",
            frozenset(),
            STRIP_SIZE,
            scenes.scene_bands,
        ),
        BarcodeMode(
            "dominant",
            "one band per scene, as wide as it is long, in its heaviest palette colour",
            "strip",
            frozenset(),
            STRIP_SIZE,
            dominant.dominant_bands,
        ),
        BarcodeMode(
            "circular-frames",
            "the frames barcode as a ring, clockwise from 12 o'clock (--smooth N, --inner F)",
            "ring",
            _BOTH,
            RING_SIZE,
            frames.ring_frame_bands,
        ),
        BarcodeMode(
            "circular-scenes",
            "the scenes barcode as a ring, clockwise from 12 o'clock (--inner F)",
            "ring",
            _INNER,
            RING_SIZE,
            scenes.scene_bands,
        ),
    )
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
