"""Colour statistics on synthetic scenes whose answers are known."""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable

import numpy as np
import pytest
from films import FilmTruth
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from scenepal import color
from scenepal.cct import cct_duv
from scenepal.models import Analysis
from scenepal.stats import film_stats, scene_stats
from scenepal.stats_histograms import DENSITY_BINS, histogram_percentiles


def flat(rgb: tuple[int, int, int], n: int = 400) -> np.ndarray:
    return np.tile(np.array(rgb, dtype=np.uint8), (n, 1))


def lab_of(rgb: tuple[int, int, int]) -> np.ndarray:
    return color.srgb_to_lab(np.array(rgb, dtype=np.float64) / 255.0)


@pytest.mark.parametrize(("level", "key"), [(30, "low"), (119, "mid"), (230, "high")])
def test_flat_grey_has_its_lightness_no_chroma_and_no_colourfulness(level: int, key: str) -> None:
    s = scene_stats(flat((level, level, level)))
    expected = float(lab_of((level, level, level))[0])
    light = s.lightness
    for value in (light.mean, light.p5, light.p50, light.p95):
        assert value == pytest.approx(expected, abs=1e-3)
    assert light.contrast == 0.0
    assert light.key == key
    assert s.chroma.mean == 0.0
    assert s.chroma.p95 == 0.0
    assert s.colorfulness == 0.0
    assert s.hue.mean_deg is None
    assert sum(s.hue.histogram) == 0.0
    assert s.teal_orange.balance == 0.0
    assert s.split_tone.shadows.chroma == 0.0
    assert s.split_tone.highlights.hue_deg is None


def test_lightness_percentiles_and_contrast_of_a_ramp() -> None:
    # 101 greys whose L* runs evenly over a known range: percentiles are known.
    targets = np.linspace(10.0, 90.0, 101)
    greys = []
    for lightness in targets:
        linear = color.lab_to_linear([lightness, 0.0, 0.0])
        greys.append(color.to_uint8(color.linear_to_srgb(linear)))
    pixels = np.array(greys, dtype=np.uint8)
    actual = color.srgb_to_lab(pixels / 255.0)[:, 0]
    s = scene_stats(pixels)
    assert s.lightness.p5 == pytest.approx(np.percentile(actual, 5), abs=1e-3)
    assert s.lightness.p50 == pytest.approx(np.percentile(actual, 50), abs=1e-3)
    assert s.lightness.p95 == pytest.approx(50 + 40 * 0.9, abs=0.5)
    assert s.lightness.contrast == pytest.approx(72.0, abs=0.6)
    assert s.lightness.mean == pytest.approx(50.0, abs=0.3)


def test_a_scene_of_known_chroma() -> None:
    orange, blue = (220, 120, 40), (40, 80, 200)
    c_orange = float(np.hypot(*lab_of(orange)[1:]))
    c_blue = float(np.hypot(*lab_of(blue)[1:]))
    s = scene_stats(np.concatenate([flat(orange, 300), flat(blue, 100)]))
    assert s.chroma.mean == pytest.approx(0.75 * c_orange + 0.25 * c_blue, abs=1e-3)
    assert s.chroma.p95 == pytest.approx(max(c_orange, c_blue), abs=1e-3)


