"""What the palette worker makes of each sampled scene, and the film's summary of its scenes.

    SceneFrames ──► sampled_result: sampling.sample_frames, then scene_result
    SceneSample ──► scene_result ──► SceneResult: palette, mean colour, statistics, the
                    scene's picture area, the frames it left out and its representative frame
    SceneResults ─► film_palette_of, film_stats_of ──► the film's palette and statistics

:func:`scene_result` runs in the palette worker thread while decoding goes on (keep per-frame
work in the decode thread tiny): per-scene work of a new stage belongs here, as a call to a
function of that stage's own module.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

import numpy as np

from scenepal import color
from scenepal.config import AnalysisConfig
from scenepal.models import ColorStats, Palette, Scene, SceneResult
from scenepal.palette import extract_palette, film_palette, palette_from_colors
from scenepal.sampling import SamplingSettings, SceneFrames, SceneSample, sample_frames
from scenepal.stats import film_stats, scene_stats
from scenepal.thumbs import representative


def sampled_result(
    frames: SceneFrames, settings: SamplingSettings, cfg: AnalysisConfig, shown: Scene
) -> SceneResult:
    """The result of a scene from what the sampler measured of it (its picture area, which
    frames are transitions, the pixel draw: the heavy part of sampling runs here too)."""
    return scene_result(sample_frames(frames, settings), cfg, shown)


def scene_result(sample: SceneSample, cfg: AnalysisConfig, shown: Scene) -> SceneResult:
    """The result of a sampled scene, reported under ``shown`` (its frames in the film)."""
    result = _palette_of(sample, cfg)
    chosen = representative(
        sample.sharp or sample.kept,  # the analysis frames when no larger copy was kept
        result.palette,
        crop=sample.crop,
        scene=sample.scene,
        shown=shown,
    )
    return dataclasses.replace(
        result,
        scene=shown,
        crop=sample.crop,
        excluded=sample.excluded,
        representative=chosen,
    )


def _palette_of(sample: SceneSample, cfg: AnalysisConfig) -> SceneResult:
    if sample.black or len(sample.pixels) == 0:
        pixels = sample.black_pixels if len(sample.black_pixels) else sample.pixels
        mean = _mean_rgb(pixels)
        palette = palette_from_colors(np.array([mean], dtype=np.uint8), np.ones(1))
        return SceneResult(sample.scene, palette, mean, True, sample.frames, len(pixels))
    palette = extract_palette(
        sample.pixels, colors=cfg.colors, seed=sample.seed, color_space=cfg.color_space
    )
    return SceneResult(
        sample.scene,
        palette,
        _mean_rgb(sample.pixels),
        False,
        sample.frames,
        len(sample.pixels),
        stats=scene_stats(sample.pixels),
    )


def _mean_rgb(pixels: np.ndarray) -> tuple[int, int, int]:
    if len(pixels) == 0:
        return (0, 0, 0)
    r, g, b = (int(v) for v in color.to_uint8(color.mean_srgb(pixels / 255.0)))
    return (r, g, b)


def film_stats_of(results: Sequence[SceneResult]) -> ColorStats | None:
    """The film's colour statistics: its scenes', weighted by duration (black ones left out)."""
    return film_stats([r.stats for r in results], [r.scene.duration_s for r in results])


def film_palette_of(results: Sequence[SceneResult], cfg: AnalysisConfig) -> Palette:
    """The film's palette from its scenes' results: black scenes are left out (unless every
    scene is black), the others weighted by duration."""
    lit = [r for r in results if not r.black] or list(results)
    return film_palette(
        [r.palette for r in lit],
        [max(r.scene.duration_s, 1e-6) for r in lit],
        colors=cfg.colors,
        seed=cfg.seed,
        color_space=cfg.color_space,
    )
