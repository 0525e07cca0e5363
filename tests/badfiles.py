"""Awkward inputs for tests/test_bad_inputs.py: odd codecs, odd metadata, damaged files.

Unlike `films.write_film`, which controls every code value, these generators only care about
the *shape* of a file (container, codec, pixel format, timing, metadata, damage); pictures are
built in RGB and converted by swscale, which is good enough to tell two shots apart::

    from badfiles import write_video, truncate

    write_video(tmp_path / "a.mp4", shots=[((200, 40, 40), 24), ((20, 20, 120), 24)])
    truncate(tmp_path / "a.mp4", tmp_path / "half.mp4", 0.5)

Measured with PyAV 18.1 (FFmpeg 8), reopening the files written here:

* ``av.open(path, "w", options={"movflags": "faststart"})`` puts the MP4 ``moov`` atom in front
  of ``mdat``; without it the index is written at the end of the file.
* ``stream.set_display_rotation(90)`` (counter-clockwise, FFmpeg's convention) before the first
  frame writes a display matrix; decoded frames then report ``rotation`` 90.
* libx264 with ``flags="+ilme+ildct"`` codes interlaced fields (top field first); it refuses
  4:2:0 pictures whose height is not a multiple of 4 (160x90 fails, 320x180 works).
* ``container_format="h264"`` (``av.open(path, "w", format="h264")``) writes a raw Annex B
  stream: no container, no duration, no timestamps. Reading it back, frames have ``pts`` None
  and ``duration`` 1/24 s (from the SPS), ``codec_context.framerate`` and ``guessed_rate`` are
  24, but ``average_rate`` is 25 (the raw demuxer's default).
* Variable frame rate in MP4 (time base 1/240, pts given): the muxer keeps every timestamp (in
  a 1/15360 time base); the last packet's duration is the encoder's 1/24 s, not the 1/10 s
  gap of its neighbours.
* Damaging a few KB in the middle of a Matroska file loses the rest of its cluster: with one
  cluster per keyframe (ffv1, or h264 with a short GOP) a third to half a second; with
  h264's default 250-frame GOP the whole rest of a short film.
* Reusing one converted `av.VideoFrame` for every frame of a shot (only ``pts`` changes) is
  safe with libx264, libx265, ffv1 and prores_ks, which copy or consume the picture at once;
  at 7680x4320 it saves 0.3 s of conversion per frame.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping, Sequence
from fractions import Fraction
from pathlib import Path

import av
import numpy as np
from numpy.typing import NDArray

__all__ = [
    "BT709",
    "HDR10_TAGS",
    "ShotSpec",
    "damage",
    "truncate",
    "write_audio",
    "write_png",
    "write_video",
]

#: (colorspace, color_range, color_primaries, color_trc) as FFmpeg enum values.
BT709 = (1, 1, 1, 1)
#: BT.2020 non-constant luminance, limited range, BT.2020 primaries, SMPTE ST 2084 (PQ).
HDR10_TAGS = (9, 1, 9, 16)

#: A shot: a flat sRGB colour and its number of frames.
ShotSpec = tuple[tuple[int, int, int], int]
Picture = Callable[[int], NDArray[np.uint8]]


def _shot_of(shots: Sequence[ShotSpec], index: int) -> int:
    """The shot that frame ``index`` falls in."""
    end = 0
    for shot, (_, frames) in enumerate(shots):
        end += frames
        if index < end:
            return shot
    return len(shots) - 1


def _shots_picture(
    shots: Sequence[ShotSpec],
    width: int,
    height: int,
    alpha: bool,
    top_bar: int,
) -> Picture:
    """Frame ``i`` as a flat colour (the colour of its shot) below ``top_bar`` black rows."""

    def picture(index: int) -> NDArray[np.uint8]:
        rgb = shots[_shot_of(shots, index)][0]
        image = np.empty((height, width, 4 if alpha else 3), dtype=np.uint8)
        image[..., :3] = rgb
        image[:top_bar, :, :3] = 0
        if alpha:
            image[..., 3] = 128  # half transparent, which must not matter
        return image

    return picture


def write_video(
    path: Path,
    shots: Sequence[ShotSpec] = (((200, 40, 40), 24),),
    *,
    width: int = 160,
    height: int = 90,
    rate: int = 24,
    encoder: str = "libx264",
    pix_fmt: str = "yuv420p",
    container_format: str | None = None,
    container_options: Mapping[str, str] | None = None,
    codec_options: Mapping[str, str] | None = None,
    tags: tuple[int, int, int, int] | None = BT709,
    pts: Sequence[int] | None = None,
    time_base: Fraction | None = None,
    rotation: float | None = None,
    top_bar: int = 0,
    noise: float = 0.0,
    seed: int = 0,
) -> Path:
    """Encode flat-colour shots (``(rgb, frames)`` each) to ``path``; return ``path``.

    Args:
        path: Output file; its suffix picks the container unless ``container_format`` is given.
        shots: ``((r, g, b), frames)`` per shot, in order.
        width: Frame width.
        height: Frame height.
        rate: Nominal frame rate given to the encoder.
        encoder: FFmpeg encoder name.
        pix_fmt: Encoded pixel format; ``yuva*`` formats get a half-transparent alpha plane.
        container_format: Container format name (``"h264"``: a raw elementary stream).
        container_options: Muxer options (e.g. ``{"movflags": "faststart"}``).
        codec_options: Encoder options (e.g. ``{"flags": "+ilme+ildct"}``).
        tags: Colour tags of the codec context, or None for none.
        pts: Presentation time of each frame in ``time_base`` units; default ``0, 1, ...``.
        time_base: Time base of ``pts``; default ``1/rate``.
        rotation: Display rotation in degrees, counter-clockwise (FFmpeg's convention).
        top_bar: Rows of pure black along the stored picture's top edge (a one-sided bar that
            shows which way a rotation turned the picture).
        noise: Standard deviation of Gaussian noise in 8-bit levels, to give the encoder work
            (and the file some size) without changing the mean colour.
        seed: Seed of the noise.

    Returns:
        The path written.
    """
    frame_count = sum(n for _, n in shots)
    if pts is not None and len(pts) != frame_count:
        raise ValueError(f"{len(pts)} pts for {frame_count} frames")
    base = time_base or Fraction(1, rate)
    alpha = pix_fmt.startswith("yuva")
    picture = _shots_picture(shots, width, height, alpha, top_bar)
    rng = np.random.default_rng(seed)
    path.parent.mkdir(parents=True, exist_ok=True)
    muxer_options = dict(container_options or {})
    with av.open(os.fspath(path), "w", format=container_format, options=muxer_options) as c:
        stream = c.add_stream(encoder, rate=rate, options=dict(codec_options or {}))
        if not isinstance(stream, av.VideoStream):
            raise TypeError(f"{encoder} did not give a video stream")
        stream.width, stream.height, stream.pix_fmt = width, height, pix_fmt
        stream.time_base = base
        stream.codec_context.time_base = base
        if tags is not None:
            ctx = stream.codec_context
            ctx.colorspace, ctx.color_range, ctx.color_primaries, ctx.color_trc = tags
        if rotation is not None:
            stream.set_display_rotation(rotation)
        converted: dict[int, av.VideoFrame] = {}  # without noise, one conversion per shot
        for index in range(frame_count):
            shot = _shot_of(shots, index)
            frame = converted.get(shot) if noise == 0 else None
            if frame is None:
                image = picture(index)
                if noise > 0:
                    grain = rng.normal(0.0, noise, size=(height, width, 3))
                    image[..., :3] = np.clip(image[..., :3] + grain, 0, 255).astype(np.uint8)
                frame = av.VideoFrame.from_ndarray(image, "rgba" if alpha else "rgb24")
                # Converted with the tagged matrix and range, so the tags tell the truth.
                frame = frame.reformat(
                    format=pix_fmt,
                    dst_colorspace=tags[0] if tags else None,
                    dst_color_range=tags[1] if tags else None,
                )
                if noise == 0:
                    converted[shot] = frame
            frame.pts = index if pts is None else pts[index]
            frame.time_base = base
            c.mux(stream.encode(frame))
        c.mux(stream.encode(None))
    return path


def write_audio(path: Path, *, seconds: float = 1.0, rate: int = 48_000) -> Path:
    """A sine tone encoded as AAC; the container follows the suffix (``.m4a``)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with av.open(os.fspath(path), "w") as c:
        stream = c.add_stream("aac", rate=rate)
        if not isinstance(stream, av.AudioStream):
            raise TypeError("aac did not give an audio stream")
        samples = int(seconds * rate)
        size = 1024
        for start in range(0, samples, size):
            t = np.arange(start, min(start + size, samples)) / rate
            tone = (0.2 * np.sin(2 * np.pi * 440.0 * t)).astype(np.float32)[np.newaxis, :]
            frame = av.AudioFrame.from_ndarray(tone, format="fltp", layout="mono")
            frame.sample_rate = rate
            frame.pts = start
            frame.time_base = Fraction(1, rate)
            c.mux(stream.encode(frame))
        c.mux(stream.encode(None))
    return path


def write_png(path: Path, *, width: int = 160, height: int = 90) -> Path:
    """A PNG picture (with PNG's own signature) under whatever name ``path`` has."""
    from PIL import Image

    image = np.zeros((height, width, 3), dtype=np.uint8)
    image[:, : width // 2] = (200, 40, 40)
    image[:, width // 2 :] = (30, 30, 160)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as fh:
        Image.fromarray(image).save(fh, format="PNG")
    return path


def truncate(source: Path, target: Path, share: float) -> Path:
    """Copy the first ``share`` of ``source``'s bytes to ``target`` (a download cut short)."""
    data = source.read_bytes()
    target.write_bytes(data[: int(len(data) * share)])
    return target


def damage(path: Path, *, at: float = 0.5, size: int = 4096, seed: int = 0) -> tuple[int, int]:
    """Overwrite ``size`` bytes of ``path`` with random bytes, starting at share ``at`` of it.

    Returns:
        The ``[start, end)`` byte range overwritten.
    """
    data = bytearray(path.read_bytes())
    start = int(len(data) * at)
    end = min(len(data), start + size)
    data[start:end] = np.random.default_rng(seed).integers(0, 256, end - start, np.uint8).tobytes()
    path.write_bytes(bytes(data))
    return start, end
