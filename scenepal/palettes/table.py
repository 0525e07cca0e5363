"""A CSV table (``.csv``): one colour a row with its group, name, hex, components and weight."""

from __future__ import annotations

import csv
import io

from scenepal.palettes.base import PaletteSet, clean_name

HEADER = ("group", "name", "index", "hex", "r", "g", "b", "weight")


def write(palettes: PaletteSet) -> bytes:
    """The file's bytes (UTF-8)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(HEADER)
    for group in palettes.groups:
        for i, c in enumerate(group.colors, start=1):
            writer.writerow(
                [
                    clean_name(group.name),
                    clean_name(c.name),
                    i,
                    c.hex,
                    *c.rgb,
                    f"{c.weight:.4f}",
                ]
            )
    return out.getvalue().encode("utf-8")
