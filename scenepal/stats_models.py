"""The colour statistics of a scene or a film: frozen dataclasses, no I/O (computed by
:mod:`scenepal.stats`, written by :mod:`scenepal.stats_json`, defined in docs/statistics.md).
Also importable from :mod:`scenepal.models`."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np


@dataclass(frozen=True)
class LightnessStats:
    """CIELAB L* of the pixels (0 black, 100 white).

    Attributes:
        mean: mean L*.
        p5: 5th percentile.
        p50: median.
        p95: 95th percentile.
        contrast: ``p95 - p5``.
        key: "low" (p50 < 35), "high" (p50 > 65) or "mid".
    """

    mean: float
    p5: float
    p50: float
    p95: float
    contrast: float
    key: str


@dataclass(frozen=True)
class ChromaStats:
    """CIELAB chroma C*ab = sqrt(a*^2 + b*^2) of the pixels.

    Attributes:
        mean: mean chroma.
        p95: 95th percentile.
    """

    mean: float
    p95: float


@dataclass(frozen=True)
class OpponentStats:
    """Hasler and Suesstrunk's opponent channels on sRGB 0-255: rg = R - G,
    yb = (R + G) / 2 - B; means and (population) standard deviations."""

    rg_mean: float
    rg_std: float
    yb_mean: float
    yb_std: float


@dataclass(frozen=True)
class HueStats:
    """CIELAB hue angle h = atan2(b*, a*), each pixel weighted by its chroma.

    Attributes:
        mean_deg: chroma-weighted circular mean hue in [0, 360), or None without chroma.
        histogram: 12 shares of the total chroma, 30-degree bins from 0 degrees; sum 1 (all 0
            without chroma).
        mean_ab: the mean (a*, b*) of the pixels (the colour cast); its angle is ``mean_deg``.
        concentration: |mean (a*, b*)| / mean chroma, in [0, 1]: 1 when every pixel has the
            same hue, near 0 when hues cancel out (then ``mean_deg`` says little).
    """

    mean_deg: float | None
    histogram: tuple[float, ...]
    mean_ab: tuple[float, float]
    concentration: float


@dataclass(frozen=True)
class WarmthStats:
    """Correlated colour temperature of the mean colour (averaged in linear light).

    Attributes:
        cct_k: CCT in kelvin, clamped to [1000, 15000]; None for a colour without light.
        duv: signed distance from the Planckian locus in CIE 1960 uv (positive above it,
            towards green); None with ``cct_k``.
        label: "warm" below 4500 K, "cool" above 7000 K, else "neutral".
        xyz: CIE XYZ of the mean colour (Y of sRGB white = 1).
    """

    cct_k: float | None
    duv: float | None
    label: str
    xyz: tuple[float, float, float]


@dataclass(frozen=True)
class TealOrange:
    """Chroma-weighted shares of the orange/skin sector (hue in [30, 90) degrees) and the teal
    sector ([170, 250)); ``balance = (orange - teal) / (orange + teal)``, 0 when both are 0."""

    orange_share: float
    teal_share: float
    balance: float


@dataclass(frozen=True)
class Tint:
    """The mean a*, b* of a tonal range, with the hue angle (None when a* = b* = 0) and chroma
    of that mean."""

    a: float
    b: float
    hue_deg: float | None
    chroma: float


@dataclass(frozen=True)
class SplitTone:
    """Tints of the shadows (L* at or below the 25th percentile) and highlights (at or above
    the 75th)."""

    shadows: Tint
    highlights: Tint


@dataclass(frozen=True)
class ColorStats:
    """The colour statistics of a scene, or of a film (its scenes weighted by duration).

    Attributes:
        lightness: L* statistics.
        chroma: C*ab statistics.
        colorfulness: Hasler and Suesstrunk's (2003) M on sRGB 0-255.
        hue: chroma-weighted hue.
        warmth: CCT of the mean colour.
        teal_orange: orange and teal shares.
        split_tone: shadow and highlight tints.
        opponent: the opponent-channel moments M is computed from.
        pixels: how many pixels the statistics were computed from (for a film: the sum).
        histograms: the pixel histograms the film's statistics are built from; a scene's hold
            counts and live in memory and in checkpoints only (None for a scene read back from
            analysis.json); the film's hold shares, and its a*b* density is written out.
    """

    lightness: LightnessStats
    chroma: ChromaStats
    colorfulness: float
    hue: HueStats
    warmth: WarmthStats
    teal_orange: TealOrange
    split_tone: SplitTone
    opponent: OpponentStats
    pixels: int
    histograms: PixelHistograms | None = field(default=None, compare=False, repr=False)


@dataclass(frozen=True, eq=False)
class PixelHistograms:
    """Histograms of a scene's pixels (counts) or of a film's (shares summing to 1).

    Attributes:
        lightness: (400,) L* in bins of 0.25 from 0 (L* = 100 in the last).
        chroma: (800,) C*ab in bins of 0.25 from 0 (200 and over in the last).
        ab: (64, 64) a*, b* in cells of 4 x 4 over [-128, 128), indexed [a, b] (pixels
            outside are left out): the vectorscope's density.
    """

    lightness: np.ndarray
    chroma: np.ndarray
    ab: np.ndarray
