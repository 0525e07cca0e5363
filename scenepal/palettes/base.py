"""What every palette file is written from: named colours in groups, and the writer protocol.

A :class:`PaletteSet` is built once from an analysis (:func:`palette_set`): the film palette, one
scene's palette, or every scene's palette as a group of its own. Each format module turns it
into bytes; none of them reads the analysis itself.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from scenepal.color import hex_code
from scenepal.errors import ConfigError
from scenepal.export import display_path, timecode
from scenepal.models import Analysis, Palette


@dataclass(frozen=True)
class NamedColor:
    """One colour of a palette file.

    Attributes:
        name: the swatch's name, e.g. ``scene 12 · 00:14:03 · 1``.
        rgb: sRGB components 0-255.
        weight: the share of the scene (or film) this colour stands for, in (0, 1].
    """

    name: str
    rgb: tuple[int, int, int]
    weight: float

    @property
    def hex(self) -> str:
        """The colour as ``#rrggbb``."""
        return hex_code(self.rgb)


@dataclass(frozen=True)
class PaletteGroup:
    """The colours of the film or of one scene.

    Attributes:
        key: a short identifier safe in CSS and token names: ``film`` or ``scene-12``.
        name: the group's name for people: the film's name, or ``scene 12 · 00:14:03``.
        colors: heaviest first.
    """

    key: str
    name: str
    colors: tuple[NamedColor, ...]


@dataclass(frozen=True)
class PaletteSet:
    """What a palette file holds.

    Attributes:
        title: the film's name (its file name without the extension).
        subject: what was exported: ``film palette``, ``scene 12`` or ``all scenes``.
        groups: one group (the film or a scene), or one per scene.
    """

    title: str
    subject: str
    groups: tuple[PaletteGroup, ...]

    @property
    def colors(self) -> tuple[NamedColor, ...]:
        """Every colour of every group, in order."""
        return tuple(c for g in self.groups for c in g.colors)


@dataclass(frozen=True)
class PaletteFormat:
    """A palette file format: a name for the command line and its writer.

    Attributes:
        name: registry name, e.g. ``ase``.
        extension: file name extension without the dot.
        text: True for text formats (they may be written to standard output).
        description: one line for ``--help``.
        write: the file's bytes for a palette set (raises ConfigError when the format cannot
            hold it).
    """

    name: str
    extension: str
    text: bool
    description: str
    write: Callable[[PaletteSet], bytes]


_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]+")


def clean_name(name: str) -> str:
    r"""A name on one line: control characters and line separators become one space.

    >>> clean_name("Blade\nRunner\t2049")
    'Blade Runner 2049'
    """
    return _UNPRINTABLE.sub(" ", name).strip()


def film_title(analysis: Analysis) -> str:
    """The film's name: its file name without the extension, on one line."""
    return clean_name(display_path(Path(analysis.video.path).stem)) or "film"


def scene_label(number: int, start_s: float) -> str:
    """A scene's name, numbered from 1 as on the palette sheet.

    >>> scene_label(12, 843.4)
    'scene 12 · 00:14:03'
    """
    return f"scene {number} · {timecode(start_s)[:8]}"


def _group(key: str, name: str, palette: Palette) -> PaletteGroup:
    return PaletteGroup(
        key,
        name,
        tuple(
            NamedColor(f"{name} · {i}", s.rgb, s.weight)
            for i, s in enumerate(palette.swatches, start=1)
        ),
    )


def palette_set(
    analysis: Analysis, *, scene: int | None = None, all_scenes: bool = False
) -> PaletteSet:
    """The colours to export: the film palette, scene ``scene`` (from 1), or every scene.

    Raises:
        ConfigError: both ``scene`` and ``all_scenes`` given, or no such scene.
    """
    title = film_title(analysis)
    if scene is not None and all_scenes:
        raise ConfigError("give either a scene number or all scenes, not both")
    if all_scenes:
        groups = tuple(
            _group(
                f"scene-{r.scene.index + 1}",
                scene_label(r.scene.index + 1, r.scene.start_s),
                r.palette,
            )
            for r in analysis.scenes
        )
        return PaletteSet(title, "all scenes", groups)
    if scene is not None:
        if not 1 <= scene <= len(analysis.scenes):
            raise ConfigError(
                f"no scene {scene}: the analysis has scenes 1 to {len(analysis.scenes)}"
            )
        r = analysis.scenes[scene - 1]
        group = _group(f"scene-{scene}", scene_label(scene, r.scene.start_s), r.palette)
        return PaletteSet(title, f"scene {scene}", (group,))
    return PaletteSet(title, "film palette", (_group("film", title, analysis.palette),))
