"""Decoding with PyAV: probe() describes a film, open_video() yields its frames at analysis size.

Why PyAV and not OpenCV: ``cv2.VideoCapture`` decodes interlaced H.264 as black frames and
crashes the process on non-UTF-8 paths (see shared/FACTS.md). Colour conversion never relies on a
library default: the YCbCr matrix and range are resolved once from the stream's tags (or guessed
by the usual rules, and reported as guessed) and passed to swscale explicitly. Sources deeper than
8 bits and HDR sources are converted to 16-bit RGB and finished in numpy (``scenepal.color``).
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
from av.video.reformatter import ColorRange, VideoReformatter

from scenepal import color
from scenepal.errors import HdrRefusedError, InputNotFoundError, VideoOpenError
from scenepal.models import ColorInfo, Frame, VideoInfo

_MATRICES = {
    1: "bt709",
    5: "bt601",
    6: "bt601",
    9: "bt2020",
    10: "bt2020",
    4: "fcc",
    7: "smpte240m",
}
_TRANSFERS = {
    1: "bt709",
    4: "gamma22",
    5: "gamma28",
    6: "bt601",
    7: "smpte240m",
    8: "linear",
    13: "srgb",
    14: "bt709",
    15: "bt709",
    16: "pq",
    18: "hlg",
}
_PRIMARIES = {
    1: "bt709",
    5: "bt601",
    6: "bt601",
    7: "smpte240m",
    9: "bt2020",
    11: "dci-p3",
    12: "display-p3",
}
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


COLUMN_ROW_STEP = 4
"""Column luma profiles are averaged over every this many rows of the full-resolution plane."""

GAP_MIN_S = 0.25
"""A jump between two frames' times longer than this (and than 2.5 frames) is a gap."""


@dataclass(frozen=True)
class _Plan:
    """How each decoded frame becomes a Frame: resolved once per film."""

    width: int  # analysis size, stored orientation
    height: int
    rgb_format: str  # "rgb24" or "rgb48le": 8-bit or 16-bit working precision
    matrix: str  # Y'CbCr matrix name, "rgb" for RGB sources
    full_range: bool
    full_range_j: bool  # yuvj* source: keep the j format so swscale does not squeeze the range
    code_matrix: np.ndarray  # float32 (3, 3): rgb = codes @ code_matrix + code_offset, in [0, 1]
    code_offset: np.ndarray  # float32 (3,)
    wide_gamut: bool  # BT.2020 primaries: converted to BT.709 (sRGB) primaries
    code_affine8: np.ndarray  # float32 (3, 4): [A | b] x 255, for cv2.transform on 8-bit codes
    color_range: ColorRange | None
    hdr: str | None  # "pq" / "hlg" when tone mapping in numpy
    rotation: int  # clockwise degrees to display orientation
    luma_plane: bool  # bar profiles from the Y plane (YUV) or from a gray reformat (RGB)
    luma_black: float  # Y code of black
    luma_span: float  # Y code span from black to white


def _check_path(path: str | os.PathLike[str]) -> Path:
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


def _open_container(p: Path) -> Any:
    try:
        return av.open(str(p), mode="r", metadata_errors="ignore")
    except (av.error.FFmpegError, UnicodeError, ValueError) as exc:
        hint = ""
        if p.suffix.lower() in (".mp4", ".mov", ".m4v", ".3gp"):
            hint = "; if it is a download cut short, its index (moov atom) may be missing"
        raise VideoOpenError(f"{p} is not a video file that FFmpeg can read{hint}") from exc


def _video_stream(container: Any, p: Path) -> Any:
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


