"""``frames``: the classic movie barcode, one column per time slice, each the mean of the frames
shown in it, in linear light, from the analysis's frame timeline.

A frame belongs to the column its middle falls in (its screen time from its own time to the
next frame's, the last to the film's end); a column is the screen-time-weighted mean of its
frames, and a column that no frame's middle falls in (more columns than frames, or a long
frame) shows the frame on screen at the column's middle. So at as many columns as frames,
column i is exactly frame i's mean colour, encoded to sRGB once after averaging. ``smooth``
averages each column with its neighbours over that many columns.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from scenepal.errors import AnalysisFileError
from scenepal.frametimeline import LINEAR_SCALE, FrameTimeline
from scenepal.models import Analysis
from scenepal.render.barcodes.base import Bands, BarcodeOptions


def timeline_of(analysis: Analysis) -> FrameTimeline:
    """The analysis's frame timeline.

    Raises:
        AnalysisFileError: the analysis has none (made before schema 1.5, or read without
            its timeline.bin).
    """
    if analysis.timeline is None or len(analysis.timeline) == 0:
        raise AnalysisFileError(
            "this analysis has no frame timeline (timeline.bin, written by analyze since "
            "scenepal's schema 1.5): analyse the film again, or draw a scenes barcode"
        )
    return analysis.timeline


def frame_columns(
    timeline: FrameTimeline, start_s: float, end_s: float, columns: int
) -> NDArray[np.float64]:
    """float64 (columns, 3) linear-light colour of each time slice of [start_s, end_s).

    >>> from scenepal.frametimeline import FrameTimeline
    >>> t = FrameTimeline(np.arange(4) / 24, np.array([[0] * 3, [65535] * 3] * 2, np.uint16))
    >>> frame_columns(t, 0.0, 4 / 24, 2)[:, 0].round(6).tolist()
    [0.5, 0.5]
    """
    times = timeline.times
    span = max(end_s - start_s, 1e-12)
    ends = np.append(times[1:], max(end_s, float(times[-1])))
    durations = np.maximum(ends - times, 0.0)
    weights = np.where(durations > 0, durations, 1e-9)  # a frame with no screen time still counts
    middle = ((times + ends) / 2 - start_s) / span * columns
    column = np.clip(np.floor(middle).astype(np.int64), 0, columns - 1)
    linear = timeline.linear.astype(np.float64)
    total = np.bincount(column, weights=weights, minlength=columns)
    out: NDArray[np.float64] = np.stack(
        [np.bincount(column, weights=weights * linear[:, c], minlength=columns) for c in range(3)],
        axis=1,
    ).astype(np.float64)
    filled = total > 0
    out[filled] /= total[filled, None]
    if not filled.all():
        centres = start_s + (np.flatnonzero(~filled) + 0.5) / columns * span
        shown = np.clip(np.searchsorted(times, centres, side="right") - 1, 0, len(times) - 1)
        out[~filled] = linear[shown]
    result: NDArray[np.float64] = out / LINEAR_SCALE
    return result


def smoothed(linear: NDArray[np.float64], width: int, *, wrap: bool = False) -> NDArray[np.float64]:
    """Each column the mean of the ``width`` columns around it (fewer at the ends; around the
    ring with ``wrap``).

    >>> smoothed(np.array([[0.0] * 3, [3.0] * 3, [0.0] * 3]), 3)[:, 0].tolist()
    [1.5, 1.0, 1.5]
    """
    if width <= 1 or len(linear) < 2:
        return linear
    before, after = (width - 1) // 2, width // 2
    if wrap:
        n = len(linear)
        reps = -(-width // n) + 1
        padded = np.concatenate([linear] * (2 * reps + 1))[reps * n - before : reps * n + n + after]
        sums = np.cumsum(np.concatenate([np.zeros((1, 3)), padded]), axis=0)
        return np.asarray((sums[width:] - sums[:-width]) / width, np.float64)
    sums = np.cumsum(np.concatenate([np.zeros((1, 3)), linear]), axis=0)
    index = np.arange(len(linear))
    lo, hi = np.maximum(index - before, 0), np.minimum(index + after + 1, len(linear))
    return np.asarray((sums[hi] - sums[lo]) / (hi - lo)[:, None], np.float64)


def frame_bands(
    analysis: Analysis, columns: int, options: BarcodeOptions, *, wrap: bool = False
) -> Bands:
    """``columns`` equal time slices of the film, each the mean of its frames."""
    scenes = analysis.scenes
    linear = frame_columns(
        timeline_of(analysis), scenes[0].scene.start_s, scenes[-1].scene.end_s, columns
    )
    linear = smoothed(linear, options.smooth or 1, wrap=wrap)
    return Bands.solid(np.arange(columns + 1) / columns, linear)


def ring_frame_bands(analysis: Analysis, columns: int, options: BarcodeOptions) -> Bands:
    """:func:`frame_bands` for a ring: one wedge per time slice, smoothing wraps around."""
    return frame_bands(analysis, columns, options, wrap=True)
