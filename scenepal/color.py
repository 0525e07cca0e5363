"""Colour maths in numpy: sRGB, linear light, XYZ, CIELAB, OKLab, CIEDE2000, Y'CbCr matrices
(HDR transfer curves and tone mapping are :mod:`scenepal.hdr`).

Conventions: every function takes and returns float arrays whose last axis holds the three
components, so a single colour ``(3,)``, a list ``(N, 3)`` and an image ``(H, W, 3)`` all work.
sRGB and linear RGB are in [0, 1]; CIELAB is L* in [0, 100] with a D65 white; OKLab is L in
[0, 1]. Nothing here reads files or depends on a decoder.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

FloatArray = NDArray[np.float64]

# IEC 61966-2-1 sRGB / BT.709 primaries, D65, linear RGB -> XYZ (Y of white = 1).
RGB_TO_XYZ = np.array(
    [
        [0.4123907992659595, 0.3575843393838780, 0.1804807884018343],
        [0.2126390058715104, 0.7151686787677559, 0.0721923153607337],
        [0.0193308187155918, 0.1191947797946259, 0.9505321522496606],
    ]
)
XYZ_TO_RGB = np.linalg.inv(RGB_TO_XYZ)
D65_WHITE = RGB_TO_XYZ @ np.ones(3)

# ITU-R BT.2087: linear BT.2020 RGB -> linear BT.709 RGB.
BT2020_TO_BT709 = np.array(
    [
        [1.6604910021084345, -0.5876411387885496, -0.0728498633198850],
        [-0.1245504745215907, 1.1328998971259603, -0.0083494225952720],
        [-0.0181507633549052, -0.1005788980080072, 1.1187296613629120],
    ]
)

# Björn Ottosson's OKLab (2020), from linear sRGB.
_OKLAB_M1 = np.array(
    [
        [0.4122214708, 0.5363325363, 0.0514459929],
        [0.2119034982, 0.6806995451, 0.1073969566],
        [0.0883024619, 0.2817188376, 0.6299787005],
    ]
)
_OKLAB_M2 = np.array(
    [
        [0.2104542553, 0.7936177850, -0.0040720468],
        [1.9779984951, -2.4285922050, 0.4505937099],
        [0.0259040371, 0.7827717662, -0.8086757660],
    ]
)


def srgb_to_linear(srgb: ArrayLike) -> FloatArray:
    """Decode sRGB values in [0, 1] to linear light (IEC 61966-2-1).

    >>> round(float(srgb_to_linear(0.5)), 6)
    0.214041
    """
    c = np.asarray(srgb, dtype=np.float64)
    return np.where(c <= 0.04045, c / 12.92, ((c + 0.055) / 1.055) ** 2.4)


def linear_to_srgb(linear: ArrayLike) -> FloatArray:
    """Encode linear light in [0, 1] as sRGB; values outside [0, 1] are clipped.

    >>> round(float(linear_to_srgb(0.214041)), 4)
    0.5
    """
    c = np.clip(np.asarray(linear, dtype=np.float64), 0.0, 1.0)
    return np.where(c <= 0.0031308, c * 12.92, 1.055 * c ** (1 / 2.4) - 0.055)


def _lab_f(t: FloatArray) -> FloatArray:
    delta = 6 / 29
    return np.where(t > delta**3, np.cbrt(t), t / (3 * delta**2) + 4 / 29)


def _lab_f_inv(t: FloatArray) -> FloatArray:
    delta = 6 / 29
    return np.where(t > delta, t**3, 3 * delta**2 * (t - 4 / 29))


def linear_to_lab(linear: ArrayLike) -> FloatArray:
    """Linear sRGB -> CIELAB (D65).

    >>> np.round(linear_to_lab([1.0, 1.0, 1.0]), 4).tolist()
    [100.0, 0.0, 0.0]
    """
    xyz = np.asarray(linear, dtype=np.float64) @ RGB_TO_XYZ.T / D65_WHITE
    f = _lab_f(xyz)
    return np.stack(
        [116 * f[..., 1] - 16, 500 * (f[..., 0] - f[..., 1]), 200 * (f[..., 1] - f[..., 2])],
        axis=-1,
    )


def lab_to_linear(lab: ArrayLike) -> FloatArray:
    """CIELAB (D65) -> linear sRGB, not clipped (out-of-gamut colours fall outside [0, 1]).

    >>> np.round(lab_to_linear([100.0, 0.0, 0.0]), 6).tolist()
    [1.0, 1.0, 1.0]
    """
    lab = np.asarray(lab, dtype=np.float64)
    fy = (lab[..., 0] + 16) / 116
    f = np.stack([fy + lab[..., 1] / 500, fy, fy - lab[..., 2] / 200], axis=-1)
    xyz = _lab_f_inv(f) * D65_WHITE
    return xyz @ XYZ_TO_RGB.T


def srgb_to_lab(srgb: ArrayLike) -> FloatArray:
    """sRGB in [0, 1] -> CIELAB (D65).

    Reference: sRGB (1, 0, 0) is L* 53.24, a* 80.09, b* 67.20.

    >>> np.round(srgb_to_lab([1.0, 0.0, 0.0]), 2).tolist()
    [53.24, 80.09, 67.2]
    """
    return linear_to_lab(srgb_to_linear(srgb))


def lab_to_srgb(lab: ArrayLike) -> FloatArray:
    """CIELAB (D65) -> sRGB in [0, 1], clipped to the gamut.

    >>> np.round(lab_to_srgb([53.2408, 80.0925, 67.2032]), 3).tolist()
    [1.0, 0.0, 0.0]
    """
    return linear_to_srgb(lab_to_linear(lab))


def linear_to_oklab(linear: ArrayLike) -> FloatArray:
    """Linear sRGB -> OKLab.

    Reference values from Ottosson's published table: white is (1, 0, 0).

    >>> np.round(linear_to_oklab([1.0, 1.0, 1.0]), 4).tolist()
    [1.0, 0.0, 0.0]
    >>> np.round(linear_to_oklab([1.0, 0.0, 0.0]), 3).tolist()
    [0.628, 0.225, 0.126]
    """
    lms = np.asarray(linear, dtype=np.float64) @ _OKLAB_M1.T
    return np.asarray(np.cbrt(lms) @ _OKLAB_M2.T, dtype=np.float64)


def oklab_to_linear(oklab: ArrayLike) -> FloatArray:
    """OKLab -> linear sRGB, not clipped.

    >>> np.round(oklab_to_linear([1.0, 0.0, 0.0]), 4).tolist()
    [1.0, 1.0, 1.0]
    """
    lms = np.asarray(oklab, dtype=np.float64) @ np.linalg.inv(_OKLAB_M2).T
    return (lms**3) @ np.linalg.inv(_OKLAB_M1).T


def hex_code(rgb: tuple[int, int, int]) -> str:
    """An sRGB colour with components 0-255 as ``#rrggbb``.

    >>> hex_code((200, 30, 8))
    '#c81e08'
    """
    r, g, b = rgb
    return f"#{r:02x}{g:02x}{b:02x}"


def to_uint8(srgb: ArrayLike) -> NDArray[np.uint8]:
    """sRGB in [0, 1] -> uint8 0-255, rounded and clipped.

    >>> to_uint8([0.0, 0.5, 1.0]).tolist()
    [0, 128, 255]
    """
    return np.clip(np.rint(np.asarray(srgb, dtype=np.float64) * 255), 0, 255).astype(np.uint8)


def mean_srgb(srgb: ArrayLike, weights: ArrayLike | None = None) -> FloatArray:
    """Average sRGB colours in linear light and encode the mean back to sRGB.

    Averaging the encoded values is wrong: black and white average to about 0.735, not 0.5.

    >>> round(float(mean_srgb([[0.0, 0.0, 0.0], [1.0, 1.0, 1.0]])[0]), 3)
    0.735
    """
    lin = srgb_to_linear(np.asarray(srgb, dtype=np.float64).reshape(-1, 3))
    w = None if weights is None else np.asarray(weights, dtype=np.float64)
    return linear_to_srgb(np.average(lin, axis=0, weights=w))


def delta_e_2000(lab1: ArrayLike, lab2: ArrayLike) -> FloatArray:
    """CIEDE2000 colour difference (kL = kC = kH = 1).

    Pairs 1, 7 and 17 of Sharma, Wu and Dalal (2005), published as 2.0425, 2.3669, 27.1492:

    >>> lab1 = [[50.0, 2.6772, -79.7751], [50.0, 0.0, 0.0], [50.0, 2.5, 0.0]]
    >>> lab2 = [[50.0, 0.0, -82.7485], [50.0, -1.0, 2.0], [73.0, 25.0, -18.0]]
    >>> np.round(delta_e_2000(lab1, lab2), 4).tolist()
    [2.0425, 2.3669, 27.1492]
    """
    a = np.asarray(lab1, dtype=np.float64)
    b = np.asarray(lab2, dtype=np.float64)
    l1, a1, b1 = a[..., 0], a[..., 1], a[..., 2]
    l2, a2, b2 = b[..., 0], b[..., 1], b[..., 2]
    c1 = np.hypot(a1, b1)
    c2 = np.hypot(a2, b2)
    c_mean7 = ((c1 + c2) / 2) ** 7
    g = 0.5 * (1 - np.sqrt(c_mean7 / (c_mean7 + 25.0**7)))
    a1p, a2p = (1 + g) * a1, (1 + g) * a2
    c1p, c2p = np.hypot(a1p, b1), np.hypot(a2p, b2)
    h1p = np.degrees(np.arctan2(b1, a1p)) % 360
    h2p = np.degrees(np.arctan2(b2, a2p)) % 360
    dlp = l2 - l1
    dcp = c2p - c1p
    zero = (c1p * c2p) == 0
    dh = h2p - h1p
    dh = np.where(dh > 180, dh - 360, np.where(dh < -180, dh + 360, dh))
    dh = np.where(zero, 0.0, dh)
    dhp = 2 * np.sqrt(c1p * c2p) * np.sin(np.radians(dh / 2))
    lp_mean = (l1 + l2) / 2
    cp_mean = (c1p + c2p) / 2
    hsum = h1p + h2p
    hp_mean = np.where(
        np.abs(h1p - h2p) <= 180, hsum / 2, np.where(hsum < 360, (hsum + 360) / 2, (hsum - 360) / 2)
    )
    hp_mean = np.where(zero, hsum, hp_mean)
    t = (
        1
        - 0.17 * np.cos(np.radians(hp_mean - 30))
        + 0.24 * np.cos(np.radians(2 * hp_mean))
        + 0.32 * np.cos(np.radians(3 * hp_mean + 6))
        - 0.20 * np.cos(np.radians(4 * hp_mean - 63))
    )
    d_theta = 30 * np.exp(-(((hp_mean - 275) / 25) ** 2))
    cp_mean7 = cp_mean**7
    rc = 2 * np.sqrt(cp_mean7 / (cp_mean7 + 25.0**7))
    sl = 1 + 0.015 * (lp_mean - 50) ** 2 / np.sqrt(20 + (lp_mean - 50) ** 2)
    sc = 1 + 0.045 * cp_mean
    sh = 1 + 0.015 * cp_mean * t
    rt = -np.sin(np.radians(2 * d_theta)) * rc
    return np.sqrt(  # type: ignore[no-any-return]
        (dlp / sl) ** 2 + (dcp / sc) ** 2 + (dhp / sh) ** 2 + rt * (dcp / sc) * (dhp / sh)
    )


YCBCR_COEFFICIENTS = {
    "bt709": (0.2126, 0.0722),
    "bt601": (0.299, 0.114),
    "bt2020": (0.2627, 0.0593),
    "smpte240m": (0.212, 0.087),
    "fcc": (0.30, 0.11),
}
"""(Kr, Kb) of each Y'CbCr matrix: ITU-R BT.709, BT.601, BT.2020, SMPTE 240M, FCC."""


