"""Aligning two analyses of the same film (two grades, two transfers) by their cuts.

Alignment is by time and by the cut structure, which a re-grade leaves alone: every scene
boundary of A (the film's start and end included) is shifted by a candidate offset and paired
with a boundary of B within :data:`CUT_TOLERANCE_S` (or one and a half frames, whichever is
more). The offset most pairs agree on wins; boundaries it leaves unpaired may vote for further
offsets (a re-edit: a scene cut out, a reel moved), each needing :data:`MIN_SUPPORT` pairs.
Between two consecutive paired boundaries with the same offset, the two stretches are a matched
span; everything else is unmatched footage of A or of B, reported and never forced. Colour
plays no part in the alignment, so a strong re-grade cannot mislead it; a film with too few
cuts to vote is aligned at the offset given (0 by default) when its durations agree.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from scenepal.models import Analysis

CUT_TOLERANCE_S = 0.1
"""Largest gap between two boundaries taken as the same cut (seconds)."""

MIN_SUPPORT = 3
"""Paired boundaries an offset needs, beyond the first, to be used."""

MAX_OFFSETS = 8
"""Most distinct offsets looked for (one per re-edited stretch)."""


@dataclass(frozen=True)
class Stretch:
    """A stretch of one film, in seconds, with no counterpart in the other."""

    start_s: float
    end_s: float


def _boundaries(a: Analysis) -> np.ndarray:
    return np.array([r.scene.start_s for r in a.scenes] + [a.scenes[-1].scene.end_s])


def _tolerance(a: Analysis, b: Analysis) -> float:
    return max(CUT_TOLERANCE_S, 1.5 / min(a.video.fps, b.video.fps))


def _pairs(ta: np.ndarray, tb: np.ndarray, offset: float, tol: float) -> list[tuple[int, int]]:
    """Boundaries of A and B that meet when A is shifted by ``offset`` (each used once)."""
    pairs = []
    j = 0
    for i, t in enumerate(ta + offset):
        while j < len(tb) and tb[j] < t - tol:
            j += 1
        if j < len(tb) and abs(tb[j] - t) <= tol:
            pairs.append((i, j))
            j += 1
    return pairs


def _best_offset(
    ta: np.ndarray, tb: np.ndarray, free_a: np.ndarray, free_b: np.ndarray, tol: float
) -> tuple[float, int]:
    """The offset that pairs the most boundaries of which at least one is still free (a
    boundary where footage was cut out serves the offsets on both sides), and how many."""
    pick = (free_a[:, None] | free_b[None, :]).ravel()
    diffs = (tb[None, :] - ta[:, None]).ravel()[pick]
    if len(diffs) == 0:
        return 0.0, 0
    keys = np.round(diffs / tol).astype(np.int64)
    values, counts = np.unique(keys, return_counts=True)
    # a true offset may straddle two bins: count each bin with its neighbour
    best, support = 0.0, 0
    for k in values[np.argsort(-counts)][:50]:
        offset = float(np.median(diffs[np.abs(keys - k) <= 1]))
        n = sum(1 for i, j in _pairs(ta, tb, offset, tol) if free_a[i] or free_b[j])
        if n > support:
            best, support = offset, n
    return best, support


def align(
    a: Analysis, b: Analysis, *, offset_s: float | None = None
) -> tuple[list[tuple[float, float, float, float]], tuple[float, ...]]:
    """Matched stretches ``(a_start, a_end, b_start, b_end)`` of two analyses, and the offsets
    found. ``offset_s`` (B time minus A time) skips the search and uses that one offset."""
    ta, tb = _boundaries(a), _boundaries(b)
    tol = _tolerance(a, b)
    if offset_s is not None:
        offsets = [offset_s]
    else:
        offsets = []
        free_a = np.ones(len(ta), dtype=bool)
        free_b = np.ones(len(tb), dtype=bool)
        while len(offsets) < MAX_OFFSETS:
            offset, support = _best_offset(ta, tb, free_a, free_b, tol)
            if support < (2 if not offsets else MIN_SUPPORT):
                break
            offsets.append(offset)
            for i, j in _pairs(ta, tb, offset, tol):
                free_a[i] = False
                free_b[j] = False
        if not offsets and abs(ta[-1] - tb[-1]) <= tol:
            offsets = [0.0]  # too few cuts to vote, and the same length: take them as aligned
    # Consecutive pairs of one offset bound a span. A boundary may serve two offsets (where
    # footage was cut out, B's boundary ends one span and starts the next); offsets with more
    # support go first, and a span overlapping one already taken is left out.
    spans: list[tuple[float, float, float, float]] = []
    for offset in offsets:
        for (i0, j0), (i1, j1) in itertools.pairwise(_pairs(ta, tb, offset, tol)):
            a0, a1, b0, b1 = float(ta[i0]), float(ta[i1]), float(tb[j0]), float(tb[j1])
            taken = any((a0 < x1 and x0 < a1) or (b0 < z1 and z0 < b1) for x0, x1, z0, z1 in spans)
            if not taken:
                spans.append((a0, a1, b0, b1))
    spans.sort()
    return spans, tuple(offsets)


def gaps(covered: Sequence[tuple[float, float]], start: float, end: float) -> list[Stretch]:
    """The parts of [start, end) outside the covered stretches."""
    out = []
    t = start
    for s, e in sorted(covered):
        if s > t + 1e-6:
            out.append(Stretch(t, s))
        t = max(t, e)
    if end > t + 1e-6:
        out.append(Stretch(t, end))
    return out
