"""scenepal.palette: clustering pixels into weighted swatches, merging, the film palette."""

from __future__ import annotations

import numpy as np
import pytest
from analyses import make_palette
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from takes import Take, pixel_error, reference_error, render_frames

from scenepal import color
from scenepal.models import Palette
from scenepal.palette import (
    MERGE_DELTA_E,
    MERGE_DELTA_OK,
    SPREAD_FRACTION,
    extract_palette,
    film_palette,
    palette_from_colors,
    pixels_to_space,
    scene_merge_limit,
)

FAST = settings(max_examples=60, deadline=None)

pixel_arrays = arrays(
    np.uint8,
    st.tuples(st.integers(1, 2000), st.just(3)),
    elements=st.integers(0, 255),
)
# Few distinct values make duplicates and near colours common: the merging paths get exercised.
coarse_pixel_arrays = arrays(
    np.uint8,
    st.tuples(st.integers(1, 500), st.just(3)),
    elements=st.sampled_from([0, 1, 2, 60, 61, 128, 250, 255]),
)


def _lab(rgb: tuple[int, int, int]) -> np.ndarray:
    return color.srgb_to_lab(np.array(rgb) / 255.0)


def _check_palette_invariants(p: Palette, colors: int) -> None:
    weights = [s.weight for s in p.swatches]
    assert 1 <= len(p) <= colors
    assert all(w > 0 for w in weights)
    assert weights == sorted(weights, reverse=True)
    assert sum(weights) == pytest.approx(1.0, abs=1e-9)
    assert len(set(p.hex_codes)) == len(p)
    for s in p.swatches:
        assert all(isinstance(v, int) and 0 <= v <= 255 for v in s.rgb)
        np.testing.assert_allclose(s.lab, _lab(s.rgb), atol=0.01)


def _pixels(counts: dict[tuple[int, int, int], int], seed: int = 0) -> np.ndarray:
    px = np.concatenate([np.tile(np.array(rgb, np.uint8), (n, 1)) for rgb, n in counts.items()])
    return np.random.default_rng(seed).permutation(px)


# --- extract_palette: invariants -----------------------------------------------------------


@FAST
@given(pixel_arrays, st.integers(1, 8), st.integers(0, 2**32 - 1))
def test_extract_palette_invariants(pixels: np.ndarray, colors: int, seed: int) -> None:
    p = extract_palette(pixels, colors=colors, seed=seed)
    _check_palette_invariants(p, colors)


@FAST
@given(coarse_pixel_arrays, st.integers(1, 8), st.sampled_from(["lab", "oklab"]))
def test_extract_palette_invariants_with_duplicates(
    pixels: np.ndarray, colors: int, space: str
) -> None:
    p = extract_palette(pixels, colors=colors, seed=0, color_space=space)
    _check_palette_invariants(p, colors)


@FAST
@given(pixel_arrays, st.integers(1, 8), st.integers(0, 1000))
def test_extract_palette_is_deterministic(pixels: np.ndarray, colors: int, seed: int) -> None:
    first = extract_palette(pixels, colors=colors, seed=seed)
    second = extract_palette(pixels.copy(), colors=colors, seed=seed)
    assert first == second


@FAST
@given(pixel_arrays)
def test_a_single_swatch_carries_all_the_weight(pixels: np.ndarray) -> None:
    p = extract_palette(pixels, colors=1, seed=0)
    assert len(p) == 1
    assert p.swatches[0].weight == 1.0


@FAST
@given(st.lists(st.tuples(*[st.integers(0, 255)] * 3), min_size=1, max_size=6, unique=True))
def test_distinct_far_colours_come_back_exactly(rgbs: list[tuple[int, int, int]]) -> None:
    # Keep only colours that are pairwise far apart: nothing may be merged then.
    kept: list[tuple[int, int, int]] = []
    for rgb in rgbs:
        if all(float(color.delta_e_2000(_lab(rgb), _lab(k))) > 3 * MERGE_DELTA_E for k in kept):
            kept.append(rgb)
    counts = {rgb: 10 * (i + 1) for i, rgb in enumerate(kept)}
    p = extract_palette(_pixels(counts), colors=8, seed=0)
    total = sum(counts.values())
    assert {s.rgb: s.weight for s in p.swatches} == pytest.approx(
        {rgb: n / total for rgb, n in counts.items()}, abs=1e-12
    )