def resolve_color(
    *,
    colorspace: int,
    color_range: int,
    transfer: int,
    primaries: int,
    pixel_format: str,
    bit_depth: int,
    is_rgb: bool,
    height: int,
) -> ColorInfo:
    """Resolve a stream's colour tags into the colour pipeline scenepal will apply.

    Untagged values are guessed by the common rules: matrix BT.709 when the picture is at least
    720 lines tall (BT.2020 when the primaries or transfer say BT.2020), else BT.601; range limited
    unless tagged full or the pixel format is ``yuvj*``. Guessed fields are listed in ``assumed``.

    >>> c = resolve_color(colorspace=2, color_range=0, transfer=2, primaries=2,
    ...                   pixel_format="yuv420p", bit_depth=8, is_rgb=False, height=1080)
    >>> (c.matrix, c.range, c.assumed)
    ('bt709', 'limited', ('matrix', 'range', 'transfer', 'primaries'))
    """
    assumed: list[str] = []
    trc = _TRANSFERS.get(transfer)
    prim = _PRIMARIES.get(primaries)
    if is_rgb:
        matrix, rng = "rgb", "full"
    else:
        matrix_tag = _MATRICES.get(colorspace)
        if matrix_tag is None:
            assumed.append("matrix")
            if prim == "bt2020" or trc in ("pq", "hlg"):
                matrix_tag = "bt2020"
            else:
                matrix_tag = "bt709" if height >= 720 else "bt601"
        matrix = matrix_tag
        if color_range == 2 or pixel_format.startswith("yuvj"):
            rng = "full"
        elif color_range == 1:
            rng = "limited"
        else:
            assumed.append("range")
            rng = "limited"
    if trc is None:
        assumed.append("transfer")
        trc = "bt709"
    if prim is None:
        assumed.append("primaries")
        prim = "bt2020" if matrix == "bt2020" else ("bt709" if height >= 720 else "bt601")
    hdr = trc if trc in ("pq", "hlg") else None
    return ColorInfo(
        matrix=matrix,
        range=rng,
        transfer=trc,
        primaries=prim,
        bit_depth=bit_depth,
        pixel_format=pixel_format,
        hdr=hdr,
        assumed=tuple(assumed),
    )


def _color_tags(cc: Any) -> tuple[int, int, int, int]:
    """(matrix, range, transfer, primaries) as FFmpeg enum values; 2 (0 for range) = unset."""
    return (int(cc.colorspace), int(cc.color_range), int(cc.color_trc), int(cc.color_primaries))


def _merge_tags(
    container: tuple[int, int, int, int], decoder: tuple[int, int, int, int]
) -> tuple[int, int, int, int]:
    """The container's tags, with the bitstream's filling any the container left unset.

    Both are read because either may be missing: a ProRes decoder resets the tags that the
    MOV ``colr`` atom carried to "unspecified" once it has read its own frame header.

    >>> _merge_tags((1, 1, 1, 1), (2, 1, 2, 2)), _merge_tags((2, 0, 2, 2), (9, 1, 16, 9))
    ((1, 1, 1, 1), (9, 1, 16, 9))
    """
    unset = (2, 0, 2, 2)
    return tuple(  # type: ignore[return-value]
        c if c != u else d for c, d, u in zip(container, decoder, unset, strict=True)
    )


def _stream_info(
    path: Path,
    container: Any,
    stream: Any,
    *,
    hdr_mode: str,
    first: Any | None,
    container_tags: tuple[int, int, int, int],
) -> VideoInfo:
    """What the container says, completed by the first decoded frame (``first``), which is
    where FFmpeg puts the display rotation and the interlacing flag."""
    cc = stream.codec_context
    fmt = cc.format
    if fmt is None:
        raise VideoOpenError(f"{path.name}: the video stream's pixel format is unknown")
    bit_depth = max(c.bits for c in fmt.components) if fmt.components else 8
    is_rgb = bool(fmt.is_rgb) or fmt.name.startswith(("gray", "ya", "pal"))
    tags = _merge_tags(container_tags, _color_tags(cc))
    info = resolve_color(
        colorspace=tags[0],
        color_range=tags[1],
        transfer=tags[2],
        primaries=tags[3],
        pixel_format=fmt.name,
        bit_depth=bit_depth,
        is_rgb=is_rgb,
        height=cc.height,
    )
    if info.hdr is not None:
        if hdr_mode == "refuse":
            raise HdrRefusedError(
                f"{path.name} is HDR ({info.hdr.upper()}); refused (use --hdr tonemap or raw)"
            )
        info = ColorInfo(**{**info.__dict__, "hdr_handling": hdr_mode})
    rotation = _clockwise(getattr(first, "rotation", 0) or 0)
    width, height = cc.width, cc.height
    if rotation in (90, 270):
        width, height = height, width
    fps = _frame_rate(container, stream)
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
        fps=fps,
        frame_count=int(stream.frames) if stream.frames else None,
        duration_s=duration_s,
        codec=cc.name,
        rotation=rotation,
        interlaced=interlaced,
        color=info,
    )


