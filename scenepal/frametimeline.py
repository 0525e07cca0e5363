"""The frame timeline: every decoded frame's mean colour inside the picture area, with its time.

The single pass measures each frame in passing (:class:`FrameRecorder`, in the decoding thread):
its pixels are turned into linear light through a 256-entry table and summed per row and per
column at analysis size (about 5 KB a frame, held only while its scene is open). The picture
area is known only once the scene closes (:mod:`scenepal.bars`); then, in the palette worker,
:func:`scene_timeline` takes each frame's sum over the picture rows minus the columns outside the
picture (the corners left over are bar black, about 0 in linear light) and divides by the
picture's pixel count. The picture area is shrunk by one analysis pixel at each bar, as the
palette's pixels are (the scaled edge mixes bar and picture).

The timeline is stored beside analysis.json as ``timeline.bin`` (:data:`TIMELINE_FILE`), one
14-byte record a frame (:data:`TIMELINE_FORMAT`): float64 time in seconds, then the mean's
linear-light R, G, B as uint16 (value / 65535), little-endian. A two-hour film at 24 fps
(172,800 frames) takes 2.4 MB, and the file reads back exactly what was written.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass

import cv2
import numpy as np
from numpy.typing import NDArray

from scenepal import color
from scenepal.bars import analysis_box
from scenepal.errors import AnalysisFileError
from scenepal.models import Frame, Rect

TIMELINE_FILE = "timeline.bin"
"""The timeline's file name in the output folder."""

TIMELINE_FORMAT = "scenepal-timeline-1"
"""Name of the record layout: little-endian float64 time_s, uint16 linear R, G, B (/65535)."""

LINEAR_SCALE = 65535
"""Linear light in [0, 1] is stored as round(value x LINEAR_SCALE)."""

_RECORD = np.dtype([("time_s", "<f8"), ("linear", "<u2", (3,))])

_TO_LINEAR = color.srgb_to_linear(np.arange(256) / 255.0).astype(np.float32).reshape(256, 1)
"""8-bit sRGB -> linear light, for cv2.LUT (one table for the three channels)."""


@dataclass(frozen=True, eq=False)
class FrameTimeline:
    """Each decoded frame's mean colour inside its scene's picture area, in linear light.

    Attributes:
        times: float64 (n,) presentation time of each frame in seconds, increasing.
        linear: uint16 (n, 3) mean linear-light RGB of each frame, 0-65535 for 0-1 (averaged
            in linear light, so a black and white checkerboard is 0.5, not 0.216).

    Two timelines are equal when their arrays are.
    """

    times: NDArray[np.float64]
    linear: NDArray[np.uint16]

    def __post_init__(self) -> None:
        if self.times.ndim != 1 or self.linear.shape != (len(self.times), 3):
            raise ValueError(
                f"a timeline needs (n,) times and (n, 3) colours, got {self.times.shape} "
                f"and {self.linear.shape}"
            )

    def __len__(self) -> int:
        return len(self.times)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, FrameTimeline):
            return NotImplemented
        return bool(
            np.array_equal(self.times, other.times) and np.array_equal(self.linear, other.linear)
        )

    __hash__ = None  # type: ignore[assignment]

    def srgb(self) -> NDArray[np.uint8]:
        """uint8 (n, 3) sRGB of each frame's mean, encoded once from the stored linear light.

        >>> t = FrameTimeline(np.array([0.0]), np.array([[0, 14146, 65535]], np.uint16))
        >>> t.srgb().tolist()
        [[0, 128, 255]]
        """
        return color.encode_srgb8(self.linear.astype(np.float64) / LINEAR_SCALE)


def empty_timeline() -> FrameTimeline:
    """A timeline of no frames."""
    return FrameTimeline(np.zeros(0, np.float64), np.zeros((0, 3), np.uint16))


def concat(pieces: Sequence[FrameTimeline]) -> FrameTimeline:
    """The pieces one after the other (scenes in order)."""
    if not pieces:
        return empty_timeline()
    return FrameTimeline(
        np.concatenate([p.times for p in pieces]), np.concatenate([p.linear for p in pieces])
    )


def split(timeline: FrameTimeline, counts: Sequence[int]) -> list[FrameTimeline]:
    """The timeline cut into consecutive pieces of ``counts`` frames (scenes in order)."""
    edges = np.cumsum([0, *counts])
    if edges[-1] > len(timeline):
        raise ValueError(f"{edges[-1]} frames asked of a timeline of {len(timeline)}")
    return [
        FrameTimeline(timeline.times[a:b].copy(), timeline.linear[a:b].copy())
        for a, b in itertools.pairwise(edges)
    ]