# --- extract_palette: known answers --------------------------------------------------------


def test_exact_recovery_of_three_colours_and_their_shares() -> None:
    counts = {(200, 30, 30): 600, (20, 20, 120): 300, (240, 220, 90): 100}
    p = extract_palette(_pixels(counts), colors=3, seed=0)
    assert [s.rgb for s in p.swatches] == [(200, 30, 30), (20, 20, 120), (240, 220, 90)]
    assert [s.weight for s in p.swatches] == pytest.approx([0.6, 0.3, 0.1], abs=1e-12)
    assert p.hex_codes == ("#c81e1e", "#141478", "#f0dc5a")


@pytest.mark.parametrize("colors", [3, 4, 8, 32])
def test_more_clusters_than_colours_gives_the_distinct_colours(colors: int) -> None:
    counts = {(10, 200, 10): 50, (250, 250, 250): 30, (5, 5, 5): 20}
    p = extract_palette(_pixels(counts), colors=colors, seed=3)
    assert dict((s.rgb, s.weight) for s in p.swatches) == pytest.approx(
        {(10, 200, 10): 0.5, (250, 250, 250): 0.3, (5, 5, 5): 0.2}
    )


def test_ties_are_ordered_by_hex_code() -> None:
    counts = {(0, 0, 255): 10, (255, 0, 0): 10, (0, 128, 0): 10}
    p = extract_palette(_pixels(counts), colors=5, seed=0)
    assert p.hex_codes == ("#0000ff", "#008000", "#ff0000")


def test_pixel_weights_count_like_repeated_pixels() -> None:
    px = np.array([[255, 0, 0], [0, 0, 255], [0, 0, 255]], np.uint8)
    p = extract_palette(px, colors=4, seed=0, weights=np.array([6.0, 1.0, 1.0]))
    assert [(s.hex, s.weight) for s in p.swatches] == [("#ff0000", 0.75), ("#0000ff", 0.25)]


def test_image_shaped_pixels_are_accepted() -> None:
    image = np.zeros((4, 6, 3), np.uint8)
    image[:, :2] = (255, 255, 0)
    p = extract_palette(image, colors=3, seed=0)
    assert p.hex_codes == ("#000000", "#ffff00")
    assert [s.weight for s in p.swatches] == pytest.approx([2 / 3, 1 / 3])


def test_no_pixels_is_an_error() -> None:
    with pytest.raises(ValueError, match="no pixels"):
        extract_palette(np.zeros((0, 3), np.uint8), colors=3, seed=0)


TRUTH = [((200, 40, 40), 6000), ((30, 30, 120), 3000), ((240, 220, 90), 2000), ((20, 90, 30), 1000)]