def ycbcr_matrix(matrix: str) -> FloatArray:
    """The 3x3 matrix taking normalised (Y', Cb, Cr) to (R', G', B') for a named matrix.

    >>> np.round(ycbcr_matrix("bt709")[0], 4).tolist()
    [1.0, 0.0, 1.5748]
    """
    kr, kb = YCBCR_COEFFICIENTS[matrix]
    kg = 1.0 - kr - kb
    return np.array(
        [
            [1.0, 0.0, 2.0 * (1.0 - kr)],
            [1.0, -2.0 * (1.0 - kb) * kb / kg, -2.0 * (1.0 - kr) * kr / kg],
            [1.0, 2.0 * (1.0 - kb), 0.0],
        ]
    )


def ycbcr_to_rgb(ycbcr: ArrayLike, matrix: str) -> FloatArray:
    """Normalised Y'CbCr (Y' in [0, 1], Cb and Cr in [-0.5, 0.5]) -> R'G'B' in [0, 1].

    >>> np.round(ycbcr_to_rgb([0.2126, -0.1146, 0.5], "bt709"), 3).tolist()
    [1.0, 0.0, 0.0]
    """
    rgb = np.asarray(ycbcr, dtype=np.float64) @ ycbcr_matrix(matrix).T
    return np.asarray(np.clip(rgb, 0.0, 1.0), dtype=np.float64)


_ENCODE_STEPS = 65535
_SRGB_ENCODE_LUT = to_uint8(linear_to_srgb(np.linspace(0.0, 1.0, _ENCODE_STEPS + 1)))


def encode_srgb8(linear: NDArray[np.floating]) -> NDArray[np.uint8]:
    """Linear light in [0, 1] -> 8-bit sRGB through a 65536-step table (exact to the level).

    >>> encode_srgb8(np.array([0.0, 0.2158605, 1.0], np.float32)).tolist()
    [0, 128, 255]
    """
    index = np.clip(linear * _ENCODE_STEPS + 0.5, 0, _ENCODE_STEPS).astype(np.uint16)
    out: NDArray[np.uint8] = _SRGB_ENCODE_LUT[index]
    return out
