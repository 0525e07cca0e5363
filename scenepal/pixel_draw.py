"""Drawing a scene's pixels from its kept frames, in proportion to the screen time each frame
stands for, inside the scene's picture area.

A frame of a variable-frame-rate file that lasts twice as long gives twice the pixels; the
pixels themselves stay unweighted, so that clustering and statistics treat them alike.
"""

from __future__ import annotations

import math

import numpy as np
from numpy.typing import NDArray

from scenepal import fades
from scenepal.bars import inside_box
from scenepal.models import Rect


def durations(times: NDArray[np.float64], end_s: float) -> NDArray[np.float64]:
    """Screen time of each frame: to the next frame's time, the last one to the scene's end."""
    following = np.append(times[1:], max(end_s, float(times[-1])))
    return np.maximum(following - times, 0.0)


def screen_time(
    start: int, stop: int, labels: NDArray[np.int8], durations: NDArray[np.float64]
) -> float:
    """Screen time a candidate stands for: the kept frames of its run, [start, stop)."""
    span = slice(start, min(stop, len(labels)))
    return float(durations[span][labels[span] == fades.KEPT].sum())


def inside(rgb: NDArray[np.uint8], box: Rect | None, width: int, height: int) -> NDArray[np.uint8]:
    """The frame's pixels inside ``box`` (:func:`scenepal.bars.inside_box`), as (N, 3)."""
    return inside_box(rgb, box, width, height).reshape(-1, 3)


def draw_pixels(
    frames: list[NDArray[np.uint8]],
    weights: NDArray[np.float64],
    budget: int,
    rng: np.random.Generator,
) -> NDArray[np.uint8]:
    """Up to ``budget`` pixels, frame ``i`` giving a share proportional to ``weights[i]``.

    The budget shrinks when a frame has fewer pixels than its share, so the shares stay
    proportional. Quotas are rounded by largest remainder; pixels are drawn without replacement.

    >>> a, b = np.zeros((100, 3), np.uint8), np.full((100, 3), 9, np.uint8)
    >>> px = draw_pixels([a, b], np.array([3.0, 1.0]), 40, np.random.default_rng(0))
    >>> len(px), int((px == 9).all(axis=1).sum())
    (40, 10)
    """
    share = weights / weights.sum()
    sizes = np.array([len(f) for f in frames], dtype=np.float64)
    fits = np.where(share > 0, sizes / np.maximum(share, 1e-300), np.inf)
    total = int(min(budget, math.floor(float(fits.min()))))
    exact = share * total
    quotas = np.floor(exact).astype(np.int64)
    short = total - int(quotas.sum())
    if short > 0:
        order = np.argsort(-(exact - quotas), kind="stable")[:short]
        quotas[order] += 1
    quotas = np.minimum(quotas, sizes.astype(np.int64))
    parts = []
    for pixels, quota in zip(frames, quotas.tolist(), strict=True):
        if quota >= len(pixels):
            parts.append(pixels)
        elif quota > 0:
            chosen = np.sort(rng.choice(len(pixels), size=quota, replace=False))
            parts.append(pixels[chosen])
    if not parts:
        return np.zeros((0, 3), dtype=np.uint8)
    return np.ascontiguousarray(np.concatenate(parts))
