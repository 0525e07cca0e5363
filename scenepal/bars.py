"""Black bars: where a scene's picture sits inside letterbox or pillarbox bars.

Each scene gets its own picture area (films alternate between 2.39:1 and full-frame shots), found
from the per-row and per-column luma profiles of its sampled frames:

* The bars' own level and noise are measured first. Bars are flat and touch the frame's edge:
  from each edge, the lines whose level stays within :data:`BAR_FLAT` of the outermost line are
  bar candidates, if that level is dark in absolute terms (at most :data:`BAR_CEILING`). Their
  median is the bars' level, their spread (a robust standard deviation over frames and lines)
  the bars' noise.
* A line (row or column) is lit in a frame when it is brighter than the bars by well over their
  noise (:data:`NOISE_MARGIN` standard deviations), and never less than the black level. Lifted
  or noisy bars raise the threshold; clean bars leave it at the black level.
* A line is picture when it is lit in most of the scene's frames that show anything, not when one
  frame lights it: a flash, a dissolve from another aspect ratio or coding noise in a bar does
  not widen the box. The picture area spans the first to the last picture line on each axis,
  and reaches the frame's edge wherever that edge has no bar: the dark side of a night picture
  (under the black level in most frames, but no flat band) is picture, not a pillarbox bar.

The film's crop is the scenes' most common one (:func:`film_crop`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from scenepal.models import Rect, SceneResult

MIN_BAR_PX = 2
"""Bars thinner than this (in source pixels) are not reported as a crop."""

BAR_CEILING = 0.03
"""Brightest level (normalised luma) a line can have and still be a bar: lifted bars sit a few
8-bit code values above black (up to about 6 of the 219 steps); a near-black stripe of picture
at the frame's edge (sRGB 10, 0.04) must stay picture."""

BAR_FLAT = 0.01
"""Bar lines sit within this of the outermost line's level (about two 8-bit code values): a bar
is one flat level, a dark picture edge is not."""

NOISE_MARGIN = 6.0
"""A lit line is brighter than the bars by this many of the bars' noise standard deviations."""

MIN_NOISE = 0.001
"""Floor for the measured noise (a synthetic bar can be perfectly flat)."""


@dataclass(frozen=True)
class PictureArea:
    """A scene's picture area and its bars.

    Attributes:
        box: the picture, or None when no sampled frame shows anything.
        bar_level: measured normalised luma of the bars (0 without bars).
        threshold: level above which a line counted as lit.
    """

    box: Rect | None
    bar_level: float
    threshold: float


def picture_area(
    rows: NDArray[np.float32], cols: NDArray[np.float32], *, black_level: float
) -> PictureArea:
    """The picture area of a scene from its frames' luma profiles.

    Each row's mean takes in the pillarbox bars and each column's the letterbox bars, which
    dilutes a dark picture towards black; so each axis is measured again with the bars of the
    other axis taken out once the first pass has found them.

    Args:
        rows: float32 (frames, height) mean normalised luma of each source row.
        cols: float32 (frames, width) the same for each source column.
        black_level: normalised luma under which a line is black whatever the bars' noise.

    >>> rows = np.zeros((3, 10), np.float32); rows[:, 2:8] = 0.3
    >>> cols = np.full((3, 16), 0.18, np.float32)
    >>> picture_area(rows, cols, black_level=0.015).box
    Rect(x=0, y=2, width=16, height=6)
    """
    shows = (rows.max(axis=1) > black_level) | (cols.max(axis=1) > black_level)
    if not shows.any():
        return PictureArea(None, 0.0, black_level)
    rows, cols = rows[shows], cols[shows]
    height, width = rows.shape[1], cols.shape[1]
    row_runs = _edge_run(np.median(rows, axis=0))
    col_runs = _edge_run(np.median(cols, axis=0))
    level, noise = _bar_floor(rows, cols, row_runs, col_runs)
    threshold = black_level
    if level is not None:
        threshold = max(black_level, level + NOISE_MARGIN * max(noise, MIN_NOISE))
    bar = 0.0 if level is None else level
    row_span = _span(rows, threshold)
    col_span = _span(cols, threshold)
    if col_span is not None:
        row_span = _span(_undilute(rows, width, col_span, bar), threshold) or row_span
    if row_span is not None:
        col_span = _span(_undilute(cols, height, row_span, bar), threshold) or col_span
    if row_span is None or col_span is None:
        # Lit somewhere, in no line most of the time (a few flashes in the dark): whole frame.
        return PictureArea(Rect(0, 0, width, height), bar, threshold)
    top, bottom = _barred(row_span, row_runs, height)
    left, right = _barred(col_span, col_runs, width)
    return PictureArea(
        Rect.from_edges(left=left, top=top, right=right, bottom=bottom), bar, threshold
    )


def _span(profile: NDArray[np.float32], threshold: float) -> tuple[int, int] | None:
    """[first, last + 1) of the lines lit in most frames, or None."""
    lines = np.flatnonzero((profile > threshold).mean(axis=0) > 0.5)
    if len(lines) == 0:
        return None
    return int(lines[0]), int(lines[-1]) + 1


def _barred(span: tuple[int, int], runs: tuple[int, int], full: int) -> tuple[int, int]:
    """The span, opened to the frame's edge on each side that has no bar run."""
    start = span[0] if runs[0] >= MIN_BAR_PX else 0
    end = span[1] if runs[1] >= MIN_BAR_PX else full
    return start, end


