"""The analysis pipeline: one decoding pass feeds scene detection and sampling; palettes are
clustered in a worker thread while decoding goes on.

    video.open_video ─► Frame ─┬─► scenes.SceneFinder ─► cuts ─► Scene
                               └─► sampling.SceneSampler ─► SceneSample
                                          palette.extract_palette ─► SceneResult ─► Analysis
"""

from __future__ import annotations

import dataclasses
import heapq
import os
import time
from array import array
from collections import deque
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

import numpy as np

from scenepal import checkpoint, color
from scenepal._version import __version__
from scenepal.config import AnalysisConfig
from scenepal.errors import ConfigError, VideoOpenError
from scenepal.export import timecode
from scenepal.models import (
    Analysis,
    ColorInfo,
    Frame,
    Palette,
    Scene,
    SceneResult,
    VideoInfo,
)
from scenepal.palette import extract_palette, film_palette, palette_from_colors
from scenepal.sampling import SceneSample, SceneSampler
from scenepal.scenes import SceneFinder, make_detector
from scenepal.threads import single_threaded_helpers
from scenepal.video import open_video

PROGRESS_EVERY = 12
"""Frames between two progress reports."""

DETECTION_LAG = 16
"""Frames the sampler trails the detector by: longer than any detector takes to report a cut
(PySceneDetect's adaptive detector reports ``window_width`` = 2 frames late)."""


@dataclass(frozen=True)
class Progress:
    """How far an analysis has got.

    Attributes:
        frames: frames decoded so far.
        time_s: film time reached, in seconds.
        duration_s: the film's duration from its container, or None when unknown.
        scenes: scenes closed so far.
    """

    frames: int
    time_s: float
    duration_s: float | None
    scenes: int

    @property
    def fraction(self) -> float | None:
        """Share of the film done, in [0, 1], or None when the duration is unknown."""
        if not self.duration_s:
            return None
        return min(1.0, self.time_s / self.duration_s)


ProgressCallback = Callable[[Progress], None]


