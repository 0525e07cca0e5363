"""Sampling: which pixels stand for each scene.

Every decoded frame is measured in passing (its luma, and a 16x9 thumbnail near the scene's
ends, for :mod:`scenepal.fades`); one frame in each run of ``period`` frames, at a seeded random
place in the run (jittered, so light that flickers in step with the period is not aliased: a
strobe every 4th frame sampled every 6th lit half the candidates), is a candidate for the
palette, standing for its run's screen time. A
scene keeps all its candidates up to ``frames_per_scene x`` :data:`LONG_TAKE_GROWTH`, and beyond
that a uniform random sample of them (reservoir sampling, seeded per scene), so a long take is
sampled evenly to its end with bounded memory.

When a scene closes, its picture area is found from its own candidates (:mod:`scenepal.bars`),
every frame is classified (black, fade in, fade out, dip, dissolve or kept), and the pixel budget
is drawn from the kept candidates with per-frame quotas proportional to the screen time each one
stands for (the kept frames' durations up to the next candidate): a frame of a variable-frame-rate
file that lasts twice as long gives twice the pixels, and the pixels themselves stay unweighted.
The budget is ``pixels_per_scene`` for a scene of up to ``frames_per_scene / sample_fps`` seconds
of kept picture and grows with it, up to :data:`LONG_TAKE_GROWTH` times.

:meth:`SceneSampler.take` is the cheap part (done in the decoding thread);
:func:`sample_frames` does the rest and may run in a worker thread; the pixel draw itself is
:mod:`scenepal.pixel_draw`.
"""

from __future__ import annotations

from array import array
from collections import deque
from dataclasses import dataclass, field
from typing import Any

import cv2
import numpy as np
from numpy.typing import NDArray

from scenepal import fades
from scenepal import pixel_draw as pd
from scenepal.bars import crop_of, picture_area
from scenepal.models import Excluded, Frame, Rect, Scene
from scenepal.thumbs import POOL_SIZE, CandidatePool

LONG_TAKE_GROWTH = 4
"""A long take keeps up to this many times ``frames_per_scene`` frames and pixels."""

EDGE_SECONDS = 3.0
"""Seconds of thumbnails kept at each end of a scene: the longest transition half measured."""

LEAD_IN_FRAMES = 2
"""Thumbnails of the previous scene's last frames handed to the next scene, and of the next
scene's first frames handed to the previous one: a dissolve across a cut must continue their
line. Checkpoints keep the lead-in, so a resumed run decides the same way."""

_KEPT_LEAD_INS = 256
"""Scene starts whose lead-in thumbnails are remembered for checkpoints (the palette worker
trails the decoder by a few scenes at most)."""


@dataclass(frozen=True)
class SceneSample:
    """The pixels that stand for one scene.

    Attributes:
        scene: the scene sampled.
        pixels: uint8 sRGB (N, 3) inside the scene's picture area, from its kept frames, drawn
            in proportion to each frame's screen time; empty when ``black`` is True.
        black_pixels: when ``black`` is True, the pixels of the black frames; else empty.
        black: True when every frame of the scene was black.
        frames: number of frames the pixels come from (``len(kept)``).
        seed: seed for clustering these pixels.
        crop: the scene's picture area in source display pixels, or None without bars.
        kept: the frames the pixels come from, in order.
        excluded: frames of the scene left out, by reason.
        sharp: the candidates for the scene's representative frame (:mod:`scenepal.thumbs`):
            its pooled frames that were kept (every pooled frame of a black scene).
    """

    scene: Scene
    pixels: NDArray[np.uint8]
    black_pixels: NDArray[np.uint8]
    black: bool
    frames: int
    seed: int
    crop: Rect | None = None
    kept: tuple[Frame, ...] = ()
    excluded: Excluded = field(default_factory=Excluded)
    sharp: tuple[Frame, ...] = ()