def _undilute(
    profile: NDArray[np.float32], full: int, span: tuple[int, int], bar: float
) -> NDArray[np.float32]:
    """Line means over the picture only: the other axis's bars (at ``bar``) taken out."""
    inside = span[1] - span[0]
    if inside >= full:
        return profile
    return ((profile * full - bar * (full - inside)) / inside).astype(np.float32)


def _edge_run(median: NDArray[np.float32]) -> tuple[int, int]:
    """How many lines from each end of a profile form a bar: one flat dark band that ends in
    a step up to the picture (a dark picture brightens gradually, a bar ends at once)."""
    runs = []
    for line in (median, median[::-1]):
        edge = float(line[0])
        off = np.flatnonzero(np.abs(line - edge) > BAR_FLAT)
        if edge > BAR_CEILING or len(off) == 0:
            runs.append(0)
            continue
        end = int(off[0])
        step = float(line[end]) - float(line[end - 1]) if end > 0 else 0.0
        runs.append(end if step > BAR_FLAT / 2 else 0)
    return runs[0], runs[1]


def _bar_floor(
    rows: NDArray[np.float32],
    cols: NDArray[np.float32],
    row_runs: tuple[int, int],
    col_runs: tuple[int, int],
) -> tuple[float | None, float]:
    """The bars' level and noise, or (None, 0) when no edge looks like a bar; ``row_runs`` and
    ``col_runs`` are the bar runs :func:`_edge_run` found at each end of each axis."""
    parts = []
    for profile, (first, last) in ((rows, row_runs), (cols, col_runs)):
        if first >= MIN_BAR_PX:
            parts.append(profile[:, :first].ravel())
        if last >= MIN_BAR_PX:
            parts.append(profile[:, profile.shape[1] - last :].ravel())
    if not parts:
        return None, 0.0
    values = np.concatenate(parts).astype(np.float64)
    level = float(np.median(values))
    noise = 1.4826 * float(np.median(np.abs(values - level)))
    return level, noise


def crop_of(box: Rect | None, width: int, height: int) -> Rect | None:
    """The crop to report for a picture box: None without a bar at least MIN_BAR_PX thick.

    >>> crop_of(Rect(0, 20, 320, 140), 320, 180)
    Rect(x=0, y=20, width=320, height=140)
    >>> crop_of(Rect(0, 1, 320, 179), 320, 180) is None
    True
    """
    if box is None:
        return None
    bars = (box.y, height - box.bottom, box.x, width - box.right)
    if max(bars) < MIN_BAR_PX:
        return None
    return box


def analysis_box(box: Rect | None, shape: tuple[int, int], source: tuple[int, int]) -> Rect:
    """The picture area ``box`` (source pixels of a ``source`` (width, height) frame) at
    analysis size ``shape`` (h, w), shrunk by one analysis pixel at each bar (the scaled edge
    mixes bar and picture); the whole frame without a box, or when nothing would be left.

    >>> analysis_box(Rect(0, 140, 1920, 800), (144, 256), (1920, 1080))
    Rect(x=0, y=20, width=256, height=104)
    """
    h, w = shape
    if box is None:
        return Rect(0, 0, w, h)
    width, height = source
    sy, sx = h / height, w / width
    top = math.ceil(box.y * sy) + (1 if box.y > 0 else 0)
    bottom = math.floor(box.bottom * sy) - (1 if box.bottom < height else 0)
    left = math.ceil(box.x * sx) + (1 if box.x > 0 else 0)
    right = math.floor(box.right * sx) - (1 if box.right < width else 0)
    if bottom <= top or right <= left:
        return Rect(0, 0, w, h)
    return Rect.from_edges(left=left, top=top, right=right, bottom=bottom)


def inside_box(
    rgb: NDArray[np.uint8], box: Rect | None, width: int, height: int
) -> NDArray[np.uint8]:
    """The part of a scaled frame ``rgb`` (uint8 (h, w, 3)) inside ``box`` (source pixels of a
    ``width`` x ``height`` frame): :func:`analysis_box` of it.

    >>> frame = np.zeros((10, 20, 3), np.uint8)
    >>> inside_box(frame, Rect(0, 20, 200, 60), 200, 100).shape
    (4, 20, 3)
    """
    inner = analysis_box(box, (rgb.shape[0], rgb.shape[1]), (width, height))
    return rgb[inner.y : inner.bottom, inner.x : inner.right]


def film_crop(results: tuple[SceneResult, ...] | list[SceneResult]) -> Rect | None:
    """The film's crop: the crop (or None) shown for the most frames among its scenes that
    are not black; ties go to the one met first.

    >>> from scenepal.models import Palette, Scene
    >>> def r(start, end, crop):
    ...     return SceneResult(Scene(0, start, end, 0, 0), Palette(()), (0, 0, 0), False, 1, 1,
    ...                        crop=crop)
    >>> box = Rect(0, 20, 320, 140)
    >>> film_crop([r(0, 50, box), r(50, 80, None), r(80, 120, box)])
    Rect(x=0, y=20, width=320, height=140)
    """
    frames: dict[Rect | None, int] = {}
    for result in results:
        if not result.black:
            frames[result.crop] = frames.get(result.crop, 0) + result.scene.frame_count
    if not frames:
        return None
    return max(frames, key=lambda crop: frames[crop])