def to_bytes(timeline: FrameTimeline) -> bytes:
    """The timeline file's bytes (:data:`TIMELINE_FORMAT`)."""
    records = np.empty(len(timeline), dtype=_RECORD)
    records["time_s"] = timeline.times
    records["linear"] = timeline.linear
    return records.tobytes()


def from_bytes(data: bytes, frames: int | None = None) -> FrameTimeline:
    """A timeline from its file's bytes; ``frames``: the count analysis.json gives, checked.

    Raises:
        AnalysisFileError: the bytes are not whole records, or not ``frames`` of them.
    """
    if len(data) % _RECORD.itemsize:
        raise AnalysisFileError(
            f"{TIMELINE_FILE} is damaged: {len(data)} bytes is not a whole number of "
            f"{_RECORD.itemsize}-byte records"
        )
    records = np.frombuffer(data, dtype=_RECORD)
    if frames is not None and len(records) != frames:
        raise AnalysisFileError(
            f"{TIMELINE_FILE} holds {len(records)} frames where analysis.json says {frames}"
        )
    return FrameTimeline(
        records["time_s"].astype(np.float64), records["linear"].astype(np.uint16).reshape(-1, 3)
    )


@dataclass(frozen=True, eq=False)
class SceneProfiles:
    """Linear-light sums of a scene's frames, per row and per column, at analysis size.

    Attributes:
        times: float64 (n,) each frame's time.
        rows: float32 (n, h, 3) sum of each row's linear RGB.
        cols: float32 (n, w, 3) sum of each column's linear RGB.
    """

    times: NDArray[np.float64]
    rows: NDArray[np.float32]
    cols: NDArray[np.float32]


class FrameRecorder:
    """Measures every frame of the open scene: the per-row and per-column linear-light sums
    :func:`scene_timeline` needs once the scene's picture area is known."""

    def __init__(self) -> None:
        self._times: list[float] = []
        self._rows: list[NDArray[np.float32]] = []
        self._cols: list[NDArray[np.float32]] = []
        self._select: NDArray[np.float32] | None = None

    def add(self, frame: Frame) -> None:
        """Measure the next frame (about 50 microseconds at 256 x 144)."""
        h, w = frame.rgb.shape[:2]
        linear = cv2.LUT(frame.rgb, _TO_LINEAR).reshape(h, w * 3)
        if self._select is None or self._select.shape[0] != w * 3:
            # Summing each row per channel as one matrix product: far faster than
            # cv2.reduce or numpy along a 3-channel row.
            self._select = np.tile(np.eye(3, dtype=np.float32), (w, 1))
        self._times.append(frame.time_s)
        self._rows.append(np.asarray(linear @ self._select, dtype=np.float32))
        cols = cv2.reduce(linear, 0, cv2.REDUCE_SUM, dtype=cv2.CV_32F)
        self._cols.append(np.asarray(cols, dtype=np.float32).reshape(w, 3))

    def take(self) -> SceneProfiles:
        """The sums of every frame measured since the last take (the scene just closed)."""
        if self._rows:
            profiles = SceneProfiles(
                np.array(self._times, dtype=np.float64),
                np.stack(self._rows),
                np.stack(self._cols),
            )
        else:
            profiles = SceneProfiles(
                np.zeros(0), np.zeros((0, 0, 3), np.float32), np.zeros((0, 0, 3), np.float32)
            )
        self._times, self._rows, self._cols = [], [], []
        return profiles


def scene_timeline(
    profiles: SceneProfiles, crop: Rect | None, source: tuple[int, int]
) -> FrameTimeline:
    """Each frame's mean linear-light colour inside the picture area ``crop``.

    The sum over the picture's rows, minus the columns outside the picture: what is left of
    the bars is their corners (letterbox and pillarbox at once), bar black, about 0 in linear
    light.

    Args:
        profiles: the scene's per-frame sums (:meth:`FrameRecorder.take`).
        crop: the scene's picture area in source display pixels, or None (whole frame).
        source: the source's display size (width, height).
    """
    n = len(profiles.times)
    if n == 0:
        return empty_timeline()
    h, w = profiles.rows.shape[1], profiles.cols.shape[1]
    box = analysis_box(crop, (h, w), source)
    total = profiles.rows[:, box.y : box.bottom].sum(axis=1, dtype=np.float64)
    for part in (profiles.cols[:, : box.x], profiles.cols[:, box.right :]):
        total -= part.sum(axis=1, dtype=np.float64)
    mean = total / (box.width * box.height)
    linear = np.clip(np.rint(mean * LINEAR_SCALE), 0, LINEAR_SCALE).astype(np.uint16)
    return FrameTimeline(profiles.times.copy(), linear)
