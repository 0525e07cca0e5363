"""Transitions: which frames of a scene are fades, dips, dissolves or black, not its picture.

A palette describes what is on screen; fades to and from black, dips to black and cross-fades
between shots are transitions, not the grade. Everything else is kept: a room whose lamp goes off,
an exposure that settles, a sunset that darkens all stay in. Every frame of a scene is classified
once, from two measurements the sampler takes of every decoded frame: the picture area's mean luma
(``levels``) and a 16x9 RGB thumbnail near the scene's ends (``thumbs``).

* **black**: the picture area's mean luma is at or under the black level.
* **fade out**: at the scene's end, the run of frames in which luma falls monotonically (within
  the measured frame-to-frame noise) and reaches the black level at the boundary: the last picture
  frame is black or one more such step from it. Each frame is, to within noise, the frame before
  the fade scaled towards black (:data:`FADE_SHAPE_TOLERANCE`): colour ratios and the picture
  hold while luminance falls. **fade in** is the same at the start, mirrored.
* **dip**: inside a scene, black frames with a monotone fall before them and a monotone rise
  after them, with the same shape test. Only black in absolute terms makes a dip: the dark
  frames between flashes of a strobe or lightning scene are kept.
* **dissolve**: at a boundary the detector cut inside or next to a cross-fade: the run of frames
  whose thumbnails move along one straight line (one mix) from the scene's own picture towards
  another, a line that the neighbouring scene's frame across the cut continues (a hard cut next
  to a camera move is not a mix), and that is not the same picture getting brighter or darker.
  Dissolve frames are left out of both scenes: their pixels are blends that belong to neither
  grade, and splitting them by the mix would put those blends into both palettes. A detector's
  false cut inside a steady pan can pass for one (the frames lost are the same picture as the
  rest of the scene). A dissolve the detector did not cut at stays inside its scene and is
  kept.

Fade, dip and dissolve counts hold the frames of the transition that are not black; black frames
are counted as black wherever they are.
"""

from __future__ import annotations

import math

import numpy as np
from numpy.typing import NDArray

from scenepal.models import Excluded

KEPT, BLACK, FADE_IN, FADE_OUT, DIP, DISSOLVE = range(6)
"""Frame labels."""

EXCLUSIONS = ("black", "fade_in", "fade_out", "dip", "dissolve")
"""Names of the excluded labels, in label order (label ``i`` is ``EXCLUSIONS[i - 1]``)."""

THUMB_SIZE = (16, 9)
"""(width, height) of the thumbnails the shape and mix tests compare."""

MIN_STEP = 0.002
"""Smallest frame-to-frame luma change counted as a rise (half an 8-bit code value): the floor
of the measured noise on perfectly still pictures."""

MIN_RISE = 0.02
"""A ramp's frames rise by at least this share of the level reached: a linear fade of n frames
rises by 1/n of its level or more at every frame, a lit picture's drift (camera moves, flicker)
by far less."""

REACH_STEPS = 2.5
"""A fade reaches black when its last picture frame is within this many of its last steps of the
black level: the detector may cut a frame or two before the black."""

FADE_SHAPE_TOLERANCE = 0.15
"""Most a fading frame may differ from the picture before the fade, scaled to the best gain,
relative to its own size, besides :data:`SHAPE_NOISE`. Measured on 1-second fades of moving,
grainy H.264 takes: 0.01-0.10 while the frame is above a fifth of white; a pan into darkness
or a cross-fade to another picture is 0.3 and more."""

SHAPE_NOISE = 2.0
"""Per-value noise (8-bit levels) the shape test allows on top: quantisation and codec noise
do not fade with the picture, so a dark fading frame differs more, relatively."""

SHAPE_MIN_LEVEL = 0.06
"""Frames darker than this are too dark for the shape test (quantisation dominates)."""

DISSOLVE_MIN_CHANGE = 0.15
"""Smallest change along a dissolve, relative to the picture's size: less is a camera move."""

DISSOLVE_LINE_TOLERANCE = 0.12
"""Most a dissolve frame may sit off the straight line between its ends, relative to the
change along it."""

DISSOLVE_MIN_MIX = 0.05
"""Frames mixed less than this towards the other picture are not yet in the dissolve."""

GAIN_COSINE = 0.8
"""A change this parallel to the picture itself (``|cos| >=``) is light getting brighter or
darker, not a cross-fade to another picture."""

MIN_DISSOLVE_FRAMES = 3
"""A run of fewer frames is not a dissolve."""


