"""Barcode modes (scenepal.render.barcodes) as exact pixel arrays on synthetic analyses."""

from __future__ import annotations

import dataclasses
import math

import numpy as np
import pytest
from analyses import make_analysis
from hypothesis import given, settings
from hypothesis import strategies as st

from scenepal import color
from scenepal.errors import AnalysisFileError, ConfigError
from scenepal.frametimeline import FrameTimeline
from scenepal.models import Analysis
from scenepal.render.barcode import barcode, draw
from scenepal.render.barcodes import MODES, BarcodeOptions, check_options, get_mode

RED, BLUE, WHITE, BLACK = (200, 30, 30), (20, 20, 120), (255, 255, 255), (0, 0, 0)
GREEN, YELLOW = (30, 160, 60), (240, 220, 90)
COLORS = 32


def _with_timeline(analysis: Analysis, linear: np.ndarray, times: np.ndarray) -> Analysis:
    return dataclasses.replace(
        analysis, timeline=FrameTimeline(np.asarray(times, np.float64), linear.astype(np.uint16))
    )


def _film(frames: int, *, fps: float = 24.0, seed: int = 0) -> Analysis:
    """One scene of ``frames`` frames with random mean colours, times at 1/fps."""
    a = make_analysis([(frames / fps, [(RED, 1.0)])], fps=fps, colors=COLORS)
    rng = np.random.default_rng(seed)
    return _with_timeline(a, rng.integers(0, 65536, (frames, 3)), np.arange(frames) / fps)


def test_the_registry_lists_every_mode_and_refuses_unknown_ones() -> None:
    assert list(MODES) == ["frames", "scenes", "dominant", "circular-frames", "circular-scenes"]
    with pytest.raises(ConfigError, match="choose from frames, scenes, dominant"):
        get_mode("rainbow")


def test_options_a_mode_does_not_take_are_refused() -> None:
    with pytest.raises(ConfigError, match="--smooth does not apply to the scenes barcode"):
        check_options(get_mode("scenes"), BarcodeOptions(smooth=3))
    with pytest.raises(ConfigError, match="--inner does not apply to the frames barcode"):
        check_options(get_mode("frames"), BarcodeOptions(inner=0.3))
    with pytest.raises(ConfigError, match="--inner must be"):
        check_options(get_mode("circular-scenes"), BarcodeOptions(inner=1.0))
    check_options(get_mode("circular-frames"), BarcodeOptions(smooth=5, inner=0.0))


def test_scenes_mode_is_the_default_barcode() -> None:
    a = make_analysis(
        [(3.0, [(RED, 0.6), (BLUE, 0.4)]), (1.0, [(WHITE, 1.0)]), (2.0, [(GREEN, 1.0)])],
        colors=COLORS,
    )
    image = draw(a, get_mode("scenes"), (60, 10), BarcodeOptions())
    assert np.array_equal(image, barcode(a, (60, 10)))
    assert np.all(image[:6, :30] == RED) and np.all(image[6:, :30] == BLUE)
    assert np.all(image[:, 30:40] == WHITE) and np.all(image[:, 40:] == GREEN)


def test_dominant_mode_is_each_scenes_heaviest_colour_as_wide_as_it_is_long() -> None:
    a = make_analysis(
        [
            (1.0, [(BLUE, 0.3), (RED, 0.7)]),
            (2.0, [(YELLOW, 0.9), (BLACK, 0.1)]),
            (1.0, [(GREEN, 1.0)]),
        ],
        colors=COLORS,
    )
    image = draw(a, get_mode("dominant"), (40, 6), BarcodeOptions())
    expected = np.zeros((6, 40, 3), np.uint8)
    expected[:, :10] = BLUE  # the first swatch as given is the palette's heaviest
    expected[:, 10:30] = YELLOW
    expected[:, 30:] = GREEN
    assert np.array_equal(image, expected)


def test_a_dominant_band_on_a_fractional_column_is_a_linear_mix() -> None:
    a = make_analysis([(1.0, [(WHITE, 1.0)]), (1.0, [(BLACK, 1.0)])], colors=COLORS)
    image = draw(a, get_mode("dominant"), (3, 2), BarcodeOptions())
    assert image[0].tolist() == [[255] * 3, [188] * 3, [0] * 3]  # half white in linear light


