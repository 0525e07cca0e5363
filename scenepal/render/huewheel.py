"""The hue wheel: a polar histogram of CIELAB hue weighted by chroma, each bar in its own hue.

Drawn from an :class:`~scenepal.models.Analysis` alone: the film's statistics, or one scene's.
"""

from __future__ import annotations

from pathlib import Path
from typing import cast

import numpy as np
from matplotlib.figure import Figure
from matplotlib.projections.polar import PolarAxes

from scenepal import color
from scenepal.export import display_path, timecode
from scenepal.models import Analysis, ColorStats
from scenepal.stats import HUE_BINS, ORANGE_SECTOR, TEAL_SECTOR


def hue_color(
    hue_deg: float, *, lightness: float = 65.0, chroma: float = 45.0
) -> tuple[float, ...]:
    """The sRGB colour (0-1, clipped to the gamut) of a CIELAB hue at a given L* and chroma.

    >>> [round(c, 2) for c in hue_color(60.0)]
    [0.84, 0.55, 0.35]
    """
    h = np.radians(hue_deg)
    lab = [lightness, chroma * np.cos(h), chroma * np.sin(h)]
    return tuple(float(c) for c in color.lab_to_srgb(lab))


def _scene_title(analysis: Analysis, scene: int) -> str:
    s = analysis.scenes[scene].scene
    return f"scene {scene + 1} · {timecode(s.start_s)[:-4]}-{timecode(s.end_s)[:-4]}"


def _stats_of(analysis: Analysis, scene: int | None) -> ColorStats | None:
    if scene is None:
        return analysis.stats
    if not 0 <= scene < len(analysis.scenes):
        raise ValueError(f"no scene {scene + 1}: the film has {len(analysis.scenes)} scenes")
    return analysis.scenes[scene].stats


def huewheel(analysis: Analysis, *, scene: int | None = None, dpi: int = 120) -> Figure:
    """The chroma-weighted hue histogram of the film (or of scene ``scene``, 0-based) as a
    polar bar chart: 12 bars of 30 degrees, each as long as its share of the chroma and drawn
    in its hue; the orange/skin and teal sectors marked on the rim, and the mean hue as an
    arrow as long as the hue concentration.

    Raises:
        ValueError: ``scene`` is not a scene of the analysis.
    """
    stats = _stats_of(analysis, scene)
    fig = Figure(figsize=(6.0, 6.4), dpi=dpi, facecolor="white")
    ax = cast(PolarAxes, fig.add_subplot(projection="polar"))
    name = display_path(Path(analysis.video.path).name)
    where = "film" if scene is None else _scene_title(analysis, scene)
    fig.suptitle(f"{name} · hue, weighted by chroma ({where})", fontsize=10, weight="bold")
    width = 2 * np.pi / HUE_BINS
    centers = (np.arange(HUE_BINS) + 0.5) * width
    shares = np.zeros(HUE_BINS) if stats is None else np.array(stats.hue.histogram)
    top = max(float(shares.max()), 0.05) * 1.15
    ax.bar(
        centers,
        shares,
        width=width * 0.94,
        bottom=0.0,
        color=[hue_color(np.degrees(c)) for c in centers],
        edgecolor="white",
        linewidth=0.8,
    )
    _sectors(ax, top)
    if stats is not None and stats.hue.mean_deg is not None:
        ax.annotate(
            "",
            xy=(np.radians(stats.hue.mean_deg), top * stats.hue.concentration),
            xytext=(0, 0),
            arrowprops={"arrowstyle": "->", "color": "#222222", "linewidth": 1.4},
        )
    ax.set_ylim(0, top * 1.2)
    ax.set_xticks(np.radians(np.arange(0, 360, 30)))
    ax.set_xticklabels([f"{d}°" for d in range(0, 360, 30)], fontsize=7, color="#555555")
    ax.set_yticks([])
    ax.spines["polar"].set_visible(False)
    note = _note(stats)
    fig.text(0.5, 0.03, note, ha="center", fontsize=8, color="#333333")
    return fig


def _sectors(ax: PolarAxes, top: float) -> None:
    """The orange/skin and teal sectors marked on the rim."""
    for (start, end), label, tone in (
        (ORANGE_SECTOR, "orange / skin", "#c26a1b"),
        (TEAL_SECTOR, "teal", "#1b7a80"),
    ):
        arc = np.radians(np.linspace(start, end, 40))
        ax.plot(arc, np.full_like(arc, top * 1.02), color=tone, linewidth=4, solid_capstyle="butt")
        middle = np.radians((start + end) / 2)
        ax.text(middle, top * 1.12, label, ha="center", va="center", fontsize=8, color=tone)


def _note(stats: ColorStats | None) -> str:
    """The line under the wheel: mean hue, concentration and the teal/orange shares."""
    if stats is None:
        return "no statistics (a black scene, or an analysis made before statistics existed)"
    if stats.hue.mean_deg is None:
        return "no chroma: every pixel is grey"
    to = stats.teal_orange
    return (
        f"mean hue {stats.hue.mean_deg:.0f}° (concentration {stats.hue.concentration:.2f})"
        f" · orange {to.orange_share:.0%}, teal {to.teal_share:.0%},"
        f" balance {to.balance:+.2f}"
    )
