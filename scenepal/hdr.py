"""HDR in numpy: the PQ and HLG transfer curves, tone mapping to SDR, and BT.2020 -> BT.709,
with lookup-table fast paths for whole frames.

Conventions as in :mod:`scenepal.color`: the last axis holds the three components; signals and
linear light are in [0, 1], luminance in cd/m2.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

from scenepal.color import (
    BT2020_TO_BT709,
    FloatArray,
    encode_srgb8,
    srgb_to_linear,
)

SDR_REFERENCE_WHITE_NITS = 203.0
"""ITU-R BT.2408 HDR reference white: SDR 100% maps to this luminance."""


def pq_to_nits(signal: ArrayLike) -> FloatArray:
    """SMPTE ST 2084 (PQ) EOTF: non-linear signal in [0, 1] -> luminance in cd/m2.

    >>> round(float(pq_to_nits(0.58069)), 0)
    203.0
    >>> round(float(pq_to_nits(1.0)), 1)
    10000.0
    """
    m1, m2 = 2610 / 16384, 2523 / 4096 * 128
    c1, c2, c3 = 3424 / 4096, 2413 / 4096 * 32, 2392 / 4096 * 32
    e = np.clip(np.asarray(signal, dtype=np.float64), 0.0, 1.0) ** (1 / m2)
    return 10000.0 * (np.maximum(e - c1, 0.0) / (c2 - c3 * e)) ** (1 / m1)


_HLG_A, _HLG_B, _HLG_C = 0.17883277, 0.28466892, 0.55991073
"""The constants a, b, c of the BT.2100 HLG OETF."""

BT2020_LUMA = np.array([0.2627, 0.6780, 0.0593])
"""Luma weights of R, G and B with BT.2020 primaries."""


def hlg_to_nits(signal: ArrayLike, *, peak_nits: float = 1000.0) -> FloatArray:
    """ITU-R BT.2100 HLG: signal RGB in [0, 1] (BT.2020) -> display light in cd/m2.

    Applies the inverse OETF and the OOTF with the system gamma for ``peak_nits``
    (1.2 at 1000 cd/m2). HLG reference white (75% signal) lands at about 203 cd/m2.

    >>> round(float(hlg_to_nits([0.75, 0.75, 0.75])[1]), 0)
    203.0
    """
    a, b, c = _HLG_A, _HLG_B, _HLG_C
    e = np.clip(np.asarray(signal, dtype=np.float64), 0.0, 1.0)
    scene = np.where(e <= 0.5, e**2 / 3, (np.exp((e - c) / a) + b) / 12)
    gamma = 1.2 + 0.42 * np.log10(peak_nits / 1000.0)
    ys = scene @ BT2020_LUMA
    return np.asarray(peak_nits * (ys[..., None] ** (gamma - 1)) * scene, dtype=np.float64)


def tonemap_to_sdr(nits_bt2020: ArrayLike, *, knee: float = 0.9) -> FloatArray:
    """HDR display light (BT.2020 primaries, cd/m2) -> SDR linear BT.709 in [0, 1].

    Light at or below ``knee`` x 203 cd/m2 (BT.2408 reference white) keeps its SDR value exactly;
    above it the largest component rolls off smoothly (C1-continuous) towards 1, scaling all
    three components alike so hue holds. Colours outside BT.709 are clipped to its gamut.

    >>> np.round(tonemap_to_sdr([101.5, 101.5, 101.5]), 4).tolist()
    [0.5, 0.5, 0.5]
    >>> bool(tonemap_to_sdr([1e4, 1e4, 1e4])[0] < 1.0)
    True
    """
    rel = np.asarray(nits_bt2020, dtype=np.float64) / SDR_REFERENCE_WHITE_NITS
    rgb = np.maximum(rel @ BT2020_TO_BT709.T, 0.0)
    return np.asarray(np.clip(_shoulder(rgb, knee), 0.0, 1.0), dtype=np.float64)


def _shoulder(rgb: NDArray[np.floating], knee: float) -> NDArray[np.floating]:
    """The tone curve: colours whose largest component passes ``knee`` are scaled down so that
    it rolls off smoothly (C1-continuous) towards 1; the others are kept. Works in the dtype of
    ``rgb`` (float32 for whole frames, float64 for the reference).

    >>> _shoulder(np.array([[0.5, 0.25, 0.0], [10.0, 5.0, 0.0]]), 0.9).round(4).tolist()
    [[0.5, 0.25, 0.0], [1.0, 0.5, 0.0]]
    """
    peak = rgb.max(axis=-1, keepdims=True)
    span = rgb.dtype.type(1.0 - knee)
    rolled = knee + span * (1.0 - np.exp(-(peak - knee) / span))
    scale = np.where(peak > knee, rolled / np.maximum(peak, 1e-12), 1.0).astype(rgb.dtype)
    out: NDArray[np.floating] = rgb * scale
    return out


# Fast paths for whole frames: lookup tables instead of per-pixel powers and exponentials.
# They agree with the reference functions above to within one 8-bit level (see tests).
_SIGNAL_STEPS = 65535
_SIGNAL_GRID = np.linspace(0.0, 1.0, _SIGNAL_STEPS + 1)
_PQ_REL_LUT = (pq_to_nits(_SIGNAL_GRID) / SDR_REFERENCE_WHITE_NITS).astype(np.float32)
_HLG_SCENE_LUT = np.where(
    _SIGNAL_GRID <= 0.5,
    _SIGNAL_GRID**2 / 3,
    (np.exp((np.maximum(_SIGNAL_GRID, 0.5) - _HLG_C) / _HLG_A) + _HLG_B) / 12,
).astype(np.float32)
_SRGB_DECODE_LUT = srgb_to_linear(_SIGNAL_GRID).astype(np.float32)
_BT2020_TO_BT709_T = BT2020_TO_BT709.T.astype(np.float32)
_BT2020_LUMA = BT2020_LUMA.astype(np.float32)


def _signal_index(signal: NDArray[np.floating]) -> NDArray[np.uint16]:
    index: NDArray[np.uint16] = np.clip(signal * _SIGNAL_STEPS + 0.5, 0, _SIGNAL_STEPS).astype(
        np.uint16
    )
    return index


def hdr_to_srgb8(
    signal: NDArray[np.floating],
    transfer: str,
    *,
    bt2020: bool = True,
    peak_nits: float = 1000.0,
    knee: float = 0.9,
) -> NDArray[np.uint8]:
    """HDR signal R'G'B' in [0, 1] (PQ or HLG) -> tone-mapped 8-bit sRGB, for whole frames.

    The same mapping as ``linear_to_srgb(tonemap_to_sdr(pq_to_nits(signal)))`` (or
    ``hlg_to_nits`` for HLG), computed in float32 with lookup tables: a 256 x 144 frame takes
    well under a millisecond instead of several. ``bt2020=False`` skips the BT.2020 -> BT.709
    primaries conversion for HDR tagged with BT.709 primaries.

    >>> white = np.array([[0.58069, 0.58069, 0.58069]], np.float32)  # 203 cd/m2
    >>> hdr_to_srgb8(white, "pq").tolist()  # reference white, just past the roll-off knee
    [[251, 251, 251]]
    >>> from scenepal.color import linear_to_srgb, to_uint8
    >>> reference = to_uint8(linear_to_srgb(tonemap_to_sdr(pq_to_nits(white))))
    >>> bool((hdr_to_srgb8(white, "pq") == reference).all())
    True
    """
    index = _signal_index(np.asarray(signal, dtype=np.float32))
    if transfer == "pq":
        rel = _PQ_REL_LUT[index]
    elif transfer == "hlg":
        scene = _HLG_SCENE_LUT[index]
        gamma = 1.2 + 0.42 * np.log10(peak_nits / 1000.0)
        ys = np.maximum(scene @ _BT2020_LUMA, 1e-12)
        rel = (
            np.float32(peak_nits / SDR_REFERENCE_WHITE_NITS)
            * ys[..., None] ** np.float32(gamma - 1)
            * scene
        )
    else:
        raise ValueError(f"not an HDR transfer: {transfer!r}")
    shape = rel.shape
    flat = rel.reshape(-1, 3)
    if bt2020:
        flat = flat @ _BT2020_TO_BT709_T
    flat = np.maximum(flat, 0.0)
    return encode_srgb8(np.minimum(_shoulder(flat, knee), 1.0)).reshape(shape)


def bt2020_sdr_to_srgb8(signal: NDArray[np.floating]) -> NDArray[np.uint8]:
    """SDR R'G'B' with BT.2020 primaries -> 8-bit sRGB (BT.709 primaries), gamut clipped.

    >>> bt2020_sdr_to_srgb8(np.array([[0.5, 0.5, 0.5]], np.float32)).tolist()
    [[128, 128, 128]]
    """
    linear = _SRGB_DECODE_LUT[_signal_index(np.asarray(signal, dtype=np.float32))]
    shape = linear.shape
    flat = np.clip(linear.reshape(-1, 3) @ _BT2020_TO_BT709_T, 0.0, 1.0)
    return encode_srgb8(flat).reshape(shape)
