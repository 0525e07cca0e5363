"""Black bars: where a scene's picture sits inside letterbox or pillarbox bars.

Each scene gets its own picture area (films alternate between 2.39:1 and full-frame shots), found
from the per-row and per-column luma profiles of its sampled frames:

* The bars' own level and noise are measured first. Bars are flat and touch the frame's edge:
  from each edge, the lines whose level stays within :data:`BAR_FLAT` of the outermost line are
  bar candidates, if that level is dark in absolute terms (at most :data:`BAR_CEILING`). They
  are a bar when the picture begins with a step up from them, or, for a picture too dark for a
  step (a night within a code value or two of the bars), where lines start to move: a bar's
  level holds still from frame to frame (:data:`STILL`), a picture's moves with its grain and
  its action. Their median is the bars' level, their spread (a robust standard deviation over
  frames and lines) the bars' noise.
* A line (row or column) is lit in a frame when it is brighter than the bars by well over their
  noise (:data:`NOISE_MARGIN` standard deviations), and never less than the black level. Lifted
  or noisy bars raise the threshold; clean bars leave it at the black level.
* A line is picture when it is lit in most of the scene's frames that show anything, not when one
  frame lights it: a flash, a dissolve from another aspect ratio or coding noise in a bar does
  not widen the box. The picture area spans the first to the last picture line on each axis,
  and reaches the frame's edge wherever that edge has no bar: the dark side of a night picture
  (under the black level in most frames, but no flat band) is picture, not a pillarbox bar.
  When no line is lit in most frames (a whole picture under the black level), the picture is
  what the bars leave.

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

STILL = 0.0002
"""A bar line's level varies over time by no more than this standard deviation (a twentieth of
an 8-bit code value: encoded digital bars measure 0.0000-0.0001 inside; the lines of a night
picture at the black level 0.0003-0.014, from grain and motion, even with a still camera)."""

BAR_EDGE = 0.002
"""After its still lines, a bar goes on through the lines the codec blurred at its edge (they
move a little, but stay within half a code value of the bar's level)."""


@dataclass(frozen=True)
class PictureArea:
    """A scene's picture area and its bars.

    Attributes:
        box: the picture, or None when no sampled frame shows anything and no still bar
            frames it.
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
    any_shows = bool(shows.any())
    if any_shows:
        rows, cols = rows[shows], cols[shows]
    height, width = rows.shape[1], cols.shape[1]
    row_moves, col_moves = rows.std(axis=0), cols.std(axis=0)
    row_runs = _edge_run(np.median(rows, axis=0), row_moves)
    col_runs = _edge_run(np.median(cols, axis=0), col_moves)
    row_span = col_span = None
    bar, threshold = 0.0, black_level
    if any_shows:
        row_span, col_span, bar, threshold = _lit_spans(rows, cols, row_runs, col_runs, black_level)
    # Most lines not lit in most frames (a picture at the black level, or a few flashes in the
    # dark): the lit lines cannot vouch for the picture's extent, and a flat dark stretch of
    # picture can pass for a bar; there only still bars count (the picture moves), and the
    # bars' level is measured again on them. Without any, the whole frame; nothing when no
    # frame shows anything.
    still_rows = _only_still(row_runs, row_moves) if _narrow(row_span, height) else row_runs
    still_cols = _only_still(col_runs, col_moves) if _narrow(col_span, width) else col_runs
    if (still_rows, still_cols) != (row_runs, col_runs):
        row_runs, col_runs = still_rows, still_cols
        if any_shows:
            spans = _lit_spans(rows, cols, row_runs, col_runs, black_level)
            row_span, col_span, bar, threshold = spans
    if not any_shows and max(*row_runs, *col_runs) < MIN_BAR_PX:
        return PictureArea(None, 0.0, black_level)
    top, bottom = _barred(row_span or (height, 0), row_runs, height)
    left, right = _barred(col_span or (width, 0), col_runs, width)
    return PictureArea(
        Rect.from_edges(left=left, top=top, right=right, bottom=bottom), bar, threshold
    )


def _narrow(span: tuple[int, int] | None, full: int) -> bool:
    """True when fewer than half the lines of an axis are lit in most frames."""
    return span is None or 2 * (span[1] - span[0]) < full


def _only_still(runs: tuple[int, int], moves: NDArray[np.float32]) -> tuple[int, int]:
    """The runs, each kept only if its lines (but the last two, which the codec may blur) hold
    still over time (else 0).

    >>> _only_still((4, 4), np.array([0.0] * 4 + [0.01] * 2 + [0.001] * 4, np.float32))
    (4, 0)
    """
    still = []
    for run, line in ((runs[0], moves), (runs[1], moves[::-1])):
        inner = line[: max(MIN_BAR_PX, run - 2)]
        still.append(run if run >= MIN_BAR_PX and float(inner.max()) <= STILL else 0)
    return still[0], still[1]


def _lit_spans(
    rows: NDArray[np.float32],
    cols: NDArray[np.float32],
    row_runs: tuple[int, int],
    col_runs: tuple[int, int],
    black_level: float,
) -> tuple[tuple[int, int] | None, tuple[int, int] | None, float, float]:
    """The rows and columns lit in most frames (or None), the bars' level and the threshold a
    line had to beat (the bars' level plus their noise, and at least the black level)."""
    height, width = rows.shape[1], cols.shape[1]
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
    return row_span, col_span, bar, threshold


def _span(profile: NDArray[np.float32], threshold: float) -> tuple[int, int] | None:
    """[first, last + 1) of the lines lit in most frames, or None."""
    lines = np.flatnonzero((profile > threshold).mean(axis=0) > 0.5)
    if len(lines) == 0:
        return None
    return int(lines[0]), int(lines[-1]) + 1


def _barred(span: tuple[int, int], runs: tuple[int, int], full: int) -> tuple[int, int]:
    """The picture's edges on one axis: at each end with a bar run, where the run ends, or
    where the lit ``span`` begins if that is sooner (a lit line is picture); at each end
    without, the frame's edge. An empty span (start past end) leaves the runs to decide.

    >>> _barred((63, 126), (18, 18), 144)  # a night whose top half is dark: the bars decide
    (18, 126)
    >>> _barred((20, 80), (18, 0), 100)
    (18, 100)
    """
    start = min(span[0], runs[0]) if runs[0] >= MIN_BAR_PX else 0
    end = max(span[1], full - runs[1]) if runs[1] >= MIN_BAR_PX else full
    return start, end


def _undilute(
    profile: NDArray[np.float32], full: int, span: tuple[int, int], bar: float
) -> NDArray[np.float32]:
    """Line means over the picture only: the other axis's bars (at ``bar``) taken out."""
    inside = span[1] - span[0]
    if inside >= full:
        return profile
    return ((profile * full - bar * (full - inside)) / inside).astype(np.float32)


def _edge_run(median: NDArray[np.float32], spread: NDArray[np.float32]) -> tuple[int, int]:
    """How many lines from each end of a profile form a bar: one flat dark band (within
    :data:`BAR_FLAT` of the outermost line) that ends in a step up to the picture (a dark
    picture brightens gradually, a bar ends at once), or, for a picture too dark for a step,
    whose lines hold still over time (:data:`STILL`) where the picture's move.

    Args:
        median: each line's median level over the frames.
        spread: each line's standard deviation over the frames.

    >>> level = np.array([0.0] * 4 + [0.008] * 6, np.float32)
    >>> _edge_run(level, np.zeros(10, np.float32))  # no step and nothing moves: no bar
    (0, 0)
    >>> _edge_run(level, np.array([0.0] * 4 + [0.0005] * 6, np.float32))  # the picture moves
    (4, 0)
    """
    runs = []
    for line, moves in ((median, spread), (median[::-1], spread[::-1])):
        edge = float(line[0])
        if edge > BAR_CEILING:
            runs.append(0)
            continue
        off = np.flatnonzero(np.abs(line - edge) > BAR_FLAT)
        end = int(off[0]) if len(off) else len(line)
        step = float(line[end]) - float(line[end - 1]) if 0 < end < len(line) else 0.0
        runs.append(end if step > BAR_FLAT / 2 else _still_run(line[:end], moves[:end]))
    return runs[0], runs[1]


def _still_run(line: NDArray[np.float32], moves: NDArray[np.float32]) -> int:
    """How many lines from the start hold still, then stay within :data:`BAR_EDGE` of the
    first line's level, before the picture; 0 when all of them are still (no picture moves
    there) or fewer than :data:`MIN_BAR_PX` are."""
    moving = np.flatnonzero(moves > STILL)
    if len(moving) == 0 or moving[0] < MIN_BAR_PX:
        return 0
    rest = np.flatnonzero(np.abs(line[moving[0] :] - line[0]) > BAR_EDGE)
    return int(moving[0] + rest[0]) if len(rest) else 0


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