def test_one_hue_fills_its_bin_and_is_the_mean() -> None:
    rgb = (60, 160, 90)  # a green of known hue
    hue = math.degrees(math.atan2(lab_of(rgb)[2], lab_of(rgb)[1])) % 360
    s = scene_stats(flat(rgb))
    assert s.hue.mean_deg == pytest.approx(hue, abs=0.01)
    assert s.hue.histogram[int(hue // 30)] == 1.0
    assert sum(s.hue.histogram) == pytest.approx(1.0)
    assert s.hue.concentration == pytest.approx(1.0)


def white_under(x: float, y: float) -> tuple[int, int, int]:
    """A white lit by the illuminant at chromaticity (x, y), as bright as sRGB can hold it."""
    linear = color.XYZ_TO_RGB @ np.array([x / y, 1.0, (1 - x - y) / y])
    assert linear.min() > 0  # inside the sRGB gamut
    srgb = color.linear_to_srgb(0.9 * linear / linear.max())
    r, g, b = (int(v) for v in color.to_uint8(srgb))
    return (r, g, b)


@pytest.mark.parametrize(
    ("xy", "cct", "label"),
    [
        ((0.44757, 0.40745), 2856.0, "warm"),  # CIE illuminant A
        ((0.34567, 0.35850), 5003.0, "neutral"),  # D50
        ((0.31271, 0.32902), 6504.0, "neutral"),  # D65
        ((0.28315, 0.29711), 9300.0, "cool"),  # D93-ish: a cool white
    ],
)
def test_white_under_an_illuminant_has_its_cct(
    xy: tuple[float, float], cct: float, label: str
) -> None:
    s = scene_stats(flat(white_under(*xy)))
    assert s.warmth.cct_k is not None
    assert s.warmth.cct_k == pytest.approx(cct, abs=100)
    assert s.warmth.label == label
    assert s.warmth.duv is not None
    assert abs(s.warmth.duv) < 0.004


@pytest.mark.parametrize(
    ("xyz", "cct"),
    [([1.09850, 1.0, 0.35585], 2856.0), ([0.96422, 1.0, 0.82521], 5003.0), (None, 6504.0)],
)
def test_cct_of_the_reference_illuminants_within_100_k(xyz: list[float] | None, cct: float) -> None:
    point = color.D65_WHITE if xyz is None else np.array(xyz)
    found, _ = cct_duv(point)
    assert found is not None
    assert abs(found - cct) < 100


def test_duv_sign_green_above_magenta_below() -> None:
    d65 = color.D65_WHITE
    _, duv_green = cct_duv(d65 + np.array([0.0, 0.08, 0.0]))
    _, duv_magenta = cct_duv(d65 + np.array([0.1, 0.0, 0.1]))
    assert duv_green is not None and duv_green > 0.005
    assert duv_magenta is not None and duv_magenta < -0.005
    assert cct_duv([0.0, 0.0, 0.0]) == (None, None)


def test_orange_and_teal_in_known_shares() -> None:
    orange, teal = (230, 140, 60), (40, 140, 150)
    h_orange = math.degrees(math.atan2(lab_of(orange)[2], lab_of(orange)[1])) % 360
    h_teal = math.degrees(math.atan2(lab_of(teal)[2], lab_of(teal)[1])) % 360
    assert 30 <= h_orange < 90
    assert 170 <= h_teal < 250
    c_o, c_t = float(np.hypot(*lab_of(orange)[1:])), float(np.hypot(*lab_of(teal)[1:]))
    grey = flat((128, 128, 128), 100)  # adds pixels but no chroma
    s = scene_stats(np.concatenate([flat(orange, 300), flat(teal, 100), grey]))
    share_o = 300 * c_o / (300 * c_o + 100 * c_t)
    assert s.teal_orange.orange_share == pytest.approx(share_o, abs=1e-4)
    assert s.teal_orange.teal_share == pytest.approx(1 - share_o, abs=1e-4)
    expected_balance = (share_o - (1 - share_o)) / 1.0
    assert s.teal_orange.balance == pytest.approx(expected_balance, abs=1e-4)
    red = scene_stats(flat((200, 30, 60)))  # hue near 10 degrees: neither sector
    assert red.teal_orange.orange_share == 0.0
    assert red.teal_orange.teal_share == 0.0
    assert red.teal_orange.balance == 0.0


def test_split_tone_finds_teal_shadows_and_orange_highlights() -> None:
    shadow, mid, highlight = (20, 45, 55), (128, 128, 128), (245, 205, 160)
    pixels = np.concatenate([flat(shadow, 100), flat(mid, 200), flat(highlight, 100)])
    s = scene_stats(pixels)
    sh, hi = s.split_tone.shadows, s.split_tone.highlights
    assert (sh.a, sh.b) == pytest.approx(tuple(lab_of(shadow)[1:]), abs=1e-3)
    assert (hi.a, hi.b) == pytest.approx(tuple(lab_of(highlight)[1:]), abs=1e-3)
    assert sh.hue_deg is not None and 170 <= sh.hue_deg < 250
    assert hi.hue_deg is not None and 30 <= hi.hue_deg < 90
    assert sh.chroma == pytest.approx(math.hypot(sh.a, sh.b), abs=1e-3)


def hasler(pixels: np.ndarray) -> float:
    """Hasler and Suesstrunk (2003), written out directly as in the paper."""
    r, g, b = (pixels[:, i].astype(np.float64) for i in range(3))
    rg, yb = r - g, 0.5 * (r + g) - b
    return float(
        np.sqrt(rg.std() ** 2 + yb.std() ** 2) + 0.3 * np.sqrt(rg.mean() ** 2 + yb.mean() ** 2)
    )


def test_colourfulness_matches_the_paper_formula() -> None:
    rng = np.random.default_rng(3)
    pixels = rng.integers(0, 256, (2000, 3)).astype(np.uint8)
    assert scene_stats(pixels).colorfulness == pytest.approx(hasler(pixels), abs=1e-3)
    assert scene_stats(flat((255, 0, 0))).colorfulness == pytest.approx(
        0.3 * math.hypot(255, 127.5), abs=1e-3
    )


def test_density_counts_every_pixel_in_its_cell() -> None:
    s = scene_stats(np.concatenate([flat((230, 140, 60), 30), flat((128, 128, 128), 10)]))
    assert s.histograms is not None
    assert s.histograms.ab.shape == (DENSITY_BINS, DENSITY_BINS)
    assert int(s.histograms.ab.sum()) == 40
    assert s.histograms.ab[32, 32] == 10  # the grey, at a* = b* = 0
    assert int(s.histograms.lightness.sum()) == int(s.histograms.chroma.sum()) == 40


def test_bad_pixels_are_refused() -> None:
    with pytest.raises(ValueError, match="pixels"):
        scene_stats(np.zeros((0, 3), np.uint8))
    with pytest.raises(ValueError, match="pixels"):
        scene_stats(np.zeros((4, 4, 3), np.uint8))


def test_film_of_one_scene_is_that_scene() -> None:
    rng = np.random.default_rng(1)
    s = scene_stats(rng.integers(0, 256, (3000, 3)).astype(np.uint8))
    f = film_stats([s], [12.0])
    assert f is not None
    for name in ("p5", "p50", "p95"):
        assert getattr(f.lightness, name) == pytest.approx(getattr(s.lightness, name), abs=0.25)
    assert f.chroma.p95 == pytest.approx(s.chroma.p95, abs=0.25)
    assert f.hue == s.hue
    assert f.teal_orange == s.teal_orange
    assert f.colorfulness == pytest.approx(s.colorfulness, abs=2e-3)
    assert f.warmth == s.warmth
    assert f.histograms is not None and f.histograms.ab.sum() == pytest.approx(1.0)


def test_film_weights_scenes_by_duration_like_pooled_pixels() -> None:
    rng = np.random.default_rng(5)
    dark = (rng.normal(60, 20, (4000, 3)).clip(0, 255)).astype(np.uint8)
    bright = (rng.normal([210, 160, 110], 25, (4000, 3)).clip(0, 255)).astype(np.uint8)
    film = film_stats([scene_stats(dark), scene_stats(bright), None], [3.0, 1.0, 5.0])
    pooled = scene_stats(np.concatenate([dark, dark, dark, bright]))
    assert film is not None
    assert film.lightness.mean == pytest.approx(pooled.lightness.mean, abs=1e-2)
    for name in ("p5", "p50", "p95"):
        assert getattr(film.lightness, name) == pytest.approx(
            getattr(pooled.lightness, name), abs=0.25
        )
    assert film.chroma.p95 == pytest.approx(pooled.chroma.p95, abs=0.25)
    assert film.chroma.mean == pytest.approx(pooled.chroma.mean, abs=1e-2)
    assert film.colorfulness == pytest.approx(pooled.colorfulness, abs=1e-2)
    assert film.hue.histogram == pytest.approx(pooled.hue.histogram, abs=1e-4)
    assert film.teal_orange.orange_share == pytest.approx(pooled.teal_orange.orange_share, abs=1e-4)
    assert film.warmth.cct_k == pytest.approx(pooled.warmth.cct_k, abs=2)
    assert film.pixels == 8000
    assert film_stats([None], [1.0]) is None


def test_histogram_percentiles_of_disjoint_ranges() -> None:
    h = np.zeros(100)
    h[0:10] = 3.0  # 30 in [0, 10)
    h[50:60] = 1.0  # 10 in [50, 60)
    assert histogram_percentiles(h, 1.0, [50.0, 80.0]) == pytest.approx([20 / 3, 52.0])


pixel_arrays = arrays(
    np.uint8, st.tuples(st.integers(1, 300), st.just(3)), elements=st.integers(0, 255)
)


@settings(max_examples=40, deadline=None)
@given(pixel_arrays)
def test_invariants(pixels: np.ndarray) -> None:
    s = scene_stats(pixels)
    light = s.lightness
    assert 0 <= light.p5 <= light.p50 <= light.p95 <= 100.01
    assert light.contrast >= 0
    assert s.chroma.p95 >= 0 and s.colorfulness >= 0
    total = sum(s.hue.histogram)
    assert total == pytest.approx(1.0, abs=1e-4) or total == 0.0
    shares = s.teal_orange
    assert 0 <= shares.orange_share + shares.teal_share <= 1.0 + 1e-4
    assert -1 <= shares.balance <= 1
    assert 0 <= s.hue.concentration <= 1
    assert s.hue.mean_deg is None or 0 <= s.hue.mean_deg < 360


@settings(max_examples=25, deadline=None)
@given(st.lists(pixel_arrays, min_size=1, max_size=4), st.data())
def test_film_invariants(scenes: list[np.ndarray], data: st.DataObject) -> None:
    durations = data.draw(st.lists(st.floats(0.1, 100), min_size=len(scenes), max_size=len(scenes)))
    stats = [scene_stats(p) for p in scenes]
    f = film_stats(stats, durations)
    assert f is not None
    lightness = color.srgb_to_lab(np.concatenate(scenes) / 255.0)[:, 0]
    lows, highs = float(lightness.min()), float(lightness.max())
    assert lows - 0.25 <= f.lightness.p5 <= f.lightness.p50 <= f.lightness.p95 <= highs + 0.25
    means = [s.lightness.mean for s in stats]
    assert min(means) - 1e-3 <= f.lightness.mean <= max(means) + 1e-3
    assert f.histograms is not None
    assert f.histograms.ab.sum() == pytest.approx(1.0) or f.histograms.ab.sum() == 0.0


def test_an_analysed_film_carries_statistics(
    cut_film_ffv1: FilmTruth, analyzed: Callable[..., Analysis]
) -> None:
    analysis = analyzed(cut_film_ffv1.path)
    grey = analysis.scenes[2].stats  # the flat (90, 90, 90) shot
    assert grey is not None
    assert grey.lightness.p50 == pytest.approx(float(lab_of((90, 90, 90))[0]), abs=1.0)
    assert grey.chroma.p95 < 2.0
    assert grey.pixels == analysis.scenes[2].sampled_pixels
    film = analysis.stats
    assert film is not None
    assert film.pixels == sum(r.stats.pixels for r in analysis.scenes if r.stats)
    assert min(r.stats.lightness.p5 for r in analysis.scenes if r.stats) - 0.25 <= film.lightness.p5


def test_noise_on_grey_has_no_hue_and_no_teal_orange() -> None:
    # every grey of 30, 120 and 220 with its channels moved by one level at most
    steps = np.array(list(itertools.product((-1, 0, 1), repeat=3)))
    grey = np.concatenate([base + steps for base in (30, 120, 220)]).astype(np.uint8)
    s = scene_stats(grey)
    assert 0.5 < s.chroma.mean < 2.0
    assert sum(s.hue.histogram) == 0.0 and s.hue.mean_deg is None
    assert (s.teal_orange.orange_share, s.teal_orange.teal_share, s.teal_orange.balance) == (
        0.0,
        0.0,
        0.0,
    )


def test_a_grey_scene_does_not_dilute_the_films_shares() -> None:
    orange = scene_stats(flat((230, 140, 60)))
    grey = scene_stats(flat((120, 120, 121)))  # a trace of blue, under the neutral chroma
    film = film_stats([orange, grey], [1.0, 9.0])
    assert film is not None
    assert film.teal_orange.orange_share == pytest.approx(1.0)
    assert sum(film.hue.histogram) == pytest.approx(1.0)


def test_near_black_has_no_colour_temperature() -> None:
    s = scene_stats(flat((12, 8, 20)))
    assert s.warmth.cct_k is None and s.warmth.duv is None
    assert s.warmth.label == "neutral"
    assert s.warmth.xyz[1] < 0.01
