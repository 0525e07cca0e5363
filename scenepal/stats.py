"""Colour statistics of a scene's pixels, and of a film from its scenes' statistics.

Every measure is defined, with its formula, in ``docs/statistics.md``. In short, from the
scene's sampled pixels (uint8 sRGB; bars, black and fade frames already left out):

- lightness: CIELAB L* (D65) mean, 5th/50th/95th percentiles, contrast ``p95 - p5``, key;
- chroma: C*ab mean and 95th percentile;
- colorfulness: Hasler and Suesstrunk's (2003) M on sRGB 0-255;
- hue: chroma-weighted histogram of the CIELAB hue angle (12 bins of 30 degrees) and mean;
- warmth: CCT and Duv of the mean colour (averaged in linear light) by Ohno's (2014) search
  over Krystek's (1985) Planckian locus, and a label;
- teal/orange: chroma-weighted shares of the orange ([30, 90) degrees) and teal ([170, 250))
  hue sectors, and their balance;
- split tone: mean a*, b* of the shadows (L* at or below the 25th percentile) and of the
  highlights (at or above the 75th).

A film's statistics are those of the mixture of its scenes' pixels, each scene weighted by its
duration (:func:`film_stats`): percentiles come from the sum of the scenes' normalised L* and
chroma histograms (bins of 0.25), never from averaging percentiles. Values are rounded when
computed, so that an analysis read back from analysis.json equals the one written.
"""

from __future__ import annotations

import base64
import binascii
import io
import math
import zipfile
from collections.abc import Sequence
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from scenepal import color
from scenepal.models import (
    ChromaStats,
    ColorStats,
    HueStats,
    LightnessStats,
    OpponentStats,
    PixelHistograms,
    SplitTone,
    TealOrange,
    Tint,
    WarmthStats,
)

HUE_BINS = 12
"""Bins of the hue histogram (30 degrees each, the first starting at 0)."""

ORANGE_SECTOR = (30.0, 90.0)
"""CIELAB hue angles (degrees, [start, end)) of orange and skin."""

TEAL_SECTOR = (170.0, 250.0)
"""CIELAB hue angles (degrees, [start, end)) of teal."""

LOW_KEY_BELOW = 35.0
"""Median L* under which a picture is low-key."""

HIGH_KEY_ABOVE = 65.0
"""Median L* over which a picture is high-key."""

WARM_BELOW_K = 4500.0
"""CCT under which the mean colour is warm."""

COOL_ABOVE_K = 7000.0
"""CCT over which the mean colour is cool."""

CCT_RANGE_K = (1000.0, 15000.0)
"""Range of Krystek's locus approximation; CCTs are clamped to it."""

DENSITY_BINS = 64
"""Cells along each axis of the a*b* density."""

DENSITY_LIMIT = 128.0
"""The a*b* density covers a*, b* in [-DENSITY_LIMIT, DENSITY_LIMIT)."""

LIGHTNESS_BIN = 0.25
"""Width of the L* histogram's bins (400 bins over [0, 100])."""

CHROMA_BIN = 0.25
"""Width of the chroma histogram's bins (800 bins over [0, 200))."""

_PERCENTS = (5.0, 25.0, 50.0, 75.0, 95.0)
_LIGHTNESS_BINS = round(100 / LIGHTNESS_BIN)
_CHROMA_BINS = round(200 / CHROMA_BIN)
_LINEAR_LUT = color.srgb_to_linear(np.arange(256) / 255.0)


def _r(value: float, digits: int) -> float:
    return round(float(value), digits)


def pixels_to_lab(pixels: NDArray[np.uint8]) -> NDArray[np.float64]:
    """uint8 (N, 3) sRGB -> float64 (N, 3) CIELAB (D65), decoding through a 256-entry table.

    (OpenCV's float conversion is faster but gives a grey a* of 1/64 and L* 0.2 off.)

    >>> np.round(pixels_to_lab(np.array([[255, 0, 0], [119, 119, 119]], np.uint8)), 2).tolist()
    [[53.24, 80.09, 67.2], [50.03, 0.0, 0.0]]
    """
    lab = color.linear_to_lab(_LINEAR_LUT[np.asarray(pixels, dtype=np.uint8).reshape(-1, 3)])
    lab[:, 1:] = np.where(np.abs(lab[:, 1:]) < 1e-9, 0.0, lab[:, 1:])
    return lab


