"""What a film is, before decoding it: container checks, the video stream, its frame rate,
rotation and colour, from the container and the first decoded frame.

Why PyAV and not OpenCV: ``cv2.VideoCapture`` decodes interlaced H.264 as black frames and
crashes the process on non-UTF-8 paths (see shared/FACTS.md).
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import av
import av.error

from scenepal.colorspace import ColorTags, color_tags, stream_color
from scenepal.errors import InputNotFoundError, VideoOpenError
from scenepal.models import VideoInfo

_STILL_FORMATS = (
    "image2",
    "png_pipe",
    "jpeg_pipe",
    "bmp_pipe",
    "tiff_pipe",
    "webp_pipe",
    "gif_pipe",
    "gif",
    "apng",
)
_STILL_CODECS = ("png", "bmp", "tiff", "webp", "gif")
_RAW_FORMATS = ("h264", "hevc", "mpegvideo", "m4v", "h263", "cavsvideo", "vc1", "obu", "ivf")

MAX_SKIPPED_PACKETS = 1000
"""Packets the decoder may reject before a file is given up as not a video."""


def check_path(path: str | os.PathLike[str]) -> Path:
    """The path as a :class:`Path`, once it is known to be a non-empty regular file.

    Raises:
        InputNotFoundError: the path is missing or not a file.
        VideoOpenError: the file is empty.
    """
    p = Path(path)
    if not p.exists():
        raise InputNotFoundError(f"no such file: {p}")
    if p.is_dir():
        raise InputNotFoundError(f"{p} is a directory, not a video file")
    if not p.is_file():
        raise InputNotFoundError(f"{p} is not a regular file")
    if p.stat().st_size == 0:
        raise VideoOpenError(f"{p} is empty (0 bytes)")
    return p


def open_container(p: Path) -> Any:
    """The file opened by FFmpeg for reading.

    Raises:
        VideoOpenError: FFmpeg cannot read it.
    """
    try:
        return av.open(str(p), mode="r", metadata_errors="ignore")
    except (av.error.FFmpegError, UnicodeError, ValueError) as exc:
        hint = ""
        if p.suffix.lower() in (".mp4", ".mov", ".m4v", ".3gp"):
            hint = "; if it is a download cut short, its index (moov atom) may be missing"
        raise VideoOpenError(f"{p} is not a video file that FFmpeg can read{hint}") from exc


def video_stream(container: Any, p: Path) -> Any:
    """The film's video stream: the first that is not cover art or a still picture.

    Raises:
        VideoOpenError: there is none.
    """
    streams = [s for s in container.streams.video]
    if not streams:
        raise VideoOpenError(f"no video stream in {p.name}")
    # Cover art is an attached picture, not the film.
    films = [s for s in streams if not (s.disposition & av.stream.Disposition.attached_pic)]
    if not films:
        raise VideoOpenError(f"{p.name} holds only a still picture (cover art), no video")
    stream = films[0]
    fmt = container.format.name.split(",")[0]
    if fmt in _STILL_FORMATS or (
        stream.codec_context.name in _STILL_CODECS and (stream.frames or 0) <= 1
    ):
        raise VideoOpenError(f"{p.name} is a still image, not a video")
    if stream.codec_context.width <= 0 or stream.codec_context.height <= 0:
        raise VideoOpenError(f"{p.name} has a video stream with no picture size")
    return stream


def decode_packets(container: Any, stream: Any, stop: threading.Event) -> Iterator[Any]:
    """Decoded frames, packet by packet; a packet the decoder rejects is skipped and counted.

    Yields frames, and ``None`` for each skipped packet (so the caller can count them).
    """
    for packet in container.demux(stream):
        if stop.is_set():
            return
        try:
            yield from packet.decode()
        except av.error.InvalidDataError:
            yield None
        except av.error.FFmpegError:
            if packet.size == 0:  # flushing a decoder that already failed
                return
            yield None


def first_frame(frames: Iterator[Any], path: Path) -> Any:
    """The first frame that decodes.

    Raises:
        VideoOpenError: none does within :data:`MAX_SKIPPED_PACKETS` packets.
    """
    for skipped, frame in enumerate(frames):
        if frame is not None:
            return frame
        if skipped > MAX_SKIPPED_PACKETS:
            break
    raise VideoOpenError(f"no frame of {path.name} could be decoded")


def stream_info(
    path: Path,
    container: Any,
    stream: Any,
    *,
    hdr_mode: str,
    first: Any | None,
    container_tags: ColorTags,
) -> VideoInfo:
    """What the container says, completed by the first decoded frame (``first``), which is
    where FFmpeg puts the display rotation and the interlacing flag."""
    cc = stream.codec_context
    if cc.format is None:
        raise VideoOpenError(f"{path.name}: the video stream's pixel format is unknown")
    info = stream_color(cc, container_tags, hdr_mode=hdr_mode, name=path.name)
    rotation = _clockwise(getattr(first, "rotation", 0) or 0)
    width, height = cc.width, cc.height
    if rotation in (90, 270):
        width, height = height, width
    duration_s: float | None = None
    if stream.duration is not None and stream.time_base is not None:
        duration_s = float(stream.duration * stream.time_base)
    elif container.duration is not None:
        duration_s = container.duration / av.time_base
    # AVFieldOrder: 0 unknown, 1 progressive, 2-5 the interlaced orders.
    interlaced = bool(getattr(first, "interlaced_frame", False)) or _field_order(cc) >= 2
    return VideoInfo(
        path=str(path),
        width=width,
        height=height,
        fps=_frame_rate(container, stream),
        container_frame_count=int(stream.frames) if stream.frames else None,
        duration_s=duration_s,
        codec=cc.name,
        rotation=rotation,
        interlaced=interlaced,
        color=info,
    )


def _frame_rate(container: Any, stream: Any) -> float:
    """Frames per second: the container's average rate, except for raw elementary streams,
    whose demuxer reports a made-up 25 fps while the bitstream states the real rate."""
    fmt = container.format.name.split(",")[0]
    candidates = [stream.average_rate, stream.guessed_rate, stream.base_rate]
    if fmt in _RAW_FORMATS:
        candidates = [stream.codec_context.framerate, stream.guessed_rate, *candidates]
    for rate in candidates:
        try:
            if rate and 0 < float(rate) < 1000:
                return float(rate)
        except (TypeError, ZeroDivisionError):
            continue
    return 25.0


def _clockwise(ccw: float) -> int:
    """Clockwise display rotation, snapped to 90 degrees, from FFmpeg's counter-clockwise angle.

    >>> _clockwise(90), _clockwise(-90.0), _clockwise(0)
    (270, 90, 0)
    """
    try:
        return round(-float(ccw) / 90.0) % 4 * 90
    except (TypeError, ValueError):
        return 0


def _field_order(cc: Any) -> int:
    try:
        return int(getattr(cc, "field_order", 0) or 0)
    except (TypeError, ValueError):
        return 0


def open_film(path: str | os.PathLike[str]) -> tuple[Path, Any, Any]:
    """(path, container, video stream) of a film opened for reading; the caller closes the
    container.

    Raises:
        InputNotFoundError: the path is missing or not a file.
        VideoOpenError: the file is not a usable video.
    """
    p = check_path(path)
    container = open_container(p)
    try:
        return p, container, video_stream(container, p)
    except BaseException:
        container.close()
        raise


def probe(path: str | os.PathLike[str], *, hdr: str = "tonemap") -> VideoInfo:
    """Describe a film, decoding only its first frame.

    Args:
        path: the film.
        hdr: HDR handling ("tonemap", "raw" or "refuse"); "refuse" raises on HDR input.

    Raises:
        InputNotFoundError: the path is missing or not a file.
        VideoOpenError: the file is not a usable video.
    """
    p, container, stream = open_film(path)
    try:
        tags = color_tags(stream.codec_context)
        first = first_frame(decode_packets(container, stream, threading.Event()), p)
        return stream_info(p, container, stream, hdr_mode=hdr, first=first, container_tags=tags)
    finally:
        container.close()
