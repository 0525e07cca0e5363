"""Palette files for design tools: GIMP, Adobe (ASE, ACO), CSS, design tokens, CSV, Procreate.

Every format is one module with a ``write`` function, listed with its name, extension and
description in :data:`FORMATS` (a :class:`PaletteFormat` each); a new format is a new module and
one entry there.

>>> sorted(FORMATS)
['aco', 'ase', 'css', 'csv', 'gpl', 'swatches', 'tokens']
"""

from __future__ import annotations

import os

from scenepal.errors import ConfigError
from scenepal.export import load_analysis
from scenepal.models import Analysis
from scenepal.palettes import aco, ase, css, gpl, procreate, table, tokens
from scenepal.palettes.base import (
    NamedColor,
    PaletteFormat,
    PaletteGroup,
    PaletteSet,
    film_title,
    palette_set,
    scene_label,
)

_SWATCH_CAP = procreate.MAX_SWATCHES
FORMATS: dict[str, PaletteFormat] = {
    f.name: f
    for f in (
        PaletteFormat("gpl", "gpl", True, "GIMP palette (GIMP, Inkscape, Krita)", gpl.write),
        PaletteFormat(
            "ase",
            "ase",
            False,
            "Adobe Swatch Exchange (Illustrator, Photoshop, InDesign, Affinity)",
            ase.write,
        ),
        PaletteFormat(
            "aco", "aco", False, "Photoshop swatches (version 1 and 2, with names)", aco.write
        ),
        PaletteFormat(
            "css", "css", True, "CSS custom properties (--scenepal-1: #rrggbb;)", css.write
        ),
        PaletteFormat(
            "tokens",
            "tokens.json",
            True,
            "W3C Design Tokens JSON (DTCG 2025.10 colour tokens)",
            tokens.write,
        ),
        PaletteFormat(
            "csv", "csv", True, "CSV table: group, name, index, hex, r, g, b, weight", table.write
        ),
        PaletteFormat(
            "swatches",
            "swatches",
            False,
            f"Procreate swatches (at most {_SWATCH_CAP} colours)",
            procreate.write,
        ),
    )
}
"""Every palette file format by name: name, extension, text or binary, description, writer."""


def get_format(name: str) -> PaletteFormat:
    """The format called ``name``.

    Raises:
        ConfigError: no such format (the message lists the valid ones).

    >>> get_format("gpl").extension
    'gpl'
    """
    try:
        return FORMATS[name.lower()]
    except KeyError:
        raise ConfigError(
            f"unknown palette format {name!r}; choose one of: {', '.join(FORMATS)}"
        ) from None


def default_file_name(fmt: str, *, scene: int | None = None, all_scenes: bool = False) -> str:
    """Where ``scenepal export`` writes when no file is given (in the analysis's folder).

    >>> default_file_name("ase"), default_file_name("css", scene=12)
    ('palette.ase', 'palette-scene-12.css')
    >>> default_file_name("tokens", all_scenes=True)
    'palette-all-scenes.tokens.json'
    """
    suffix = "-all-scenes" if all_scenes else (f"-scene-{scene}" if scene is not None else "")
    return f"palette{suffix}.{get_format(fmt).extension}"


def export_palette(
    analysis: Analysis | str | os.PathLike[str],
    fmt: str = "ase",
    *,
    scene: int | None = None,
    all_scenes: bool = False,
) -> bytes:
    """A palette file of the film, of one scene, or of every scene (each a group).

    Args:
        analysis: an :class:`Analysis`, or the path of an analysis.json (or of its folder).
        fmt: a name in :data:`FORMATS`.
        scene: one scene, numbered from 1 as on the palette sheet.
        all_scenes: every scene, each as a group.

    Raises:
        ConfigError: unknown format or scene, or more colours than the format holds.
        AnalysisFileError: the analysis file cannot be read.
    """
    writer = get_format(fmt)
    a = analysis if isinstance(analysis, Analysis) else load_analysis(analysis)
    return writer.write(palette_set(a, scene=scene, all_scenes=all_scenes))


__all__ = [
    "FORMATS",
    "NamedColor",
    "PaletteFormat",
    "PaletteGroup",
    "PaletteSet",
    "default_file_name",
    "export_palette",
    "film_title",
    "get_format",
    "palette_set",
    "scene_label",
]