@dataclass(frozen=True, eq=False)
class SceneFrames:
    """What the sampler measured of one scene: the input of :func:`sample_frames`.

    Attributes:
        scene: the scene.
        candidates: candidate frames held (one in each run of ``period``, or a uniform sample
            of those), in order.
        first: index of the first measured frame (``levels[0]``).
        times: float64 (n,) time of every measured frame.
        levels: float64 (n,) mean normalised luma of every measured frame (whole frame).
        thumbs: uint8 thumbnails of the frames near the scene's ends, by frame index.
        recent: the last few frames, for a scene too short to keep a lit candidate.
        seed: the scene's seed.
        before: thumbnails of the previous scene's last frames, oldest first.
        after: thumbnails of the next scene's first frames (:meth:`SceneSampler.lead_out`).
        sharp: frames with a larger copy (``Frame.sharp``) held for the representative frame,
            evenly spread over the scene (:class:`scenepal.thumbs.CandidatePool`), in order.
    """

    scene: Scene
    candidates: tuple[Frame, ...]
    first: int
    times: NDArray[np.float64]
    levels: NDArray[np.float64]
    thumbs: dict[int, NDArray[np.uint8]]
    recent: tuple[Frame, ...]
    seed: int
    before: tuple[NDArray[np.uint8], ...] = ()
    after: tuple[NDArray[np.uint8], ...] = ()
    sharp: tuple[Frame, ...] = ()


@dataclass(frozen=True)
class SamplingSettings:
    """How a scene's frames become pixels (see :class:`SceneSampler`)."""

    source_size: tuple[int, int]
    period: int
    frames_per_scene: int
    pixels_per_scene: int
    sample_fps: float
    black_level: float