def hue_deg(a: ArrayLike, b: ArrayLike) -> NDArray[np.float64]:
    """CIELAB hue angle atan2(b*, a*) in degrees, in [0, 360).

    >>> hue_deg([1.0, 0.0, -1.0], [0.0, 1.0, -1.0]).tolist()
    [0.0, 90.0, 225.0]
    """
    h = np.degrees(np.arctan2(np.asarray(b, dtype=np.float64), np.asarray(a, dtype=np.float64)))
    return np.asarray(np.mod(h, 360.0), dtype=np.float64)


def colorfulness(rg_mean: float, rg_std: float, yb_mean: float, yb_std: float) -> float:
    """Hasler and Suesstrunk's (2003) colourfulness M from the opponent channels' moments:
    ``sqrt(rg_std^2 + yb_std^2) + 0.3 * sqrt(rg_mean^2 + yb_mean^2)``.

    >>> colorfulness(0.0, 0.0, 0.0, 0.0)
    0.0
    >>> round(colorfulness(30.0, 40.0, 40.0, 30.0), 6)
    65.0
    """
    return math.hypot(rg_std, yb_std) + 0.3 * math.hypot(rg_mean, yb_mean)


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

    >>> d65 = cct_duv(color.RGB_TO_XYZ @ np.ones(3))  # sRGB white is D65
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


def warmth_label(cct_k: float | None) -> str:
    """ "warm" below 4500 K, "cool" above 7000 K, "neutral" in between (or without a CCT).

    >>> warmth_label(3200.0), warmth_label(5600.0), warmth_label(9000.0)
    ('warm', 'neutral', 'cool')
    """
    if cct_k is None:
        return "neutral"
    if cct_k < WARM_BELOW_K:
        return "warm"
    if cct_k > COOL_ABOVE_K:
        return "cool"
    return "neutral"


def lightness_key(p50: float) -> str:
    """ "low" when the median L* is under 35, "high" over 65, else "mid".

    >>> lightness_key(20.0), lightness_key(50.0), lightness_key(80.0)
    ('low', 'mid', 'high')
    """
    if p50 < LOW_KEY_BELOW:
        return "low"
    if p50 > HIGH_KEY_ABOVE:
        return "high"
    return "mid"


def balance(orange: float, teal: float) -> float:
    """Teal-orange balance ``(orange - teal) / (orange + teal)``; 0 when both are 0.

    >>> balance(0.75, 0.25), balance(0.0, 0.0), balance(0.0, 0.2)
    (0.5, 0.0, -1.0)
    """
    total = orange + teal
    return 0.0 if total <= 0 else (orange - teal) / total


def _tint(a: float, b: float) -> Tint:
    a, b = _r(a, 3), _r(b, 3)
    hue = None if a == 0 and b == 0 else _r(float(hue_deg(a, b)), 2)
    return Tint(a=a, b=b, hue_deg=hue, chroma=_r(math.hypot(a, b), 3))


def _hue(histogram: NDArray[Any], mean_ab: tuple[float, float], mean_c: float) -> HueStats:
    a, b = _r(mean_ab[0], 3), _r(mean_ab[1], 3)
    total = float(histogram.sum())
    shares = histogram / total if total > 0 else np.zeros(HUE_BINS)
    cast = math.hypot(a, b)
    return HueStats(
        mean_deg=None if total <= 0 or cast == 0 else _r(float(hue_deg(a, b)), 2),
        histogram=tuple(_r(s, 5) for s in shares),
        mean_ab=(a, b),
        concentration=_r(min(1.0, cast / mean_c), 4) if mean_c > 0 else 0.0,
    )


def _warmth(xyz: NDArray[np.float64]) -> WarmthStats:
    rounded = (_r(xyz[0], 6), _r(xyz[1], 6), _r(xyz[2], 6))
    cct, duv = cct_duv(rounded)
    cct = None if cct is None else _r(cct, 1)
    return WarmthStats(
        cct_k=cct,
        duv=None if duv is None else _r(duv, 5),
        label=warmth_label(cct),
        xyz=rounded,
    )