def analyze(
    path: str | os.PathLike[str],
    *,
    config: AnalysisConfig | None = None,
    on_progress: ProgressCallback | None = None,
    checkpoint_dir: str | os.PathLike[str] | None = None,
    on_resume: Callable[[float], None] | None = None,
    **options: Any,
) -> Analysis:
    """Analyse a film: its scenes, each scene's palette, and the film's palette.

    Args:
        path: the film.
        config: all settings at once; or give them as keyword options (``colors=6``, ...),
            see :class:`scenepal.AnalysisConfig` for every option and its default.
        on_progress: called every few frames with a :class:`Progress`.
        checkpoint_dir: a folder (usually the output folder) for a checkpoint of the finished
            scenes, saved every :data:`CHECKPOINT_EVERY_S` seconds; a valid checkpoint found
            there is resumed from. Remove it (``scenepal.checkpoint.remove``) once the outputs
            are written. Not used for previews.
        on_resume: called with the film time a run resumes from, when it does.

    Raises:
        ConfigError: an option is unknown or out of range.
        InputNotFoundError: the path is missing or not a file.
        VideoOpenError: the file is not a usable video.
    """
    if config is not None and options:
        raise ConfigError("give either config or keyword options, not both")
    cfg = config if config is not None else AnalysisConfig.from_options(**options)
    with (
        single_threaded_helpers(),
        open_video(
            path,
            width=cfg.analysis_width,
            hdr=cfg.hdr,
            threads=cfg.decoder_threads,
            keyframes_only=cfg.preview,
        ) as reader,
        ThreadPoolExecutor(max_workers=1, thread_name_prefix="scenepal-palette") as pool,
    ):
        info = reader.info
        # A preview sees only keyframes, seconds apart: every one may start a scene.
        min_len = 1 if cfg.preview else cfg.min_scene_len
        finder = SceneFinder(
            make_detector(
                cfg.detector, threshold=cfg.threshold, min_scene_len=min_len, fps=info.fps
            )
        )
        sampler = SceneSampler(
            fps=info.fps,
            source_size=(info.width, info.height),
            sample_fps=cfg.sample_fps,
            frames_per_scene=cfg.frames_per_scene,
            pixels_per_scene=cfg.pixels_per_scene,
            min_scene_len=min_len,
            black_level=cfg.black_level,
            seed=cfg.seed,
        )
        # Decoded frames are numbered 0, 1, ... (``ordinal``); ``film_index`` is their frame
        # number in the film: the same in a full analysis, estimated from PTS in a preview.
        # Both arrays start at ``base``: 0, or the frame a checkpoint resumes from.
        times = array("d")
        film_index = array("q")
        scenes: list[Scene] = []
        results: list[Future[SceneResult]] = []
        base, skipped_before = 0, 0
        saver: _CheckpointSaver | None = None
        if checkpoint_dir is not None and not cfg.preview:
            key = checkpoint.checkpoint_key(
                checkpoint.film_identity(path), cfg.to_dict(), __version__
            )
            saver = _CheckpointSaver(checkpoint_dir, key)
            saved = checkpoint.load(checkpoint_dir, key)
            if saved is not None and saved.scenes:
                base, skipped_before = saved.next_frame, saved.skipped_packets
                reader.resume_at(saved.next_frame, saved.next_time_s)
                sampler.start_at(saved.next_frame)
                sampler.bars.restore(saved.bar_rows, saved.bar_cols, saved.bars_seen)
                for done in saved.scenes:
                    scenes.append(done.scene)
                    finished: Future[SceneResult] = Future()
                    finished.set_result(done)
                    results.append(finished)
                if on_resume is not None:
                    on_resume(saved.next_time_s)

        def time_of(ordinal: int) -> float:
            return times[ordinal - base]

        def frame_of(ordinal: int) -> int:
            return film_index[ordinal - base]

        def close_scene(end: int, end_s: float, end_frame: int) -> None:
            start = scenes[-1].end_frame if scenes else 0
            scene = Scene(len(scenes), start, end, time_of(start), end_s)
            shown = Scene(len(scenes), frame_of(start), end_frame, time_of(start), end_s)
            scenes.append(scene)
            results.append(pool.submit(_scene_result, sampler.close(scene), cfg, shown))
            if saver is not None:
                saver.maybe_save(results, sampler, skipped_before + reader.skipped_packets)

        # Frames reach the sampler DETECTION_LAG frames after the detector, so every cut at or
        # before a frame is known when that frame is sampled: each scene is sampled the same
        # way whenever its cut was reported, and whether or not the run was resumed.
        pending: deque[Frame] = deque()
        cuts: list[int] = []  # a heap of reported cuts not yet reached by the sampler

        def sample_until(last: int) -> None:
            while pending and pending[0].index <= last:
                frame = pending.popleft()
                while cuts and cuts[0] <= frame.index:
                    cut = heapq.heappop(cuts)
                    if cut > (scenes[-1].end_frame if scenes else 0):
                        close_scene(cut, time_of(cut), frame_of(cut))
                sampler.add(frame)

        try:
            for frame in reader.frames():
                ordinal = frame.index
                times.append(frame.time_s)
                if cfg.preview:
                    estimate = round(frame.time_s * info.fps)
                    film_index.append(max(estimate, film_index[-1] + 1 if ordinal else 0))
                else:
                    film_index.append(ordinal)
                for cut in finder.add(ordinal, frame.rgb):
                    heapq.heappush(cuts, cut)
                pending.append(frame)
                sample_until(ordinal - DETECTION_LAG)
                if on_progress is not None and (cfg.preview or ordinal % PROGRESS_EVERY == 0):
                    on_progress(
                        Progress(film_index[-1] + 1, frame.time_s, info.duration_s, len(scenes))
                    )
            if not times:
                raise VideoOpenError(f"no frame of {os.fspath(path)} could be decoded")
            n = base + len(times)
            for cut in finder.finish(n - 1):
                heapq.heappush(cuts, cut)
            sample_until(n - 1)
            if cfg.preview:
                end_s = max(info.duration_s or 0.0, reader.end_time_s, times[-1])
                total = max(film_index[-1] + 1, round(end_s * info.fps))
            else:
                end_s = max(reader.end_time_s, times[-1])
                total = n
            close_scene(n, end_s, total)
            scene_results = tuple(f.result() for f in results)
        except BaseException:
            pool.shutdown(wait=True, cancel_futures=True)
            raise
        if on_progress is not None:
            on_progress(Progress(total, end_s, info.duration_s, len(scenes)))
        warnings = _warnings(info, end_s, skipped_before + reader.skipped_packets, reader.gaps)
        share, partial = coverage(info, end_s)
        if cfg.preview:
            warnings = (
                f"preview: only the {n} keyframes of about {total} frames were decoded; "
                "scene boundaries fall on keyframes and frame numbers are estimated from time",
                *warnings,
            )
        crop = sampler.bars.crop()
    return Analysis(
        video=info,
        frame_count=total,
        duration_s=end_s,
        crop=crop,
        settings=cfg,
        scenes=scene_results,
        palette=_film_palette(scene_results, cfg),
        scenepal_version=__version__,
        warnings=warnings,
        coverage=share,
        partial=partial,
        gaps=tuple(reader.gaps),
    )


CHECKPOINT_EVERY_S = float(os.environ.get("SCENEPAL_CHECKPOINT_EVERY_S", "10"))
"""Seconds between two checkpoint saves (environment: ``SCENEPAL_CHECKPOINT_EVERY_S``)."""


