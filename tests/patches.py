"""Patch films: one flat, known sRGB colour per scene, for colour-accuracy tests.

    from patches import CASES, write_patch_film

    truth = write_patch_film(tmp_path / CASES["a"].filename, CASES["a"])
    truth.colors[2]      # the sRGB colour every pixel of scene 2 stands for
    truth.codes[2]       # the Y'CbCr code triple written for it

Every frame of scene ``i`` is the flat colour ``case.colors[i]``; scenes follow each other with
hard cuts, ``case.frames`` frames each (PySceneDetect's default minimum scene length is 15). The
colours of neighbouring scenes differ in brightness or saturation, not only in hue: the
ContentDetector does not see a pure hue change (shared/FACTS.md).

The sRGB -> Y'CbCr chain is done here in numpy, never by swscale, with the published constants:

* SDR: the sRGB values are the R'G'B' signal (BT.709-coded SDR is shown as sRGB, as players
  do), then Y'CbCr with (Kr, Kb) = BT.709 (0.2126, 0.0722) or BT.601 (0.299, 0.114).
* HDR10 (PQ): sRGB -> linear BT.709 -> linear BT.2020 (ITU-R BT.2087, the matrix derived here
  from the primaries and D65) -> x 203 cd/m2 (ITU-R BT.2408 HDR reference white) -> SMPTE ST 2084
  inverse EOTF -> R'G'B' -> Y'CbCr BT.2020 (Kr 0.2627, Kb 0.0593).
* HLG: the same display light (SDR colour x 203 cd/m2, BT.2020 primaries) pushed back through
  the ITU-R BT.2100 HLG reference display for a 1000 cd/m2 peak (system gamma 1.2): inverse
  OOTF, then the HLG OETF. HLG reference white (75 % signal) then lands on 203 cd/m2.

Codes: the (Y', Cb, Cr) triple among the 27 around the rounded one whose decoded signal is
nearest (largest-channel error) to the target. Limited range is ``(16 + 219 Y') 2^(n-8)``,
``(128 + 224 C) 2^(n-8)``; full range ``(2^n - 1) Y'`` and ``(2^n - 1) C + 2^(n-1)``
(ITU-T H.273). Frames are built by filling each plane of an `av.VideoFrame` in its own pixel
format, so the encoder receives exactly these codes.

HDR colours stay below 0.9 in linear BT.709 (every channel at most 230 in sRGB), so a tone mapper
that keeps light at or below 0.9 x 203 cd/m2 unchanged must give them back exactly.

Measured with PyAV 18.1 (FFmpeg 8), reopening the written files:

* libx264 takes the codec-context tags (``colorspace``, ``color_range``, ``color_primaries``,
  ``color_trc``) into the SPS VUI; a full-range tagged ``yuv420p`` stream decodes as
  ``yuvj420p``. libx265 takes them too, PQ (16) and HLG (18) included; the ``x265-params`` given
  for the HDR cases say the same thing again.
* ``flags="+ilme+ildct"`` makes libx264 code interlaced (field order top first): decoded frames
  report ``interlaced_frame`` True and the codec context ``field_order`` 2 (TT).
* libx264 accepts ``yuv444p`` at odd sizes such as 321x241 (High 4:4:4 Predictive).
* Without tags, libx264 writes no colour description: all four read back unspecified.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path
from typing import Any, Final

import av
import numpy as np
from films import ColorTags, signal_to_ycbcr, ycbcr_to_signal
from numpy.typing import NDArray

__all__ = [
    "BT709_TO_BT2020",
    "CASES",
    "KR_KB",
    "PatchCase",
    "PatchTruth",
    "codes_to_signal",
    "decoded_colors",
    "frames_are_interlaced",
    "hlg_nits_from_signal",
    "hlg_signal_from_nits",
    "nearest_codes",
    "patch_codes",
    "patch_frame_ranges",
    "pq_nits_from_signal",
    "pq_signal_from_nits",
    "raw_patch_codes",
    "signal_for",
    "signal_to_codes",
    "srgb_from_signal",
    "write_patch_film",
]

FloatArray = NDArray[np.float64]
RGB = tuple[int, int, int]

#: (Kr, Kb) of each Y'CbCr matrix: ITU-R BT.709, BT.601, BT.2020 (non-constant luminance).
KR_KB: Final[dict[str, tuple[float, float]]] = {
    "bt709": (0.2126, 0.0722),
    "bt601": (0.299, 0.114),
    "bt2020": (0.2627, 0.0593),
}

REFERENCE_WHITE_NITS: Final = 203.0
"""ITU-R BT.2408: HDR reference white, where SDR 100 % is placed."""

HLG_PEAK_NITS: Final = 1000.0
"""Nominal peak of the HLG reference display the HLG films are made for."""


def _rgb_to_xyz(primaries: Sequence[tuple[float, float]]) -> FloatArray:
    """Linear RGB -> XYZ for chromaticities ``primaries`` (R, G, B) and a D65 white, Y(white) 1."""
    white = np.array([0.3127 / 0.3290, 1.0, (1.0 - 0.3127 - 0.3290) / 0.3290])
    xyz = np.array([[x / y, 1.0, (1.0 - x - y) / y] for x, y in primaries]).T
    return xyz * np.linalg.solve(xyz, white)


#: ITU-R BT.2087: linear BT.709 RGB -> linear BT.2020 RGB, from the two sets of primaries.
BT709_TO_BT2020: Final[FloatArray] = np.asarray(
    np.linalg.solve(
        _rgb_to_xyz([(0.708, 0.292), (0.170, 0.797), (0.131, 0.046)]),
        _rgb_to_xyz([(0.640, 0.330), (0.300, 0.600), (0.150, 0.060)]),
    ),
    dtype=np.float64,
)

# Every channel <= 230 so that HDR films stay below 0.9 in linear BT.709 (no highlight roll-off).
# Neighbours differ in brightness or saturation, not only hue.
SIX_COLORS: Final[tuple[RGB, ...]] = (
    (200, 45, 40),  # saturated red
    (40, 70, 160),  # darker blue
    (225, 205, 120),  # light, pale yellow
    (35, 105, 55),  # dark green
    (165, 165, 165),  # neutral grey
    (120, 60, 150),  # purple
)

_H264: Final = (("crf", "12"), ("preset", "veryfast"))
_H265_SDR: Final = (("crf", "12"), ("preset", "ultrafast"), ("x265-params", "log-level=error"))
_BT709_LIMITED: Final = ColorTags(colorspace=1, color_range=1, color_primaries=1, color_trc=1)


def _h265_hdr(transfer: str) -> tuple[tuple[str, str], ...]:
    params = f"log-level=error:colorprim=bt2020:transfer={transfer}:colormatrix=bt2020nc"
    return (("crf", "12"), ("preset", "ultrafast"), ("x265-params", f"{params}:range=limited"))


@dataclass(frozen=True)
class PatchCase:
    """How one patch film is made.

    Attributes:
        key: Short id, ``"a"`` ... ``"i"``.
        name: File stem.
        title: One-line description, for tables.
        colors: sRGB colour of each scene, in order.
        frames: Frames per scene.
        width: Frame width.
        height: Frame height.
        fps: Constant frame rate.
        encoder: FFmpeg encoder name.
        pix_fmt: Pixel format the planes are written in.
        matrix: Y'CbCr matrix used to encode (a `KR_KB` key).
        full_range: Full-range codes instead of limited range.
        transfer: ``"sdr"``, ``"pq"`` or ``"hlg"``: how sRGB becomes the R'G'B' signal.
        tags: Colour tags written, or None to leave the stream untagged.
        options: Encoder options.
        interlaced: Whether the encoder codes fields (checked on decoded frames).
        suffix: File suffix (container).
    """

    key: str
    name: str
    title: str
    colors: tuple[RGB, ...] = SIX_COLORS
    frames: int = 20
    width: int = 320
    height: int = 180
    fps: int = 24
    encoder: str = "libx264"
    pix_fmt: str = "yuv420p"
    matrix: str = "bt709"
    full_range: bool = False
    transfer: str = "sdr"
    tags: ColorTags | None = _BT709_LIMITED
    options: tuple[tuple[str, str], ...] = _H264
    interlaced: bool = False
    suffix: str = ".mp4"

    @property
    def bits(self) -> int:
        """Code bit depth of `pix_fmt`."""
        return 10 if "p10" in self.pix_fmt else 8

    @property
    def filename(self) -> str:
        """``name`` plus ``suffix``."""
        return self.name + self.suffix

    @property
    def frame_count(self) -> int:
        """Frames in the film."""
        return self.frames * len(self.colors)

    @property
    def cuts(self) -> tuple[int, ...]:
        """First frame of every scene but the first."""
        return tuple(self.frames * i for i in range(1, len(self.colors)))


CASES: Final[dict[str, PatchCase]] = {
    case.key: case
    for case in (
        PatchCase("a", "a_bt709_limited", "BT.709 limited, tagged, H.264 8-bit"),
        PatchCase(
            "b",
            "b_bt709_untagged_1080p",
            "BT.709 untagged 1920x1080, H.264 8-bit",
            colors=SIX_COLORS[:4],
            frames=16,
            width=1920,
            height=1080,
            tags=None,
            options=(("crf", "12"), ("preset", "ultrafast")),
        ),
        PatchCase(
            "c",
            "c_bt601_sd",
            "BT.601 tagged 640x480, H.264 8-bit",
            width=640,
            height=480,
            matrix="bt601",
            tags=ColorTags(colorspace=6, color_range=1, color_primaries=6, color_trc=6),
        ),
        PatchCase(
            "d",
            "d_bt709_full",
            "BT.709 full range, tagged, H.264 8-bit",
            full_range=True,
            tags=ColorTags(colorspace=1, color_range=2, color_primaries=1, color_trc=1),
        ),
        PatchCase(
            "e",
            "e_hevc10_bt709",
            "BT.709 limited, HEVC 10-bit",
            encoder="libx265",
            pix_fmt="yuv420p10le",
            options=_H265_SDR,
        ),
        PatchCase(
            "f",
            "f_hdr10_pq",
            "HDR10: PQ, BT.2020, HEVC 10-bit",
            encoder="libx265",
            pix_fmt="yuv420p10le",
            matrix="bt2020",
            transfer="pq",
            tags=ColorTags(colorspace=9, color_range=1, color_primaries=9, color_trc=16),
            options=_h265_hdr("smpte2084"),
        ),
        PatchCase(
            "g",
            "g_hlg",
            "HLG, BT.2020, HEVC 10-bit",
            encoder="libx265",
            pix_fmt="yuv420p10le",
            matrix="bt2020",
            transfer="hlg",
            tags=ColorTags(colorspace=9, color_range=1, color_primaries=9, color_trc=18),
            options=_h265_hdr("arib-std-b67"),
        ),
        PatchCase(
            "h",
            "h_interlaced",
            "interlaced (TFF) H.264, BT.709 tagged",
            interlaced=True,
            options=(*_H264, ("flags", "+ilme+ildct")),
        ),
        PatchCase(
            "j",
            "j_bt2020_sdr",
            "BT.2020 SDR (BT.2020 primaries and matrix), HEVC 10-bit",
            encoder="libx265",
            pix_fmt="yuv420p10le",
            matrix="bt2020",
            transfer="sdr2020",
            tags=ColorTags(colorspace=9, color_range=1, color_primaries=9, color_trc=14),
            options=_h265_hdr("bt2020-10"),
        ),
        PatchCase(
            "k",
            "k_prores4444_alpha",
            "ProRes 4444 with alpha (yuva444p10le), BT.709 tagged",
            encoder="prores_ks",
            pix_fmt="yuva444p10le",
            options=(("profile", "4"),),
            suffix=".mov",
        ),
        PatchCase(
            "i",
            "i_yuv444_odd",
            "yuv444p 321x241, H.264 High 4:4:4, BT.709 tagged",
            width=321,
            height=241,
            pix_fmt="yuv444p",
        ),
    )
}


@dataclass(frozen=True)
class PatchTruth:
    """What `write_patch_film` wrote.

    Attributes:
        path: The file.
        case: The recipe.
        signals: R'G'B' signal in [0, 1] of each scene's colour, before quantising.
        codes: The integer (Y', Cb, Cr) codes written for each scene.
    """

    path: Path
    case: PatchCase
    signals: tuple[tuple[float, float, float], ...]
    codes: tuple[tuple[int, int, int], ...] = field(repr=False)

    @property
    def colors(self) -> tuple[RGB, ...]:
        """The true sRGB colour of each scene."""
        return self.case.colors

    @property
    def cuts(self) -> tuple[int, ...]:
        """First frame of every scene but the first."""
        return self.case.cuts

    def decoded_colors(self) -> list[tuple[float, float, float]]:
        """See `decoded_colors`."""
        return decoded_colors(self.case, self.codes)


def pq_signal_from_nits(nits: FloatArray) -> FloatArray:
    """SMPTE ST 2084 inverse EOTF: luminance in cd/m2 -> PQ signal in [0, 1].

    >>> [round(float(v), 4) for v in pq_signal_from_nits(np.array([0.0, 203.0, 10000.0]))]
    [0.0, 0.5807, 1.0]
    """
    m1, m2 = 2610 / 16384, 2523 / 4096 * 128
    c1, c2, c3 = 3424 / 4096, 2413 / 4096 * 32, 2392 / 4096 * 32
    y = np.clip(np.asarray(nits, dtype=np.float64) / 10000.0, 0.0, 1.0) ** m1
    return np.asarray(((c1 + c2 * y) / (1.0 + c3 * y)) ** m2, dtype=np.float64)


def hlg_signal_from_nits(nits: FloatArray, *, peak_nits: float = HLG_PEAK_NITS) -> FloatArray:
    """ITU-R BT.2100 HLG: display light (BT.2020 RGB, cd/m2) -> HLG signal in [0, 1].

    Inverse OOTF of a reference display with nominal peak ``peak_nits`` (system gamma
    ``1.2 + 0.42 log10(peak / 1000)``), then the HLG OETF.

    >>> np.round(hlg_signal_from_nits(np.array([203.0, 203.0, 203.0])), 3).tolist()
    [0.75, 0.75, 0.75]
    """
    a, b, c = 0.17883277, 0.28466892, 0.55991073
    light = np.asarray(nits, dtype=np.float64)
    gamma = 1.2 + 0.42 * np.log10(peak_nits / 1000.0)
    kr, kb = KR_KB["bt2020"]
    y_display = light @ np.array([kr, 1.0 - kr - kb, kb])
    y_scene = np.maximum(y_display / peak_nits, 1e-12) ** (1.0 / gamma)
    scene = np.clip(light / (peak_nits * y_scene[..., None] ** (gamma - 1.0)), 0.0, 1.0)
    safe = np.maximum(12.0 * scene - b, 1e-12)
    return np.asarray(
        np.where(scene <= 1.0 / 12.0, np.sqrt(3.0 * scene), a * np.log(safe) + c), dtype=np.float64
    )


def pq_nits_from_signal(signal: FloatArray) -> FloatArray:
    """SMPTE ST 2084 EOTF: PQ signal in [0, 1] -> luminance in cd/m2.

    >>> [round(float(v), 1) for v in pq_nits_from_signal(np.array([0.0, 0.58069, 1.0]))]
    [0.0, 203.0, 10000.0]
    """
    m1, m2 = 2610 / 16384, 2523 / 4096 * 128
    c1, c2, c3 = 3424 / 4096, 2413 / 4096 * 32, 2392 / 4096 * 32
    e = np.clip(np.asarray(signal, dtype=np.float64), 0.0, 1.0) ** (1.0 / m2)
    return np.asarray(
        10000.0 * (np.maximum(e - c1, 0.0) / (c2 - c3 * e)) ** (1.0 / m1), dtype=np.float64
    )


def hlg_nits_from_signal(signal: FloatArray, *, peak_nits: float = HLG_PEAK_NITS) -> FloatArray:
    """ITU-R BT.2100 HLG: signal (BT.2020 RGB) -> display light in cd/m2 (inverse OETF, OOTF).

    >>> np.round(hlg_nits_from_signal(np.array([0.75, 0.75, 0.75]))).tolist()
    [203.0, 203.0, 203.0]
    """
    a, b, c = 0.17883277, 0.28466892, 0.55991073
    e = np.clip(np.asarray(signal, dtype=np.float64), 0.0, 1.0)
    scene = np.where(e <= 0.5, e**2 / 3.0, (np.exp((e - c) / a) + b) / 12.0)
    gamma = 1.2 + 0.42 * np.log10(peak_nits / 1000.0)
    kr, kb = KR_KB["bt2020"]
    y_scene = scene @ np.array([kr, 1.0 - kr - kb, kb])
    return np.asarray(peak_nits * y_scene[..., None] ** (gamma - 1.0) * scene, dtype=np.float64)


def _srgb_to_linear(srgb: FloatArray) -> FloatArray:
    return np.where(srgb <= 0.04045, srgb / 12.92, ((srgb + 0.055) / 1.055) ** 2.4)


def _linear_to_srgb(linear: FloatArray) -> FloatArray:
    c = np.clip(linear, 0.0, 1.0)
    return np.where(c <= 0.0031308, c * 12.92, 1.055 * c ** (1 / 2.4) - 0.055)


def signal_for(rgb: RGB, transfer: str) -> FloatArray:
    """The R'G'B' signal in [0, 1] that stands for the sRGB colour ``rgb`` in a film.

    Args:
        rgb: sRGB colour, 0-255.
        transfer: ``"sdr"`` (the sRGB values themselves), ``"pq"`` or ``"hlg"`` (BT.2408
            placement: SDR 100 % at 203 cd/m2, BT.2020 primaries).

    Returns:
        float64 (3,) signal.

    >>> np.round(signal_for((255, 255, 255), "pq"), 4).tolist()
    [0.5807, 0.5807, 0.5807]
    """
    srgb = np.asarray(rgb, dtype=np.float64) / 255.0
    if transfer == "sdr":
        return srgb
    if transfer == "sdr2020":  # the same light, coded with BT.2020 primaries (sRGB curve)
        return _linear_to_srgb(np.clip(BT709_TO_BT2020 @ _srgb_to_linear(srgb), 0.0, 1.0))
    nits = BT709_TO_BT2020 @ _srgb_to_linear(srgb) * REFERENCE_WHITE_NITS
    if transfer == "pq":
        return pq_signal_from_nits(nits)
    if transfer == "hlg":
        return hlg_signal_from_nits(nits)
    raise ValueError(f"unknown transfer {transfer!r}")


def srgb_from_signal(signal: FloatArray, transfer: str) -> FloatArray:
    """The sRGB colour (0-1) an exact decoder shows for a signal; the inverse of `signal_for`.

    >>> np.round(srgb_from_signal(signal_for((20, 180, 40), "hlg"), "hlg") * 255, 6).tolist()
    [20.0, 180.0, 40.0]
    """
    e = np.asarray(signal, dtype=np.float64)
    if transfer == "sdr":
        return e
    if transfer == "sdr2020":
        linear = _srgb_to_linear(e) @ np.linalg.inv(BT709_TO_BT2020).T
        return np.asarray(_linear_to_srgb(np.clip(linear, 0.0, 1.0)), dtype=np.float64)
    if transfer == "pq":
        nits = pq_nits_from_signal(e)
    elif transfer == "hlg":
        nits = hlg_nits_from_signal(e)
    else:
        raise ValueError(f"unknown transfer {transfer!r}")
    linear = nits / REFERENCE_WHITE_NITS @ np.linalg.inv(BT709_TO_BT2020).T
    return np.asarray(_linear_to_srgb(linear), dtype=np.float64)


def signal_to_codes(
    signal: FloatArray, *, matrix: str, full_range: bool = False, bits: int = 8
) -> FloatArray:
    """R'G'B' signal in [0, 1] -> (Y', Cb, Cr) codes, unrounded.

    >>> signal_to_codes(np.array([1.0, 1.0, 1.0]), matrix="bt2020", bits=10).round(6).tolist()
    [940.0, 512.0, 512.0]
    """
    kr, kb = KR_KB[matrix]
    e = np.asarray(signal, dtype=np.float64)
    return signal_to_ycbcr(e, kr, kb, full_range=full_range, bits=bits)


def codes_to_signal(
    codes: FloatArray, *, matrix: str, full_range: bool = False, bits: int = 8
) -> FloatArray:
    """(Y', Cb, Cr) codes -> R'G'B' signal, unclipped; the inverse of `signal_to_codes`.

    >>> codes_to_signal(np.array([16.0, 128.0, 128.0]), matrix="bt709").round(6).tolist()
    [0.0, 0.0, 0.0]
    """
    kr, kb = KR_KB[matrix]
    return ycbcr_to_signal(codes, kr, kb, full_range=full_range, bits=bits)


_NEIGHBOURS: Final = np.array(
    [(dy, db, dr) for dy in (-1, 0, 1) for db in (-1, 0, 1) for dr in (-1, 0, 1)], dtype=np.float64
)


def nearest_codes(
    signal: FloatArray, *, matrix: str, full_range: bool = False, bits: int = 8
) -> FloatArray:
    """The integer code triple, among the 27 around the rounded one, nearest to ``signal``.

    >>> nearest_codes(np.array([0.0, 0.0, 0.0]), matrix="bt601").tolist()
    [16.0, 128.0, 128.0]
    """
    target = np.asarray(signal, dtype=np.float64)
    kwargs = {"matrix": matrix, "full_range": full_range, "bits": bits}
    base = np.rint(signal_to_codes(target, **kwargs))  # type: ignore[arg-type]
    candidates = np.clip(base + _NEIGHBOURS, 0.0, 2.0**bits - 1.0)
    error = np.abs(codes_to_signal(candidates, **kwargs) - target).max(axis=-1)  # type: ignore[arg-type]
    return np.asarray(candidates[int(np.argmin(error))], dtype=np.float64)


def patch_codes(
    case: PatchCase,
) -> tuple[tuple[tuple[float, float, float], ...], tuple[tuple[int, int, int], ...]]:
    """The R'G'B' signal of each of ``case``'s colours and the code triple written for it.

    Raises:
        ValueError: If a colour's signal falls outside [0, 1].
    """
    signals = [signal_for(rgb, case.transfer) for rgb in case.colors]
    if max(float(s.max()) for s in signals) > 1.0 or min(float(s.min()) for s in signals) < 0.0:
        raise ValueError(f"case {case.key}: a colour falls outside the signal range")
    codes: list[tuple[int, int, int]] = []
    for s in signals:
        y, cb, cr = nearest_codes(s, matrix=case.matrix, full_range=case.full_range, bits=case.bits)
        codes.append((int(y), int(cb), int(cr)))
    return tuple((float(r), float(g), float(b)) for r, g, b in signals), tuple(codes)


def decoded_colors(
    case: PatchCase, codes: Sequence[tuple[int, int, int]]
) -> list[tuple[float, float, float]]:
    """sRGB (0-255, unrounded) an exact decoder gets from ``codes``: the true colours moved by
    code quantisation only, the best any decoder can do.

    >>> case = CASES["a"]
    >>> [round(v, 2) for v in decoded_colors(case, patch_codes(case)[1])[0]]
    [199.92, 45.61, 39.99]
    """
    out = []
    for triple in codes:
        signal = codes_to_signal(
            np.asarray(triple, dtype=np.float64),
            matrix=case.matrix,
            full_range=case.full_range,
            bits=case.bits,
        )
        r, g, b = (srgb_from_signal(signal, case.transfer) * 255.0).tolist()
        out.append((r, g, b))
    return out


def _flat_frame(codes: tuple[int, int, int], case: PatchCase) -> av.VideoFrame:
    """A frame of ``case.pix_fmt`` whose every plane holds one code, plane by plane."""
    frame = av.VideoFrame(case.width, case.height, case.pix_fmt)
    dtype = np.dtype(np.uint8) if case.bits == 8 else np.dtype("<u2")
    values = tuple(codes)
    if len(frame.planes) == 4:  # an alpha plane: half transparent, which must not matter
        values = (*values, 1 << (case.bits - 1))
    for plane, code in zip(frame.planes, values, strict=True):
        data = np.full((plane.height, plane.line_size // dtype.itemsize), code, dtype=dtype)
        plane.update(data.tobytes())
    return frame


def write_patch_film(path: Path, case: PatchCase) -> PatchTruth:
    """Write ``case`` to ``path`` and return what was written.

    Args:
        path: Output file (its suffix picks the container).
        case: The recipe.

    Returns:
        The truth: the colours, their signals and the codes written.
    """
    path = Path(path)
    signals, codes = patch_codes(case)
    path.parent.mkdir(parents=True, exist_ok=True)
    with av.open(str(path), mode="w") as container:
        stream = container.add_stream(case.encoder, rate=case.fps, options=dict(case.options))
        if not isinstance(stream, av.VideoStream):
            raise TypeError(f"{case.encoder} did not give a video stream")
        stream.width, stream.height, stream.pix_fmt = case.width, case.height, case.pix_fmt
        stream.time_base = Fraction(1, case.fps)
        ctx = stream.codec_context
        ctx.time_base = Fraction(1, case.fps)
        if case.tags is not None:  # only codec-context tags reach the file (see films.py)
            ctx.colorspace = case.tags.colorspace
            ctx.color_range = case.tags.color_range
            ctx.color_primaries = case.tags.color_primaries
            ctx.color_trc = case.tags.color_trc
        index = 0
        for triple in codes:
            for _ in range(case.frames):
                frame = _flat_frame(triple, case)
                frame.pts, frame.time_base = index, Fraction(1, case.fps)
                container.mux(stream.encode(frame))
                index += 1
        container.mux(stream.encode(None))
    return PatchTruth(path=path, case=case, signals=signals, codes=codes)


def patch_frame_ranges(case: PatchCase, *, margin: int = 2) -> list[range]:
    """Frames of each scene, ``margin`` frames in from each cut (away from codec transitions)."""
    return [
        range(i * case.frames + margin, (i + 1) * case.frames - margin)
        for i in range(len(case.colors))
    ]


def _planes(frame: av.VideoFrame) -> Iterator[NDArray[Any]]:
    deep = any(c.bits > 8 for c in frame.format.components)
    dtype = np.dtype("<u2") if deep else np.dtype(np.uint8)
    for plane in frame.planes:
        data = np.frombuffer(memoryview(plane), dtype=dtype)
        yield data.reshape(plane.height, plane.line_size // dtype.itemsize)[:, : plane.width]


def raw_patch_codes(truth: PatchTruth) -> list[tuple[float, float, float]]:
    """Mean decoded (Y', Cb, Cr) codes of each scene, straight from the decoder's planes."""
    sums = np.zeros((len(truth.colors), 3))
    counts = np.zeros(len(truth.colors))
    ranges = patch_frame_ranges(truth.case)
    with av.open(str(truth.path)) as container:
        for index, frame in enumerate(container.decode(video=0)):
            scene = index // truth.case.frames
            if scene < len(ranges) and index in ranges[scene]:
                planes = list(_planes(frame))[:3]  # an alpha plane, if any, is not colour
                # Rescale to the bit depth written (ProRes 4444 decodes 10-bit as 12-bit).
                decoded_bits = frame.format.components[0].bits
                scale = 2.0 ** (truth.case.bits - decoded_bits)
                sums[scene] += [float(p.mean()) * scale for p in planes]
                counts[scene] += 1
    means = sums / np.maximum(counts, 1)[:, None]
    return [(float(y), float(cb), float(cr)) for y, cb, cr in means]


def frames_are_interlaced(path: Path, *, frames: int = 3) -> bool:
    """Whether the first decoded frames are flagged interlaced."""
    with av.open(str(path)) as container:
        flags = [f.interlaced_frame for f in itertools.islice(container.decode(video=0), frames)]
    return bool(flags) and all(flags)
