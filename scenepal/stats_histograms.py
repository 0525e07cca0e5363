"""Histograms of a scene's CIELAB pixels (L*, C*ab and the a*b* plane), and percentiles read
from them: what lets a film's statistics pool its scenes' pixels without keeping them
(:func:`scenepal.stats.film_stats`), and what the vectorscope draws.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from numpy.typing import ArrayLike, NDArray

from scenepal.stats_models import PixelHistograms

DENSITY_BINS = 64
"""Cells along each axis of the a*b* density."""

DENSITY_LIMIT = 128.0
"""The a*b* density covers a*, b* in [-DENSITY_LIMIT, DENSITY_LIMIT)."""

LIGHTNESS_BIN = 0.25
"""Width of the L* histogram's bins (400 bins over [0, 100])."""

CHROMA_BIN = 0.25
"""Width of the chroma histogram's bins (800 bins over [0, 200))."""

LIGHTNESS_BINS = round(100 / LIGHTNESS_BIN)
"""Bins of the L* histogram."""

CHROMA_BINS = round(200 / CHROMA_BIN)
"""Bins of the chroma histogram."""


def _counts(values: NDArray[np.float64], width: float, bins: int) -> NDArray[np.int64]:
    index = np.clip((values / width).astype(np.intp), 0, bins - 1)
    return np.bincount(index, minlength=bins)


def pixel_histograms(lab: NDArray[np.float64]) -> PixelHistograms:
    """Counts of L*, C*ab and (a*, b*) of CIELAB pixels (N, 3), in the bins of
    :class:`scenepal.models.PixelHistograms`.

    >>> h = pixel_histograms(np.array([[50.0, 0.0, 0.0], [100.0, 0.6, 0.8]]))
    >>> int(h.lightness[200]), int(h.lightness[-1]), int(h.chroma[4]), int(h.ab[32, 32])
    (1, 1, 1, 2)
    """
    a, b = lab[:, 1], lab[:, 2]
    cell = 2 * DENSITY_LIMIT / DENSITY_BINS
    ia = np.floor((a + DENSITY_LIMIT) / cell).astype(np.intp)
    ib = np.floor((b + DENSITY_LIMIT) / cell).astype(np.intp)
    inside = (ia >= 0) & (ia < DENSITY_BINS) & (ib >= 0) & (ib < DENSITY_BINS)
    ab = np.bincount(
        ia[inside] * DENSITY_BINS + ib[inside], minlength=DENSITY_BINS * DENSITY_BINS
    ).reshape(DENSITY_BINS, DENSITY_BINS)
    return PixelHistograms(
        lightness=_counts(lab[:, 0], LIGHTNESS_BIN, LIGHTNESS_BINS),
        chroma=_counts(np.hypot(a, b), CHROMA_BIN, CHROMA_BINS),
        ab=ab,
    )


def histogram_percentiles(
    histogram: ArrayLike, width: float, percents: Sequence[float]
) -> list[float]:
    """Percentiles of a histogram of bins ``width`` wide from 0, taking values as spread
    evenly inside each bin (so the error is under one bin width).

    >>> histogram_percentiles([0, 2, 2, 0], 1.0, [0.0, 25.0, 50.0, 100.0])
    [1.0, 1.5, 2.0, 3.0]
    """
    h = np.asarray(histogram, dtype=np.float64)
    cdf = np.concatenate([[0.0], np.cumsum(h)])
    cdf /= cdf[-1]
    edges = np.arange(len(h) + 1) * width
    out = []
    for percent in percents:
        p = percent / 100.0
        j = int(np.searchsorted(cdf, p, side="left"))
        if p <= 0:
            j = int(np.searchsorted(cdf, 0.0, side="right"))
            out.append(float(edges[max(j - 1, 0)]))
            continue
        j = min(max(j, 1), len(h))
        f0, f1 = cdf[j - 1], cdf[j]
        t = 0.0 if f1 <= f0 else (p - f0) / (f1 - f0)
        out.append(float(edges[j - 1] + t * width))
    return out
