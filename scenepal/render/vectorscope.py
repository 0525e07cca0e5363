"""The vectorscope: the film's a*b* distribution as a 2-D density, with the skin-tone line.

Drawn from the film's a*b* histogram in analysis.json (``stats.histograms.ab_ppm``), on a
CIELAB a*b* plane: a* to the right (red), b* up (yellow), chroma rings every 20.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from scenepal import color
from scenepal.export import display_path
from scenepal.models import Analysis
from scenepal.stats import hue_deg
from scenepal.stats_histograms import DENSITY_BINS, DENSITY_LIMIT


def _skin_line_deg() -> float:
    """CIELAB hue of the skin-tone line: the 123-degree line of a BT.709 Cb/Cr vectorscope
    (the "I" line), for a mid-grey-bright colour on it.

    >>> round(_skin_line_deg(), 1)
    50.5
    """
    angle = np.radians(123.0)
    srgb = color.ycbcr_to_rgb([0.5, 0.1 * np.cos(angle), 0.1 * np.sin(angle)], "bt709")
    lab = color.srgb_to_lab(srgb)
    return float(hue_deg(lab[1], lab[2]))


SKIN_LINE_DEG = _skin_line_deg()
"""CIELAB hue angle of the skin-tone line, about 50 degrees."""

_TARGETS = {
    "R": (255, 0, 0),
    "Y": (255, 255, 0),
    "G": (0, 255, 0),
    "C": (0, 255, 255),
    "B": (0, 0, 255),
    "M": (255, 0, 255),
}


def vectorscope(analysis: Analysis, *, dpi: int = 120) -> Figure:
    """The film's a*b* density (log-scaled brightness on black), chroma rings, the directions
    of the sRGB primaries and secondaries, and the skin-tone line. The view spans the chroma
    that holds 99.5 % of the pixels (at least 40)."""
    fig = Figure(figsize=(6.4, 6.6), dpi=dpi, facecolor="#111111")
    ax = fig.add_subplot()
    ax.set_facecolor("#000000")
    name = display_path(Path(analysis.video.path).name)
    fig.suptitle(f"{name} · vectorscope (CIELAB a*b*)", fontsize=10, weight="bold", color="#dddddd")
    reach = _density(ax, analysis)
    _graticule(ax, reach)
    ax.set_xlim(-reach, reach)
    ax.set_ylim(-reach, reach)
    ax.set_aspect("equal")
    ax.set_xlabel("a*  (green - red)", color="#bbbbbb", fontsize=8)
    ax.set_ylabel("b*  (blue - yellow)", color="#bbbbbb", fontsize=8)
    ax.tick_params(colors="#888888", labelsize=7)
    for spine in ax.spines.values():
        spine.set_color("#444444")
    return fig


def _density(ax: Axes, analysis: Analysis) -> float:
    """Draw the film's a*b* density (log-scaled); the chroma the view must reach to hold
    99.5 % of the pixels (at least 40)."""
    stats = analysis.stats
    density = None if stats is None or stats.histograms is None else stats.histograms.ab
    cell = 2 * DENSITY_LIMIT / DENSITY_BINS
    centers = -DENSITY_LIMIT + (np.arange(DENSITY_BINS) + 0.5) * cell
    reach = 40.0
    if density is not None and density.sum() > 0:
        aa, bb = np.meshgrid(centers, centers, indexing="ij")
        radius = np.hypot(aa, bb).ravel()
        order = np.argsort(radius)
        covered = np.cumsum(density.ravel()[order])
        reach = max(reach, float(radius[order][np.searchsorted(covered, 0.995)]) + cell)
        shown = np.log1p(density / density[density > 0].min()).T  # rows are b*, columns a*
        ax.imshow(
            shown / shown.max(),
            origin="lower",
            cmap="inferno",
            interpolation="bilinear",
            extent=(-DENSITY_LIMIT, DENSITY_LIMIT, -DENSITY_LIMIT, DENSITY_LIMIT),
        )
    else:
        ax.text(0, 0, "no statistics in this analysis", color="#bbbbbb", ha="center")
    return min(reach, DENSITY_LIMIT)


def _graticule(ax: Axes, reach: float) -> None:
    """Chroma rings every 20, the axes, the skin-tone line and the primaries' directions."""
    ring = np.linspace(0, 2 * np.pi, 200)
    for c in range(20, int(reach) + 1, 20):
        ax.plot(c * np.cos(ring), c * np.sin(ring), color="#ffffff30", linewidth=0.6)
        ax.text(
            c * np.cos(np.radians(-80)),
            c * np.sin(np.radians(-80)),
            f"C {c}",
            color="#ffffff70",
            fontsize=6,
        )
    ax.axhline(0, color="#ffffff25", linewidth=0.6)
    ax.axvline(0, color="#ffffff25", linewidth=0.6)
    skin = np.radians(SKIN_LINE_DEG)
    ax.plot(
        [0, reach * np.cos(skin)],
        [0, reach * np.sin(skin)],
        color="#f0c090",
        linewidth=1.0,
        linestyle="--",
    )
    ax.text(
        0.93 * reach * np.cos(skin),
        0.93 * reach * np.sin(skin) + reach * 0.03,
        "skin",
        color="#f0c090",
        fontsize=8,
        ha="right",
    )
    for label, rgb in _TARGETS.items():
        lab = color.srgb_to_lab(np.array(rgb) / 255.0)
        h = np.radians(float(hue_deg(lab[1], lab[2])))
        ax.text(
            0.9 * reach * np.cos(h),
            0.9 * reach * np.sin(h),
            label,
            fontsize=9,
            color=tuple(np.array(rgb) / 255.0),
            ha="center",
            va="center",
            weight="bold",
        )
