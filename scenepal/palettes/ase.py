"""Adobe Swatch Exchange (``.ase``), read by Illustrator, Photoshop, InDesign and Affinity.

Layout (big-endian): ``ASEF``, version u16 1, u16 0, u32 block count; then blocks of u16 type
(0xC001 group start, 0xC002 group end, 0x0001 colour) and u32 length of what follows. A group
start and a colour begin with u16 name length in UTF-16 code units including the final NUL and
the UTF-16BE name with that NUL. A colour goes on with the model ``RGB `` (four bytes), three
float32 components 0-1 and u16 type (2, a normal process colour). Every scene is a group.
"""

from __future__ import annotations

import struct

from scenepal.palettes.base import PaletteSet, clean_name

GROUP_START = 0xC001
GROUP_END = 0xC002
COLOR = 0x0001
NORMAL = 2


def _name(text: str) -> bytes:
    encoded = clean_name(text).encode("utf-16-be") + b"\x00\x00"
    return struct.pack(">H", len(encoded) // 2) + encoded


def _block(kind: int, body: bytes) -> bytes:
    return struct.pack(">HI", kind, len(body)) + body


def write(palettes: PaletteSet) -> bytes:
    """The palette file's bytes."""
    blocks: list[bytes] = []
    for group in palettes.groups:
        blocks.append(_block(GROUP_START, _name(group.name)))
        for c in group.colors:
            values = struct.pack(">3f", *(v / 255.0 for v in c.rgb))
            blocks.append(
                _block(COLOR, _name(c.name) + b"RGB " + values + struct.pack(">H", NORMAL))
            )
        blocks.append(_block(GROUP_END, b""))
    return b"ASEF" + struct.pack(">HHI", 1, 0, len(blocks)) + b"".join(blocks)