_RAW_FORMATS = ("h264", "hevc", "mpegvideo", "m4v", "h263", "cavsvideo", "vc1", "obu", "ivf")


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


def default_decoder_threads() -> int:
    """FFmpeg frame threads when none are asked for: three per core, at least 6, at most 16.

    More than FFmpeg's own choice (cores + 1): with Python work between frames, more frames in
    flight keep every core decoding. Measured on 2 cores, 1080p H.264, decode-only: CPU use
    1.78 cores with 3 threads, 1.90 with 4, 1.94 with 6; a 1-minute analysis took 1.35x
    decode-only with 4 and 1.24x with 6 (median of 4 alternating runs).
    """
    return min(16, max(6, 3 * (os.cpu_count() or 1)))


def _decode_packets(container: Any, stream: Any, stop: threading.Event) -> Iterator[Any]:
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


def _first_frame(frames: Iterator[Any], path: Path) -> Any:
    for skipped, frame in enumerate(frames):
        if frame is not None:
            return frame
        if skipped > 1000:
            break
    raise VideoOpenError(f"no frame of {path.name} could be decoded")


def probe(path: str | os.PathLike[str], *, hdr: str = "tonemap") -> VideoInfo:
    """Describe a film, decoding only its first frame.

    Args:
        path: the film.
        hdr: HDR handling ("tonemap", "raw" or "refuse"); "refuse" raises on HDR input.

    Raises:
        InputNotFoundError: the path is missing or not a file.
        VideoOpenError: the file is not a usable video.
    """
    p = _check_path(path)
    container = _open_container(p)
    try:
        stream = _video_stream(container, p)
        tags = _color_tags(stream.codec_context)
        first = _first_frame(_decode_packets(container, stream, threading.Event()), p)
        return _stream_info(p, container, stream, hdr_mode=hdr, first=first, container_tags=tags)
    finally:
        container.close()


def _code_transform(matrix: str, *, full: bool, deep: bool) -> tuple[np.ndarray, np.ndarray]:
    """(A, b) with R'G'B' = A @ codes + b for the Y'CbCr codes swscale hands back.

    Deep sources come back as 16-bit codes (a 10-bit 64 is 4096 + 4); 8-bit as 8-bit codes.
    """
    if matrix not in color.YCBCR_COEFFICIENTS:
        return np.eye(3), np.zeros(3)
    top = 65535.0 if deep else 255.0
    if full:
        scale = np.full(3, 1.0 / top)
        shift = np.array([0.0, 0.5, 0.5]) * (1.0 + 1.0 / top)
    else:
        unit = 256.0 if deep else 1.0
        scale = 1.0 / (unit * np.array([219.0, 224.0, 224.0]))
        shift = np.array([16.0, 128.0, 128.0]) / np.array([219.0, 224.0, 224.0])
    m = color.ycbcr_matrix(matrix)
    return m * scale, -(m @ shift)


