"""scenepal.sampling: frames spread over scenes, bounded memory, bars, black and fade frames."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scenepal.models import Frame, Scene
from scenepal.sampling import BarTracker, SceneSampler

W, H = 320, 180  # source size
AW, AH = 64, 36  # analysis size


def frame(index: int, rgb: tuple[int, int, int], *, level: float = 1.0, bars: int = 0) -> Frame:
    """A flat frame at analysis size with letterbox bars ``bars`` source pixels tall."""
    picture = np.zeros((AH, AW, 3), np.uint8)
    top = round(bars * AH / H)
    picture[top : AH - top] = np.round(np.array(rgb) * level).astype(np.uint8)
    luma = (0.2126 * rgb[0] + 0.7152 * rgb[1] + 0.0722 * rgb[2]) / 255 * level
    rows = np.full(H, luma, np.float32)
    rows[:bars] = 0
    rows[H - bars :] = 0
    cols = np.full(W, luma * (H - 2 * bars) / H, np.float32)
    return Frame(index=index, time_s=index / 24, rgb=picture, rows=rows, cols=cols)


def sampler(**kwargs: int | float) -> SceneSampler:
    options: dict[str, int | float] = {
        "fps": 24.0,
        "sample_fps": 4.0,
        "frames_per_scene": 8,
        "pixels_per_scene": 500,
        "min_scene_len": 15,
        "black_level": 0.015,
        "seed": 0,
    }
    options.update(kwargs)
    return SceneSampler(source_size=(W, H), **options)  # type: ignore[arg-type]


def scene(start: int, end: int, index: int = 0) -> Scene:
    return Scene(index, start, end, start / 24, end / 24)


def test_base_period_follows_sample_rate_and_minimum_scene_length() -> None:
    assert sampler().period == 6
    assert sampler(min_scene_len=4).period == 2
    assert sampler(sample_fps=100.0).period == 1


def test_a_long_scene_keeps_a_bounded_number_of_frames_spread_over_it() -> None:
    s = sampler(frames_per_scene=8)
    for i in range(2400):
        s.add(frame(i, (100, 150, 200)))
        assert len(s._frames) <= 8
    sample = s.close(scene(0, 2400))
    assert 4 <= sample.frames <= 8
    assert len(sample.pixels) == 500


def test_sampled_frames_cover_the_whole_scene() -> None:
    s = sampler(frames_per_scene=8)
    for i in range(960):
        s.add(frame(i, (100, 150, 200)))
    kept = [f.index for f in s._frames]
    assert kept[0] == 0 and kept[-1] >= 960 * 3 // 4


def test_frames_past_a_late_cut_stay_for_the_next_scene() -> None:
    s = sampler()
    for i in range(40):
        s.add(frame(i, (200, 40, 40) if i < 30 else (40, 40, 200)))
    first = s.close(scene(0, 30))
    for i in range(40, 60):
        s.add(frame(i, (40, 40, 200)))
    second = s.close(scene(30, 60, 1))
    assert {tuple(p) for p in first.pixels} == {(200, 40, 40)}
    assert {tuple(p) for p in second.pixels} == {(40, 40, 200)}


def test_an_all_black_scene_is_black() -> None:
    s = sampler()
    for i in range(30):
        s.add(frame(i, (0, 0, 0)))
    sample = s.close(scene(0, 30))
    assert sample.black and len(sample.pixels) == 0 and len(sample.black_pixels) > 0


def test_black_frames_and_fade_ends_are_left_out() -> None:
    s = sampler(sample_fps=24.0, frames_per_scene=100)
    levels = [0.0] * 6 + [0.2, 0.4, 0.6, 0.8] + [1.0] * 20 + [0.7, 0.3, 0.0]
    for i, level in enumerate(levels):
        s.add(frame(i, (200, 150, 100), level=level))
    sample = s.close(scene(0, len(levels)))
    assert not sample.black
    assert {tuple(p) for p in sample.pixels} == {(200, 150, 100)}
    assert sample.frames == 20


def test_a_dark_scene_is_not_black() -> None:
    s = sampler()
    for i in range(30):
        s.add(frame(i, (20, 25, 40)))
    sample = s.close(scene(0, 30))
    assert not sample.black and {tuple(p) for p in sample.pixels} == {(20, 25, 40)}


def test_bars_are_found_and_left_out_of_the_pixels() -> None:
    s = sampler()
    for i in range(30):
        s.add(frame(i, (120, 200, 90), bars=30))
    sample = s.close(scene(0, 30))
    assert {tuple(p) for p in sample.pixels} == {(120, 200, 90)}
    crop = s.bars.crop()
    assert crop is not None and (crop.x, crop.y, crop.width, crop.height) == (0, 30, W, H - 60)


def test_bar_tracker_reports_no_crop_without_bars_or_with_only_black() -> None:
    tracker = BarTracker(W, H, 0.015)
    tracker.add(frame(0, (0, 0, 0)))
    assert tracker.box() is None and tracker.crop() is None
    tracker.add(frame(1, (100, 100, 100)))
    assert tracker.crop() is None


def test_sampling_is_deterministic_for_a_seed() -> None:
    def run(seed: int) -> np.ndarray:
        s = sampler(seed=seed, pixels_per_scene=100)
        rng = np.random.default_rng(0)
        for i in range(30):
            f = frame(i, (100, 100, 100))
            f.rgb[:] = rng.integers(0, 256, f.rgb.shape, dtype=np.uint8)
            s.add(f)
        return s.close(scene(0, 30)).pixels

    assert np.array_equal(run(1), run(1))
    assert not np.array_equal(run(1), run(2))


@settings(max_examples=40, deadline=None)
@given(
    lengths=st.lists(st.integers(min_value=15, max_value=200), min_size=1, max_size=6),
    budget=st.integers(min_value=100, max_value=3000),
    keep=st.integers(min_value=1, max_value=30),
)
def test_every_scene_gets_pixels_within_budget(lengths: list[int], budget: int, keep: int) -> None:
    s = sampler(pixels_per_scene=budget, frames_per_scene=keep)
    start = 0
    for n, length in enumerate(lengths):
        colour = (40 + 30 * n, 200 - 20 * n, 90)
        for i in range(start, start + length):
            s.add(frame(i, colour))
            assert len(s._frames) <= keep + 1
        sample = s.close(scene(start, start + length, n))
        assert 0 < len(sample.pixels) <= budget
        assert {tuple(p) for p in sample.pixels} == {colour}
        start += length


def test_a_scene_with_no_sampled_frame_is_empty_not_an_error() -> None:
    s = sampler()
    sample = s.close(scene(0, 0))
    assert sample.frames == 0 and len(sample.pixels) == 0


@pytest.mark.parametrize("bars", [0, 20])
def test_brightness_ignores_the_bars(bars: int) -> None:
    s = sampler(sample_fps=24.0, frames_per_scene=100)
    for i in range(20):
        s.add(frame(i, (60, 60, 60), bars=bars))
    assert s.close(scene(0, 20)).frames == 20


def test_a_scene_shorter_than_the_stride_still_gets_a_frame() -> None:
    s = sampler()
    for i in range(34):
        s.add(frame(i, (200, 40, 40) if i < 31 else (40, 40, 200)))
    s.close(scene(0, 31))
    last = s.close(scene(31, 34, 1))
    assert last.frames >= 1 and {tuple(p) for p in last.pixels} == {(40, 40, 200)}
