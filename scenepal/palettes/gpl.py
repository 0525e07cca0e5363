"""GIMP palette (``.gpl``), read by GIMP, Inkscape, Krita and MyPaint.

Layout: the line ``GIMP Palette``, ``Name:`` and ``Columns:`` lines, then one colour a line as
``R G B<TAB>name`` with decimal components 0-255; lines starting with ``#`` are comments. Groups
(scenes) are marked by a comment line before their colours. UTF-8 text.
"""

from __future__ import annotations

from scenepal.palettes.base import PaletteSet, clean_name


def write(palettes: PaletteSet) -> bytes:
    """The palette file's bytes."""
    columns = max(len(g.colors) for g in palettes.groups) if palettes.groups else 1
    lines = [
        "GIMP Palette",
        f"Name: {clean_name(palettes.title)} · {palettes.subject}",
        f"Columns: {max(1, columns)}",
        f"# scenepal: {clean_name(palettes.title)}, {palettes.subject}",
    ]
    for group in palettes.groups:
        lines.append(f"# {clean_name(group.name)}")
        lines.extend(
            f"{r:3d} {g:3d} {b:3d}\t{clean_name(c.name)}"
            for c in group.colors
            for r, g, b in (c.rgb,)
        )
    return ("\n".join(lines) + "\n").encode("utf-8")
