"""compare.png: the two barcodes, each on its own time axis, and between them a difference
strip joining each matched span of A to its span in B, coloured by the mean-colour CIEDE2000.
Unmatched footage is hatched in red on its barcode."""

from __future__ import annotations

from pathlib import Path

from matplotlib import colormaps
from matplotlib.cm import ScalarMappable
from matplotlib.colors import Normalize
from matplotlib.figure import Figure
from matplotlib.patches import Polygon, Rectangle
from matplotlib.ticker import FuncFormatter

from scenepal.compare import Comparison
from scenepal.export import display_path
from scenepal.models import Analysis
from scenepal.render.barcode import barcode
from scenepal.render.timeline import clock_label

DE_SCALE_MAX = 10.0
"""CIEDE2000 at the top of the difference strip's colour scale."""


def comparison_figure(a: Analysis, b: Analysis, c: Comparison, *, dpi: int = 120) -> Figure:
    """Both barcodes on a shared time scale (each from its own start) with the matched spans
    joined between them, each join coloured by its mean-colour CIEDE2000."""
    fig = Figure(figsize=(12.0, 4.6), dpi=dpi, facecolor="white")
    ax = fig.add_axes((0.07, 0.2, 0.84, 0.68))
    length = max(c.a_duration_s, c.b_duration_s)
    a0, b0 = a.scenes[0].scene.start_s, b.scenes[0].scene.start_s
    width = 1600
    for analysis, top, duration in ((a, 3.0, c.a_duration_s), (b, 1.0, c.b_duration_s)):
        image = barcode(analysis, size=(max(2, round(width * duration / length)), 40))
        ax.imshow(
            image, aspect="auto", interpolation="nearest", extent=(0.0, duration, top - 1.0, top)
        )
    cmap = ScalarMappable(Normalize(0.0, DE_SCALE_MAX), "magma_r")
    for s in c.spans:
        xa0, xa1 = s.a_start_s - a0, s.a_end_s - a0
        xb0, xb1 = s.b_start_s - b0, s.b_end_s - b0
        ax.add_patch(
            Polygon(
                [(xa0, 2.0), (xa1, 2.0), (xb1, 1.0), (xb0, 1.0)],
                closed=True,
                facecolor=colormaps["magma_r"](min(s.mean_de00, DE_SCALE_MAX) / DE_SCALE_MAX),
                edgecolor="white",
                linewidth=0.3,
            )
        )
    for stretches, start, bottom in ((c.unmatched_a, a0, 2.0), (c.unmatched_b, b0, 0.0)):
        for u in stretches:
            ax.add_patch(
                Rectangle(
                    (u.start_s - start, bottom),
                    u.end_s - u.start_s,
                    1.0,
                    facecolor="none",
                    edgecolor="#d0202a",
                    hatch="///",
                    linewidth=1.0,
                )
            )
    ax.set_xlim(0.0, length)
    ax.set_ylim(0.0, 3.0)
    ax.set_yticks([0.5, 1.5, 2.5])
    name_a = display_path(Path(c.a_path).name)
    name_b = display_path(Path(c.b_path).name)
    ax.set_yticklabels([f"B  {name_b}", "difference", f"A  {name_a}"], fontsize=8)
    ax.xaxis.set_major_formatter(FuncFormatter(clock_label))
    ax.set_xlabel("time from each film's start")
    colorbar = fig.colorbar(cmap, ax=ax, fraction=0.03, pad=0.01)
    colorbar.set_label("mean colour CIEDE2000", fontsize=8)
    matched = f"{c.matched_share_a:.0%} of A and {c.matched_share_b:.0%} of B matched"
    fig.suptitle(f"{name_a} vs {name_b} · {matched}", fontsize=10, weight="bold")
    if c.unmatched_a or c.unmatched_b:
        fig.text(
            0.07,
            0.04,
            "hatched: footage with no counterpart in the other film",
            fontsize=8,
            color="#d0202a",
        )
    return fig