def _lightness(mean: float, p: Sequence[float]) -> LightnessStats:
    p5, p50, p95 = _r(p[0], 3), _r(p[2], 3), _r(p[4], 3)
    return LightnessStats(
        mean=_r(mean, 3),
        p5=p5,
        p50=p50,
        p95=p95,
        contrast=_r(p95 - p5, 3),
        key=lightness_key(p50),
    )


def _opponent(rg_mean: float, rg_std: float, yb_mean: float, yb_std: float) -> OpponentStats:
    return OpponentStats(_r(rg_mean, 4), _r(rg_std, 4), _r(yb_mean, 4), _r(yb_std, 4))


def _colorfulness(o: OpponentStats) -> float:
    return _r(colorfulness(o.rg_mean, o.rg_std, o.yb_mean, o.yb_std), 3)


def _teal_orange(orange: float, teal: float) -> TealOrange:
    orange, teal = _r(orange, 5), _r(teal, 5)
    return TealOrange(orange_share=orange, teal_share=teal, balance=_r(balance(orange, teal), 5))


def _counts(values: NDArray[np.float64], width: float, bins: int) -> NDArray[np.int64]:
    index = np.clip((values / width).astype(np.intp), 0, bins - 1)
    return np.bincount(index, minlength=bins)


def pixel_histograms(lab: NDArray[np.float64]) -> PixelHistograms:
    """Counts of L*, C*ab and (a*, b*) of CIELAB pixels (N, 3), in the bins of
    :class:`scenepal.models.PixelHistograms`.

    >>> h = pixel_histograms(np.array([[50.0, 0.0, 0.0], [100.0, 0.6, 0.8]]))
    >>> int(h.lightness[200]), int(h.lightness[-1]), int(h.chroma[4]), int(h.ab[32, 32])
    (1, 1, 1, 2)
    """
    a, b = lab[:, 1], lab[:, 2]
    cell = 2 * DENSITY_LIMIT / DENSITY_BINS
    ia = np.floor((a + DENSITY_LIMIT) / cell).astype(np.intp)
    ib = np.floor((b + DENSITY_LIMIT) / cell).astype(np.intp)
    inside = (ia >= 0) & (ia < DENSITY_BINS) & (ib >= 0) & (ib < DENSITY_BINS)
    ab = np.bincount(
        ia[inside] * DENSITY_BINS + ib[inside], minlength=DENSITY_BINS * DENSITY_BINS
    ).reshape(DENSITY_BINS, DENSITY_BINS)
    return PixelHistograms(
        lightness=_counts(lab[:, 0], LIGHTNESS_BIN, _LIGHTNESS_BINS),
        chroma=_counts(np.hypot(a, b), CHROMA_BIN, _CHROMA_BINS),
        ab=ab,
    )


def histogram_percentiles(
    histogram: ArrayLike, width: float, percents: Sequence[float]
) -> list[float]:
    """Percentiles of a histogram of bins ``width`` wide from 0, taking values as spread
    evenly inside each bin (so the error is under one bin width).

    >>> histogram_percentiles([0, 2, 2, 0], 1.0, [0.0, 25.0, 50.0, 100.0])
    [1.0, 1.5, 2.0, 3.0]
    """
    h = np.asarray(histogram, dtype=np.float64)
    cdf = np.concatenate([[0.0], np.cumsum(h)])
    cdf /= cdf[-1]
    edges = np.arange(len(h) + 1) * width
    out = []
    for percent in percents:
        p = percent / 100.0
        j = int(np.searchsorted(cdf, p, side="left"))
        if p <= 0:
            j = int(np.searchsorted(cdf, 0.0, side="right"))
            out.append(float(edges[max(j - 1, 0)]))
            continue
        j = min(max(j, 1), len(h))
        f0, f1 = cdf[j - 1], cdf[j]
        t = 0.0 if f1 <= f0 else (p - f0) / (f1 - f0)
        out.append(float(edges[j - 1] + t * width))
    return out


