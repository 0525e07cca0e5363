"""The timeline plot: lightness, chroma and warmth of every scene against time, over the barcode.

Drawn from an :class:`~scenepal.models.Analysis` alone (its scenes' statistics), with
matplotlib's object API (no pyplot). Scenes without statistics (black ones) leave gaps.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter

from scenepal.export import display_path, timecode
from scenepal.models import Analysis
from scenepal.render.barcode import barcode
from scenepal.stats import COOL_ABOVE_K, WARM_BELOW_K

CCT_LIMITS_K = (2000.0, 12000.0)
"""The warmth panel's range; CCTs outside it are drawn at its edge."""

MAX_CUT_LINES = 400
"""Above this many scenes, cuts are not marked (they would cover the plot)."""


def clock_label(seconds: float, _pos: object = None) -> str:
    """A time axis label: ``M:SS`` under an hour, ``H:MM:SS`` from one.

    >>> clock_label(75.0), clock_label(3725.0)
    ('1:15', '1:02:05')
    """
    text = timecode(seconds)[:8]
    hours, rest = int(text[:2]), text[3:]
    return f"{hours}:{rest}" if hours else rest.lstrip("0").rjust(4, "0")


def _series(analysis: Analysis) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    """Scene edges (S + 1,) in seconds, and per-scene values (S,), NaN where missing."""
    scenes = analysis.scenes
    edges = np.array([r.scene.start_s for r in scenes] + [scenes[-1].scene.end_s])
    keys = ("p5", "p50", "p95", "chroma", "chroma_p95", "cct")
    values = {k: np.full(len(scenes), np.nan) for k in keys}
    for i, r in enumerate(scenes):
        s = r.stats
        if s is None:
            continue
        values["p5"][i], values["p50"][i], values["p95"][i] = (
            s.lightness.p5,
            s.lightness.p50,
            s.lightness.p95,
        )
        values["chroma"][i], values["chroma_p95"][i] = s.chroma.mean, s.chroma.p95
        if s.warmth.cct_k is not None:
            values["cct"][i] = min(max(s.warmth.cct_k, CCT_LIMITS_K[0]), CCT_LIMITS_K[1])
    return edges, values


def _step(edges: np.ndarray, values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """x, y of a step line holding each value over its [edge, next edge)."""
    x = np.repeat(edges, 2)[1:-1]
    y = np.repeat(values, 2)
    return x, y


def _cuts(ax: Axes, edges: np.ndarray) -> None:
    if len(edges) - 1 <= MAX_CUT_LINES:
        ax.vlines(
            edges[1:-1], 0, 1, transform=ax.get_xaxis_transform(), colors="#00000030", linewidth=0.5
        )


def timeline(analysis: Analysis, *, dpi: int = 120) -> Figure:
    """Lightness (median with the 5-95 % band), chroma (mean, and 95th percentile) and warmth
    (CCT, with the warm and cool limits; none for near-black scenes,
    see :data:`scenepal.stats.NEAR_BLACK_Y`) per
    scene against time, scene cuts marked, and the barcode along the time axis."""
    edges, v = _series(analysis)
    fig = Figure(figsize=(12.0, 7.5), dpi=dpi, facecolor="white")
    grid = fig.add_gridspec(4, 1, height_ratios=[3, 2, 2, 0.8], hspace=0.12)
    light, chroma, warmth, strip = (fig.add_subplot(grid[i]) for i in range(4))
    for ax in (chroma, warmth, strip):
        ax.sharex(light)
    x, p50 = _step(edges, v["p50"])
    light.fill_between(
        x,
        _step(edges, v["p5"])[1],
        _step(edges, v["p95"])[1],
        color="#9aa4b1",
        alpha=0.45,
        linewidth=0,
        label="L* 5-95 %",
    )
    light.plot(x, p50, color="#1f2a36", linewidth=1.3, label="L* median")
    light.set_ylim(0, 100)
    light.set_ylabel("lightness L*")
    light.legend(loc="upper right", fontsize=8, frameon=False, ncols=2)
    name = display_path(Path(analysis.video.path).name)
    light.set_title(f"{name} · the grade over time", fontsize=11, loc="left", weight="bold")

    _chroma_panel(chroma, x, edges, v)
    _warmth_panel(warmth, x, edges, v)

    width = max(200, min(2400, round(fig.get_figwidth() * dpi)))
    strip.imshow(
        barcode(analysis, size=(width, 60)),
        aspect="auto",
        extent=(float(edges[0]), float(edges[-1]), 0.0, 1.0),
        interpolation="nearest",
    )
    strip.set_yticks([])
    strip.set_xlabel("time")
    for ax in (light, chroma, warmth):
        _cuts(ax, edges)
        ax.tick_params(labelbottom=False)
        ax.grid(axis="y", color="#00000014", linewidth=0.6)
    strip.xaxis.set_major_formatter(FuncFormatter(clock_label))
    light.set_xlim(float(edges[0]), float(edges[-1]))
    fig.subplots_adjust(left=0.07, right=0.985, top=0.95, bottom=0.08)
    return fig


def _chroma_panel(ax: Axes, x: np.ndarray, edges: np.ndarray, v: dict[str, np.ndarray]) -> None:
    """Mean chroma (filled) and its 95th percentile (dotted), per scene."""
    ax.fill_between(x, 0, _step(edges, v["chroma"])[1], color="#c0785a", alpha=0.35, linewidth=0)
    ax.plot(x, _step(edges, v["chroma"])[1], color="#9c4a2c", linewidth=1.2, label="mean chroma")
    ax.plot(
        x,
        _step(edges, v["chroma_p95"])[1],
        color="#9c4a2c",
        linewidth=0.8,
        linestyle=":",
        label="95th percentile",
    )
    top = np.nanmax(v["chroma_p95"]) if np.isfinite(v["chroma_p95"]).any() else 10.0
    ax.set_ylim(0, max(10.0, float(top) * 1.1))
    ax.set_ylabel("chroma C*ab")
    ax.legend(loc="upper right", fontsize=8, frameon=False, ncols=2)


def _warmth_panel(ax: Axes, x: np.ndarray, edges: np.ndarray, v: dict[str, np.ndarray]) -> None:
    """CCT per scene over the warm and cool bands; gaps where scenes are near black."""
    low, high = CCT_LIMITS_K[0] - 300, CCT_LIMITS_K[1] + 300  # clipped values stay visible
    ax.axhspan(low, WARM_BELOW_K, color="#f3b46b", alpha=0.18, linewidth=0)
    ax.axhspan(COOL_ABOVE_K, high, color="#6fa8dc", alpha=0.18, linewidth=0)
    ax.plot(x, _step(edges, v["cct"])[1], color="#3d3d3d", linewidth=1.2)
    ax.set_ylim(low, high)
    ax.set_ylabel("CCT (K)")
    if np.isnan(v["cct"]).any():
        ax.text(
            0.995,
            0.06,
            "gaps: near-black scenes",
            transform=ax.transAxes,
            fontsize=7,
            color="#666666",
            ha="right",
        )
    ax.text(0.005, 0.06, "warm", transform=ax.transAxes, fontsize=8, color="#a0601a")
    ax.text(0.005, 0.86, "cool", transform=ax.transAxes, fontsize=8, color="#2c5f8f")