def counts(labels: NDArray[np.int8]) -> Excluded:
    """Frames per exclusion reason.

    >>> counts(np.array([0, 1, 1, 3, 0], np.int8))
    Excluded(black=2, fade_in=0, fade_out=1, dip=0, dissolve=0)
    """
    tally = np.bincount(labels.astype(np.intp), minlength=len(EXCLUSIONS) + 1)
    return Excluded(**{name: int(tally[i + 1]) for i, name in enumerate(EXCLUSIONS)})


def classify(
    levels: NDArray[np.float64],
    thumbs: dict[int, NDArray[np.uint8]],
    *,
    black_level: float,
    before: tuple[NDArray[np.uint8], ...] = (),
    after: tuple[NDArray[np.uint8], ...] = (),
) -> NDArray[np.int8]:
    """Label every frame of a scene: KEPT, BLACK, FADE_IN, FADE_OUT, DIP or DISSOLVE.

    Args:
        levels: float64 (n,) mean normalised luma of each frame's picture area, in order.
        thumbs: flattened uint8 sRGB thumbnails (:data:`THUMB_SIZE`) by frame position;
            frames without one skip the shape and mix tests.
        black_level: normalised luma at or under which a frame is black.
        before: thumbnails of the last frames of the previous scene, oldest first: a dissolve
            into this scene must continue the line they are on.
        after: thumbnails of the first frames of the next scene: the same, at the end.

    >>> levels = np.array([0.5] * 6 + [0.375, 0.25, 0.125, 0.0])
    >>> classify(levels, {}, black_level=0.015).tolist()
    [0, 0, 0, 0, 0, 0, 3, 3, 3, 1]
    >>> classify(np.array([0.5] * 6 + [0.4, 0.3, 0.2, 0.2]), {}, black_level=0.015).tolist()
    [0, 0, 0, 0, 0, 0, 0, 0, 0, 0]
    """
    n = len(levels)
    labels = np.zeros(n, dtype=np.int8)
    black = levels <= black_level
    labels[black] = BLACK
    lit = np.flatnonzero(~black)
    if len(lit) == 0:
        return labels
    steps = np.abs(np.diff(levels[lit]))
    delta = max(MIN_STEP, 2.0 * float(np.median(steps))) if len(steps) else MIN_STEP
    first, last = int(lit[0]), int(lit[-1])
    floats = {i: t.astype(np.float32) for i, t in thumbs.items()}
    faded_out = _fade(levels, floats, last, -1, first, delta, black_level, labels, FADE_OUT)
    faded_in = _fade(levels, floats, first, +1, last, delta, black_level, labels, FADE_IN)
    _dips(levels, floats, black, first, last, delta, labels)
    if not faded_in and first == 0 and before:
        _dissolve(floats, 0, +1, before[-1].astype(np.float32), labels)
    if not faded_out and last == n - 1 and after:
        _dissolve(floats, n - 1, -1, after[0].astype(np.float32), labels)
    return labels


def _ramp_top(
    levels: NDArray[np.float64], start: int, direction: int, stop: int, delta: float
) -> int:
    """Walking from ``start`` in ``direction`` (not past ``stop``), the last frame of a monotone
    rise: each new maximum beats the last by ``delta`` (the measured noise) and by
    :data:`MIN_RISE` of it within three frames (noise may stall a rise for a frame or two)."""
    top, best = start, float(levels[start])
    while True:
        for gap in (1, 2, 3):
            j = top + direction * gap
            if (j - stop) * direction > 0:
                return top
            if levels[j] > best + max(delta, MIN_RISE * best):
                top, best = j, float(levels[j])
                break
        else:
            return top


def _ramp(edge: int, top: int, direction: int, stop: int) -> range:
    """The frames of a ramp from ``edge`` up to ``top``: ``top`` is the picture the ramp reached,
    unless the ramp still rose at the scene's edge ``stop`` (it began in the previous scene)."""
    end = top + direction if top == stop and top != edge else top
    return range(edge, end, direction)


def _scaled_copies(
    thumbs: dict[int, NDArray[np.float32]],
    reference: int,
    frames: range,
    levels: NDArray[np.float64],
) -> bool:
    """Whether each frame's thumbnail is the reference thumbnail scaled (colour ratios hold)."""
    ref = thumbs.get(reference)
    if ref is None:
        return True  # nothing to compare with (a run longer than the kept thumbnails)
    ref_norm = float(ref @ ref)
    if ref_norm <= 0:
        return True
    for j in frames:
        thumb = thumbs.get(j)
        if thumb is None or levels[j] < SHAPE_MIN_LEVEL:
            continue
        gain = float(thumb @ ref) / ref_norm
        allowed = FADE_SHAPE_TOLERANCE * float(np.linalg.norm(thumb))
        allowed += SHAPE_NOISE * math.sqrt(len(thumb))
        if float(np.linalg.norm(thumb - gain * ref)) > allowed:
            return False
    return True


