"""Hand-made `Analysis` objects for tests of exports and renders, without decoding a film.

    from analyses import make_analysis

    a = make_analysis([
        (3.0, [((200, 30, 30), 0.75), ((20, 20, 120), 0.25)]),   # a 3 s scene, two colours
        (1.0, [((250, 250, 250), 1.0)]),                        # a 1 s scene, one colour
    ])

The analyses follow the pipeline's rules. Scenes are contiguous: each starts where the previous
ends, in seconds and in frames (frame numbers are the rounded times x fps, and every scene has at
least one frame). Swatch lab values are computed from the rgb with `scenepal.color.srgb_to_lab`
and rounded to 3 decimals as the pipeline does; weights are used as given (pass weights that sum
to 1). The film palette is made by the pipeline's own `film_palette_of`: black scenes are left
out of it, the others weighted by duration.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

import numpy as np

from scenepal import color
from scenepal.config import AnalysisConfig
from scenepal.models import (
    Analysis,
    ColorInfo,
    Palette,
    Rect,
    Scene,
    SceneResult,
    Swatch,
    VideoInfo,
)
from scenepal.results import film_palette_of

RGB = tuple[int, int, int]
SceneSpec = tuple[float, Sequence[tuple[RGB, float]]]


def make_swatch(rgb: RGB, weight: float) -> Swatch:
    """A swatch with its CIELAB computed from ``rgb`` (rounded to 3 decimals, as scenepal does)."""
    lab = color.srgb_to_lab(np.array(rgb, dtype=np.float64) / 255.0)
    return Swatch(
        rgb=(int(rgb[0]), int(rgb[1]), int(rgb[2])),
        lab=(round(float(lab[0]), 3), round(float(lab[1]), 3), round(float(lab[2]), 3)),
        weight=float(weight),
    )


def make_palette(colors: Sequence[tuple[RGB, float]]) -> Palette:
    """A palette of the given (rgb, weight) pairs, in the given order."""
    return Palette(tuple(make_swatch(rgb, w) for rgb, w in colors))


def make_color_info(**overrides: object) -> ColorInfo:
    """SDR BT.709 limited-range 8-bit colour info; keyword arguments replace fields."""
    sdr = ColorInfo("bt709", "limited", "bt709", "bt709", 8, "yuv420p")
    return dataclasses.replace(sdr, **overrides)  # type: ignore[arg-type]


def make_analysis(
    scenes: Sequence[SceneSpec],
    *,
    fps: float = 24.0,
    colors: int = 5,
    path: str = "film.mp4",
    width: int = 1920,
    height: int = 1080,
    crop: Rect | None = None,
    black: Sequence[int] = (),
    color_info: ColorInfo | None = None,
    warnings: tuple[str, ...] = (),
    version: str = "0.0.test",
    seed: int = 0,
    color_space: str = "lab",
) -> Analysis:
    """An Analysis of scenes given as (duration in seconds, [(rgb, weight), ...]).

    Args:
        scenes: one entry per scene, in order.
        fps: frame rate; frame numbers are ``round(time * fps)``.
        colors: ``AnalysisConfig.colors`` (also the film palette's size).
        path: the video path recorded in the analysis.
        black: indices of scenes to mark as black.
    """
    if not scenes:
        raise ValueError("an analysis needs at least one scene")
    results = []
    t = 0.0
    frame = 0
    for i, (duration, swatches) in enumerate(scenes):
        end_t = t + float(duration)
        end_frame = max(frame + 1, round(end_t * fps))
        palette = make_palette(swatches)
        mean = color.to_uint8(
            color.mean_srgb(
                np.array([rgb for rgb, _ in swatches], dtype=np.float64) / 255.0,
                weights=[w for _, w in swatches],
            )
        )
        results.append(
            SceneResult(
                scene=Scene(i, frame, end_frame, t, end_t),
                palette=palette,
                mean_rgb=(int(mean[0]), int(mean[1]), int(mean[2])),
                black=i in black,
                sampled_frames=max(1, end_frame - frame),
                sampled_pixels=1000,
            )
        )
        t, frame = end_t, end_frame
    settings = AnalysisConfig(colors=colors, seed=seed, color_space=color_space)
    film = film_palette_of(results, settings)
    video = VideoInfo(
        path=path,
        width=width,
        height=height,
        fps=float(fps),
        container_frame_count=frame,
        duration_s=t,
        codec="h264",
        rotation=0,
        interlaced=False,
        color=color_info if color_info is not None else make_color_info(),
    )
    return Analysis(
        video=video,
        frame_count=frame,
        duration_s=t,
        crop=crop,
        settings=settings,
        scenes=tuple(results),
        palette=film,
        scenepal_version=version,
        warnings=warnings,
    )


def solid_scenes(count: int, colors: Sequence[RGB], duration: float = 1.0) -> list[SceneSpec]:
    """``count`` one-colour scenes of equal ``duration``, cycling through ``colors``."""
    return [(duration, [(colors[i % len(colors)], 1.0)]) for i in range(count)]


def with_representatives(
    analysis: Analysis, *, width: int = 320, height: int = 134, skip: Sequence[int] = ()
) -> Analysis:
    """``analysis`` with a representative frame for each scene (but those in ``skip``): its
    thumbnail is the scene's palette as vertical stripes as wide as their weights, with a white
    square at the top left corner (so that a picture drawn mirrored or turned shows it)."""
    from scenepal.models import Representative
    from scenepal.thumbs import encode_jpeg

    results = []
    for r in analysis.scenes:
        if r.scene.index in skip:
            results.append(r)
            continue
        image = np.zeros((height, width, 3), np.uint8)
        x = 0
        for s in r.palette.swatches:
            step = round(s.weight * width)
            image[:, x : x + step] = s.rgb
            x += step
        image[:, x:] = r.palette.swatches[-1].rgb
        image[: height // 4, : height // 4] = 255
        rep = Representative(r.scene.start_frame, r.scene.start_s, encode_jpeg(image))
        results.append(dataclasses.replace(r, representative=rep))
    return dataclasses.replace(analysis, scenes=tuple(results))


def with_photo_representatives(analysis: Analysis, *, seed: int = 0) -> Analysis:
    """``analysis`` with a photographic thumbnail (320 x 134, as a 2.39:1 film gives) for every
    scene: a different crop of one of scikit-image's photographs each, so that sizes measured
    on it are those of real pictures, not of flat colours."""
    import cv2
    import skimage.data

    from scenepal.models import Representative
    from scenepal.thumbs import encode_jpeg

    names = ("astronaut", "chelsea", "coffee", "rocket", "hubble_deep_field")
    photos = [np.asarray(getattr(skimage.data, n)()) for n in names]
    rng = np.random.default_rng(seed)
    results = []
    for r in analysis.scenes:
        photo = photos[r.scene.index % len(photos)]
        h, w = photo.shape[:2]
        cw = int(rng.integers(w // 3, w))
        ch = min(h, round(cw / 2.39))
        x, y = int(rng.integers(0, w - cw + 1)), int(rng.integers(0, h - ch + 1))
        crop = np.ascontiguousarray(photo[y : y + ch, x : x + cw, :3])
        image = np.asarray(cv2.resize(crop, (320, 134), interpolation=cv2.INTER_AREA), np.uint8)
        rep = Representative(r.scene.start_frame, r.scene.start_s, encode_jpeg(image))
        results.append(dataclasses.replace(r, representative=rep))
    return dataclasses.replace(analysis, scenes=tuple(results))
