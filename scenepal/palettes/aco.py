"""Photoshop colour swatches (``.aco``).

Layout (big-endian): a version 1 section, u16 1, u16 count, then per colour u16 colour space
(0, RGB) and four u16 components (R, G, B scaled to 0-65535, then 0); followed by a version 2
section with the same colours, each also carrying u32 name length in UTF-16 code units including
the final NUL, and the UTF-16BE name with that NUL. Photoshop shows the names; old readers stop
after version 1. ACO has no groups: scenes follow one another, their names say which is which.
"""

from __future__ import annotations

import struct

from scenepal.palettes.base import PaletteSet, clean_name

RGB_SPACE = 0


def write(palettes: PaletteSet) -> bytes:
    """The palette file's bytes."""
    colors = palettes.colors
    v1 = [struct.pack(">H", 1), struct.pack(">H", len(colors))]
    v2 = [struct.pack(">H", 2), struct.pack(">H", len(colors))]
    for c in colors:
        record = struct.pack(">5H", RGB_SPACE, *(v * 257 for v in c.rgb), 0)
        name = clean_name(c.name).encode("utf-16-be") + b"\x00\x00"
        v1.append(record)
        v2.append(record + struct.pack(">I", len(name) // 2) + name)
    return b"".join(v1 + v2)
