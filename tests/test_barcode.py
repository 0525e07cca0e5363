"""scenepal.render.barcode: band widths, stripe heights, linear-light mixing, sizes."""

from __future__ import annotations

import numpy as np
import pytest
from analyses import make_analysis, solid_scenes
from hypothesis import given, settings
from hypothesis import strategies as st

from scenepal import color
from scenepal.render.barcode import barcode

RED, BLUE, WHITE, BLACK = (200, 30, 30), (20, 20, 120), (255, 255, 255), (0, 0, 0)
GREEN, YELLOW = (30, 160, 60), (240, 220, 90)

# Scene palettes are built directly (no film palette clustering when colors >= swatches).
COLORS = 32


def _runs(values: list[tuple[int, ...]]) -> list[tuple[tuple[int, ...], int]]:
    """Run-length encoding of a sequence of colours."""
    runs: list[tuple[tuple[int, ...], int]] = []
    for v in values:
        if runs and runs[-1][0] == v:
            runs[-1] = (v, runs[-1][1] + 1)
        else:
            runs.append((v, 1))
    return runs


def test_default_size_shape_and_dtype() -> None:
    image = barcode(make_analysis([(1.0, [(RED, 1.0)])], colors=COLORS))
    assert image.shape == (800, 2400, 3)
    assert image.dtype == np.uint8
    assert image.flags["C_CONTIGUOUS"]


@pytest.mark.parametrize("size", [(1, 1), (7, 3), (300, 40), (40, 300)])
def test_shape_is_height_width_3(size: tuple[int, int]) -> None:
    image = barcode(make_analysis([(2.0, [(RED, 0.5), (BLUE, 0.5)])], colors=COLORS), size)
    assert image.shape == (size[1], size[0], 3)


def test_single_scene_stripes_are_exact() -> None:
    a = make_analysis([(5.0, [(RED, 0.75), (BLUE, 0.25)])], colors=COLORS)
    image = barcode(a, (64, 100))
    assert np.all(image[:75] == RED)
    assert np.all(image[75:] == BLUE)


def test_stripe_on_a_fractional_row_is_a_linear_mix() -> None:
    # Height 10, weights 0.55 / 0.45: row 5 is half white, half black.
    a = make_analysis([(1.0, [(WHITE, 0.55), (BLACK, 0.45)])], colors=COLORS)
    image = barcode(a, (4, 10))
    assert np.all(image[:5] == 255)
    assert np.all(image[6:] == 0)
    assert image[5].tolist() == [[188, 188, 188]] * 4


def test_two_scenes_three_to_one() -> None:
    a = make_analysis([(3.0, [(RED, 1.0)]), (1.0, [(BLUE, 1.0)])], colors=COLORS)
    image = barcode(a, (400, 20))
    assert _runs([tuple(int(v) for v in px) for px in image[0]]) == [(RED, 300), (BLUE, 100)]
    assert np.all(image == image[:1])  # one colour per scene: every row alike


@settings(max_examples=50, deadline=None)
@given(
    st.lists(st.floats(0.5, 20.0), min_size=2, max_size=6),
    st.integers(50, 1000),
)
def test_band_widths_follow_scene_durations(durations: list[float], width: int) -> None:
    palette = [RED, BLUE, GREEN, YELLOW, WHITE, BLACK]
    a = make_analysis([(d, [(palette[i], 1.0)]) for i, d in enumerate(durations)], colors=COLORS)
    row = barcode(a, (width, 2))[0]
    total = sum(durations)
    edge = 0.0
    for i, d in enumerate(durations):
        start, edge = edge, edge + d / total * width
        # Columns fully inside the scene's band are exactly its colour.
        inside = row[int(np.ceil(start)) : int(np.floor(edge))]
        assert np.all(inside == palette[i])
        # Its pure columns are its share of the width, less a partial column at each end.
        exact = np.all(row == palette[i], axis=1).sum()
        assert d / total * width - 2 <= exact <= d / total * width + 1


def test_many_tiny_scenes_mix_in_linear_light() -> None:
    # 200 alternating black and white scenes in 10 columns: 20 scenes per column, half each.
    a = make_analysis(solid_scenes(200, [BLACK, WHITE]), colors=COLORS)
    image = barcode(a, (10, 4))
    assert np.all(image == 188)  # linear 0.5 -> sRGB 187.5, not the naive 128


def test_column_mix_follows_coverage() -> None:
    # Black 1 s then white 3 s in 1 column: 25% black, 75% white in linear light.
    a = make_analysis([(1.0, [(BLACK, 1.0)]), (3.0, [(WHITE, 1.0)])], colors=COLORS)
    image = barcode(a, (1, 2))
    expected = int(color.to_uint8(color.linear_to_srgb(0.75)))
    assert expected == 225
    assert np.all(image == expected)


def test_partial_column_between_two_bands() -> None:
    # Width 3, durations 1:1 -> red covers 1.5 columns: column 1 is half red, half blue.
    a = make_analysis([(1.0, [(RED, 1.0)]), (1.0, [(BLUE, 1.0)])], colors=COLORS)
    image = barcode(a, (3, 1))
    mid = color.to_uint8(color.mean_srgb(np.array([RED, BLUE]) / 255.0)).tolist()
    assert image[0].tolist() == [list(RED), mid, list(BLUE)]


@settings(max_examples=50, deadline=None)
@given(
    st.lists(st.floats(0.01, 100.0), min_size=1, max_size=40),
    st.tuples(*[st.integers(0, 255)] * 3),
    st.integers(1, 300),
    st.integers(1, 50),
)
def test_a_film_of_one_colour_is_one_colour(
    durations: list[float], rgb: tuple[int, int, int], width: int, height: int
) -> None:
    a = make_analysis([(d, [(rgb, 1.0)]) for d in durations], colors=COLORS)
    image = barcode(a, (width, height))
    assert np.all(np.abs(image.astype(int) - rgb) <= 1)


def test_zero_length_scenes_take_no_room() -> None:
    a = make_analysis(
        [(2.0, [(RED, 1.0)]), (0.0, [(WHITE, 1.0)]), (2.0, [(BLUE, 1.0)])], colors=COLORS
    )
    row = barcode(a, (10, 1))[0]
    assert _runs([tuple(int(v) for v in px) for px in row]) == [(RED, 5), (BLUE, 5)]


@pytest.mark.parametrize("size", [(0, 10), (10, 0), (-5, 10), (10, -1)])
def test_invalid_size_raises(size: tuple[int, int]) -> None:
    a = make_analysis([(1.0, [(RED, 1.0)])], colors=COLORS)
    with pytest.raises(ValueError, match="positive"):
        barcode(a, size)
