"""Procreate swatches (``.swatches``): a zip holding ``Swatches.json``.

``Swatches.json`` is a one-element list ``[{"name": ..., "swatches": [...]}]``; each swatch is
``{"hue", "saturation", "brightness", "alpha", "colorSpace": 0}`` with values in [0, 1] (HSB of
the sRGB colour). A Procreate palette holds at most 30 swatches, so every scene at once fits
only short films; export scenes one by one otherwise.
"""

from __future__ import annotations

import colorsys
import io
import json
import zipfile

from scenepal.errors import ConfigError
from scenepal.palettes.base import PaletteSet, clean_name

MAX_SWATCHES = 30
"""Swatches a Procreate palette holds."""

_EPOCH = (1980, 1, 1, 0, 0, 0)  # fixed zip timestamps: the same palette gives the same bytes


def write(palettes: PaletteSet) -> bytes:
    """The zip file's bytes.

    Raises:
        ConfigError: more colours than a Procreate palette holds.
    """
    colors = palettes.colors
    if len(colors) > MAX_SWATCHES:
        raise ConfigError(
            f"a Procreate palette holds {MAX_SWATCHES} colours, {palettes.subject} has "
            f"{len(colors)}: export fewer scenes (--scene N)"
        )
    swatches = []
    for c in colors:
        h, s, v = colorsys.rgb_to_hsv(*(x / 255 for x in c.rgb))
        swatches.append({"hue": h, "saturation": s, "brightness": v, "alpha": 1, "colorSpace": 0})
    doc = [{"name": clean_name(f"{palettes.title} · {palettes.subject}"), "swatches": swatches}]
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr(
            zipfile.ZipInfo("Swatches.json", _EPOCH),
            json.dumps(doc, indent=1),
            compress_type=zipfile.ZIP_DEFLATED,
        )
    return buf.getvalue()