def test_frames_at_as_many_columns_as_frames_is_each_frames_own_colour() -> None:
    a = _film(240)
    assert a.timeline is not None
    image = draw(a, get_mode("frames"), (240, 5), BarcodeOptions())
    expected = np.broadcast_to(a.timeline.srgb()[None], (5, 240, 3))
    assert np.array_equal(image, expected)


def test_frames_columns_stay_exact_when_times_are_rounded_to_milliseconds() -> None:
    # Matroska keeps times in whole milliseconds: 1/24 s steps are off by up to half of one.
    a = _film(97)
    assert a.timeline is not None
    rounded = np.round(a.timeline.times, 3)
    a = _with_timeline(a, a.timeline.linear, rounded)
    assert a.timeline is not None
    image = draw(a, get_mode("frames"), (97, 1), BarcodeOptions())
    assert np.array_equal(image[0], a.timeline.srgb())


def test_a_frames_column_is_the_linear_mean_of_its_frames() -> None:
    a = _film(200)
    assert a.timeline is not None
    image = draw(a, get_mode("frames"), (50, 2), BarcodeOptions())
    linear = a.timeline.linear.reshape(50, 4, 3).astype(np.float64).mean(axis=1) / 65535
    assert np.array_equal(image[0], color.encode_srgb8(linear))
    black_white = _with_timeline(a, np.array([[0] * 3, [65535] * 3]), np.array([0.0, 0.5]))
    black_white = dataclasses.replace(
        black_white,
        scenes=(
            dataclasses.replace(
                a.scenes[0], scene=dataclasses.replace(a.scenes[0].scene, end_s=1.0)
            ),
        ),
    )
    assert draw(black_white, get_mode("frames"), (1, 1), BarcodeOptions()).tolist() == [[[188] * 3]]


def test_more_columns_than_frames_repeat_the_frame_on_screen() -> None:
    a = _film(30)
    assert a.timeline is not None
    image = draw(a, get_mode("frames"), (90, 1), BarcodeOptions())
    assert np.array_equal(image[0], np.repeat(a.timeline.srgb(), 3, axis=0))


def test_smoothing_averages_neighbouring_columns_in_linear_light() -> None:
    a = _film(64)
    assert a.timeline is not None
    image = draw(a, get_mode("frames"), (64, 1), BarcodeOptions(smooth=3))
    linear = a.timeline.linear.astype(np.float64) / 65535
    padded = np.concatenate([linear[:1] * np.nan, linear, linear[:1] * np.nan])
    windows = np.stack([padded[:-2], padded[1:-1], padded[2:]])
    assert np.array_equal(image[0], color.encode_srgb8(np.nanmean(windows, axis=0)))


def test_frames_modes_need_the_timeline() -> None:
    a = make_analysis([(1.0, [(RED, 1.0)])], colors=COLORS)
    for name in ("frames", "circular-frames"):
        with pytest.raises(AnalysisFileError, match="no frame timeline"):
            draw(a, get_mode(name), (100, 100), BarcodeOptions())


def _polar(size: int) -> tuple[np.ndarray, np.ndarray]:
    """Radius and turn (clockwise from 12 o'clock) of every pixel centre of a size x size
    picture."""
    y, x = np.mgrid[0:size, 0:size]
    dx, dy = x + 0.5 - size / 2, y + 0.5 - size / 2
    return np.hypot(dx, dy), (np.arctan2(dx, -dy) / (2 * math.pi)) % 1.0


def _away_from(turn: np.ndarray, radius: np.ndarray, boundaries: list[float]) -> np.ndarray:
    """Pixels more than 1.5 pixels of arc from every boundary turn."""
    far = np.ones(turn.shape, bool)
    for b in boundaries:
        d = np.abs((turn - b + 0.5) % 1.0 - 0.5) * 2 * math.pi * radius
        far &= d > 1.5
    return far


