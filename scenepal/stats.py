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
chroma histograms (bins of 0.25, :mod:`scenepal.stats_histograms`), never from averaging
percentiles. Values are rounded when computed, so that an analysis read back from analysis.json
equals the one written. The CCT is :mod:`scenepal.cct`'s.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from scenepal import color
from scenepal.cct import cct_duv
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
from scenepal.stats_histograms import (
    CHROMA_BIN,
    CHROMA_BINS,
    DENSITY_BINS,
    LIGHTNESS_BIN,
    LIGHTNESS_BINS,
    histogram_percentiles,
    pixel_histograms,
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

NEUTRAL_CHROMA = 2.0
"""Pixels with a chroma under this have no hue worth the name (grey, or coding noise on grey:
channels one 8-bit level apart make a chroma of up to 1.8): they are left out of the hue
histogram and the teal/orange shares."""

NEAR_BLACK_Y = 0.01
"""A mean colour with a luminance Y under this (L* under about 9) gets no CCT: the
chromaticity of near-black is noise and coding error, not a white balance."""

_PERCENTS = (5.0, 25.0, 50.0, 75.0, 95.0)
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
    cct, duv = cct_duv(rounded) if rounded[1] >= NEAR_BLACK_Y else (None, None)
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
    hued = np.where(chroma >= NEUTRAL_CHROMA, chroma, 0.0)
    bins = np.minimum((hue // (360.0 / HUE_BINS)).astype(np.intp), HUE_BINS - 1)
    histogram = np.bincount(bins, weights=hued, minlength=HUE_BINS)
    total = float(hued.sum())
    orange = float(hued[(hue >= ORANGE_SECTOR[0]) & (hue < ORANGE_SECTOR[1])].sum())
    teal = float(hued[(hue >= TEAL_SECTOR[0]) & (hue < TEAL_SECTOR[1])].sum())

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
    histograms = _pooled_histograms(stats, w)
    mean_c = _mean(w, [s.chroma.mean for s in stats])
    hue, teal_orange = _pooled_hues(stats, w, mean_c)
    opponent = _pooled_opponent(stats, w)

    def tint(pick: str) -> Tint:
        tints = [getattr(s.split_tone, pick) for s in stats]
        return _tint(_mean(w, [t.a for t in tints]), _mean(w, [t.b for t in tints]))

    p95 = histogram_percentiles(histograms.chroma, CHROMA_BIN, [95.0])[0]
    return ColorStats(
        lightness=_lightness(
            _mean(w, [s.lightness.mean for s in stats]),
            histogram_percentiles(histograms.lightness, LIGHTNESS_BIN, _PERCENTS),
        ),
        chroma=ChromaStats(mean=_r(mean_c, 3), p95=_r(p95, 3)),
        colorfulness=_colorfulness(opponent),
        hue=hue,
        warmth=_warmth(np.array([_mean(w, [s.warmth.xyz[i] for s in stats]) for i in range(3)])),
        teal_orange=teal_orange,
        split_tone=SplitTone(shadows=tint("shadows"), highlights=tint("highlights")),
        opponent=opponent,
        pixels=sum(s.pixels for s in stats),
        histograms=histograms,
    )


def _mean(w: NDArray[np.float64], values: Sequence[float]) -> float:
    """The mean of the scenes' ``values`` with weights ``w`` (summing to 1)."""
    return float(np.dot(w, np.asarray(values, dtype=np.float64)))


def _pooled_histograms(stats: Sequence[ColorStats], w: NDArray[np.float64]) -> PixelHistograms:
    """The scenes' histograms, each normalised to its pixel count, summed with weights ``w``."""
    lightness = np.zeros(LIGHTNESS_BINS)
    chroma = np.zeros(CHROMA_BINS)
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
    return PixelHistograms(lightness=lightness, chroma=chroma, ab=ab)


def _pooled_hues(
    stats: Sequence[ColorStats], w: NDArray[np.float64], mean_c: float
) -> tuple[HueStats, TealOrange]:
    """The hue histogram and teal/orange shares of the mixture: shares of chroma, so each scene
    weighs its duration x its mean chroma."""
    cw = w * np.array([s.chroma.mean for s in stats])
    cw = cw / cw.sum() if cw.sum() > 0 else np.zeros_like(cw)
    hue = _hue(
        cw @ np.array([s.hue.histogram for s in stats]),
        (_mean(w, [s.hue.mean_ab[0] for s in stats]), _mean(w, [s.hue.mean_ab[1] for s in stats])),
        mean_c,
    )
    # scenes with no hued pixel (all grey) have all-zero histograms and shares: leave them out
    hued = float(cw @ np.array([sum(s.hue.histogram) > 0 for s in stats], dtype=np.float64))
    if hued <= 0:
        return hue, _teal_orange(0.0, 0.0)
    orange = float(cw @ np.array([s.teal_orange.orange_share for s in stats])) / hued
    teal = float(cw @ np.array([s.teal_orange.teal_share for s in stats])) / hued
    return hue, _teal_orange(orange, teal)


def _pooled_opponent(stats: Sequence[ColorStats], w: NDArray[np.float64]) -> OpponentStats:
    """The opponent channels' moments of the mixture (means and second moments combine)."""
    o = [s.opponent for s in stats]
    rg_mean, yb_mean = _mean(w, [x.rg_mean for x in o]), _mean(w, [x.yb_mean for x in o])
    rg_var = _mean(w, [x.rg_std**2 + x.rg_mean**2 for x in o]) - rg_mean**2
    yb_var = _mean(w, [x.yb_std**2 + x.yb_mean**2 for x in o]) - yb_mean**2
    return _opponent(rg_mean, math.sqrt(max(rg_var, 0.0)), yb_mean, math.sqrt(max(yb_var, 0.0)))