class _CheckpointSaver:
    """Saves the finished prefix of an analysis every so often."""

    def __init__(self, folder: str | os.PathLike[str], key: str) -> None:
        self._folder = folder
        self._key = key
        self._last = time.monotonic()
        self._saved = 0

    def maybe_save(
        self, results: list[Future[SceneResult]], sampler: SceneSampler, skipped: int
    ) -> None:
        now = time.monotonic()
        if now - self._last < CHECKPOINT_EVERY_S:  # read here so tests may change it
            return
        done: list[SceneResult] = []
        for future in results:
            if not future.done() or future.exception() is not None:
                break
            done.append(future.result())
        if len(done) <= self._saved:
            return
        rows, cols, seen = sampler.bars.state()
        last = done[-1].scene
        checkpoint.save(
            self._folder,
            checkpoint.Checkpoint(
                key=self._key,
                scenes=tuple(done),
                next_frame=last.end_frame,
                next_time_s=last.end_s,
                bar_rows=rows,
                bar_cols=cols,
                bars_seen=seen,
                skipped_packets=skipped,
            ),
        )
        self._last, self._saved = now, len(done)


def _scene_result(sample: SceneSample, cfg: AnalysisConfig, shown: Scene) -> SceneResult:
    """The palette of a sampled scene, reported under ``shown`` (its frames in the film)."""
    return dataclasses.replace(_palette_of(sample, cfg), scene=shown)


def _palette_of(sample: SceneSample, cfg: AnalysisConfig) -> SceneResult:
    if sample.black or len(sample.pixels) == 0:
        pixels = sample.black_pixels if len(sample.black_pixels) else sample.pixels
        mean = _mean_rgb(pixels)
        palette = palette_from_colors(np.array([mean], dtype=np.uint8), np.ones(1))
        return SceneResult(sample.scene, palette, mean, True, sample.frames, len(pixels))
    palette = extract_palette(
        sample.pixels, colors=cfg.colors, seed=sample.seed, color_space=cfg.color_space
    )
    return SceneResult(
        sample.scene, palette, _mean_rgb(sample.pixels), False, sample.frames, len(sample.pixels)
    )


def _mean_rgb(pixels: np.ndarray) -> tuple[int, int, int]:
    if len(pixels) == 0:
        return (0, 0, 0)
    r, g, b = (int(v) for v in color.to_uint8(color.mean_srgb(pixels / 255.0)))
    return (r, g, b)


def _film_palette(results: tuple[SceneResult, ...], cfg: AnalysisConfig) -> Palette:
    lit = [r for r in results if not r.black] or list(results)
    return film_palette(
        [r.palette for r in lit],
        [max(r.scene.duration_s, 1e-6) for r in lit],
        colors=cfg.colors,
        seed=cfg.seed,
        color_space=cfg.color_space,
    )


_FIELD_WORDS = {
    "matrix": "colour matrix",
    "range": "colour range",
    "transfer": "transfer characteristic",
    "primaries": "colour primaries",
}


def color_warnings(c: ColorInfo) -> list[str]:
    """One line per guessed colour field, and one for HDR handling."""
    lines = [
        f"{_FIELD_WORDS[name]} not tagged; assumed {getattr(c, name)}"
        for name in c.assumed
        if name in _FIELD_WORDS
    ]
    if c.hdr is not None and c.hdr_handling == "tonemap":
        lines.append(f"HDR ({c.hdr.upper()}) tone-mapped to SDR BT.709 for palettes and images")
    elif c.hdr is not None:
        lines.append(f"HDR ({c.hdr.upper()}) analysed raw, without tone mapping: colours are off")
    return lines


PARTIAL_BELOW = 0.98
"""An analysis whose decoded time ends before this share of the container's duration (less one
frame) is partial."""


def coverage(info: VideoInfo, end_s: float) -> tuple[float, bool]:
    """Share of the film decoded, and whether that makes the analysis partial.

    >>> from scenepal.models import ColorInfo
    >>> c = ColorInfo("bt709", "limited", "bt709", "bt709", 8, "yuv420p")
    >>> info = VideoInfo("f", 8, 8, 25.0, None, 100.0, "h264", 0, False, c)
    >>> coverage(info, 37.0), coverage(info, 99.97)
    ((0.37, True), (0.9997, False))
    """
    if not info.duration_s or info.duration_s <= 0:
        return 1.0, False
    share = min(1.0, end_s / info.duration_s)
    partial = end_s < PARTIAL_BELOW * info.duration_s - 1.0 / info.fps
    return round(share, 4), partial


def _warnings(
    info: VideoInfo, end_s: float, skipped: int, gaps: list[tuple[float, float]]
) -> tuple[str, ...]:
    lines = color_warnings(info.color)
    if skipped:
        lines.append(f"{skipped} damaged packet(s) could not be decoded and were skipped")
    if gaps:
        where = ", ".join(f"{timecode(a)[:10]}-{timecode(b)[:10]}" for a, b in gaps[:5])
        more = f" and {len(gaps) - 5} more" if len(gaps) > 5 else ""
        lost = sum(b - a for a, b in gaps)
        lines.append(
            f"{lost:.1f} s of the film is damaged and could not be decoded: gaps at {where}{more}"
        )
    share, partial = coverage(info, end_s)
    if partial and info.duration_s:
        lines.append(
            f"the file ends at {timecode(end_s)[:10]} of {timecode(info.duration_s)[:10]}; "
            f"analysed the first {share:.0%}"
        )
    return tuple(lines)