def test_circular_scenes_wedges_start_at_12_and_run_clockwise() -> None:
    # Scenes of 1/4, 1/2 and 1/4 of the film: 12 to 3 o'clock, 3 to 9, 9 to 12.
    a = make_analysis(
        [(1.0, [(RED, 1.0)]), (2.0, [(BLUE, 1.0)]), (1.0, [(YELLOW, 1.0)])], colors=COLORS
    )
    size = 200
    image = draw(a, get_mode("circular-scenes"), (size, size), BarcodeOptions(inner=0.5))
    assert image.shape == (size, size, 4) and image.dtype == np.uint8
    radius, turn = _polar(size)
    inside = (radius > 51) & (radius < 99) & _away_from(turn, radius, [0.0, 0.25, 0.75])
    expected = np.where(
        (turn < 0.25)[..., None], RED, np.where((turn < 0.75)[..., None], BLUE, YELLOW)
    )
    assert inside.sum() > 20_000
    assert np.array_equal(image[inside][:, :3], expected[inside])
    assert np.all(image[inside][:, 3] == 255)
    outside = (radius > 100.6) | (radius < 49.4)
    assert np.all(image[outside] == 0)  # transparent around the ring and in its hole
    # Just above and below 3 o'clock: the first wedge ends on the horizontal.
    assert image[98, 180, :3].tolist() == list(RED) and image[101, 180, :3].tolist() == list(BLUE)
    # Just right and left of 12 o'clock: the film starts there, the last scene ends there.
    assert image[20, 101, :3].tolist() == list(RED) and image[20, 98, :3].tolist() == list(YELLOW)


def test_circular_scenes_palette_rings_go_from_the_outer_edge_in() -> None:
    a = make_analysis([(1.0, [(RED, 0.5), (BLUE, 0.5)])], colors=COLORS)
    image = draw(a, get_mode("circular-scenes"), (200, 200), BarcodeOptions(inner=0.0))
    radius, _ = _polar(200)
    assert np.all(image[(radius > 51) & (radius < 99)][:, :3] == RED)
    assert np.all(image[radius < 49][:, :3] == BLUE)


def test_circular_frames_wedges_are_the_frames_columns() -> None:
    # Four frames: a quarter turn each.
    a = make_analysis([(4 / 24, [(RED, 1.0)])], colors=COLORS)
    linear = np.array([[65535, 0, 0], [0, 65535, 0], [0, 0, 65535], [65535, 65535, 0]])
    a = _with_timeline(a, linear, np.arange(4) / 24)
    image = draw(a, get_mode("circular-frames"), (120, 120), BarcodeOptions())
    radius, turn = _polar(120)
    inside = (radius > 31) & (radius < 59) & _away_from(turn, radius, [0.0, 0.25, 0.5, 0.75])
    quarter = np.minimum((turn * 4).astype(int), 3)
    colors = np.array([[255, 0, 0], [0, 255, 0], [0, 0, 255], [255, 255, 0]])
    assert np.array_equal(image[inside][:, :3], colors[quarter[inside]])


@settings(max_examples=25, deadline=None)
@given(
    durations=st.lists(st.floats(0.1, 10.0), min_size=1, max_size=40),
    width=st.integers(1, 300),
)
def test_a_strip_is_the_exact_box_filter_of_its_bands(durations: list[float], width: int) -> None:
    # The picture's mean in linear light is the duration-weighted mean of the bands.
    colors = [
        (int(i * 53) % 256, int(i * 97) % 256, int(i * 31) % 256) for i in range(len(durations))
    ]
    a = make_analysis(
        [(d, [(c, 1.0)]) for d, c in zip(durations, colors, strict=True)], colors=COLORS
    )
    image = draw(a, get_mode("dominant"), (width, 1), BarcodeOptions())
    shares = np.array([r.scene.duration_s for r in a.scenes])
    want = np.average(color.srgb_to_linear(np.array(colors) / 255), axis=0, weights=shares)
    got = color.srgb_to_linear(image[0] / 255).mean(axis=0)
    assert np.abs(got - want).max() < 0.01  # each column rounded to 8 bits on its own
