"""The analysis pipeline: one decoding pass feeds scene detection and sampling; palettes are
clustered in a worker thread while decoding goes on.

    video.open_video ─► Frame ─┬─► scenes.SceneFinder ─► cuts ─► Scene
                               ├─► sampling.SceneSampler ─► SceneFrames
                               │  results.sampled_result ─► SceneResult ─► Analysis
                               └─► frametimeline.FrameRecorder ─► SceneProfiles
                                  frametimeline.scene_timeline ─► FrameTimeline ─► Analysis
         (picture area, transitions, pixel draw, palette, statistics and each frame's mean
          colour inside the picture area, in the palette worker)
"""

from __future__ import annotations

import dataclasses
import heapq
import os
from array import array
from collections import deque
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from typing import Unpack

from scenepal import checkpoint, frametimeline, results, thumbs
from scenepal._version import __version__
from scenepal.bars import film_crop
from scenepal.config import AnalysisConfig, AnalysisOptions
from scenepal.errors import ConfigError, VideoOpenError
from scenepal.frametimeline import FrameRecorder, FrameTimeline, SceneProfiles
from scenepal.models import (
    Analysis,
    Frame,
    Rect,
    Scene,
    SceneResult,
    VideoInfo,
)
from scenepal.notes import analysis_warnings, coverage
from scenepal.sampling import SceneFrames, SceneSampler
from scenepal.scenes import SceneFinder, make_detector
from scenepal.threads import default_decoder_threads, single_threaded_helpers
from scenepal.video import VideoReader, open_video

PROGRESS_EVERY = 12
"""Frames between two progress reports."""


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
    decoder_threads: int | None = None,
    **options: Unpack[AnalysisOptions],
) -> Analysis:
    """Analyse a film: its scenes, each scene's palette, and the film's palette.

    Args:
        path: the film.
        config: all settings at once (a :class:`scenepal.AnalysisConfig`), or give them as
            keyword options.
        on_progress: called every few frames with a :class:`Progress`.
        checkpoint_dir: a folder (usually the output folder) for a checkpoint of the finished
            scenes (``.scenepal-checkpoint.json``), saved every 10 seconds; a valid checkpoint
            found there is resumed from. Delete it once the outputs are written (the command
            does). Not used for previews.
        on_resume: called with the film time a run resumes from, when it does.
        decoder_threads: FFmpeg's decoding threads for this run (1 to 64), or None for three
            per CPU this process may use (its CPU affinity and cgroup quota), at most 16. Not
            a setting: it changes how fast the result comes, not the result.
        **options: the fields of :class:`scenepal.AnalysisConfig` (``colors=6``, ...), when
            ``config`` is not given.

    Raises:
        ConfigError: an option is unknown or out of range.
        InputNotFoundError: the path is missing or not a file.
        VideoOpenError: the file is not a usable video.
    """
    if config is not None and options:
        raise ConfigError("give either config or keyword options, not both")
    cfg = config if config is not None else AnalysisConfig.from_options(**options)
    threads = _decoder_threads(decoder_threads)
    with (
        single_threaded_helpers(),
        open_video(
            path,
            width=cfg.analysis_width,
            hdr=cfg.hdr,
            threads=threads,
            keyframes_only=cfg.preview,
            sharp_width=thumbs.SOURCE_WIDTH,
            sharp_every_s=thumbs.SHARP_EVERY_S,
        ) as reader,
        ThreadPoolExecutor(max_workers=1, thread_name_prefix="scenepal-palette") as pool,
    ):
        one_pass = _Pass(path, cfg, reader, pool, on_progress)
        if checkpoint_dir is not None and not cfg.preview:
            one_pass.resume_from(checkpoint_dir, on_resume)
        try:
            ending = one_pass.run()
        except BaseException:
            pool.shutdown(wait=True, cancel_futures=True)
            raise
    return ending.analysis(reader.info, cfg)


def _decoder_threads(value: int | None) -> int:
    if value is None:
        return default_decoder_threads()
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 64:
        raise ConfigError(f"decoder_threads must be a whole number from 1 to 64, got {value!r}")
    return value


@dataclass(frozen=True)
class _Ending:
    """What a finished pass hands to the :class:`Analysis`, besides the video and settings."""

    results: tuple[SceneResult, ...]
    frame_count: int
    end_s: float
    crop: Rect | None
    warnings: tuple[str, ...]
    coverage: float
    partial: bool
    gaps: tuple[tuple[float, float], ...]
    timeline: FrameTimeline

    def analysis(self, info: VideoInfo, cfg: AnalysisConfig) -> Analysis:
        """The analysis of the film ``info`` made with ``cfg``, with the film's palette and
        statistics from its scenes'."""
        return Analysis(
            video=info,
            frame_count=self.frame_count,
            duration_s=self.end_s,
            crop=self.crop,
            settings=cfg,
            scenes=self.results,
            palette=results.film_palette_of(self.results, cfg),
            scenepal_version=__version__,
            warnings=self.warnings,
            coverage=self.coverage,
            partial=self.partial,
            gaps=self.gaps,
            stats=results.film_stats_of(self.results),
            timeline=self.timeline,
        )