class SceneSampler:
    """Measures the frames of the open scene and turns a closed scene into a SceneSample.

    Frames arrive in order through :meth:`add`; when a cut is known, :meth:`close` (or
    :meth:`take` then :func:`sample_frames`) hands back the sample of the scene that ended there.
    Frames already added past the cut stay for the next scene.
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
        self.settings = SamplingSettings(
            source_size=source_size,
            period=self.period,
            frames_per_scene=frames_per_scene,
            pixels_per_scene=pixels_per_scene,
            sample_fps=sample_fps,
            black_level=black_level,
        )
        self._capacity = frames_per_scene * LONG_TAKE_GROWTH
        self._edge = max(8, round(EDGE_SECONDS * fps))
        self._seed = seed
        self._lead_ins: dict[int, tuple[NDArray[np.uint8], ...]] = {0: ()}
        self._lead_outs: dict[int, list[NDArray[np.uint8]]] = {}
        self._open(0)

    def _open(self, start: int) -> None:
        self._start = start
        self._next = start  # index the next frame should have
        self._times = array("d")
        self._levels = array("d")
        self._head: dict[int, NDArray[np.uint8]] = {}
        self._tail: deque[tuple[int, NDArray[np.uint8]]] = deque(maxlen=self._edge)
        self._candidates: list[Frame] = []
        self._offered = 0
        self._scene_seed = _scene_seed(self._seed, start)
        self._rng = np.random.default_rng(self._scene_seed)
        self._recent: deque[Frame] = deque(maxlen=self.period)
        self._sharp = CandidatePool[Frame](POOL_SIZE)

    def start_at(self, index: int, state: dict[str, Any] | None = None) -> None:
        """Begin the open scene at frame ``index`` (when resuming from a checkpoint), with the
        ``state`` that :meth:`state_at` gave for it."""
        lead_in = (state or {}).get("lead_in", [])
        self._lead_ins = {index: tuple(np.asarray(t, dtype=np.uint8) for t in lead_in)}
        self._lead_outs = {}
        self._open(index)

    def state_at(self, index: int) -> dict[str, Any]:
        """What a checkpoint keeps to resume at the scene starting at frame ``index``."""
        lead_in = self._lead_ins.get(index, ())
        return {"lead_in": [t.tolist() for t in lead_in]}

    def add(self, frame: Frame) -> None:
        """Take the next decoded frame: measure it, and hold it if it is a candidate."""
        rows = frame.rows
        self._times.append(frame.time_s)
        self._levels.append(cv2.sumElems(rows)[0] / max(len(rows), 1))
        offset = frame.index - self._start
        thumb = _thumb(frame.rgb)
        if offset < self._edge:
            self._head[frame.index] = thumb
        if offset < LEAD_IN_FRAMES:
            self._lead_outs.setdefault(self._start, []).append(thumb)
        self._tail.append((frame.index, thumb))
        self._recent.append(frame)
        if frame.sharp is not None:
            self._sharp.offer(frame)
        if offset % self.period != _phase(self._scene_seed, offset // self.period, self.period):
            return
        self._offered += 1
        if len(self._candidates) < self._capacity:
            self._candidates.append(frame)
            return
        slot = int(self._rng.integers(self._offered))
        if slot < self._capacity:
            self._candidates[slot] = frame

    def take(self, scene: Scene) -> SceneFrames:
        """The measurements of ``scene``, which ends where the open scene was just cut; frames
        already added past its end start the next scene."""
        end = scene.end_frame
        count = max(0, min(end - self._start, len(self._times)))
        thumbs = {i: t for i, t in self._head.items() if i < end}
        thumbs.update((i, t) for i, t in self._tail if i < end)
        mine = sorted((f for f in self._candidates if f.index < end), key=lambda f: f.index)
        taken = SceneFrames(
            scene=scene,
            candidates=tuple(mine),
            first=self._start,
            times=np.frombuffer(self._times, dtype=np.float64)[:count].copy(),
            levels=np.frombuffer(self._levels, dtype=np.float64)[:count].copy(),
            thumbs=thumbs,
            recent=tuple(f for f in self._recent if scene.start_frame <= f.index < end),
            seed=_scene_seed(self._seed, scene.start_frame),
            before=self._lead_ins.get(scene.start_frame, ()),
            sharp=tuple(f for f in self._sharp.items if f.index < end),
        )
        self._lead_ins[end] = tuple(t for i, t in self._tail if i < end)[-LEAD_IN_FRAMES:]
        while len(self._lead_ins) > _KEPT_LEAD_INS:
            del self._lead_ins[min(self._lead_ins)]
        while len(self._lead_outs) > _KEPT_LEAD_INS:
            del self._lead_outs[min(self._lead_outs)]
        carried = [f for f in self._recent if f.index >= end]
        late = [(i, t) for i, t in self._tail if i >= end]
        later_candidates = [f for f in self._candidates if f.index >= end]
        later_sharp = [f for f in self._sharp.items if f.index >= end]
        times, levels = self._times[count:], self._levels[count:]
        self._open(end)
        self._times.extend(times)
        self._levels.extend(levels)
        for i, t in late:
            self._head[i] = t
            self._tail.append((i, t))
            if i - end < LEAD_IN_FRAMES:
                self._lead_outs.setdefault(end, []).append(t)
        self._recent.extend(carried)
        self._candidates = later_candidates
        self._offered = len(later_candidates)
        for f in later_sharp:
            self._sharp.offer(f)
        return taken

    def lead_out(self, end: int) -> tuple[NDArray[np.uint8], ...] | None:
        """Thumbnails of the first frames from frame ``end`` on (the start of the scene after
        one ending there), or None while fewer than :data:`LEAD_IN_FRAMES` have arrived and
        that scene is still open."""
        seen = self._lead_outs.get(end, [])
        if len(seen) < LEAD_IN_FRAMES and self._start <= end:
            return None
        return tuple(seen)

    def close(self, scene: Scene) -> SceneSample:
        """The sample of ``scene`` (:meth:`take` and :func:`sample_frames` in one call)."""
        return sample_frames(self.take(scene), self.settings)


def _scene_seed(seed: int, start: int) -> int:
    return (seed * 1_000_003 + start) % 2**32


_MASK = 2**64 - 1


def _phase(seed: int, run: int, period: int) -> int:
    """Where in run ``run`` of ``period`` frames the candidate sits: a seeded uniform draw
    (splitmix64 of the scene's seed and the run; no generator state, so a resumed scene draws
    the same places).

    >>> [_phase(7, k, 6) for k in range(8)]
    [3, 1, 5, 1, 5, 0, 3, 4]
    >>> _phase(7, 3, 1)
    0
    """
    x = (seed * 0x9E3779B97F4A7C15 + (run + 1) * 0xBF58476D1CE4E5B9) & _MASK
    x = ((x ^ (x >> 30)) * 0xBF58476D1CE4E5B9) & _MASK
    x = ((x ^ (x >> 27)) * 0x94D049BB133111EB) & _MASK
    return (x ^ (x >> 31)) % period


def _thumb(rgb: NDArray[np.uint8]) -> NDArray[np.uint8]:
    small = cv2.resize(rgb, fades.THUMB_SIZE, interpolation=cv2.INTER_AREA)
    return np.asarray(small, dtype=np.uint8).ravel()


def sample_frames(taken: SceneFrames, settings: SamplingSettings) -> SceneSample:
    """Picture area, frame classification and the screen-time-weighted pixel draw of a scene."""
    scene = taken.scene
    # A scene shorter than the stride, begun by frames added past a late cut, may hold no
    # candidate: its last frames stand in.
    candidates = taken.candidates or taken.recent
    if not candidates or len(taken.levels) == 0:
        return SceneSample(scene, _EMPTY, _EMPTY, black=False, frames=0, seed=taken.seed)
    width, height = settings.source_size
    area = picture_area(
        np.stack([f.rows for f in candidates]),
        np.stack([f.cols for f in candidates]),
        black_level=settings.black_level,
    )
    box = area.box
    crop = crop_of(box, width, height)
    levels = _levels_inside(taken.levels, box, area.bar_level, width, height)
    labels = fades.classify(
        levels,
        taken.thumbs,
        black_level=settings.black_level,
        before=taken.before,
        after=taken.after,
    )
    rng = np.random.default_rng(taken.seed)
    first = taken.first
    lit = [f for f in candidates if labels[f.index - first] != fades.BLACK]
    if not lit and not any(labels[f.index - first] != fades.BLACK for f in taken.recent):
        pixels = np.concatenate([pd.inside(f.rgb, box, width, height) for f in candidates])
        return SceneSample(
            scene,
            _EMPTY,
            pd.draw_pixels([pixels], np.ones(1), settings.pixels_per_scene, rng),
            black=True,
            frames=len(candidates),
            seed=taken.seed,
            crop=crop,
            excluded=Excluded(black=int((labels == fades.BLACK).sum())),
            sharp=taken.sharp,
        )
    durations = pd.durations(taken.times, scene.end_s)
    kept, w = _kept(taken, candidates, lit, labels, levels, durations, settings.period)
    seconds = float(durations[labels == fades.KEPT].sum())
    base_s = settings.frames_per_scene / settings.sample_fps
    budget = round(settings.pixels_per_scene * min(max(seconds / base_s, 1.0), LONG_TAKE_GROWTH))
    pixels = pd.draw_pixels([pd.inside(f.rgb, box, width, height) for f in kept], w, budget, rng)
    return SceneSample(
        scene,
        pixels,
        _EMPTY,
        black=False,
        frames=len(kept),
        seed=taken.seed,
        crop=crop,
        kept=tuple(kept),
        excluded=fades.counts(labels),
        sharp=tuple(f for f in taken.sharp if labels[f.index - first] == fades.KEPT),
    )


_EMPTY = np.zeros((0, 3), dtype=np.uint8)


def _levels_inside(
    levels: NDArray[np.float64], box: Rect | None, bar_level: float, width: int, height: int
) -> NDArray[np.float64]:
    """Each frame's mean luma inside the picture: the frame's mean with the bars (at their
    level) taken out, so that a dark picture between bars is not taken for black."""
    inside = 0 if box is None else box.width * box.height
    if not 0 < inside < width * height:
        return levels
    whole = width * height
    return (levels * whole - bar_level * (whole - inside)) / inside


def _kept(
    taken: SceneFrames,
    candidates: tuple[Frame, ...],
    lit: list[Frame],
    labels: NDArray[np.int8],
    levels: NDArray[np.float64],
    durations: NDArray[np.float64],
    period: int,
) -> tuple[list[Frame], NDArray[np.float64]]:
    """The kept candidates and the screen time each stands for (the kept frames of its run of
    ``period``; the last kept candidate's also a partial run after it). A scene too short to
    hold a kept candidate falls back on its last frames, or else on the brightest frame of
    what is all transition, which is then labelled kept (it counts as kept, not excluded:
    ``labels`` is changed in place)."""
    first = taken.first
    kept = [f for f in candidates if labels[f.index - first] == fades.KEPT]
    runs = [(f.index - first) // period * period for f in kept]
    last = max(runs, default=0)
    n = len(labels)
    # The last candidate also stands for a partial run after its own that drew no candidate.
    ends = [n if start == last and n - start < 2 * period else start + period for start in runs]
    weights = [pd.screen_time(a, b, labels, durations) for a, b in zip(runs, ends, strict=True)]
    if not kept:
        kept = [f for f in taken.recent if labels[f.index - first] == fades.KEPT]
        weights = [float(durations[f.index - first]) for f in kept]
        if not kept:
            brightest = max(lit or taken.recent, key=lambda f: levels[f.index - first])
            labels[brightest.index - first] = fades.KEPT
            kept, weights = [brightest], [1.0]
    w = np.asarray(weights, dtype=np.float64)
    if not w.sum() > 0:
        w = np.ones(len(kept))
    return kept, w