def _plan(info: VideoInfo, stream: Any, *, width: int) -> _Plan:
    c = info.color
    disp_w = min(width, info.width)
    disp_h = max(2, round(disp_w * info.height / info.width))
    w, h = (disp_h, disp_w) if info.rotation in (90, 270) else (disp_w, disp_h)
    deep = c.bit_depth > 8 or c.hdr is not None
    yuv = c.matrix != "rgb"
    scale = float(2 ** (c.bit_depth - 8))
    if c.range == "full":
        black, span = 0.0, float(2**c.bit_depth - 1)
    else:
        black, span = 16.0 * scale, 219.0 * scale
    matrix, offset = _code_transform(c.matrix, full=c.range == "full", deep=deep)
    return _Plan(
        width=w,
        height=h,
        rgb_format="rgb48le" if deep else "rgb24",
        matrix=c.matrix,
        full_range=c.range == "full",
        full_range_j=c.pixel_format.startswith("yuvj"),
        code_matrix=matrix.T.astype(np.float32),
        code_offset=offset.astype(np.float32),
        code_affine8=np.hstack([matrix * 255.0, offset[:, None] * 255.0]).astype(np.float32),
        # Raw HDR is shown as it is coded: no tone mapping, and no gamut conversion either.
        wide_gamut=c.primaries == "bt2020" and (c.hdr is None or c.hdr_handling == "tonemap"),
        color_range=(ColorRange.JPEG if c.range == "full" else ColorRange.MPEG) if yuv else None,
        hdr=c.hdr if c.hdr_handling == "tonemap" else None,
        rotation=info.rotation,
        luma_plane=yuv and stream.codec_context.format.is_planar,
        luma_black=black,
        luma_span=span,
    )


def _plane(plane: Any, dtype: np.dtype[Any]) -> np.ndarray:
    """One plane of a frame (``frame.planes[i]``) as a (height, width) array, padding dropped."""
    stride = plane.line_size // dtype.itemsize
    data = np.frombuffer(plane, dtype=dtype, count=stride * plane.height)
    return data.reshape(plane.height, stride)[:, : plane.width]


def _to_rgb(frame: Any, plan: _Plan, scaler: VideoReformatter) -> np.ndarray:
    """Decoded frame -> uint8 (h, w, 3) sRGB at analysis size, stored orientation.

    swscale only scales (and, for RGB sources, packs); the Y'CbCr -> R'G'B' conversion is done
    here with the resolved matrix and range, because swscale's own conversion is up to 2-3
    levels off and follows whatever range and matrix the frame happens to carry. ``scaler`` is
    shared by every frame of a film: ``frame.reformat`` would build a new swscale context for
    each frame, which costs more (about 2.5 ms at 1080p) than the scaling itself.
    """
    if plan.matrix == "rgb":  # RGB or grey source: scaling only
        packed: np.ndarray = scaler.reformat(
            frame,
            width=plan.width,
            height=plan.height,
            format=plan.rgb_format,
            interpolation="AREA",
        ).to_ndarray()[..., :3]
        signal = packed.astype(np.float32) / (65535.0 if plan.rgb_format == "rgb48le" else 255.0)
    else:
        deep = plan.rgb_format == "rgb48le"
        fmt = "yuv444p16le" if deep else ("yuvj444p" if plan.full_range_j else "yuv444p")
        small = scaler.reformat(
            frame,
            width=plan.width,
            height=plan.height,
            format=fmt,
            src_color_range=plan.color_range,
            dst_color_range=plan.color_range,
            interpolation="AREA",
        )
        dtype = np.dtype("<u2") if deep else np.dtype(np.uint8)
        codes = cv2.merge([_plane(p, dtype) for p in small.planes])  # 8x faster than np.stack
        if plan.hdr is None and not plan.wide_gamut and not deep:
            # The common case, in one SIMD pass: 8-bit codes -> rounded, saturated 8-bit RGB.
            out: np.ndarray = cv2.transform(codes, plan.code_affine8)
            return out
        flat = codes.reshape(-1, 3).astype(np.float32)  # 2-D matmul is ~10x faster than 3-D
        rgb = (flat @ plan.code_matrix + plan.code_offset).reshape(codes.shape)
        if plan.hdr is None and not plan.wide_gamut:
            deep_out: np.ndarray = np.clip(rgb * 255.0 + 0.5, 0.0, 255.0).astype(np.uint8)
            return deep_out
        signal = np.clip(rgb, 0.0, 1.0)
    if plan.hdr is not None:
        return color.hdr_to_srgb8(signal, plan.hdr, bt2020=plan.wide_gamut)
    if plan.wide_gamut:
        return color.bt2020_sdr_to_srgb8(signal)
    return color.to_uint8(signal)


