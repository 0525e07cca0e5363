"""CSS custom properties (``.css``): ``--scenepal-1: #rrggbb;`` inside ``:root``.

The film palette and a single scene are numbered ``--scenepal-1``, ``--scenepal-2``, ...; with
every scene, each scene's colours are ``--scenepal-scene-12-1``, ... A comment names the film
and each scene.
"""

from __future__ import annotations

from scenepal.palettes.base import PaletteSet, clean_name


def _comment(text: str) -> str:
    return "/* " + clean_name(text).replace("*/", "* /") + " */"


def write(palettes: PaletteSet) -> bytes:
    """The file's bytes (UTF-8)."""
    lines = [
        '@charset "UTF-8";',
        _comment(f"scenepal palette: {palettes.title} · {palettes.subject}"),
        ":root {",
    ]
    several = len(palettes.groups) > 1
    for group in palettes.groups:
        lines.append("  " + _comment(group.name))
        prefix = f"--scenepal-{group.key}-" if several else "--scenepal-"
        lines.extend(f"  {prefix}{i}: {c.hex};" for i, c in enumerate(group.colors, start=1))
    lines.append("}")
    return ("\n".join(lines) + "\n").encode("utf-8")
