"""Decoding with PyAV: open_video() yields a film's frames at analysis size, timed from PTS.

The reader decodes in the caller's thread (FFmpeg's own frame threads decode ahead), converts
each frame with the film's :class:`~scenepal.colorspace.ConversionPlan`, repairs missing or
repeated timestamps, notes the stretches lost to damaged packets (gaps) and can resume at a
frame. What the film is comes from :mod:`scenepal.probing`.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import av
import av.error
import cv2
import numpy as np
from av.video.reformatter import VideoReformatter

from scenepal.colorspace import color_tags, plan_conversion, plane_array, to_rgb
from scenepal.errors import VideoOpenError
from scenepal.models import Frame, VideoInfo
from scenepal.probing import (
    MAX_SKIPPED_PACKETS,
    decode_packets,
    first_frame,
    open_film,
    stream_info,
)
from scenepal.threads import default_decoder_threads

COLUMN_ROW_STEP = 4
"""Column luma profiles are averaged over every this many rows of the full-resolution plane."""

GAP_MIN_S = 0.25
"""In containers without a timing table, a jump between two frames' times longer than this
(and than 2.5 frames) is a gap."""

HDR_SHARP_SPACING = 4
"""Tone mapping HDR in numpy costs about 5x more per pixel than an SDR conversion: a tone-mapped
film's larger frame copies (``Frame.sharp``) come this many times less often, so that they
stay a few per cent of the pass (130 ms each at 480 px against 24 ms for the analysis frame)."""

DAMAGE_WINDOW = 32
"""Frames after a decoding error during which a jump longer than the last frame is a gap: frame
threads deliver the frames around a damaged packet several frames after its error."""


@dataclass(frozen=True)
class _LumaScale:
    """Where the bar profiles come from and how their values are normalised."""

    from_plane: bool  # from the Y plane (planar YUV) or from a gray reformat (RGB, packed)
    black: float  # code of black
    span: float  # code span from black to white

    @classmethod
    def of(cls, info: VideoInfo, stream: Any) -> _LumaScale:
        c = info.color
        if c.matrix == "rgb" or not stream.codec_context.format.is_planar:
            return cls(False, 0.0, 255.0)
        if c.range == "full":
            return cls(True, 0.0, float(2**c.bit_depth - 1))
        scale = float(2 ** (c.bit_depth - 8))
        return cls(True, 16.0 * scale, 219.0 * scale)


def _luma_profiles(
    frame: Any, luma: _LumaScale, scaler: VideoReformatter
) -> tuple[np.ndarray, np.ndarray]:
    """Mean normalised luma per full-resolution row and column, stored orientation."""
    if luma.from_plane:
        deep = frame.format.components[0].bits > 8
        y = plane_array(frame.planes[0], np.dtype("<u2") if deep else np.dtype(np.uint8))
    else:
        y = np.asarray(scaler.reformat(frame, format="gray").to_ndarray())
    # OpenCV's SIMD reductions: exact means, about 4x faster than numpy on a strided subsample.
    rows = cv2.reduce(y, 1, cv2.REDUCE_AVG, dtype=cv2.CV_32F).ravel()
    # Column means from every 4th row: a bar is the same all the way down, and a quarter of
    # the plane instead of a second full pass over it is 1.25 plane reads a frame, not 2.
    cols = cv2.reduce(y[::COLUMN_ROW_STEP], 0, cv2.REDUCE_AVG, dtype=cv2.CV_32F).ravel()
    return (rows - luma.black) / luma.span, (cols - luma.black) / luma.span


def _orient(
    rgb: np.ndarray, rows: np.ndarray, cols: np.ndarray, rotation: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Rotate a stored-orientation frame and its profiles clockwise into display orientation."""
    if rotation == 90:
        return _rotate(rgb, rotation), cols, rows[::-1].copy()
    if rotation == 180:
        return _rotate(rgb, rotation), rows[::-1].copy(), cols[::-1].copy()
    if rotation == 270:
        return _rotate(rgb, rotation), cols[::-1].copy(), rows
    return rgb, rows, cols


def _rotate(rgb: np.ndarray, rotation: int) -> np.ndarray:
    """A stored-orientation frame turned clockwise by ``rotation`` degrees."""
    if rotation == 90:
        return np.ascontiguousarray(np.rot90(rgb, k=-1))
    if rotation == 180:
        return np.ascontiguousarray(rgb[::-1, ::-1])
    if rotation == 270:
        return np.ascontiguousarray(np.rot90(rgb, k=1))
    return rgb