def _luma_profiles(
    frame: Any, plan: _Plan, scaler: VideoReformatter
) -> tuple[np.ndarray, np.ndarray]:
    """Mean normalised luma per full-resolution row and column, stored orientation."""
    if plan.luma_plane:
        plane = frame.planes[0]
        bytes_per = 2 if frame.format.components[0].bits > 8 else 1
        dtype = np.dtype("<u2") if bytes_per == 2 else np.dtype(np.uint8)
        stride = plane.line_size // bytes_per
        y: np.ndarray = np.frombuffer(plane, dtype=dtype, count=stride * plane.height)
        y = y.reshape(plane.height, stride)[:, : plane.width]
    else:
        y = np.asarray(scaler.reformat(frame, format="gray").to_ndarray())
    # OpenCV's SIMD reductions: exact means, about 4x faster than numpy on a strided subsample.
    rows = cv2.reduce(y, 1, cv2.REDUCE_AVG, dtype=cv2.CV_32F).ravel()
    # Column means from every 4th row: a bar is the same all the way down, and a quarter of
    # the plane instead of a second full pass over it is 1.25 plane reads a frame, not 2.
    cols = cv2.reduce(y[::COLUMN_ROW_STEP], 0, cv2.REDUCE_AVG, dtype=cv2.CV_32F).ravel()
    black = plan.luma_black if plan.luma_plane else 0.0
    span = plan.luma_span if plan.luma_plane else 255.0
    return (rows - black) / span, (cols - black) / span