def _noisy_clusters(seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    parts = [
        np.clip(np.rint(np.array(rgb) + rng.normal(0.0, 3.0, (n, 3))), 0, 255) for rgb, n in TRUTH
    ]
    return rng.permutation(np.concatenate(parts)).astype(np.uint8)


@pytest.mark.parametrize("space", ["lab", "oklab"])
@pytest.mark.parametrize(("colors", "seed"), [(4, 0), (5, 1), (8, 7)])
def test_noisy_clusters_give_their_centres_and_shares(space: str, colors: int, seed: int) -> None:
    p = extract_palette(_noisy_clusters(seed), colors=colors, seed=seed, color_space=space)
    _check_palette_invariants(p, colors)
    total = sum(n for _, n in TRUTH)
    for rgb, n in TRUTH:
        distances = [float(color.delta_e_2000(_lab(rgb), np.array(s.lab))) for s in p.swatches]
        i = int(np.argmin(distances))
        assert distances[i] < 2.0, (rgb, p.hex_codes)
        assert p.swatches[i].weight == pytest.approx(n / total, abs=0.05)
    # Extra clusters split off the same truth are merged back: one swatch per true colour.
    assert len(p) == len(TRUTH)


def test_lab_and_oklab_spaces_differ_only_in_distances() -> None:
    px = np.array([[12, 200, 40], [250, 250, 250]], np.uint8)
    lab = pixels_to_space(px, "lab")
    ok = pixels_to_space(px, "oklab")
    np.testing.assert_allclose(lab, color.srgb_to_lab(px / 255.0), atol=1e-9)
    np.testing.assert_allclose(ok, color.linear_to_oklab(color.srgb_to_linear(px / 255.0)))
    assert ok[1, 0] == pytest.approx(0.9851, abs=1e-3)


# --- palette_from_colors -------------------------------------------------------------------


def test_identical_colours_are_summed() -> None:
    rgb = np.array([[255, 0, 0], [0, 0, 255], [255, 0, 0]], np.uint8)
    p = palette_from_colors(rgb, np.array([1.0, 3.0, 1.0]))
    assert [(s.hex, s.weight) for s in p.swatches] == [("#0000ff", 0.6), ("#ff0000", 0.4)]


def test_near_colours_merge_into_their_weighted_lab_mean() -> None:
    # Greys 100 and 104 are about 1.5 apart: one colour, at their weighted mean in CIELAB.
    rgb = np.array([[100, 100, 100], [104, 104, 104], [200, 30, 30]], np.uint8)
    p = palette_from_colors(rgb, np.array([2.0, 2.0, 4.0]))
    labs = color.srgb_to_lab(rgb[:2] / 255.0)
    mean = color.to_uint8(color.lab_to_srgb(np.average(labs, axis=0, weights=[2.0, 2.0])))
    # Equal weights: ties are ordered by colour, so the grey comes first.
    assert [(s.rgb, s.weight) for s in p.swatches] == [
        (tuple(int(v) for v in mean), 0.5),
        ((200, 30, 30), 0.5),
    ]
    assert mean.tolist() == [102, 102, 102]


def test_colours_further_than_the_threshold_stay_apart() -> None:
    # Greys 100 and 107: about 2.65 apart in CIEDE2000, just over MERGE_DELTA_E.
    rgb = np.array([[100, 100, 100], [107, 107, 107]], np.uint8)
    labs = color.srgb_to_lab(rgb / 255.0)
    assert float(color.delta_e_2000(labs[0], labs[1])) > MERGE_DELTA_E
    p = palette_from_colors(rgb, np.array([1.0, 1.0]))
    assert sorted(s.rgb for s in p.swatches) == [(100, 100, 100), (107, 107, 107)]


def test_zero_weights_are_dropped() -> None:
    rgb = np.array([[0, 0, 0], [255, 255, 255]], np.uint8)
    p = palette_from_colors(rgb, np.array([0.0, 2.0]))
    assert [(s.hex, s.weight) for s in p.swatches] == [("#ffffff", 1.0)]


def test_all_zero_weights_is_an_error() -> None:
    with pytest.raises(ValueError, match="positive weight"):
        palette_from_colors(np.array([[1, 2, 3]], np.uint8), np.array([0.0]))


@FAST
@given(
    arrays(np.uint8, st.tuples(st.integers(1, 40), st.just(3)), elements=st.integers(0, 255)),
    st.data(),
)
def test_palette_from_colors_invariants(rgb: np.ndarray, data: st.DataObject) -> None:
    weights = np.array(
        data.draw(st.lists(st.floats(0.01, 100.0), min_size=len(rgb), max_size=len(rgb)))
    )
    p = palette_from_colors(rgb, weights)
    _check_palette_invariants(p, len(rgb))
    # Every swatch stands for at least one input colour within the merge threshold.
    labs = color.srgb_to_lab(rgb / 255.0)
    for s in p.swatches:
        assert float(color.delta_e_2000(labs, np.array(s.lab)).min()) < 2 * MERGE_DELTA_E + 1


def _greys_118_123_126(via: str) -> Palette:
    # Greys 118, 123, 126 (weights 3, 2, 1): 123 is 2.0 from 118 and 1.2 from 126, but 126 is
    # 3.1 from 118, so the three cannot be one swatch under complete linkage.
    if via == "palette_from_colors":
        rgb = np.array([[118, 118, 118], [123, 123, 123], [126, 126, 126]], np.uint8)
        return palette_from_colors(rgb, np.array([3.0, 2.0, 1.0]))
    # A scene that also holds a far colour (the greys alone span too little colour to merge: see
    # test_a_scene_that_spans_little_keeps_its_near_colours_apart).
    counts = {(118, 118, 118): 300, (123, 123, 123): 200, (126, 126, 126): 100, RED: 600}
    return extract_palette(_pixels(counts), colors=5, seed=0)


RED = (200, 40, 40)


@pytest.mark.parametrize("via", ["palette_from_colors", "extract_palette"])
def test_complete_linkage_joins_the_closest_pair_and_never_chains(via: str) -> None:
    labs = color.srgb_to_lab(np.array([[118] * 3, [123] * 3, [126] * 3]) / 255.0)
    assert float(color.delta_e_2000(labs[0], labs[1])) < MERGE_DELTA_E
    assert float(color.delta_e_2000(labs[0], labs[2])) > MERGE_DELTA_E
    p = _greys_118_123_126(via)
    # 123 and 126 (the closest pair) merge at their weighted mean; 118 stays on its own.
    mean = color.to_uint8(color.lab_to_srgb(np.average(labs[1:], axis=0, weights=[2.0, 1.0])))
    greys = [((118, 118, 118), 0.5), (tuple(int(v) for v in mean), 0.5)]
    if via == "extract_palette":
        greys = [(RED, 0.5)] + [(rgb, w / 2) for rgb, w in greys]
    assert [(s.rgb, s.weight) for s in p.swatches] == greys


def test_a_scene_that_spans_little_keeps_its_near_colours_apart() -> None:
    # The same greys as a whole scene span about 1 CIEDE2000: their differences are the
    # picture, so none merge (the merge distance is half the scene's spread, see
    # SPREAD_FRACTION). A near-black night lost 1.5x in fidelity to merging (issue 10).
    counts = {(118, 118, 118): 300, (123, 123, 123): 200, (126, 126, 126): 100}
    points = pixels_to_space(np.array(list(counts), np.uint8), "lab")
    limit = scene_merge_limit(points, np.array(list(counts.values()), float), "lab")
    assert limit == pytest.approx(SPREAD_FRACTION * 1.2, abs=0.5 * SPREAD_FRACTION)
    p = extract_palette(_pixels(counts), colors=5, seed=0)
    assert [(s.rgb, round(s.weight, 3)) for s in p.swatches] == [
        ((118, 118, 118), 0.5),
        ((123, 123, 123), 0.333),
        ((126, 126, 126), 0.167),
    ]
    # A scene of four far colours with grain merges its noise splits (its limit is the full
    # merge distance): see test_noisy_clusters_give_their_centres_and_shares.
    noisy = pixels_to_space(_noisy_clusters(0), "lab")
    assert scene_merge_limit(noisy, np.ones(len(noisy)), "lab") == MERGE_DELTA_E


def test_a_gradient_keeps_its_steps() -> None:
    # Greys 60..200 one level apart: greedy chaining walks along them and collapses them into
    # a few swatches; complete linkage keeps one swatch per MERGE_DELTA_E of the ramp.
    v = np.arange(60, 201)
    rgb = np.stack([v, v, v], axis=1).astype(np.uint8)
    labs = color.srgb_to_lab(rgb / 255.0)
    span = float(color.delta_e_2000(labs[0], labs[-1]))
    p = palette_from_colors(rgb, np.ones(len(rgb)))
    assert len(p) >= span / MERGE_DELTA_E
    # Every swatch stands for a stretch of the ramp no wider than the merge distance.
    for s in p.swatches:
        near = color.delta_e_2000(labs, np.array(s.lab)) < MERGE_DELTA_E / 2
        assert near.any()


@FAST
@given(
    arrays(np.uint8, st.tuples(st.integers(2, 60), st.just(3)), elements=st.integers(90, 110)),
)
def test_every_colour_is_within_the_merge_distance_of_its_swatch(rgb: np.ndarray) -> None:
    # Colours from a narrow cube: lots of near colours for the merging to resolve. Each group's
    # colours are within MERGE_DELTA_E of each other, so of their mean (plus 8-bit rounding).
    p = palette_from_colors(rgb, np.ones(len(rgb)))
    _check_palette_invariants(p, len(rgb))
    swatch_labs = np.array([s.lab for s in p.swatches])
    for lab in color.srgb_to_lab(rgb / 255.0):
        nearest_d = color.delta_e_2000(np.broadcast_to(lab, swatch_labs.shape), swatch_labs)
        assert float(nearest_d.min()) < MERGE_DELTA_E + 1.0


def test_oklab_palettes_merge_in_oklab() -> None:
    # Greys 10 and 18: 1.6 apart in CIEDE2000 (one colour in CIELAB), 0.037 in OKLab (two).
    rgb = np.array([[10, 10, 10], [18, 18, 18]], np.uint8)
    ok = pixels_to_space(rgb, "oklab")
    assert float(np.linalg.norm(ok[0] - ok[1])) > MERGE_DELTA_OK
    assert len(palette_from_colors(rgb, np.ones(2), color_space="lab")) == 1
    assert len(palette_from_colors(rgb, np.ones(2), color_space="oklab")) == 2


# --- film_palette --------------------------------------------------------------------------


def test_film_palette_weights_scenes_by_duration() -> None:
    red, blue, white = (220, 20, 20), (20, 20, 220), (250, 250, 250)
    scenes = [make_palette([(red, 0.5), (blue, 0.5)]), make_palette([(red, 1.0)])]
    p = film_palette(scenes, [1.0, 3.0], colors=5, seed=0, color_space="lab")
    assert [s.rgb for s in p.swatches] == [red, blue]
    assert [s.weight for s in p.swatches] == pytest.approx([0.875, 0.125])
    # Longer second scene, a third scene of white.
    scenes.append(make_palette([(white, 1.0)]))
    p = film_palette(scenes, [2.0, 2.0, 4.0], colors=5, seed=0, color_space="oklab")
    assert dict((s.rgb, s.weight) for s in p.swatches) == pytest.approx(
        {red: 3 / 8, blue: 1 / 8, white: 4 / 8}
    )


def test_film_palette_clusters_down_to_colours() -> None:
    hues = [(230, 30, 30), (30, 200, 30), (30, 30, 230), (240, 240, 60), (250, 250, 250)]
    scenes = [make_palette([(rgb, 1.0)]) for rgb in hues]
    p = film_palette(scenes, [1.0] * 5, colors=2, seed=0, color_space="lab")
    assert len(p) == 2
    assert sum(s.weight for s in p.swatches) == pytest.approx(1.0)


def test_film_palette_ignores_zero_length_scenes() -> None:
    scenes = [make_palette([((10, 10, 10), 1.0)]), make_palette([((240, 240, 240), 1.0)])]
    p = film_palette(scenes, [0.0, 5.0], colors=3, seed=0, color_space="lab")
    assert [(s.hex, s.weight) for s in p.swatches] == [("#f0f0f0", 1.0)]


def test_film_palette_needs_some_weight() -> None:
    with pytest.raises(ValueError, match="no scene palettes"):
        film_palette([], [], colors=3, seed=0, color_space="lab")
    with pytest.raises(ValueError, match="no scene palettes"):
        film_palette([make_palette([((1, 2, 3), 1.0)])], [0.0], colors=3, seed=0, color_space="lab")


def test_film_palette_needs_one_duration_per_palette() -> None:
    with pytest.raises(ValueError):
        film_palette(
            [make_palette([((1, 2, 3), 1.0)])], [1.0, 2.0], colors=3, seed=0, color_space="lab"
        )


@pytest.mark.parametrize(
    ("photo", "grade"), [("coffee", "warm"), ("astronaut", "teal_orange"), ("rocket", "night")]
)
def test_palettes_of_realistic_footage_are_close_to_kmeans_on_every_pixel(
    photo: str, grade: str
) -> None:
    # Graded photographs with camera moves, grain and flicker (the realistic sample's
    # material), not flat colours: a palette from 12,000 of the shot's pixels against k-means
    # (n_init 10) on a 40,000-pixel sample of every frame, both scored on those pixels. Medians
    # over three seeds: k-means has close local minima.
    frames = render_frames([Take(photo, grade, 24)], width=128, height=72)
    every = np.concatenate([f.reshape(-1, 3) for f in frames])
    rng = np.random.default_rng(0)
    pixels = every[rng.choice(len(every), 40_000, replace=False)]
    ours = []
    for seed in range(3):
        drawn = every[np.random.default_rng(seed).choice(len(every), 12_000, replace=False)]
        palette = extract_palette(drawn, colors=5, seed=seed)
        ours.append(pixel_error(pixels, np.array([s.lab for s in palette.swatches])))
    reference = reference_error(pixels, k=5)
    assert float(np.median(ours)) <= 1.10 * reference, (ours, reference)
