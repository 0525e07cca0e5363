"""Palettes: cluster pixels in a perceptual space into a few weighted colours.

Scene palettes come from MiniBatchKMeans over a scene's sampled pixels, in CIELAB (default) or
OKLab. The film palette clusters the scene swatches again, each weighted by its share of its
scene times the scene's duration. Both are deterministic for a given seed.
"""

from __future__ import annotations

import math
import warnings

import numpy as np
from numpy.typing import NDArray

from scenepal import color
from scenepal.models import Palette, Swatch
from scenepal.threads import single_threaded_pools

MERGE_DELTA_E = 2.5
"""Swatches closer than this CIEDE2000 distance are one colour and are merged."""

_SRGB_TO_LINEAR_LUT = color.srgb_to_linear(np.arange(256) / 255.0)


def pixels_to_space(pixels: NDArray[np.uint8], space: str) -> NDArray[np.float64]:
    """uint8 sRGB pixels (N, 3) -> coordinates in ``space`` ("lab" or "oklab")."""
    linear = _SRGB_TO_LINEAR_LUT[pixels]
    return color.linear_to_lab(linear) if space == "lab" else color.linear_to_oklab(linear)


def _space_to_srgb(points: NDArray[np.float64], space: str) -> NDArray[np.uint8]:
    linear = color.lab_to_linear(points) if space == "lab" else color.oklab_to_linear(points)
    return color.to_uint8(color.linear_to_srgb(np.clip(linear, 0.0, 1.0)))


def palette_from_colors(rgb: NDArray[np.uint8], weights: NDArray[np.float64]) -> Palette:
    """A palette from colours (N, 3 uint8) and their weights.

    Identical colours and colours closer than :data:`MERGE_DELTA_E` are merged (their weights
    add, their colour is the weighted mean in CIELAB), zero weights are dropped, and the rest is
    sorted by weight, heaviest first, ties by hex code; weights are normalised to sum to 1.

    >>> p = palette_from_colors(np.array([[255, 0, 0], [0, 0, 255], [255, 0, 0]], np.uint8),
    ...                         np.array([1.0, 3.0, 1.0]))
    >>> [(s.hex, s.weight) for s in p.swatches]
    [('#0000ff', 0.6), ('#ff0000', 0.4)]
    """
    keep = weights > 0
    rgb, w = rgb[keep], weights[keep].astype(np.float64)
    if len(w) == 0:
        raise ValueError("a palette needs at least one colour with positive weight")
    # Identical colours first (cheap), then the closest pair, again and again, while it is
    # closer than the threshold. Distances are between the colours as they will be reported
    # (rounded to 8 bits), so no two reported swatches are closer than MERGE_DELTA_E.
    by_rgb: dict[tuple[int, int, int], float] = {}
    for (r, g, b), weight in zip(rgb.tolist(), w.tolist(), strict=True):
        by_rgb[(r, g, b)] = by_rgb.get((r, g, b), 0.0) + weight
    keys = sorted(by_rgb, key=lambda k: (-by_rgb[k], k))
    weight_of = [by_rgb[k] for k in keys]
    exact = [color.srgb_to_lab(np.array(k) / 255.0) for k in keys]  # weighted-mean Lab
    shown = list(keys)
    shown_lab = np.array(exact).reshape(-1, 3)
    while len(shown) > 1:
        n = len(shown)
        i_idx, j_idx = np.triu_indices(n, k=1)
        distances = color.delta_e_2000(shown_lab[i_idx], shown_lab[j_idx])
        best = int(np.argmin(distances))
        if float(distances[best]) >= MERGE_DELTA_E:
            break
        i, j = int(i_idx[best]), int(j_idx[best])
        total_ij = weight_of[i] + weight_of[j]
        lab = (exact[i] * weight_of[i] + exact[j] * weight_of[j]) / total_ij
        r, g, b = (int(v) for v in color.to_uint8(color.lab_to_srgb(lab)))
        exact[i], weight_of[i], shown[i] = lab, total_ij, (r, g, b)
        shown_lab[i] = color.srgb_to_lab(np.array(shown[i]) / 255.0)
        del exact[j], weight_of[j], shown[j]
        shown_lab = np.delete(shown_lab, j, axis=0)
    merged: dict[tuple[int, int, int], float] = {}
    for key, weight in zip(shown, weight_of, strict=True):
        merged[key] = merged.get(key, 0.0) + weight
    items = sorted(merged.items(), key=lambda kv: (-kv[1], kv[0]))
    norm = math.fsum(v for _, v in items)
    swatches = []
    for key, weight in items:
        lab = color.srgb_to_lab(np.array(key) / 255.0)
        swatches.append(
            Swatch(
                rgb=key,
                lab=(round(float(lab[0]), 3), round(float(lab[1]), 3), round(float(lab[2]), 3)),
                weight=weight / norm,
            )
        )
    return Palette(swatches=tuple(swatches))