class _Clock:
    """Frame numbers and film times from PTS: repaired where stamps are missing or repeated,
    lost stretches noted as gaps, and frames before a resume point dropped.

    A gap is a jump in time after a decoding error, longer than the frame before it lasts. In
    MP4 and QuickTime files, whose sample table times every frame, spacing alone is never
    damage: a variable-frame-rate phone clip may hold one frame for half a second. Other
    containers (Matroska, raw streams) can lose damaged data in the demuxer without a decoding
    error, so there a jump of more than 2.5 frames and :data:`GAP_MIN_S` is a gap too (decoded
    frames do not say how long they last reliably: H.264 in MP4 hands each frame the duration
    of another, Matroska the track's default duration).
    """

    def __init__(
        self, *, first_time: float, fps: float, keyframes_only: bool, timed: bool = False
    ) -> None:
        self._first_time = first_time
        self._step = 1.0 / fps
        self._keyframes_only = keyframes_only  # frames seconds apart are not gaps then
        self._timed = timed  # the container times every frame: spacing is not damage
        self.index = 0
        self._last_time = -1.0
        self._last_duration = self._step
        self._skip_before: float | None = None  # resuming after a seek: drop earlier frames
        self._skip_count = 0  # resuming without a seek: drop frames up to this index
        self.gaps: list[tuple[float, float]] = []
        self.end_time_s = 0.0
        self._skipped = 0  # decoding errors seen so far
        self._damage = 0  # frames left in which a jump after a decoding error is a gap

    def resume(self, index: int, time_s: float, *, by_count: bool) -> None:
        """Number frames from ``index`` at ``time_s``; earlier frames are dropped by time (after
        a seek) or, ``by_count``, by counting from the film's second frame."""
        self._last_time = time_s - self._step
        if by_count:
            self.index, self._skip_count = 1, index  # the first frame was decoded already
        else:
            self.index, self._skip_before = index, time_s - self._step / 2

    def time_of(self, frame: Any, skipped: int = 0) -> float | None:
        """The film time of the next decoded frame, or None when it comes before the resume
        point and is dropped; ``skipped`` counts the decoding errors met so far."""
        if skipped > self._skipped:
            self._skipped, self._damage = skipped, DAMAGE_WINDOW
        stamp = frame.time
        if stamp is None:  # no timestamp: one frame after the last
            t = self._last_time + self._last_duration if self.index else 0.0
        else:
            t = float(stamp) - self._first_time
        if self._skip_before is not None:
            if t < self._skip_before:
                return None
            self._skip_before = None
            self._last_time = t - self._step
        if self.index < self._skip_count:
            self.index += 1
            self._last_time = t
            return None
        if t <= self._last_time:  # missing or repeated stamps: keep time moving forward
            t = self._last_time + self._step
        # A stretch that could not be decoded: a jump after a decoding error.
        jump = t - self._last_time
        damaged = self._damage > 0 and jump > 1.5 * self._last_duration
        spaced = not self._timed and jump > max(2.5 * self._last_duration, GAP_MIN_S)
        if self.index and not self._keyframes_only and (damaged or spaced):
            self.gaps.append((self._last_time + self._last_duration, t))
            self._damage = 0
        self._damage = max(0, self._damage - 1)
        return t

    def advance(self, frame: Any, t: float) -> None:
        """The frame at ``t`` was delivered: move on past it."""
        duration = frame.duration * frame.time_base if frame.duration and frame.time_base else None
        self._last_duration = float(duration) if duration else self._step
        self.end_time_s = t + self._last_duration
        self._last_time = t
        self.index += 1