def _fade(
    levels: NDArray[np.float64],
    thumbs: dict[int, NDArray[np.float32]],
    edge: int,
    direction: int,
    stop: int,
    delta: float,
    black_level: float,
    labels: NDArray[np.int8],
    label: int,
) -> bool:
    """Label a fade whose darkest picture frame is ``edge`` (the scene's first or last lit
    frame), rising in ``direction``; True when there was one."""
    inner = edge + direction
    if (inner - stop) * direction > 0:
        return False
    step = max(float(levels[inner] - levels[edge]), 0.0)
    if levels[edge] > black_level + REACH_STEPS * step:
        return False  # it does not reach black: the light changed, it did not fade
    top = _ramp_top(levels, edge, direction, stop, delta)
    run = _ramp(edge, top, direction, stop)
    if len(run) == 0 or not _scaled_copies(thumbs, top, run, levels):
        return False
    for j in run:
        if labels[j] == KEPT:
            labels[j] = label
    return True


def _dips(
    levels: NDArray[np.float64],
    thumbs: dict[int, NDArray[np.float32]],
    black: NDArray[np.bool_],
    first: int,
    last: int,
    delta: float,
    labels: NDArray[np.int8],
) -> None:
    """Label the fall before and the rise after every black run inside the lit part."""
    inside = np.zeros(len(levels) + 2, dtype=np.int8)
    inside[1:-1] = black
    inside[: first + 1] = 0
    inside[last + 1 :] = 0
    edges = np.flatnonzero(np.diff(inside))
    for start, end in zip(edges[::2], edges[1::2], strict=True):  # black run [start, end)
        before, after = int(start) - 1, int(end)
        top_before = _ramp_top(levels, before, -1, first, delta)
        top_after = _ramp_top(levels, after, +1, last, delta)
        for top, run in (
            (top_before, _ramp(before, top_before, -1, first)),
            (top_after, _ramp(after, top_after, +1, last)),
        ):
            if _scaled_copies(thumbs, top, run, levels):
                for j in run:
                    if labels[j] == KEPT:
                        labels[j] = DIP


def _dissolve(
    thumbs: dict[int, NDArray[np.float32]],
    edge: int,
    direction: int,
    neighbour: NDArray[np.float32],
    labels: NDArray[np.int8],
) -> None:
    """Label a cross-fade the detector cut at the scene's boundary frame ``edge`` (its first
    frame, ``direction`` +1, or its last, -1): the frames from the boundary inwards lie on one
    straight line (one mix) from the scene's own picture towards another, and the other scene's
    frame next to the boundary (``neighbour``) continues that line."""
    line = []  # thumbnails from the boundary inwards, while they are there
    j = edge
    while j in thumbs and 0 <= j < len(labels) and labels[j] == KEPT:
        line.append(thumbs[j])
        j += direction
    if len(line) < MIN_DISSOLVE_FRAMES + 1:
        return
    points = np.stack(line)  # [0] is the boundary frame
    end = points[0]
    best: NDArray[np.float64] | None = None
    for k in range(MIN_DISSOLVE_FRAMES, len(points)):
        start = points[k]
        change = end - start
        size = float(np.linalg.norm(start))
        span = float(np.linalg.norm(change))
        if span < DISSOLVE_MIN_CHANGE * max(size, 1e-6):
            continue
        inner = np.concatenate([points[1:k], neighbour[None, :]]) - start
        mix = inner @ change / (span * span)
        off = np.linalg.norm(inner - mix[:, None] * change[None, :], axis=1)
        if float(off.max()) > DISSOLVE_LINE_TOLERANCE * span:
            continue
        mix, beyond = mix[:-1], float(mix[-1])
        if np.any(np.diff(mix[::-1]) < -DISSOLVE_LINE_TOLERANCE):
            continue  # the mix must move one way, towards the boundary
        step = 1.0 - float(mix[0]) if len(mix) else 0.0
        if beyond < 1.0 + step / 2:
            continue  # the other scene does not carry the line on: a cut, not a mix
        if abs(float(change @ start)) >= GAIN_COSINE * span * size:
            continue  # brighter or darker light on the same picture
        best = np.concatenate([[1.0], mix])
    if best is None:
        return
    mixed = 0
    while mixed < len(best) and best[mixed] >= DISSOLVE_MIN_MIX:
        mixed += 1
    if mixed < MIN_DISSOLVE_FRAMES or float(np.median(best[:mixed])) > 0.75:
        return  # too short, or the picture at the boundary is steady: no mix in progress
    for i in range(mixed):
        labels[edge + direction * i] = DISSOLVE
