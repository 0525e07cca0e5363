"""Film factory for the test suite: short films with known cuts, palettes, bars and fades.

Tests build their own media instead of shipping binary files::

    from films import Region, Shot, write_film

    truth = write_film(
        tmp_path / "film.mkv",
        [Shot.solid((200, 30, 30), frames=24), Shot.solid((20, 20, 120), frames=24)],
    )
    assert truth.cuts == (24,)

Every picture is a set of flat vertical stripes (one per `Region`, left to right, width
proportional to its share) inside an optional frame of pure black bars. The sRGB -> Y'CbCr
conversion, the range scaling and the 4:2:0 / 4:2:2 chroma averaging are all done here in numpy
with the published coefficients (BT.709: Kr 0.2126, Kb 0.0722; BT.601: Kr 0.299, Kb 0.114), and
the planes are handed to the encoder in its own pixel format, so FFmpeg's swscale never touches
the colours. `decode_rgb_frames` inverts the same maths from the raw decoded planes so that the
factory's self-test does not depend on swscale either.

Colour accuracy: a flat colour is written as the code triple, among the 27 around the rounded
one, whose decoded colour is nearest (`nearest_codes`). A lossless (ffv1) decode gives back
exactly `encoded_rgb`, within 1 level of the request for most colours; the 8-bit limited-range
code lattice cannot do better than 1.06 levels (BT.709) or 1.19 (BT.601) for the worst sRGB
colours. Plain per-code rounding would miss by up to 1.6. 10-bit films are within 0.3 levels.

Geometry:
    * Stripe edges sit on even absolute x coordinates so that 2x chroma subsampling never mixes
      two stripes; the first and last edges are the picture's own edges. `FilmTruth.shots`
      carries the *actual* pixel shares after rounding (each edge moves at most 1 px). A region
      that would round to no columns raises `ValueError`; regions over 2 px wide never do.
    * Bars are RGB (0, 0, 0) encoded with the film's matrix and range (Y = 16, Cb = Cr = 128 for
      8-bit limited range). Even bar sizes keep the bar edges on chroma-sample boundaries; with
      an odd size the one chroma row or column that straddles the edge mixes black and picture.
    * `noise` is added to the picture area only, before any fade; bars and inserted black frames
      stay exactly black. Noise is fresh for every frame, so it costs: about 4 ms a frame at
      320x180 but about 0.1 s a frame at 1280x720 with h264 (Gaussian draws plus x264 coding
      the grain). Without noise each distinct picture is encoded once and reused.

Timing and transitions:
    * Constant frame rate: pts = frame index, time base 1/fps. Matroska stores a millisecond
      duration (10 frames at 24 fps read back as 417000 us), MP4 an exact one (416667 us).
    * ``fade_frames = n``: the last n frames of every shot but the last fade out, with levels
      (n-1)/n, ..., 1/n, 0, and the first n frames of every shot but the first fade in, with
      levels 0, 1/n, ..., (n-1)/n. Levels multiply the gamma-encoded sRGB values of the picture
      (as a video-level dip to black does). Fade frames belong to their shots, so a cut is the
      first (black) fade-in frame of the incoming shot. Every shot must keep at least one frame
      at full level.
    * ``black_frames = m``: m pure black frames follow every shot but the last. They are counted
      in the *outgoing* shot: its `Shot.frames` in `FilmTruth.shots` is the requested count plus
      m, so the shots' frames always sum to `FilmTruth.frame_count` and every cut is the first
      frame of the next shot's picture (or of its fade-in).
    * `FilmTruth.black_ranges` lists the maximal runs of frames with a level below 1: fade-out,
      inserted black and fade-in frames around one cut merge into one ``[start, end)`` range
      that contains that cut. `FilmTruth.fade_levels` gives the level of every frame.

Colour tags, measured with PyAV 18.1 (FFmpeg 8) by reopening the written file:
    * Only the *codec context* tags land in the file. Setting ``stream.codec_context.colorspace``
      / ``.color_range`` / ``.color_primaries`` / ``.color_trc`` before the first frame is what
      works; setting the same attributes on each `av.VideoFrame` alone writes nothing (both read
      back unspecified). This module sets both when ``tag=True`` and neither when ``tag=False``.
    * FFV1 in Matroska: the FFV1 bitstream does not carry them (a decoder fed only its packets
      reports all four unspecified); the Matroska muxer writes a ``Colour`` element
      (MatrixCoefficients, Range, TransferCharacteristics, Primaries) and on decode both
      ``stream.codec_context`` and every decoded frame report them.
    * H.264 in MP4: libx264 writes them into the SPS VUI and the MP4 muxer also writes a
      ``colr``/``nclx`` atom. A decoder fed only the bitstream (no container) still reports
      them. Untagged, neither VUI colour fields nor ``colr`` are written.
    * With ``tag=False`` ffv1 and h264 read back all unspecified: colorspace 2, color_range 0,
      color_primaries 2, color_trc 2. hevc10 (libx265), vp9 (libvpx) and prores (prores_ks)
      always carry a range flag in the bitstream, so untagged they read color_range 1
      (limited) -- a full-range untagged hevc10/vp9 film is therefore *mis*-tagged as limited.
      ProRes cannot signal full range at all (``full_range=True`` is refused). Tagged, all five
      codecs read back exactly what was written.
    * The tag sets written are `expected_color_tags`: BT.709 is 1/1/1 (matrix/primaries/
      transfer), BT.601 is SMPTE 170M 6/6/6 (PyAV's ``Colorspace`` enum has no member for 6;
      FFmpeg treats it like 5, BT.470BG); range MPEG (1) or JPEG (2).
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from fractions import Fraction
from pathlib import Path
from typing import Final

import av
import numpy as np
from numpy.typing import NDArray

__all__ = [
    "ColorTags",
    "FilmTruth",
    "Region",
    "Shot",
    "Stripe",
    "codec_names",
    "codes_to_rgb",
    "decode_rgb_frames",
    "encoded_rgb",
    "expected_color_tags",
    "iter_rgb_frames",
    "nearest_codes",
    "read_color_tags",
    "rgb_to_codes",
    "signal_to_ycbcr",
    "write_film",
    "ycbcr_to_signal",
]

FloatArray = NDArray[np.float64]

#: Luma coefficients (Kr, Kb) of each supported Y'CbCr matrix.
MATRICES: Final[dict[str, tuple[float, float]]] = {
    "bt709": (0.2126, 0.0722),
    "bt601": (0.299, 0.114),
}

# FFmpeg enum values (AVColorSpace, AVColorPrimaries, AVColorTransferCharacteristic, AVColorRange).
_UNSPECIFIED_SPACE: Final = 2
_RANGE_UNSPECIFIED: Final = 0
_RANGE_MPEG: Final = 1
_RANGE_JPEG: Final = 2
_MATRIX_TAGS: Final[dict[str, int]] = {"bt709": 1, "bt601": 6}  # BT709 / SMPTE170M, all three

#: Pixel formats this module can build: name -> (bits, chroma x subsampling, y subsampling).
PIXEL_FORMATS: Final[dict[str, tuple[int, int, int]]] = {
    "yuv420p": (8, 2, 2),
    "yuv422p": (8, 2, 1),
    "yuv444p": (8, 1, 1),
    "yuv420p10le": (10, 2, 2),
    "yuv422p10le": (10, 2, 1),
    "yuv444p10le": (10, 1, 1),
    "yuv420p12le": (12, 2, 2),
    "yuv422p12le": (12, 2, 1),
    "yuv444p12le": (12, 1, 1),
}


@dataclass(frozen=True)
class _CodecSpec:
    """How one `write_film` codec name maps onto an FFmpeg encoder."""

    encoder: str
    suffixes: tuple[str, ...]
    pix_fmts: tuple[str, ...]
    options: tuple[tuple[str, str], ...] = ()
    #: The bitstream always carries a range flag, so an untagged file still reads "limited".
    range_always_signalled: bool = False
    #: The bitstream can say "full range" at all (ProRes cannot).
    full_range_ok: bool = True


_CODECS: Final[dict[str, _CodecSpec]] = {
    "ffv1": _CodecSpec("ffv1", (".mkv",), tuple(PIXEL_FORMATS)),
    "h264": _CodecSpec(
        "libx264",
        (".mp4", ".mkv", ".mov"),
        ("yuv420p", "yuv422p", "yuv444p", "yuv420p10le", "yuv422p10le", "yuv444p10le"),
        (("crf", "17"), ("preset", "veryfast")),
    ),
    "hevc10": _CodecSpec(
        "libx265",
        (".mp4", ".mkv", ".mov"),
        ("yuv420p10le", "yuv422p10le", "yuv444p10le"),
        (("crf", "18"), ("preset", "ultrafast"), ("x265-params", "log-level=error")),
        range_always_signalled=True,
    ),
    "vp9": _CodecSpec(
        "libvpx-vp9",
        (".webm", ".mkv"),
        ("yuv420p",),
        (("crf", "20"), ("b", "0"), ("deadline", "realtime"), ("cpu-used", "8")),
        range_always_signalled=True,
    ),
    "prores": _CodecSpec(
        "prores_ks",
        (".mov", ".mkv"),
        ("yuv422p10le", "yuv444p10le"),
        range_always_signalled=True,
        full_range_ok=False,
    ),
}


def codec_names() -> tuple[str, ...]:
    """The codec names `write_film` accepts.

    Returns:
        The names, sorted.

    >>> codec_names()
    ('ffv1', 'h264', 'hevc10', 'prores', 'vp9')
    """
    return tuple(sorted(_CODECS))


@dataclass(frozen=True)
class Region:
    """One flat colour occupying a share of the picture area (the area inside any bars).

    Attributes:
        rgb: sRGB colour, three ints in 0-255.
        share: Fraction of the picture area, in (0, 1]; the shares of one shot sum to 1.
    """

    rgb: tuple[int, int, int]
    share: float

    def __post_init__(self) -> None:
        if len(self.rgb) != 3 or any(
            not isinstance(c, int | np.integer) or not 0 <= c <= 255 for c in self.rgb
        ):
            raise ValueError(f"rgb must be three ints in 0-255, got {self.rgb!r}")
        if not 0.0 < self.share <= 1.0:
            raise ValueError(f"share must be in (0, 1], got {self.share!r}")


@dataclass(frozen=True)
class Shot:
    """A run of identical frames showing a set of colour regions.

    Attributes:
        regions: The regions, drawn as vertical stripes from left to right.
        frames: Number of frames, at least 1.
    """

    regions: tuple[Region, ...]
    frames: int

    def __post_init__(self) -> None:
        if not self.regions:
            raise ValueError("a shot needs at least one region")
        if self.frames < 1:
            raise ValueError(f"frames must be >= 1, got {self.frames}")
        total = math.fsum(r.share for r in self.regions)
        if abs(total - 1.0) > 1e-6:
            raise ValueError(f"region shares must sum to 1, got {total}")

    @classmethod
    def solid(cls, rgb: tuple[int, int, int], *, frames: int) -> Shot:
        """A shot filled with a single colour.

        Args:
            rgb: sRGB colour, three ints in 0-255.
            frames: Number of frames.

        Returns:
            The shot.

        >>> Shot.solid((1, 2, 3), frames=5).regions
        (Region(rgb=(1, 2, 3), share=1.0),)
        """
        return cls((Region(rgb, 1.0),), frames)

    @classmethod
    def stripes(cls, *rgbs: tuple[int, int, int], frames: int) -> Shot:
        """A shot of equal-width stripes.

        Args:
            *rgbs: sRGB colours, left to right.
            frames: Number of frames.

        Returns:
            The shot.

        >>> [r.share for r in Shot.stripes((0, 0, 0), (9, 9, 9), frames=1).regions]
        [0.5, 0.5]
        """
        return cls(tuple(Region(rgb, 1.0 / len(rgbs)) for rgb in rgbs), frames)


@dataclass(frozen=True)
class Stripe:
    """Where one region of a shot lies in the frame: columns ``[x_start, x_end)``.

    Attributes:
        x_start: First column, in full-frame pixels.
        x_end: One past the last column.
        rgb: The region's sRGB colour.
    """

    x_start: int
    x_end: int
    rgb: tuple[int, int, int]


@dataclass(frozen=True)
class ColorTags:
    """Colour metadata of a video stream, as FFmpeg enum values.

    Attributes:
        colorspace: AVColorSpace (matrix coefficients); 2 is unspecified.
        color_range: AVColorRange; 0 unspecified, 1 limited (MPEG), 2 full (JPEG).
        color_primaries: AVColorPrimaries; 2 is unspecified.
        color_trc: AVColorTransferCharacteristic; 2 is unspecified.
    """

    colorspace: int
    color_range: int
    color_primaries: int
    color_trc: int


@dataclass(frozen=True)
class FilmTruth:
    """Everything `write_film` knows about the film it wrote.

    Attributes:
        path: The file.
        width: Frame width in pixels, bars included.
        height: Frame height in pixels, bars included.
        fps: Frames per second (constant).
        frame_count: Number of frames.
        cuts: 0-based index of the first frame of every shot except the first.
        shots: The shots with their actual pixel shares; inserted black frames are counted in
            the outgoing shot's ``frames``, so the frames sum to ``frame_count``.
        crop: ``(x, y, width, height)`` of the picture inside the bars, or None without bars.
        black_ranges: ``[start, end)`` runs of frames darkened below full level.
        fade_levels: Level of every frame (1 full, 0 black) applied to the picture.
        codec: The `write_film` codec name.
        pix_fmt: The pixel format of the encoded stream.
        matrix: ``"bt709"`` or ``"bt601"``, the matrix used to encode.
        full_range: Whether full-range codes were written.
        tagged: Whether colour tags were written.
    """

    path: Path
    width: int
    height: int
    fps: int
    frame_count: int
    cuts: tuple[int, ...]
    shots: tuple[Shot, ...]
    crop: tuple[int, int, int, int] | None
    black_ranges: tuple[tuple[int, int], ...]
    fade_levels: tuple[float, ...]
    codec: str
    pix_fmt: str
    matrix: str
    full_range: bool
    tagged: bool

    @property
    def duration(self) -> float:
        """Duration in seconds."""
        return self.frame_count / self.fps

    @property
    def picture_box(self) -> tuple[int, int, int, int]:
        """``(x, y, width, height)`` of the picture, the whole frame when there are no bars."""
        return self.crop if self.crop is not None else (0, 0, self.width, self.height)

    def shot_range(self, index: int) -> tuple[int, int]:
        """Frames ``[start, end)`` of a shot, inserted black frames included.

        Args:
            index: Shot index.

        Returns:
            The start and end frame.
        """
        starts = (0, *self.cuts, self.frame_count)
        return starts[index], starts[index + 1]

    def stripes(self, index: int) -> tuple[Stripe, ...]:
        """The columns each region of a shot occupies.

        Args:
            index: Shot index.

        Returns:
            One stripe per region, left to right.
        """
        x0, _, content_width, _ = self.picture_box
        widths = [round(r.share * content_width) for r in self.shots[index].regions]
        edges = np.concatenate([[x0], x0 + np.cumsum(widths)]).tolist()
        return tuple(
            Stripe(int(a), int(b), r.rgb)
            for a, b, r in zip(edges[:-1], edges[1:], self.shots[index].regions, strict=True)
        )


def expected_color_tags(
    *, matrix: str, full_range: bool, tag: bool, codec: str = "ffv1"
) -> ColorTags:
    """The tags a PyAV reader sees on a film `write_film` wrote with these settings.

    Args:
        matrix: ``"bt709"`` or ``"bt601"``.
        full_range: Whether the codes are full range.
        tag: Whether tags were written at all.
        codec: The `write_film` codec name; hevc10, vp9 and prores always carry a range flag
            in the bitstream, so untagged films of theirs read back as limited range.

    Returns:
        The tags a reader should see.

    >>> expected_color_tags(matrix="bt709", full_range=False, tag=True)
    ColorTags(colorspace=1, color_range=1, color_primaries=1, color_trc=1)
    >>> expected_color_tags(matrix="bt601", full_range=True, tag=False)
    ColorTags(colorspace=2, color_range=0, color_primaries=2, color_trc=2)
    >>> expected_color_tags(matrix="bt601", full_range=True, tag=False, codec="vp9")
    ColorTags(colorspace=2, color_range=1, color_primaries=2, color_trc=2)
    """
    _check_matrix(matrix)
    spec = _codec_spec(codec)
    if not tag:
        untagged_range = _RANGE_MPEG if spec.range_always_signalled else _RANGE_UNSPECIFIED
        return ColorTags(_UNSPECIFIED_SPACE, untagged_range, 2, 2)
    code = _MATRIX_TAGS[matrix]
    return ColorTags(code, _RANGE_JPEG if full_range else _RANGE_MPEG, code, code)


def _codec_spec(codec: str) -> _CodecSpec:
    try:
        return _CODECS[codec]
    except KeyError:
        raise ValueError(f"unknown codec {codec!r}; valid: {', '.join(codec_names())}") from None


def read_color_tags(path: Path) -> ColorTags:
    """The colour tags a PyAV decoder reports for a file's first video stream.

    Args:
        path: The video file.

    Returns:
        The tags of ``stream.codec_context``.
    """
    with av.open(str(path)) as container:
        ctx = container.streams.video[0].codec_context
        return ColorTags(
            int(ctx.colorspace), int(ctx.color_range), int(ctx.color_primaries), int(ctx.color_trc)
        )


def _check_matrix(matrix: str) -> tuple[float, float]:
    try:
        return MATRICES[matrix]
    except KeyError:
        raise ValueError(f"unknown matrix {matrix!r}; valid: {', '.join(MATRICES)}") from None


def rgb_to_codes(
    rgb: NDArray[np.floating] | NDArray[np.integer],
    *,
    matrix: str = "bt709",
    full_range: bool = False,
    bits: int = 8,
) -> FloatArray:
    """Encode sRGB levels as Y'CbCr code values, unrounded.

    Args:
        rgb: (..., 3) R'G'B' in 8-bit levels (0-255), any real dtype.
        matrix: ``"bt709"`` or ``"bt601"``.
        full_range: Full-range codes (ITU-T H.273 ``(2^n - 1) E``) instead of limited range
            (Y' 16-235, Cb/Cr 16-240, times ``2^(n-8)``).
        bits: Code bit depth.

    Returns:
        float64 (..., 3) Y', Cb, Cr codes; round and clip them to store them.

    >>> rgb_to_codes(np.array([[0, 0, 0], [255, 255, 255]])).round().tolist()
    [[16.0, 128.0, 128.0], [235.0, 128.0, 128.0]]
    >>> rgb_to_codes(np.array([255, 0, 0]), matrix="bt601", full_range=True).round(1).tolist()
    [76.2, 85.0, 255.5]
    """
    kr, kb = _check_matrix(matrix)
    dtype = np.float32 if np.asarray(rgb).dtype == np.float32 else np.float64
    e: NDArray[np.floating] = np.asarray(rgb, dtype=dtype)
    return signal_to_ycbcr(e / 255.0, kr, kb, full_range=full_range, bits=bits)


def signal_to_ycbcr(
    e: NDArray[np.floating], kr: float, kb: float, *, full_range: bool, bits: int
) -> FloatArray:
    """R'G'B' signal (..., 3) in [0, 1] -> Y', Cb, Cr codes (unrounded) for the matrix with
    luma weights ``kr`` and ``kb`` (ITU-T H.273)."""
    y = kr * e[..., 0] + (1.0 - kr - kb) * e[..., 1] + kb * e[..., 2]
    cb = (e[..., 2] - y) / (2.0 * (1.0 - kb))
    cr = (e[..., 0] - y) / (2.0 * (1.0 - kr))
    if full_range:
        peak = 2.0**bits - 1.0
        mid = 2.0 ** (bits - 1)
        return np.stack([peak * y, peak * cb + mid, peak * cr + mid], axis=-1)
    scale = 2.0 ** (bits - 8)
    return np.stack(
        [(16.0 + 219.0 * y) * scale, (128.0 + 224.0 * cb) * scale, (128.0 + 224.0 * cr) * scale],
        axis=-1,
    )


def codes_to_rgb(
    codes: NDArray[np.floating] | NDArray[np.integer],
    *,
    matrix: str = "bt709",
    full_range: bool = False,
    bits: int = 8,
) -> FloatArray:
    """Decode Y'CbCr code values to sRGB levels; the inverse of `rgb_to_codes`.

    Args:
        codes: (..., 3) Y', Cb, Cr codes.
        matrix: ``"bt709"`` or ``"bt601"``.
        full_range: Whether the codes are full range.
        bits: Code bit depth.

    Returns:
        float64 (..., 3) R'G'B' in 8-bit levels, unclipped (codec overshoot stays visible).

    >>> codes_to_rgb(np.array([16, 128, 128])).round(6).tolist()
    [0.0, 0.0, 0.0]
    >>> codes_to_rgb(rgb_to_codes(np.array([10, 200, 30]))).round(6).tolist()
    [10.0, 200.0, 30.0]
    """
    kr, kb = _check_matrix(matrix)
    return ycbcr_to_signal(codes, kr, kb, full_range=full_range, bits=bits) * 255.0


def ycbcr_to_signal(
    codes: NDArray[np.floating] | NDArray[np.integer],
    kr: float,
    kb: float,
    *,
    full_range: bool,
    bits: int,
) -> FloatArray:
    """Y', Cb, Cr codes (..., 3) -> R'G'B' signal (1.0 = peak), unclipped; the inverse of
    `signal_to_ycbcr`."""
    c = np.asarray(codes, dtype=np.float64)
    if full_range:
        peak = 2.0**bits - 1.0
        mid = 2.0 ** (bits - 1)
        y, cb, cr = c[..., 0] / peak, (c[..., 1] - mid) / peak, (c[..., 2] - mid) / peak
    else:
        scale = 2.0 ** (bits - 8)
        y = (c[..., 0] / scale - 16.0) / 219.0
        cb = (c[..., 1] / scale - 128.0) / 224.0
        cr = (c[..., 2] / scale - 128.0) / 224.0
    r = y + 2.0 * (1.0 - kr) * cr
    b = y + 2.0 * (1.0 - kb) * cb
    g = (y - kr * r - kb * b) / (1.0 - kr - kb)
    return np.stack([r, g, b], axis=-1)


_NEIGHBOURS: Final = np.array(
    [(dy, db, dr) for dy in (-1, 0, 1) for db in (-1, 0, 1) for dr in (-1, 0, 1)], dtype=np.float64
)


def nearest_codes(
    rgb: NDArray[np.floating] | NDArray[np.integer],
    *,
    matrix: str = "bt709",
    full_range: bool = False,
    bits: int = 8,
) -> FloatArray:
    """The integer Y'CbCr codes whose decoded colour is nearest to a flat sRGB colour.

    Plain rounding of each code can miss by 1.6 levels in 8-bit limited range; this searches
    the 27 code triples around the rounded one for the smallest largest-channel error. Even so
    the 8-bit code lattice cannot hit every colour within 1 level: over all sRGB colours the
    worst case is 1.06 levels (BT.709 limited), 1.19 (BT.601 limited), 1.00 (BT.709 full) and
    1.03 (BT.601 full).

    Args:
        rgb: (..., 3) R'G'B' targets in 8-bit levels (may be fractional).
        matrix: ``"bt709"`` or ``"bt601"``.
        full_range: Whether the codes are full range.
        bits: Code bit depth.

    Returns:
        float64 (..., 3) integral Y', Cb, Cr codes within the legal ``[0, 2^bits - 1]``.

    >>> nearest_codes(np.array([0, 0, 0])).tolist()
    [16.0, 128.0, 128.0]
    >>> nearest_codes(np.array([20, 180, 40])).tolist()
    [133.0, 82.0, 63.0]
    """
    target = np.asarray(rgb, dtype=np.float64)
    base = np.rint(rgb_to_codes(target, matrix=matrix, full_range=full_range, bits=bits))
    candidates = np.clip(base[..., np.newaxis, :] + _NEIGHBOURS, 0.0, 2.0**bits - 1.0)
    decoded = codes_to_rgb(candidates, matrix=matrix, full_range=full_range, bits=bits)
    error = np.abs(decoded - target[..., np.newaxis, :]).max(axis=-1)
    best = np.argmin(error, axis=-1)
    return np.take_along_axis(candidates, best[..., np.newaxis, np.newaxis], axis=-2)[..., 0, :]


def encoded_rgb(
    rgb: tuple[int, int, int], *, matrix: str = "bt709", full_range: bool = False, bits: int = 8
) -> tuple[float, float, float]:
    """The colour a lossless decode of a flat region written by `write_film` gives back.

    Args:
        rgb: The requested sRGB colour.
        matrix: ``"bt709"`` or ``"bt601"``.
        full_range: Whether the codes are full range.
        bits: Code bit depth.

    Returns:
        R'G'B' in 8-bit levels, unrounded.

    >>> [round(c, 2) for c in encoded_rgb((20, 180, 40))]
    [19.7, 180.68, 39.06]
    """
    codes = nearest_codes(np.asarray(rgb), matrix=matrix, full_range=full_range, bits=bits)
    r, g, b = codes_to_rgb(codes, matrix=matrix, full_range=full_range, bits=bits).tolist()
    return (r, g, b)


def _stripe_edges(shares: Sequence[float], x0: int, width: int) -> list[int]:
    """Absolute stripe edges: inner edges rounded to even columns, outer ones the picture's."""
    cumulative = np.cumsum(np.asarray(shares, dtype=np.float64))
    edges = [x0]
    for fraction in cumulative[:-1]:
        edges.append(2 * math.floor((x0 + fraction * width) / 2.0 + 0.5))
    edges.append(x0 + width)
    if any(b <= a for a, b in itertools.pairwise(edges)):
        raise ValueError(
            f"a region is too narrow for a {width}-pixel picture (edges {edges}); "
            "each needs at least one pair of columns"
        )
    return edges


@dataclass(frozen=True)
class _Layout:
    """Pixel geometry shared by every frame of a film."""

    width: int
    height: int
    x0: int
    y0: int
    content_width: int
    content_height: int
    bits: int
    sub_x: int
    sub_y: int


def _downsample(plane: NDArray[np.floating], sub_x: int, sub_y: int) -> NDArray[np.floating]:
    """Average non-overlapping ``sub_y x sub_x`` blocks (1 or 2 each way) of a float plane."""
    if sub_x == 2:
        plane = (plane[:, 0::2] + plane[:, 1::2]) * 0.5
    if sub_y == 2:
        plane = (plane[0::2] + plane[1::2]) * 0.5
    return plane


def _planes_from_codes(
    codes: NDArray[np.floating], layout: _Layout
) -> list[NDArray[np.unsignedinteger]]:
    """(H, W, 3) Y'CbCr codes -> [Y, Cb, Cr] integer planes, chroma averaged before rounding."""
    peak = 2**layout.bits - 1
    dtype = np.uint8 if layout.bits == 8 else np.uint16
    planes = [np.clip(np.rint(codes[..., 0]), 0, peak).astype(dtype)]
    for channel in (1, 2):
        chroma = _downsample(codes[..., channel], layout.sub_x, layout.sub_y)
        planes.append(np.clip(np.rint(chroma), 0, peak).astype(dtype))
    return planes


def _frame_from_planes(
    planes: Sequence[NDArray[np.unsignedinteger]], pix_fmt: str
) -> av.VideoFrame:
    """Build a frame by copying each plane into FFmpeg's (padded) plane buffer, no conversion."""
    height, width = planes[0].shape
    frame = av.VideoFrame(width, height, pix_fmt)
    for plane, data in zip(frame.planes, planes, strict=True):
        itemsize = data.dtype.itemsize
        padded = np.zeros((plane.height, plane.line_size // itemsize), dtype=data.dtype)
        padded[:, : plane.width] = data
        plane.update(padded.astype(data.dtype.newbyteorder("<"), copy=False).tobytes())
    return frame


@dataclass(frozen=True)
class _FramePlan:
    """What frame ``i`` shows: a shot (or None for inserted black) at a level."""

    shot: int | None
    level: float


def _plan_frames(
    shots: Sequence[Shot], fade_frames: int, black_frames: int
) -> tuple[list[_FramePlan], list[int]]:
    """Per-frame plan and the shot start frames (the cuts)."""
    plan: list[_FramePlan] = []
    cuts: list[int] = []
    last = len(shots) - 1
    for index, shot in enumerate(shots):
        fade_in = fade_frames if index > 0 else 0
        fade_out = fade_frames if index < last else 0
        if shot.frames < fade_in + fade_out + 1:
            raise ValueError(
                f"shot {index} has {shot.frames} frames; with fade_frames={fade_frames} it "
                f"needs at least {fade_in + fade_out + 1} to keep one frame at full level"
            )
        if index > 0:
            cuts.append(len(plan))
        for k in range(shot.frames):
            if k < fade_in:
                level = k / fade_in
            elif k >= shot.frames - fade_out:
                level = (shot.frames - 1 - k) / fade_out
            else:
                level = 1.0
            plan.append(_FramePlan(index, level))
        if index < last:
            plan.extend(_FramePlan(None, 0.0) for _ in range(black_frames))
    return plan, cuts


def _dark_runs(levels: Sequence[float]) -> tuple[tuple[int, int], ...]:
    runs: list[tuple[int, int]] = []
    start: int | None = None
    for i, level in enumerate([*levels, 1.0]):
        if level < 1.0 and start is None:
            start = i
        elif level >= 1.0 and start is not None:
            runs.append((start, i))
            start = None
    return tuple(runs)


def _validate(
    path: Path,
    shots: Sequence[Shot],
    *,
    width: int,
    height: int,
    fps: int,
    codec: str,
    pix_fmt: str,
    full_range: bool,
    bars: tuple[int, int],
    fade_frames: int,
    black_frames: int,
    noise: float,
) -> _CodecSpec:
    spec = _codec_spec(codec)
    if full_range and not spec.full_range_ok:
        raise ValueError(f"codec {codec!r} cannot signal full range")
    if pix_fmt not in spec.pix_fmts:
        raise ValueError(
            f"codec {codec!r} takes pix_fmt {', '.join(spec.pix_fmts)}, not {pix_fmt!r}"
        )
    if path.suffix.lower() not in spec.suffixes:
        raise ValueError(f"codec {codec!r} needs a {'/'.join(spec.suffixes)} file, got {path.name}")
    if not shots:
        raise ValueError("a film needs at least one shot")
    if width < 2 or height < 2 or fps < 1:
        raise ValueError(f"bad geometry/rate: {width}x{height} at {fps} fps")
    _, sub_x, sub_y = PIXEL_FORMATS[pix_fmt]
    if width % sub_x or height % sub_y:
        raise ValueError(f"{pix_fmt} needs width % {sub_x} == 0 and height % {sub_y} == 0")
    top, side = bars
    if top < 0 or side < 0 or 2 * top >= height or 2 * side >= width:
        raise ValueError(f"bars {bars} leave no picture in {width}x{height}")
    if fade_frames < 0 or black_frames < 0 or noise < 0:
        raise ValueError("fade_frames, black_frames and noise must be >= 0")
    return spec


def _encode(
    path: Path,
    pictures: Iterable[Sequence[NDArray[np.unsignedinteger]]],
    *,
    spec: _CodecSpec,
    width: int,
    height: int,
    fps: int,
    pix_fmt: str,
    tags: ColorTags | None,
) -> None:
    """Encode one frame per picture (its Y, Cb, Cr planes) at pts = index, time base 1/fps."""
    with av.open(str(path), mode="w") as container:
        stream = container.add_stream(spec.encoder, rate=fps, options=dict(spec.options))
        if not isinstance(stream, av.VideoStream):
            raise TypeError(f"{spec.encoder} did not give a video stream")
        stream.width = width
        stream.height = height
        stream.pix_fmt = pix_fmt
        stream.time_base = Fraction(1, fps)
        ctx = stream.codec_context
        ctx.time_base = Fraction(1, fps)
        if tags is not None:  # only these codec-context tags reach the file
            ctx.colorspace = tags.colorspace
            ctx.color_range = tags.color_range
            ctx.color_primaries = tags.color_primaries
            ctx.color_trc = tags.color_trc
        for index, planes in enumerate(pictures):
            frame = _frame_from_planes(planes, pix_fmt)
            frame.pts = index
            frame.time_base = Fraction(1, fps)
            if tags is not None:
                frame.colorspace = tags.colorspace
                frame.color_range = tags.color_range
                frame.color_primaries = tags.color_primaries
                frame.color_trc = tags.color_trc
            container.mux(stream.encode(frame))
        container.mux(stream.encode(None))


def write_film(
    path: Path,
    shots: Sequence[Shot],
    *,
    width: int = 320,
    height: int = 180,
    fps: int = 24,
    codec: str = "ffv1",
    matrix: str = "bt709",
    full_range: bool = False,
    tag: bool = True,
    bars: tuple[int, int] = (0, 0),
    fade_frames: int = 0,
    black_frames: int = 0,
    noise: float = 0.0,
    seed: int = 0,
    pix_fmt: str | None = None,
) -> FilmTruth:
    """Write a film of flat-colour shots and return its ground truth.

    Args:
        path: Output file; its suffix must suit the codec (``.mkv`` for ffv1; ``.mp4``,
            ``.mkv`` or ``.mov`` for h264 and hevc10; ``.webm`` or ``.mkv`` for vp9; ``.mov``
            or ``.mkv`` for prores).
        shots: The shots, in order.
        width: Frame width including bars.
        height: Frame height including bars.
        fps: Constant frame rate.
        codec: ``"ffv1"`` (lossless), ``"h264"`` (libx264 crf 17 veryfast, default GOP),
            ``"hevc10"`` (libx265 crf 18 ultrafast), ``"vp9"`` (libvpx-vp9 crf 20 realtime,
            yuv420p only) or ``"prores"`` (prores_ks, limited range only).
        matrix: Y'CbCr matrix used to encode, ``"bt709"`` or ``"bt601"``.
        full_range: Write full-range instead of limited-range codes.
        tag: Write matrix, range, primaries and transfer tags; False leaves them unspecified.
        bars: ``(top_bottom, left_right)`` widths in pixels of pure black bars.
        fade_frames: Frames of fade-out before and fade-in after each cut, inside the shots.
        black_frames: Pure black frames inserted after every shot but the last, counted in
            the outgoing shot.
        noise: Standard deviation, in 8-bit RGB levels, of gaussian noise added to the picture
            of every frame.
        seed: Seed of the noise generator.
        pix_fmt: Encoded pixel format; None picks the codec's default (``yuv420p``, or
            ``yuv420p10le`` for hevc10 and ``yuv422p10le`` for prores).

    Returns:
        The film's ground truth.

    Raises:
        ValueError: On an unknown codec or matrix, an unsupported pixel format or suffix, odd
            dimensions for the chroma subsampling, bars that leave no picture, shots too short
            for their fades, regions too narrow for their stripes, or full range with prores.
    """
    path = Path(path)
    _check_matrix(matrix)
    if pix_fmt is None:
        pix_fmt = {"hevc10": "yuv420p10le", "prores": "yuv422p10le"}.get(codec, "yuv420p")
    spec = _validate(
        path,
        shots,
        width=width,
        height=height,
        fps=fps,
        codec=codec,
        pix_fmt=pix_fmt,
        full_range=full_range,
        bars=bars,
        fade_frames=fade_frames,
        black_frames=black_frames,
        noise=noise,
    )
    bits, sub_x, sub_y = PIXEL_FORMATS[pix_fmt]
    top, side = bars
    layout = _Layout(
        width, height, side, top, width - 2 * side, height - 2 * top, bits, sub_x, sub_y
    )

    # Per-shot stripes: one row of colours for the picture, and the actual shares.
    rows: list[FloatArray] = []
    truth_shots: list[Shot] = []
    last = len(shots) - 1
    for index, shot in enumerate(shots):
        edges = _stripe_edges([r.share for r in shot.regions], layout.x0, layout.content_width)
        row = np.empty((layout.content_width, 3), dtype=np.float64)
        regions = []
        for region, a, b in zip(shot.regions, edges[:-1], edges[1:], strict=True):
            row[a - layout.x0 : b - layout.x0] = region.rgb
            regions.append(replace(region, share=(b - a) / layout.content_width))
        rows.append(row)
        extra = black_frames if index < last else 0
        truth_shots.append(Shot(tuple(regions), shot.frames + extra))

    plan, cuts = _plan_frames(shots, fade_frames, black_frames)
    rng = np.random.default_rng(seed)
    black = nearest_codes(np.zeros(3), matrix=matrix, full_range=full_range, bits=bits)
    canvas = np.empty((height, width, 3), dtype=np.float32)  # codes <= 4095: exact in float32
    canvas[...] = black
    picture = canvas[top : height - top, side : width - side]
    cache: dict[tuple[int, float], list[NDArray[np.unsignedinteger]]] = {}

    def planes_for(step: _FramePlan) -> list[NDArray[np.unsignedinteger]]:
        shot = -1 if step.shot is None or step.level == 0 else step.shot
        noisy = noise > 0 and shot >= 0
        key = (shot, step.level if shot >= 0 else 0.0)
        if not noisy and key in cache:
            return cache[key]
        if shot < 0:
            picture[...] = black
        elif noisy:
            grain = rng.standard_normal(size=picture.shape, dtype=np.float32)
            rgb = rows[shot].astype(np.float32) + grain * np.float32(noise)
            rgb = np.clip(rgb, 0.0, 255.0) * np.float32(step.level)
            picture[...] = rgb_to_codes(rgb, matrix=matrix, full_range=full_range, bits=bits)
        else:
            target = rows[shot] * step.level
            picture[...] = nearest_codes(target, matrix=matrix, full_range=full_range, bits=bits)
        planes = _planes_from_codes(canvas, layout)
        if not noisy:
            cache[key] = planes
        return planes

    tags = expected_color_tags(matrix=matrix, full_range=full_range, tag=True) if tag else None
    path.parent.mkdir(parents=True, exist_ok=True)
    _encode(
        path,
        (planes_for(step) for step in plan),
        spec=spec,
        width=width,
        height=height,
        fps=fps,
        pix_fmt=pix_fmt,
        tags=tags,
    )

    levels = tuple(step.level for step in plan)
    crop = None if bars == (0, 0) else (side, top, layout.content_width, layout.content_height)
    return FilmTruth(
        path=path,
        width=width,
        height=height,
        fps=fps,
        frame_count=len(plan),
        cuts=tuple(cuts),
        shots=tuple(truth_shots),
        crop=crop,
        black_ranges=_dark_runs(levels),
        fade_levels=levels,
        codec=codec,
        pix_fmt=pix_fmt,
        matrix=matrix,
        full_range=full_range,
        tagged=tag,
    )


def _plane_array(
    plane: av.video.plane.VideoPlane, dtype: np.dtype[np.unsignedinteger]
) -> NDArray[np.unsignedinteger]:
    """A decoded plane as a (height, width) array, line padding dropped."""
    buffer = np.frombuffer(memoryview(plane), dtype=dtype)
    return buffer.reshape(plane.height, plane.line_size // dtype.itemsize)[:, : plane.width]


def iter_rgb_frames(
    path: Path, *, matrix: str | None = None, full_range: bool | None = None
) -> Iterator[NDArray[np.float32]]:
    """Decode a film to RGB with this module's own inverse matrix (no swscale).

    Chroma is upsampled by repetition; the raw Y'CbCr planes of each frame come straight from
    the decoder's buffers.

    Args:
        path: The video file.
        matrix: Matrix to decode with; None reads it from the stream's tags.
        full_range: Range to decode with; None reads it from the stream's tags.

    Yields:
        float32 (H, W, 3) RGB in 8-bit levels, unclipped, one per frame in display order.

    Raises:
        ValueError: If the matrix or range is untagged and not given, or the pixel format is
            not one of `PIXEL_FORMATS`.
    """
    with av.open(str(path)) as container:
        stream = container.streams.video[0]
        ctx = stream.codec_context
        if matrix is None:
            by_tag = {code: name for name, code in _MATRIX_TAGS.items()} | {5: "bt601"}
            if ctx.colorspace not in by_tag:
                raise ValueError(f"{path}: matrix untagged ({ctx.colorspace}); pass matrix=")
            matrix = by_tag[int(ctx.colorspace)]
        if full_range is None:
            if ctx.color_range not in (_RANGE_MPEG, _RANGE_JPEG):
                raise ValueError(f"{path}: range untagged; pass full_range=")
            full_range = ctx.color_range == _RANGE_JPEG
        for frame in container.decode(stream):
            name = frame.format.name
            if name not in PIXEL_FORMATS:
                raise ValueError(f"{path}: cannot decode pixel format {name!r}")
            bits, sub_x, sub_y = PIXEL_FORMATS[name]
            dtype = np.dtype(np.uint8) if bits == 8 else np.dtype("<u2")
            y, cb, cr = (_plane_array(p, dtype) for p in frame.planes)
            codes = np.empty((frame.height, frame.width, 3), dtype=np.float64)
            codes[..., 0] = y
            for channel, plane in ((1, cb), (2, cr)):
                codes[..., channel] = np.repeat(np.repeat(plane, sub_y, axis=0), sub_x, axis=1)
            rgb = codes_to_rgb(codes, matrix=matrix, full_range=full_range, bits=bits)
            yield rgb.astype(np.float32)


def decode_rgb_frames(
    path: Path, *, matrix: str | None = None, full_range: bool | None = None
) -> list[NDArray[np.float32]]:
    """All frames of a film as RGB; see `iter_rgb_frames`.

    Args:
        path: The video file.
        matrix: Matrix to decode with; None reads it from the stream's tags.
        full_range: Range to decode with; None reads it from the stream's tags.

    Returns:
        float32 (H, W, 3) RGB frames in 8-bit levels, unclipped.
    """
    return list(iter_rgb_frames(path, matrix=matrix, full_range=full_range))