class VideoReader:
    """Frames of one film, decoded once, in order. Made by :func:`open_video`.

    Attributes:
        info: what the container says, with the resolved colour pipeline.
        skipped_packets: packets the decoder rejected (damaged stretches), counted so far.
    """

    def __init__(
        self,
        path: Path,
        container: Any,
        stream: Any,
        *,
        width: int,
        hdr: str,
        threads: int | None,
        keyframes_only: bool = False,
        sharp_width: int = 0,
        sharp_every_s: float = 0.0,
    ) -> None:
        self._path = path
        self._container = container
        self._stream = stream
        self.skipped_packets = 0
        stream.thread_type = "AUTO"
        stream.thread_count = threads if threads is not None else default_decoder_threads()
        self._stop = threading.Event()
        # The first frame is decoded here, in the caller's thread: it carries the rotation and
        # interlacing that the container does not, and it proves the file decodes at all.
        tags = color_tags(stream.codec_context)
        self._packets = decode_packets(container, stream, self._stop)
        self._first = first_frame(self._counted(), path)
        self._resumed = False
        self.info = stream_info(
            path, container, stream, hdr_mode=hdr, first=self._first, container_tags=tags
        )
        self._plan = plan_conversion(self.info, width=width)
        # Frames about sharp_every_s apart (every keyframe of a preview) also come at
        # sharp_width: thumbnails are made from these.
        self._sharp_plan = plan_conversion(self.info, width=sharp_width) if sharp_every_s else None
        spacing = HDR_SHARP_SPACING if self._plan.hdr is not None else 1
        every = max(1, round(self.info.fps * sharp_every_s)) * spacing
        self._sharp_every = 1 if keyframes_only else every
        self._luma = _LumaScale.of(self.info, stream)
        self._clock = _Clock(
            first_time=float(self._first.time or 0.0),
            fps=self.info.fps,
            keyframes_only=keyframes_only,
            timed=container.format.name.split(",")[0] == "mov",
        )

    @property
    def gaps(self) -> list[tuple[float, float]]:
        """(start, end) film times, in seconds, of stretches lost to damaged packets so far."""
        return self._clock.gaps

    @property
    def end_time_s(self) -> float:
        """Film time at the end of the last frame delivered (its time plus its duration)."""
        return self._clock.end_time_s

    def _counted(self) -> Iterator[Any]:
        """Decoded frames; skipped packets are counted, and too many of them end the film."""
        for frame in self._packets:
            if frame is not None:
                yield frame
                continue
            self.skipped_packets += 1
            if self.skipped_packets > MAX_SKIPPED_PACKETS:
                raise VideoOpenError(f"{self._path.name}: too many decoding errors")

    def _decoded(self) -> Iterator[Any]:
        if not self._resumed:
            yield self._first
        yield from self._counted()

    def resume_at(self, index: int, time_s: float) -> None:
        """Start at frame ``index``, shown at ``time_s``, instead of the first frame.

        Seeks to the keyframe before it and drops the frames decoded before it. Call before
        :meth:`frames`. Where the file cannot seek, decodes from the start and drops frames by
        count instead.
        """
        self._resumed = True
        step = 1.0 / self.info.fps
        try:
            first_time = float(self._first.time or 0.0)
            target = (time_s + first_time - step) / float(self._stream.time_base)
            self._container.seek(int(target), stream=self._stream, backward=True)
            self._stream.codec_context.flush_buffers()
            self._packets = decode_packets(self._container, self._stream, self._stop)
            self._clock.resume(index, time_s, by_count=False)
        except (av.error.FFmpegError, ValueError, TypeError, ZeroDivisionError):
            self._clock.resume(index, time_s, by_count=True)  # keep decoding from frame 1

    def _iter_frames(self) -> Iterator[Frame]:
        """Decode, time, scale and convert every frame, in the calling thread."""
        scaler, gray_scaler, sharp_scaler = (VideoReformatter() for _ in range(3))
        clock, sharp_plan, every = self._clock, self._sharp_plan, self._sharp_every
        for frame in self._decoded():
            t = clock.time_of(frame, self.skipped_packets)
            if t is None:
                continue
            rgb = to_rgb(frame, self._plan, scaler)
            rows, cols = _luma_profiles(frame, self._luma, gray_scaler)
            rgb, rows, cols = _orient(rgb, rows, cols, self._plan.rotation)
            sharp = None
            if sharp_plan is not None and clock.index % every == 0:
                sharp = _rotate(to_rgb(frame, sharp_plan, sharp_scaler), sharp_plan.rotation)
            item = Frame(index=clock.index, time_s=t, rgb=rgb, rows=rows, cols=cols, sharp=sharp)
            clock.advance(frame, t)
            yield item

    def frames(self) -> Iterator[Frame]:
        """Yield every decodable frame in presentation order, decoded in the caller's thread.

        FFmpeg's own frame threads decode several frames ahead while the caller works on one;
        a Python producer thread in front of them (the earlier design) only added GIL
        hand-offs between two Python threads.
        """
        frames = self._iter_frames()
        # Checked before each frame: decoding on after close() would touch a freed container
        # (a segfault in FFmpeg, not an exception).
        while not self._stop.is_set():
            try:
                item = next(frames)
            except StopIteration:
                return
            yield item

    def close(self) -> None:
        """Stop decoding and release the file."""
        self._stop.set()
        self._container.close()


@contextmanager
def open_video(
    path: str | os.PathLike[str],
    *,
    width: int = 256,
    hdr: str = "tonemap",
    threads: int | None = None,
    keyframes_only: bool = False,
    sharp_width: int = 0,
    sharp_every_s: float = 0.0,
) -> Iterator[VideoReader]:
    """Open a film for one decoding pass.

    Args:
        path: the film.
        width: analysis width in display pixels; frames are never scaled up.
        hdr: HDR handling: "tonemap", "raw" or "refuse".
        threads: FFmpeg decoding threads; None for
            :func:`scenepal.threads.default_decoder_threads`.
        keyframes_only: let the decoder skip every frame but keyframes (for previews).
        sharp_width: the width of the larger copy (``Frame.sharp``) some frames also come in
            (never scaled up).
        sharp_every_s: frames numbered a multiple of this many seconds of frames (every
            keyframe with ``keyframes_only``; :data:`HDR_SHARP_SPACING` times as many when
            tone mapping HDR) come at ``sharp_width`` too; 0 for none.

    Raises:
        InputNotFoundError: the path is missing or not a file.
        VideoOpenError: the file is not a usable video.
    """
    p, container, stream = open_film(path)
    try:
        if keyframes_only:
            stream.codec_context.skip_frame = "NONKEY"
        reader = VideoReader(
            p,
            container,
            stream,
            width=width,
            hdr=hdr,
            threads=threads,
            keyframes_only=keyframes_only,
            sharp_width=sharp_width,
            sharp_every_s=sharp_every_s,
        )
    except BaseException:
        container.close()
        raise
    try:
        yield reader
    finally:
        reader.close()