class _Pass:
    """One decoding pass over a film: every frame goes to the detector, then (once the detector
    can no longer report a cut before it) to the sampler; closed scenes go to the palette
    worker; finished scenes are checkpointed now and then; progress is reported every few
    frames.

    Decoded frames are numbered 0, 1, ... (their ``ordinal``); ``film_index`` holds their frame
    numbers in the film: the same in a full analysis, estimated from PTS in a preview. Both
    ``times`` and ``film_index`` start at ``base``: 0, or the frame a checkpoint resumes from.
    """

    def __init__(
        self,
        path: str | os.PathLike[str],
        cfg: AnalysisConfig,
        reader: VideoReader,
        pool: ThreadPoolExecutor,
        on_progress: ProgressCallback | None,
    ) -> None:
        self._path = path
        self._cfg = cfg
        self._reader = reader
        self._info = info = reader.info
        self._pool = pool
        self._on_progress = on_progress
        # A preview sees only keyframes, seconds apart: every one may start a scene.
        min_len = 1 if cfg.preview else cfg.min_scene_len
        self._finder = SceneFinder(
            make_detector(
                cfg.detector, threshold=cfg.threshold, min_scene_len=min_len, fps=info.fps
            )
        )
        self._sampler = SceneSampler(
            fps=info.fps,
            source_size=(info.width, info.height),
            sample_fps=cfg.sample_fps,
            frames_per_scene=cfg.frames_per_scene,
            pixels_per_scene=cfg.pixels_per_scene,
            min_scene_len=min_len,
            black_level=cfg.black_level,
            seed=cfg.seed,
        )
        self._times = array("d")
        self._film_index = array("q")
        self._base = 0
        self._skipped_before = 0  # damaged packets met before a resumed run
        self._scenes: list[Scene] = []
        self._results: list[Future[SceneResult]] = []
        self._recorder = FrameRecorder()
        self._timelines: list[Future[FrameTimeline]] = []  # one per scene, like _results
        self._saver: checkpoint.Saver | None = None
        # Closed scenes wait here until the sampler has seen the next scene's first frames.
        self._waiting: deque[tuple[SceneFrames, Scene, SceneProfiles]] = deque()
        # Frames wait here for the sampler until every cut before them is known.
        self._pending: deque[Frame] = deque()
        self._cuts: list[int] = []  # a heap of reported cuts not yet reached by the sampler

    # -- checkpointing ---------------------------------------------------------------------

    def resume_from(
        self, folder: str | os.PathLike[str], on_resume: Callable[[float], None] | None
    ) -> None:
        """Checkpoint into ``folder``, and resume from the checkpoint there if it fits."""
        key = checkpoint.checkpoint_key(
            checkpoint.film_identity(self._path), self._cfg.to_dict(), __version__
        )
        self._saver = checkpoint.Saver(folder, key)
        saved = checkpoint.load(folder, key)
        if saved is None or not saved.scenes:
            return
        self._base, self._skipped_before = saved.next_frame, saved.skipped_packets
        self._reader.resume_at(saved.next_frame, saved.next_time_s)
        self._sampler.start_at(saved.next_frame, saved.sampler)
        pieces = frametimeline.split(saved.timeline, [s.scene.frame_count for s in saved.scenes])
        for done, piece in zip(saved.scenes, pieces, strict=True):
            self._scenes.append(done.scene)
            finished: Future[SceneResult] = Future()
            finished.set_result(done)
            self._results.append(finished)
            measured: Future[FrameTimeline] = Future()
            measured.set_result(piece)
            self._timelines.append(measured)
        if on_resume is not None:
            on_resume(saved.next_time_s)

    def _skipped(self) -> int:
        return self._skipped_before + self._reader.skipped_packets

    def _save(self) -> None:
        if self._saver is not None:
            self._saver.maybe_save(
                self._results, self._skipped(), self._sampler.state_at, self._timelines
            )

    # -- the decoding loop -----------------------------------------------------------------

    def run(self) -> _Ending:
        """Decode the film to its end and wait for every palette."""
        for frame in self._reader.frames():
            self._number(frame)
            self._detect(frame)
            self._sample_until(self._finder.settled(frame.index))
            self._report(frame)
        return self._finish()

    def _finish(self) -> _Ending:
        if not self._times:
            raise VideoOpenError(f"no frame of {os.fspath(self._path)} could be decoded")
        n = self._base + len(self._times)
        for cut in self._finder.finish(n - 1):
            heapq.heappush(self._cuts, cut)
        self._sample_until(n - 1)
        end_s, total = self._film_end(n)
        self._close_scene(n, end_s, total)
        self._submit(final=True)
        results = tuple(f.result() for f in self._results)
        timeline = frametimeline.concat([f.result() for f in self._timelines])
        if self._on_progress is not None:
            self._on_progress(Progress(total, end_s, self._info.duration_s, len(self._scenes)))
        warnings = analysis_warnings(self._info, end_s, self._skipped(), self._reader.gaps)
        if self._cfg.preview:
            warnings = (
                f"preview: only the {n} keyframes of about {total} frames were decoded; "
                "scene boundaries fall on keyframes and frame numbers are estimated from time",
                *warnings,
            )
        share, partial = coverage(self._info, end_s)
        return _Ending(
            results=results,
            frame_count=total,
            end_s=end_s,
            crop=film_crop(results),
            warnings=warnings,
            coverage=share,
            partial=partial,
            gaps=tuple(self._reader.gaps),
            timeline=timeline,
        )

    # -- frame numbers (estimated from time in a preview) ----------------------------------

    def _number(self, frame: Frame) -> None:
        self._times.append(frame.time_s)
        if self._cfg.preview:
            estimate = round(frame.time_s * self._info.fps)
            previous = self._film_index[-1] + 1 if frame.index else 0
            self._film_index.append(max(estimate, previous))
        else:
            self._film_index.append(frame.index)

    def _time_of(self, ordinal: int) -> float:
        return self._times[ordinal - self._base]

    def _frame_of(self, ordinal: int) -> int:
        return self._film_index[ordinal - self._base]

    def _film_end(self, n: int) -> tuple[float, int]:
        """(end time, frame count) of the film once ``n`` frames were decoded."""
        reader, last_time = self._reader, self._times[-1]
        if not self._cfg.preview:
            return max(reader.end_time_s, last_time), n
        end_s = max(self._info.duration_s or 0.0, reader.end_time_s, last_time)
        return end_s, max(self._film_index[-1] + 1, round(end_s * self._info.fps))

    # -- detection, and the sampler behind it ----------------------------------------------

    def _detect(self, frame: Frame) -> None:
        for cut in self._finder.add(frame.index, frame.rgb):
            heapq.heappush(self._cuts, cut)
        self._pending.append(frame)

    def _sample_until(self, last: int) -> None:
        """Sample pending frames up to ``last``, closing scenes at the cuts met on the way.

        Every cut at or before a frame is known when that frame is sampled: each scene is
        sampled the same way whenever its cut was reported, and whether or not the run was
        resumed.
        """
        pending, cuts = self._pending, self._cuts
        while pending and pending[0].index <= last:
            frame = pending.popleft()
            while cuts and cuts[0] <= frame.index:
                cut = heapq.heappop(cuts)
                if cut > (self._scenes[-1].end_frame if self._scenes else 0):
                    self._close_scene(cut, self._time_of(cut), self._frame_of(cut))
            self._sampler.add(frame)
            self._recorder.add(frame)
            self._submit()

    # -- closing scenes --------------------------------------------------------------------

    def _close_scene(self, end: int, end_s: float, end_frame: int) -> None:
        """Close the open scene at decoded frame ``end`` (film frame ``end_frame``) and hand
        its sample to the palette worker."""
        index = len(self._scenes)
        start = self._scenes[-1].end_frame if self._scenes else 0
        scene = Scene(index, start, end, self._time_of(start), end_s)
        shown = Scene(index, self._frame_of(start), end_frame, self._time_of(start), end_s)
        self._scenes.append(scene)
        self._waiting.append((self._sampler.take(scene), shown, self._recorder.take()))
        self._submit()

    def _submit(self, *, final: bool = False) -> None:
        """Hand the closed scenes whose next scene's first frames are known (all of them at the
        film's end) to the palette worker, in order."""
        while self._waiting:
            frames, shown, profiles = self._waiting[0]
            after = self._sampler.lead_out(frames.scene.end_frame)
            if after is None and not final:
                return
            self._waiting.popleft()
            frames = dataclasses.replace(frames, after=after or ())
            settings = self._sampler.settings
            result = self._pool.submit(results.sampled_result, frames, settings, self._cfg, shown)
            self._results.append(result)
            self._timelines.append(self._pool.submit(self._timeline_of, profiles, result))
            self._save()

    def _timeline_of(self, profiles: SceneProfiles, result: Future[SceneResult]) -> FrameTimeline:
        """The scene's frames' mean colours inside its picture area (in the palette worker,
        after the scene's result: the one worker takes them in order)."""
        size = (self._info.width, self._info.height)
        return frametimeline.scene_timeline(profiles, result.result().crop, size)

    # -- progress --------------------------------------------------------------------------

    def _report(self, frame: Frame) -> None:
        if self._on_progress is None:
            return
        if self._cfg.preview or frame.index % PROGRESS_EVERY == 0:
            film_frames = self._film_index[-1] + 1
            duration = self._info.duration_s
            self._on_progress(Progress(film_frames, frame.time_s, duration, len(self._scenes)))
