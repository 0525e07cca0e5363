"""Sampling: which pixels stand for each scene.

Frames are sampled every few frames across the whole scene (not just its middle); a long scene
keeps at most ``frames_per_scene`` of them, evenly spread, by doubling its sampling stride
whenever the limit is passed, so memory per scene is bounded whatever its length. Black bars
(letterbox, pillarbox) are found from per-row and per-column luma over the film and left out;
black frames and the dark ends of fades are left out; what remains is cut down to a fixed pixel
budget with a seeded generator.
"""

from __future__ import annotations

import math
from collections import deque
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from scenepal.models import Frame, Rect, Scene

FADE_FRACTION = 0.9
"""At either end of a scene, frames darker than this fraction of the scene's median brightness
are a fade in or out, and are left out."""

DIP_FRACTION = 0.5
"""Inside a scene, frames darker than this fraction of its typical brightness are a dip to
black (a fade the detector did not cut at), and are left out."""

MIN_BAR_PX = 2
"""Bars thinner than this (in source pixels) are not reported as a crop."""


@dataclass(frozen=True)
class Box:
    """A [top, bottom) x [left, right) rectangle in source display pixels."""

    top: int
    bottom: int
    left: int
    right: int

    def union(self, other: Box) -> Box:
        """The smallest box holding both."""
        return Box(
            min(self.top, other.top),
            max(self.bottom, other.bottom),
            min(self.left, other.left),
            max(self.right, other.right),
        )


class BarTracker:
    """Finds the picture area inside black bars, from frames' row and column luma profiles.

    A row (or column) belongs to the picture once any non-black frame shows it brighter than
    ``black_level``; the picture box is the span from the first to the last such row and column.
    """

    def __init__(self, width: int, height: int, black_level: float) -> None:
        self.width = width
        self.height = height
        self.black_level = black_level
        self._rows = np.zeros(height, dtype=np.float32)
        self._cols = np.zeros(width, dtype=np.float32)
        self._seen = False

    def add(self, frame: Frame) -> None:
        """Take a frame's profiles (black frames are ignored)."""
        if float(frame.rows.mean()) < self.black_level:
            return
        np.maximum(self._rows, frame.rows, out=self._rows)
        np.maximum(self._cols, frame.cols, out=self._cols)
        self._seen = True

    def state(self) -> tuple[np.ndarray, np.ndarray, bool]:
        """(row maxima, column maxima, seen) -- what a checkpoint keeps."""
        return self._rows.copy(), self._cols.copy(), self._seen

    def restore(self, rows: np.ndarray, cols: np.ndarray, seen: bool) -> None:
        """Continue from a checkpoint's state."""
        if rows.shape != self._rows.shape or cols.shape != self._cols.shape:
            raise ValueError("bar state of another picture size")
        self._rows[:] = rows
        self._cols[:] = cols
        self._seen = seen

    def box(self) -> Box | None:
        """The picture box so far, or None when only black frames were seen."""
        if not self._seen:
            return None
        return _box(self._rows, self._cols, self.black_level)

    def crop(self) -> Rect | None:
        """The crop to report: None when no bar is at least :data:`MIN_BAR_PX` thick."""
        box = self.box()
        if box is None:
            return None
        bars = (box.top, self.height - box.bottom, box.left, self.width - box.right)
        if max(bars) < MIN_BAR_PX:
            return None
        return Rect.from_edges(left=box.left, top=box.top, right=box.right, bottom=box.bottom)


def _box(rows: NDArray[np.float32], cols: NDArray[np.float32], level: float) -> Box | None:
    lit_rows = np.flatnonzero(rows > level)
    lit_cols = np.flatnonzero(cols > level)
    if len(lit_rows) == 0 or len(lit_cols) == 0:
        return None
    return Box(int(lit_rows[0]), int(lit_rows[-1]) + 1, int(lit_cols[0]), int(lit_cols[-1]) + 1)


@dataclass(frozen=True)
class SceneSample:
    """The pixels that stand for one scene.

    Attributes:
        scene: the scene sampled.
        pixels: uint8 sRGB (N, 3) inside the picture area, from non-black, non-fade frames;
            empty when ``black`` is True.
        black_pixels: when ``black`` is True, the pixels of the black frames; else empty.
        black: True when every sampled frame of the scene was black.
        frames: number of frames the pixels come from.
        seed: seed for clustering these pixels.
    """

    scene: Scene
    pixels: NDArray[np.uint8]
    black_pixels: NDArray[np.uint8]
    black: bool
    frames: int
    seed: int