def _cluster(
    points: NDArray[np.float64],
    weights: NDArray[np.float64] | None,
    *,
    k: int,
    seed: int,
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Cluster centres and their total weights."""
    # Imported here: scikit-learn (with SciPy) takes about 2 s to import, which --help,
    # --version and every bad-input message would otherwise pay.
    from sklearn.cluster import MiniBatchKMeans

    model = MiniBatchKMeans(
        n_clusters=k,
        random_state=seed,
        n_init=3,
        batch_size=1024,
        max_no_improvement=5,
        reassignment_ratio=0.0,
    )
    with warnings.catch_warnings(), single_threaded_pools():  # see scenepal.threads
        # Fewer distinct points than clusters is handled by the caller; this warning is noise.
        warnings.simplefilter("ignore", category=UserWarning)
        labels = model.fit_predict(points, sample_weight=weights)
    w = np.ones(len(points)) if weights is None else weights
    totals = np.bincount(labels, weights=w, minlength=k)
    return np.asarray(model.cluster_centers_, dtype=np.float64), totals.astype(np.float64)


def extract_palette(
    pixels: NDArray[np.uint8],
    *,
    colors: int,
    seed: int,
    color_space: str = "lab",
    weights: NDArray[np.float64] | None = None,
) -> Palette:
    """The palette of a set of pixels.

    Args:
        pixels: uint8 sRGB, shape (N, 3), N >= 1.
        colors: most swatches to return; fewer come back when the pixels hold fewer distinct
            colours or clusters fall closer than :data:`MERGE_DELTA_E`.
        seed: clustering seed; the same pixels and seed give the same palette.
        color_space: "lab" or "oklab", the space distances are measured in.
        weights: optional weight per pixel.

    >>> px = np.array([[10, 20, 30]] * 3 + [[200, 100, 0]], np.uint8)
    >>> [(s.hex, s.weight) for s in extract_palette(px, colors=5, seed=0).swatches]
    [('#0a141e', 0.75), ('#c86400', 0.25)]
    """
    pixels = np.ascontiguousarray(pixels, dtype=np.uint8).reshape(-1, 3)
    if len(pixels) == 0:
        raise ValueError("no pixels to make a palette from")
    w = np.ones(len(pixels)) if weights is None else np.asarray(weights, dtype=np.float64)
    packed = (
        pixels[:, 0].astype(np.uint32) << 16 | pixels[:, 1].astype(np.uint32) << 8 | pixels[:, 2]
    )
    distinct, inverse = np.unique(packed, return_inverse=True)
    distinct_w = np.bincount(inverse.ravel(), weights=w).astype(np.float64)
    distinct_rgb = np.stack(
        [(distinct >> 16) & 255, (distinct >> 8) & 255, distinct & 255], axis=1
    ).astype(np.uint8)
    if len(distinct) <= colors:
        return palette_from_colors(distinct_rgb, distinct_w)
    points = pixels_to_space(distinct_rgb, color_space)
    centers, totals = _cluster(points, distinct_w, k=colors, seed=seed)
    return palette_from_colors(_space_to_srgb(centers, color_space), totals)


def film_palette(
    palettes: list[Palette], durations: list[float], *, colors: int, seed: int, color_space: str
) -> Palette:
    """The film's palette: scene swatches clustered again, weighted by share x scene duration.

    >>> a = Palette((Swatch((255, 0, 0), (53.2, 80.1, 67.2), 1.0),))
    >>> b = Palette((Swatch((0, 0, 255), (32.3, 79.2, -107.9), 1.0),))
    >>> [(s.hex, s.weight) for s in film_palette([a, b], [3.0, 1.0], colors=5, seed=0,
    ...                                          color_space="lab").swatches]
    [('#ff0000', 0.75), ('#0000ff', 0.25)]
    """
    rgb = np.array([s.rgb for p in palettes for s in p.swatches], dtype=np.uint8).reshape(-1, 3)
    weights = np.array(
        [s.weight * d for p, d in zip(palettes, durations, strict=True) for s in p.swatches],
        dtype=np.float64,
    )
    if len(rgb) == 0 or weights.sum() <= 0:
        raise ValueError("no scene palettes to make a film palette from")
    return extract_palette(rgb, colors=colors, seed=seed, color_space=color_space, weights=weights)
