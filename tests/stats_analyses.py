"""Statistics for hand-made analyses (tests/analyses.py), from pixels drawn from each palette.

    from stats_analyses import with_stats

    a = with_stats(make_analysis([...]), noise=6.0)

Each scene's pixels are its swatches in proportion to their weights, with Gaussian noise of
``noise`` sRGB levels (seeded); black scenes get no statistics, as in a real analysis.
"""

from __future__ import annotations

import dataclasses

import numpy as np

from scenepal.models import Analysis, Palette
from scenepal.stats import film_stats, scene_stats


def palette_pixels(
    palette: Palette, count: int, rng: np.random.Generator, *, noise: float = 0.0
) -> np.ndarray:
    """uint8 (count, 3) pixels of the palette's colours in proportion to their weights."""
    weights = np.array([s.weight for s in palette.swatches], dtype=np.float64)
    which = rng.choice(len(palette.swatches), size=count, p=weights / weights.sum())
    colors = np.array([s.rgb for s in palette.swatches], dtype=np.float64)[which]
    if noise > 0:
        colors += rng.normal(0.0, noise, colors.shape)
    return np.clip(np.rint(colors), 0, 255).astype(np.uint8)


def with_stats(
    analysis: Analysis, *, pixels: int = 1500, noise: float = 4.0, seed: int = 0
) -> Analysis:
    """The analysis with scene and film statistics computed from its palettes' pixels."""
    rng = np.random.default_rng(seed)
    scenes = tuple(
        dataclasses.replace(
            r,
            stats=None
            if r.black
            else scene_stats(palette_pixels(r.palette, pixels, rng, noise=noise)),
        )
        for r in analysis.scenes
    )
    film = film_stats([r.stats for r in scenes], [r.scene.duration_s for r in scenes])
    return dataclasses.replace(analysis, scenes=scenes, stats=film)