class SceneSampler:
    """Keeps sampled frames of the open scene and turns a closed scene into a SceneSample.

    Frames arrive in order through :meth:`add`; when a cut is known, :meth:`close` hands back the
    sample of the scene that ended there. Frames past the cut stay for the next scene (detectors
    may report a cut a few frames late).
    """

    def __init__(
        self,
        *,
        fps: float,
        source_size: tuple[int, int],
        sample_fps: float,
        frames_per_scene: int,
        pixels_per_scene: int,
        min_scene_len: int,
        black_level: float,
        seed: int,
    ) -> None:
        self.period = max(1, min(round(fps / sample_fps), max(1, min_scene_len // 2)))
        self._stride = self.period
        self._open_start = 0
        self._frames: list[Frame] = []
        self._max_frames = frames_per_scene
        self._budget = pixels_per_scene
        self._black_level = black_level
        self._seed = seed
        self.bars = BarTracker(source_size[0], source_size[1], black_level)
        # Frames off the stride, kept for scenes too short to get a frame on it.
        self._recent: deque[Frame] = deque(maxlen=self.period)

    def start_at(self, index: int) -> None:
        """Begin the open scene at frame ``index`` (when resuming from a checkpoint)."""
        self._open_start = index
        self._frames = []
        self._recent.clear()

    def add(self, frame: Frame) -> None:
        """Take the next decoded frame; keeps it if it falls on the sampling stride."""
        offset = frame.index - self._open_start
        if offset % self._stride:
            self._recent.append(frame)
            return
        self.bars.add(frame)
        self._frames.append(frame)
        if len(self._frames) > self._max_frames:
            self._stride *= 2
            start, stride = self._open_start, self._stride
            self._frames = [f for f in self._frames if (f.index - start) % stride == 0]

    def close(self, scene: Scene) -> SceneSample:
        """The sample of ``scene``, which ends where the open scene was just cut."""
        mine = [f for f in self._frames if f.index < scene.end_frame]
        if not mine:
            mine = [f for f in self._recent if scene.start_frame <= f.index < scene.end_frame]
        self._frames = [f for f in self._frames if f.index >= scene.end_frame]
        self._open_start = scene.end_frame
        self._stride = self.period
        # Frames kept past the cut under the old stride stay; new ones follow the base stride.
        return self._sample(scene, mine)

    def _sample(self, scene: Scene, frames: list[Frame]) -> SceneSample:
        seed = (self._seed * 1_000_003 + scene.start_frame) % 2**32
        empty = np.zeros((0, 3), dtype=np.uint8)
        if not frames:
            return SceneSample(scene, empty, empty, black=False, frames=0, seed=seed)
        box = self.bars.box()
        own = _box(
            np.max([f.rows for f in frames], axis=0),
            np.max([f.cols for f in frames], axis=0),
            self._black_level,
        )
        if box is None:
            box = own
        elif own is not None:
            box = box.union(own)
        brightness = np.array([_brightness(f, box) for f in frames], dtype=np.float64)
        lit = brightness >= self._black_level
        rng = np.random.default_rng(seed)
        if not lit.any():
            pixels = np.concatenate([_inside(f.rgb, box, self.bars) for f in frames])
            return SceneSample(
                scene,
                empty,
                _budget(pixels, self._budget, rng),
                black=True,
                frames=len(frames),
                seed=seed,
            )
        keep = _not_faded(brightness, lit)
        pixels = np.concatenate(
            [_inside(f.rgb, box, self.bars) for f, k in zip(frames, keep, strict=True) if k]
        )
        return SceneSample(
            scene,
            _budget(pixels, self._budget, rng),
            empty,
            black=False,
            frames=int(keep.sum()),
            seed=seed,
        )


def _not_faded(brightness: NDArray[np.float64], lit: NDArray[np.bool_]) -> NDArray[np.bool_]:
    """Frames to keep: lit, not part of a fade at either end, not in a deep dip.

    >>> _not_faded(np.array([0.0, 0.1, 0.35, 0.5, 0.48, 0.5, 0.3]), np.array([False] + [True] * 6))
    array([False, False, False,  True,  True,  True, False])
    """
    median = float(np.median(brightness[lit]))
    typical = float(np.percentile(brightness[lit], 75))
    keep = lit & (brightness >= DIP_FRACTION * typical)
    dim = brightness < FADE_FRACTION * median
    for order in (range(len(keep)), range(len(keep) - 1, -1, -1)):
        for i in order:
            if not (dim[i] or not lit[i]):
                break
            keep[i] = False
    if not keep.any():
        keep = lit & (brightness >= median)
    return keep


def _brightness(frame: Frame, box: Box | None) -> float:
    if box is None:
        return float(frame.rows.mean())
    return float(frame.rows[box.top : box.bottom].mean())


def _inside(rgb: NDArray[np.uint8], box: Box | None, bars: BarTracker) -> NDArray[np.uint8]:
    """The frame's pixels inside ``box`` (source pixels), shrunk by one analysis pixel per bar."""
    if box is None:
        return rgb.reshape(-1, 3)
    h, w = rgb.shape[:2]
    sy, sx = h / bars.height, w / bars.width
    top = math.ceil(box.top * sy) + (1 if box.top > 0 else 0)
    bottom = math.floor(box.bottom * sy) - (1 if box.bottom < bars.height else 0)
    left = math.ceil(box.left * sx) + (1 if box.left > 0 else 0)
    right = math.floor(box.right * sx) - (1 if box.right < bars.width else 0)
    if bottom <= top or right <= left:
        return rgb.reshape(-1, 3)
    return rgb[top:bottom, left:right].reshape(-1, 3)


def _budget(pixels: NDArray[np.uint8], budget: int, rng: np.random.Generator) -> NDArray[np.uint8]:
    if len(pixels) <= budget:
        return np.ascontiguousarray(pixels)
    chosen = np.sort(rng.choice(len(pixels), size=budget, replace=False))
    return np.ascontiguousarray(pixels[chosen])