def _orient(
    rgb: np.ndarray, rows: np.ndarray, cols: np.ndarray, rotation: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Rotate a stored-orientation frame and its profiles clockwise into display orientation."""
    if rotation == 90:
        return np.ascontiguousarray(np.rot90(rgb, k=-1)), cols, rows[::-1].copy()
    if rotation == 180:
        return np.ascontiguousarray(rgb[::-1, ::-1]), rows[::-1].copy(), cols[::-1].copy()
    if rotation == 270:
        return np.ascontiguousarray(np.rot90(rgb, k=1)), cols[::-1].copy(), rows
    return rgb, rows, cols


class VideoReader:
    """Frames of one film, decoded once, in order. Made by :func:`open_video`.

    Attributes:
        info: what the container says, with the resolved colour pipeline.
        analysis_size: (width, height) of ``Frame.rgb`` in display orientation.
        skipped_packets: packets the decoder rejected (damaged stretches), counted so far.
        gaps: (start, end) film times, in seconds, of stretches lost to damaged packets.
    """

    def __init__(
        self,
        path: Path,
        container: Any,
        stream: Any,
        *,
        width: int,
        hdr: str,
        threads: int,
        keyframes_only: bool = False,
    ) -> None:
        self._path = path
        self._container = container
        self._stream = stream
        self.skipped_packets = 0
        self.gaps: list[tuple[float, float]] = []
        self._keyframes_only = keyframes_only  # frames seconds apart are not gaps then
        self.end_time_s = 0.0
        stream.thread_type = "AUTO"
        stream.thread_count = threads or default_decoder_threads()
        self._stop = threading.Event()
        # The first frame is decoded here, in the caller's thread: it carries the rotation and
        # interlacing that the container does not, and it proves the file decodes at all.
        tags = _color_tags(stream.codec_context)
        self._packets = _decode_packets(container, stream, self._stop)
        self._first = _first_frame(self._counted(), path)
        self._first_time = float(self._first.time or 0.0)
        self._resume: tuple[int, float] | None = None
        self._resume_by_count = False
        self.info = _stream_info(
            path, container, stream, hdr_mode=hdr, first=self._first, container_tags=tags
        )
        self._plan = _plan(self.info, stream, width=width)
        w, h = self._plan.width, self._plan.height
        self.analysis_size = (h, w) if self.info.rotation in (90, 270) else (w, h)

    def _counted(self) -> Iterator[Any]:
        """Decoded frames; skipped packets are counted, and too many of them end the film."""
        for frame in self._packets:
            if frame is not None:
                yield frame
                continue
            self.skipped_packets += 1
            if self.skipped_packets > 1000:
                raise VideoOpenError(f"{self._path.name}: too many decoding errors")

    def _decoded(self) -> Iterator[Any]:
        if self._resume is None:
            yield self._first
        yield from self._counted()

    def resume_at(self, index: int, time_s: float) -> None:
        """Start at frame ``index``, shown at ``time_s``, instead of the first frame.

        Seeks to the keyframe before it and drops the frames decoded before it. Call before
        :meth:`frames`. Where the file cannot seek, decodes from the start and drops frames by
        count instead.
        """
        self._resume = (index, time_s)
        step = 1.0 / self.info.fps
        try:
            target = (time_s + self._first_time - step) / float(self._stream.time_base)
            self._container.seek(int(target), stream=self._stream, backward=True)
            self._stream.codec_context.flush_buffers()
            self._packets = _decode_packets(self._container, self._stream, self._stop)
            self._resume_by_count = False
        except (av.error.FFmpegError, ValueError, TypeError, ZeroDivisionError):
            self._resume_by_count = True  # keep decoding from frame 1; drop by count

    def _iter_frames(self) -> Iterator[Frame]:
        """Decode, time, scale and convert every frame, in the calling thread."""
        plan = self._plan
        scaler, gray_scaler = VideoReformatter(), VideoReformatter()
        first_time = self._first_time
        last_time = -1.0
        step = 1.0 / self.info.fps
        index = 0
        skip_before: float | None = None
        last_duration = step
        if self._resume is not None:
            index, resume_time = self._resume
            last_time = resume_time - step
            if self._resume_by_count:
                index = 1  # the first frame was decoded already; count up to the resume point
            else:
                skip_before = resume_time - step / 2
        for frame in self._decoded():
            t = frame.time
            if t is None:  # no timestamp: one frame after the last
                t = (last_time + last_duration if index else 0.0) + first_time
            t -= first_time
            if skip_before is not None:
                if t < skip_before:
                    continue
                skip_before = None
                last_time = t - step
            if self._resume_by_count and self._resume and index < self._resume[0]:
                index += 1
                last_time = t
                continue
            if t <= last_time:  # missing or repeated stamps: keep time moving forward
                t = last_time + step
            # A jump in time much longer than a frame is a stretch that could not be
            # decoded (damaged packets, whether the decoder or the demuxer dropped them).
            jump = t - last_time
            if index and not self._keyframes_only and jump > max(2.5 * last_duration, GAP_MIN_S):
                self.gaps.append((last_time + last_duration, t))
            rgb = _to_rgb(frame, plan, scaler)
            rows, cols = _luma_profiles(frame, plan, gray_scaler)
            rgb, rows, cols = _orient(rgb, rows, cols, plan.rotation)
            item = Frame(index=index, time_s=t, rgb=rgb, rows=rows, cols=cols)
            duration = (
                frame.duration * frame.time_base if frame.duration and frame.time_base else step
            )
            last_duration = float(duration)
            self.end_time_s = t + last_duration
            last_time = t
            index += 1
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
    threads: int = 0,
    keyframes_only: bool = False,
) -> Iterator[VideoReader]:
    """Open a film for one decoding pass.

    Args:
        path: the film.
        width: analysis width in display pixels; frames are never scaled up.
        hdr: HDR handling: "tonemap", "raw" or "refuse".
        threads: FFmpeg decoding threads, 0 for automatic.
        keyframes_only: let the decoder skip every frame but keyframes (for previews).

    Raises:
        InputNotFoundError: the path is missing or not a file.
        VideoOpenError: the file is not a usable video.
    """
    p = _check_path(path)
    container = _open_container(p)
    try:
        stream = _video_stream(container, p)
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
        )
    except BaseException:
        container.close()
        raise
    try:
        yield reader
    finally:
        reader.close()
