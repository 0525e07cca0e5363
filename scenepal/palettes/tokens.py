"""W3C Design Tokens (``.tokens.json``), format module 2025.10: colour tokens.

Each group (the film, or a scene) is a token group of ``$type: "color"``; its tokens are named
``1``, ``2``, ... heaviest first. A colour's ``$value`` is
``{"colorSpace": "srgb", "components": [r, g, b], "hex": "#rrggbb"}`` with components in [0, 1]
(the exact quotient of the 8-bit value by 255). Each token's share of its scene or film is in
``$extensions["org.scenepal"]["weight"]``.
"""

from __future__ import annotations

import json
from typing import Any

from scenepal.palettes.base import PaletteSet, clean_name

EXTENSION_KEY = "org.scenepal"


def write(palettes: PaletteSet) -> bytes:
    """The file's bytes (UTF-8 JSON)."""
    doc: dict[str, Any] = {
        "$description": clean_name(f"scenepal palette: {palettes.title} · {palettes.subject}")
    }
    for group in palettes.groups:
        tokens: dict[str, Any] = {"$type": "color", "$description": clean_name(group.name)}
        for i, c in enumerate(group.colors, start=1):
            tokens[str(i)] = {
                "$value": {
                    "colorSpace": "srgb",
                    "components": [v / 255 for v in c.rgb],
                    "hex": c.hex,
                },
                "$description": clean_name(c.name),
                "$extensions": {EXTENSION_KEY: {"weight": c.weight}},
            }
        doc[group.key] = tokens
    return (json.dumps(doc, indent=2, ensure_ascii=False) + "\n").encode("utf-8")
