"""Correlated colour temperature (CCT) and Duv of a colour, from CIE XYZ.

The CCT is the temperature of the nearest point of the Planckian locus in CIE 1960 (u, v)
(CIE 15:2018), found as Ohno (2014) does on a table of the locus drawn from Krystek's (1985)
approximation; ``docs/statistics.md`` gives the formulas. Used by the warmth statistic
(:mod:`scenepal.stats`) and by comparisons (:mod:`scenepal.compare`).
"""

from __future__ import annotations

import math

import numpy as np
from numpy.typing import ArrayLike, NDArray

CCT_RANGE_K = (1000.0, 15000.0)
"""Range of Krystek's locus approximation; CCTs are clamped to it."""


def _krystek_uv(t: NDArray[np.float64]) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """CIE 1960 (u, v) of a Planckian radiator at ``t`` kelvin, Krystek (1985), 1000-15000 K."""
    u = (0.860117757 + 1.54118254e-4 * t + 1.28641212e-7 * t**2) / (
        1 + 8.42420235e-4 * t + 7.08145163e-7 * t**2
    )
    v = (0.317398726 + 4.22806245e-5 * t + 4.20481691e-8 * t**2) / (
        1 - 2.89741816e-5 * t + 1.61456053e-7 * t**2
    )
    return u, v


_MIREDS = np.arange(1e6 / CCT_RANGE_K[1], 1e6 / CCT_RANGE_K[0] + 0.5, 0.5)
_LOCUS_U, _LOCUS_V = _krystek_uv(1e6 / _MIREDS)


def xyz_to_uv(xyz: ArrayLike) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """CIE XYZ -> CIE 1960 (u, v): ``u = 4X / (X + 15Y + 3Z)``, ``v = 6Y / (X + 15Y + 3Z)``.

    >>> [round(float(c), 4) for c in xyz_to_uv([0.95047, 1.0, 1.08883])]
    [0.1978, 0.3122]
    """
    x = np.asarray(xyz, dtype=np.float64)
    d = x[..., 0] + 15 * x[..., 1] + 3 * x[..., 2]
    d = np.where(d > 0, d, np.nan)
    return 4 * x[..., 0] / d, 6 * x[..., 1] / d


def cct_duv(xyz: ArrayLike) -> tuple[float | None, float | None]:
    """Correlated colour temperature (K) and Duv of a colour given in CIE XYZ.

    The CCT is the temperature of the nearest point of the Planckian locus in CIE 1960 (u, v)
    (CIE 15:2018); the nearest point is found as Ohno (2014) does, on a table of the locus
    (here every half mired, from Krystek's 1985 approximation) refined by a parabola through
    the three nearest entries. Duv is the distance to that point, positive above the locus
    (greenish) and negative below (pinkish). CCTs are clamped to 1000-15000 K. A colour without
    light (X + 15Y + 3Z = 0) has neither: (None, None).

    CIE illuminants A, D50 and D65 (published CCTs 2856, 5003 and 6504 K):

    >>> from scenepal.color import RGB_TO_XYZ
    >>> d65 = cct_duv(RGB_TO_XYZ @ np.ones(3))  # sRGB white is D65
    >>> round(d65[0]), round(d65[1], 4)
    (6507, 0.0033)
    >>> round(cct_duv([1.09850, 1.0, 0.35585])[0]), round(cct_duv([0.96422, 1.0, 0.82521])[0])
    (2855, 5000)
    """
    uu, vv = xyz_to_uv(xyz)
    u, v = float(uu), float(vv)
    if not (math.isfinite(u) and math.isfinite(v)):
        return None, None
    d2 = (_LOCUS_U - u) ** 2 + (_LOCUS_V - v) ** 2
    i = int(np.argmin(d2))
    mired = float(_MIREDS[i])
    if 0 < i < len(_MIREDS) - 1:
        y0, y1, y2 = (math.sqrt(float(d2[j])) for j in (i - 1, i, i + 1))
        curvature = y0 - 2 * y1 + y2
        if curvature > 0:
            step = float(_MIREDS[1] - _MIREDS[0])
            mired += step * 0.5 * (y0 - y2) / curvature
    t = min(max(1e6 / mired, CCT_RANGE_K[0]), CCT_RANGE_K[1])
    lu, lv = _krystek_uv(np.array(t))
    duv = math.hypot(u - float(lu), v - float(lv))
    return t, (duv if v >= float(lv) else -duv)