def scene_stats(pixels: NDArray[np.uint8]) -> ColorStats:
    """The colour statistics of a scene's pixels.

    Args:
        pixels: uint8 (N, 3) sRGB, N >= 1: the scene's sampled pixels, each standing for an
            equal share of the scene's screen time.

    Raises:
        ValueError: ``pixels`` is empty or not (N, 3).

    >>> grey = scene_stats(np.full((100, 3), 119, np.uint8))
    >>> grey.lightness.p50, grey.chroma.mean, grey.colorfulness, grey.hue.mean_deg
    (50.034, 0.0, 0.0, None)
    """
    if pixels.ndim != 2 or pixels.shape[1] != 3 or len(pixels) == 0:
        raise ValueError(f"expected uint8 (N, 3) pixels with N >= 1, got shape {pixels.shape}")
    lab = pixels_to_lab(pixels)
    lightness, a, b = lab[:, 0], lab[:, 1], lab[:, 2]
    chroma = np.hypot(a, b)
    l_p = np.percentile(lightness, _PERCENTS)
    c_p95 = float(np.percentile(chroma, 95.0))
    mean_c = float(chroma.mean())

    hue = hue_deg(a, b)
    bins = np.minimum((hue // (360.0 / HUE_BINS)).astype(np.intp), HUE_BINS - 1)
    histogram = np.bincount(bins, weights=chroma, minlength=HUE_BINS)
    total = float(chroma.sum())
    orange = float(chroma[(hue >= ORANGE_SECTOR[0]) & (hue < ORANGE_SECTOR[1])].sum())
    teal = float(chroma[(hue >= TEAL_SECTOR[0]) & (hue < TEAL_SECTOR[1])].sum())

    shadows = lightness <= l_p[1]
    highlights = lightness >= l_p[3]

    rgb = pixels.astype(np.float64)
    rg = rgb[:, 0] - rgb[:, 1]
    yb = 0.5 * (rgb[:, 0] + rgb[:, 1]) - rgb[:, 2]
    opponent = _opponent(float(rg.mean()), float(rg.std()), float(yb.mean()), float(yb.std()))

    return ColorStats(
        lightness=_lightness(float(lightness.mean()), l_p.tolist()),
        chroma=ChromaStats(mean=_r(mean_c, 3), p95=_r(c_p95, 3)),
        colorfulness=_colorfulness(opponent),
        hue=_hue(histogram, (float(a.mean()), float(b.mean())), mean_c),
        warmth=_warmth(color.RGB_TO_XYZ @ _LINEAR_LUT[pixels].mean(axis=0)),
        teal_orange=_teal_orange(orange / total, teal / total)
        if total > 0
        else _teal_orange(0.0, 0.0),
        split_tone=SplitTone(
            shadows=_tint(float(a[shadows].mean()), float(b[shadows].mean())),
            highlights=_tint(float(a[highlights].mean()), float(b[highlights].mean())),
        ),
        opponent=opponent,
        pixels=len(pixels),
        histograms=pixel_histograms(lab),
    )


def film_stats(
    scenes: Sequence[ColorStats | None], durations: Sequence[float]
) -> ColorStats | None:
    """The film's statistics: those of the mixture of its scenes' pixels, each scene weighted
    by its duration (scenes without statistics, such as black ones, are left out).

    Means, shares and moments combine exactly; percentiles come from the sum of the scenes'
    normalised histograms (within a bin, 0.25, of the pooled pixels' percentiles); the hue
    histogram and the teal/orange shares weight each scene by duration x mean chroma (they
    are shares of chroma); the warmth is that of the mixture's mean XYZ; the split tone is the
    weighted mean of the scenes' shadow and highlight tints (each relative to its own scene's
    quartiles).

    Args:
        scenes: each scene's statistics, or None.
        durations: each scene's duration in seconds.

    Returns:
        The film's statistics, or None when no scene has any.

    Raises:
        ValueError: a scene with statistics has no histograms (it was read back from a file).
    """
    pairs = [(s, max(float(d), 1e-6)) for s, d in zip(scenes, durations, strict=True) if s]
    if not pairs:
        return None
    stats = [s for s, _ in pairs]
    w = np.array([d for _, d in pairs])
    w /= w.sum()

    def mean(values: Sequence[float]) -> float:
        return float(np.dot(w, np.asarray(values, dtype=np.float64)))

    lightness = np.zeros(_LIGHTNESS_BINS)
    chroma = np.zeros(_CHROMA_BINS)
    ab = np.zeros((DENSITY_BINS, DENSITY_BINS))
    for s, weight in zip(stats, w, strict=True):
        h = s.histograms
        if h is None:
            raise ValueError("a scene's statistics lack their histograms")
        n = float(h.lightness.sum())
        lightness += weight * h.lightness / n
        chroma += weight * h.chroma / n
        ab += weight * h.ab / n
    ab /= max(float(ab.sum()), 1e-300)

    mean_c = mean([s.chroma.mean for s in stats])
    cw = w * np.array([s.chroma.mean for s in stats])
    cw = cw / cw.sum() if cw.sum() > 0 else np.zeros_like(cw)

    o = [s.opponent for s in stats]
    rg_mean, yb_mean = mean([x.rg_mean for x in o]), mean([x.yb_mean for x in o])
    rg_var = mean([x.rg_std**2 + x.rg_mean**2 for x in o]) - rg_mean**2
    yb_var = mean([x.yb_std**2 + x.yb_mean**2 for x in o]) - yb_mean**2
    opponent = _opponent(rg_mean, math.sqrt(max(rg_var, 0.0)), yb_mean, math.sqrt(max(yb_var, 0.0)))

    def tint(pick: str) -> Tint:
        tints = [getattr(s.split_tone, pick) for s in stats]
        return _tint(mean([t.a for t in tints]), mean([t.b for t in tints]))

    return ColorStats(
        lightness=_lightness(
            mean([s.lightness.mean for s in stats]),
            histogram_percentiles(lightness, LIGHTNESS_BIN, _PERCENTS),
        ),
        chroma=ChromaStats(
            mean=_r(mean_c, 3), p95=_r(histogram_percentiles(chroma, CHROMA_BIN, [95.0])[0], 3)
        ),
        colorfulness=_colorfulness(opponent),
        hue=_hue(
            cw @ np.array([s.hue.histogram for s in stats]),
            (mean([s.hue.mean_ab[0] for s in stats]), mean([s.hue.mean_ab[1] for s in stats])),
            mean_c,
        ),
        warmth=_warmth(np.array([mean([s.warmth.xyz[i] for s in stats]) for i in range(3)])),
        teal_orange=_teal_orange(
            float(cw @ np.array([s.teal_orange.orange_share for s in stats])),
            float(cw @ np.array([s.teal_orange.teal_share for s in stats])),
        ),
        split_tone=SplitTone(shadows=tint("shadows"), highlights=tint("highlights")),
        opponent=opponent,
        pixels=sum(s.pixels for s in stats),
        histograms=PixelHistograms(lightness=lightness, chroma=chroma, ab=ab),
    )


def histograms_to_text(h: PixelHistograms) -> str:
    """A scene's histograms as compact text (base64 of a compressed .npz), for checkpoints."""
    buf = io.BytesIO()
    np.savez_compressed(buf, lightness=h.lightness, chroma=h.chroma, ab=h.ab)
    return base64.b64encode(buf.getvalue()).decode("ascii")


def histograms_from_text(text: str) -> PixelHistograms:
    """The histograms :func:`histograms_to_text` wrote.

    >>> h = pixel_histograms(np.array([[50.0, 10.0, -20.0]]))
    >>> back = histograms_from_text(histograms_to_text(h))
    >>> all(np.array_equal(getattr(h, k), getattr(back, k)) for k in ("lightness", "chroma", "ab"))
    True

    Raises:
        ValueError: the text is not such histograms.
    """
    try:
        with np.load(io.BytesIO(base64.b64decode(text)), allow_pickle=False) as data:
            return PixelHistograms(
                lightness=data["lightness"], chroma=data["chroma"], ab=data["ab"]
            )
    except (OSError, KeyError, zipfile.BadZipFile, binascii.Error) as exc:
        raise ValueError(f"not scenepal histograms: {exc}") from exc
