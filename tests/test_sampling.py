"""scenepal.sampling: frames spread over scenes, bounded memory, per-scene bars, black and fade
frames, screen-time weighting."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scenepal.models import Excluded, Frame, Scene
from scenepal.sampling import LONG_TAKE_GROWTH, SceneSampler

W, H = 320, 180  # source size
AW, AH = 64, 36  # analysis size


def frame(
    index: int,
    rgb: tuple[int, int, int],
    *,
    level: float = 1.0,
    bars: int = 0,
    pillars: int = 0,
    time_s: float | None = None,
) -> Frame:
    """A flat frame at analysis size with letterbox bars ``bars`` and pillarbox bars
    ``pillars`` source pixels thick."""
    picture = np.zeros((AH, AW, 3), np.uint8)
    top, side = round(bars * AH / H), round(pillars * AW / W)
    picture[top : AH - top, side : AW - side] = np.round(np.array(rgb) * level).astype(np.uint8)
    luma = (0.2126 * rgb[0] + 0.7152 * rgb[1] + 0.0722 * rgb[2]) / 255 * level
    rows = np.full(H, luma * (W - 2 * pillars) / W, np.float32)
    rows[:bars] = 0
    rows[H - bars :] = 0
    cols = np.full(W, luma * (H - 2 * bars) / H, np.float32)
    cols[:pillars] = 0
    cols[W - pillars :] = 0
    t = index / 24 if time_s is None else time_s
    return Frame(index=index, time_s=t, rgb=picture, rows=rows, cols=cols)


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


def colors(pixels: np.ndarray) -> set[tuple[int, ...]]:
    return {tuple(int(v) for v in p) for p in pixels}


def test_base_period_follows_sample_rate_and_minimum_scene_length() -> None:
    assert sampler().period == 6
    assert sampler(min_scene_len=4).period == 2
    assert sampler(sample_fps=100.0).period == 1


def test_a_long_take_is_sampled_uniformly_to_its_end() -> None:
    s = sampler(frames_per_scene=8)
    for i in range(2400):
        s.add(frame(i, (100, 150, 200)))
    sample = s.close(scene(0, 2400))
    kept = [f.index for f in sample.kept]
    assert len(kept) == 8 * LONG_TAKE_GROWTH
    assert kept == sorted(kept)
    # A uniform sample of 32 of the 400 candidates: every quarter of the take is represented.
    quarters = np.bincount(np.array(kept) * 4 // 2400, minlength=4)
    assert quarters.min() >= 3, quarters
    assert kept[-1] >= 2400 * 0.9


def test_the_pixel_budget_grows_with_duration_up_to_a_cap() -> None:
    def pixels(length: int) -> int:
        s = sampler(frames_per_scene=8, pixels_per_scene=500)
        for i in range(length):
            s.add(frame(i, (100, 150, 200)))
        return len(s.close(scene(0, length)).pixels)

    short, medium, long = pixels(24), pixels(96), pixels(2400)
    assert short == 500  # up to frames_per_scene / sample_fps = 2 s
    assert medium == 1000  # 4 s: twice that
    assert long == 500 * LONG_TAKE_GROWTH


def test_pixels_follow_screen_time_on_a_variable_frame_rate() -> None:
    # Twelve frames of red lasting 2/24 s each, then twelve of blue lasting 1/24 s.
    s = sampler(sample_fps=24.0, pixels_per_scene=900)
    t = 0.0
    for i in range(24):
        s.add(frame(i, (200, 40, 40) if i < 12 else (40, 40, 200), time_s=t))
        t += 2 / 24 if i < 12 else 1 / 24
    sample = s.close(Scene(0, 0, 24, 0.0, t))
    red = int((sample.pixels == np.array([200, 40, 40])).all(axis=1).sum())
    assert red / len(sample.pixels) == pytest.approx(2 / 3, abs=0.01)


def test_frames_past_a_late_cut_stay_for_the_next_scene() -> None:
    s = sampler()
    for i in range(40):
        s.add(frame(i, (200, 40, 40) if i < 30 else (40, 40, 200)))
    first = s.close(scene(0, 30))
    for i in range(40, 60):
        s.add(frame(i, (40, 40, 200)))
    second = s.close(scene(30, 60, 1))
    assert colors(first.pixels) == {(200, 40, 40)}
    assert colors(second.pixels) == {(40, 40, 200)}


def test_an_all_black_scene_is_black() -> None:
    s = sampler()
    for i in range(30):
        s.add(frame(i, (0, 0, 0)))
    sample = s.close(scene(0, 30))
    assert sample.black and len(sample.pixels) == 0 and len(sample.black_pixels) > 0
    assert sample.excluded == Excluded(black=30)


def test_black_frames_and_fades_are_left_out_and_counted() -> None:
    s = sampler(sample_fps=24.0, frames_per_scene=100)
    levels = [0.0] * 6 + [0.2, 0.4, 0.6, 0.8] + [1.0] * 20 + [0.75, 0.5, 0.25, 0.0]
    for i, level in enumerate(levels):
        s.add(frame(i, (200, 150, 100), level=level))
    sample = s.close(scene(0, len(levels)))
    assert not sample.black
    assert colors(sample.pixels) == {(200, 150, 100)}
    assert sample.frames == 20
    assert sample.excluded == Excluded(black=7, fade_in=4, fade_out=3)
    assert sample.frames + sample.excluded.total == len(levels)


def test_a_room_that_dims_keeps_every_frame() -> None:
    s = sampler(sample_fps=24.0, frames_per_scene=100)
    levels = [1.0] * 10 + [1.0 - 0.65 * k / 30 for k in range(30)] + [0.35] * 20
    for i, level in enumerate(levels):
        s.add(frame(i, (200, 150, 100), level=level))
    sample = s.close(scene(0, len(levels)))
    assert sample.frames == len(levels)
    assert sample.excluded.total == 0


def test_a_dark_scene_is_not_black() -> None:
    s = sampler()
    for i in range(30):
        s.add(frame(i, (20, 25, 40)))
    sample = s.close(scene(0, 30))
    assert not sample.black and colors(sample.pixels) == {(20, 25, 40)}


def test_bars_are_found_and_left_out_of_the_pixels() -> None:
    s = sampler()
    for i in range(30):
        s.add(frame(i, (120, 200, 90), bars=30))
    sample = s.close(scene(0, 30))
    assert colors(sample.pixels) == {(120, 200, 90)}
    assert sample.crop is not None
    assert (sample.crop.x, sample.crop.y, sample.crop.width, sample.crop.height) == (
        0,
        30,
        W,
        H - 60,
    )


def test_each_scene_of_a_mixed_aspect_film_has_its_own_picture_area() -> None:
    # Letterbox, full frame, letterbox: the full-frame scene must not open up the later one.
    s = sampler()
    shots = [((200, 120, 60), 40), ((60, 140, 220), 0), ((230, 200, 80), 40)]
    crops = []
    for n, (rgb, bars) in enumerate(shots):
        for i in range(30 * n, 30 * n + 30):
            s.add(frame(i, rgb, bars=bars))
        sample = s.close(scene(30 * n, 30 * n + 30, n))
        assert colors(sample.pixels) == {rgb}, n
        crops.append(sample.crop)
    assert crops[1] is None
    for crop in (crops[0], crops[2]):
        assert crop is not None and (crop.y, crop.height) == (40, H - 80)


def test_a_dark_scene_inside_pillarbox_bars_is_not_black() -> None:
    # A 4:3 night scene: its picture is above the black level, the whole frame's mean is not.
    s = sampler(sample_fps=24.0, frames_per_scene=100)
    rgb = (6, 6, 6)  # luma 0.0235 inside the picture, 0.0176 x 0.75 over the whole frame
    for i in range(30):
        s.add(frame(i, rgb, pillars=40))
    sample = s.close(scene(0, 30))
    assert not sample.black
    assert sample.frames == 30 and sample.excluded.total == 0
    assert colors(sample.pixels) == {rgb}
    assert sample.crop is not None and (sample.crop.x, sample.crop.width) == (40, W - 80)


def dark_gradient(index: int, *, bars: int = 0) -> Frame:
    """A night picture darkening towards its right edge (sRGB 8 to 1, under the black level
    there) with grain, and letterbox bars ``bars`` source pixels thick."""
    rng = np.random.default_rng(index)
    ramp = np.linspace(8.0, 1.0, AW)[None, :, None] + rng.normal(0, 0.6, (AH, AW, 1))
    picture = np.zeros((AH, AW, 3), np.uint8)
    top = round(bars * AH / H)
    picture[top : AH - top] = np.clip(np.rint(ramp), 0, 255).astype(np.uint8)[top : AH - top]
    luma = np.linspace(8.0, 1.0, W) / 255 + rng.normal(0, 0.0004, W)
    cols = (luma * (H - 2 * bars) / H).astype(np.float32)
    rows = np.full(H, float(luma.mean()), np.float32)
    rows[:bars] = 0
    rows[H - bars :] = 0
    return Frame(index=index, time_s=index / 24, rgb=picture, rows=rows, cols=cols)


@pytest.mark.parametrize("bars", [0, 30])
def test_the_dark_side_of_a_night_picture_is_not_a_pillarbox_bar(bars: int) -> None:
    # No flat band at the left or right edge, only a picture fading into the dark: no column
    # may be cut off, even where the picture is under the black level in most frames.
    s = sampler(sample_fps=24.0, frames_per_scene=100)
    for i in range(30):
        s.add(dark_gradient(i, bars=bars))
    sample = s.close(scene(0, 30))
    assert not sample.black
    if bars:
        assert sample.crop is not None
        assert (sample.crop.x, sample.crop.width) == (0, W), sample.crop
        assert (sample.crop.y, sample.crop.height) == (bars, H - 2 * bars), sample.crop
    else:
        assert sample.crop is None, sample.crop
    assert {p[0] for p in colors(sample.pixels)} >= {1, 2}  # the darkest columns are in


def test_no_crop_without_bars_and_none_for_an_all_black_scene() -> None:
    s = sampler()
    for i in range(30):
        s.add(frame(i, (0, 0, 0)))
    assert s.close(scene(0, 30)).crop is None
    for i in range(30, 60):
        s.add(frame(i, (100, 100, 100)))
    assert s.close(scene(30, 60, 1)).crop is None


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
        sample = s.close(scene(start, start + length, n))
        assert 0 < len(sample.pixels) <= budget * LONG_TAKE_GROWTH
        assert 1 <= sample.frames <= keep * LONG_TAKE_GROWTH
        assert colors(sample.pixels) == {colour}
        assert sample.frames + sample.excluded.total <= length
        start += length


def test_a_scene_with_no_sampled_frame_is_empty_not_an_error() -> None:
    s = sampler()
    sample = s.close(scene(0, 0))
    assert sample.frames == 0 and len(sample.pixels) == 0


@pytest.mark.parametrize("pillars", [0, 40])
def test_black_frames_are_judged_inside_the_picture_area(pillars: int) -> None:
    # Frames at two brightnesses: the dim ones are black over the whole frame once pillarbox
    # bars dilute them, but not inside the picture, where the test must be made.
    s = sampler(sample_fps=24.0, frames_per_scene=100)
    for i in range(40):
        s.add(frame(i, (6, 6, 6) if i % 2 else (150, 150, 150), pillars=pillars))
    sample = s.close(scene(0, 40))
    assert sample.excluded.black == 0
    assert colors(sample.pixels) == {(6, 6, 6), (150, 150, 150)}


def test_a_scene_shorter_than_the_stride_still_gets_a_frame() -> None:
    s = sampler()
    for i in range(34):
        s.add(frame(i, (200, 40, 40) if i < 31 else (40, 40, 200)))
    s.close(scene(0, 31))
    last = s.close(scene(31, 34, 1))
    assert last.frames >= 1 and colors(last.pixels) == {(40, 40, 200)}


def test_a_resumed_sampler_hands_the_next_scene_the_same_lead_in() -> None:
    # A checkpoint keeps state_at(next scene): the next scene's dissolve test then sees the
    # same last frames of the scene before as an uninterrupted run.
    rng = np.random.default_rng(4)
    frames = []
    for i in range(60):
        f = frame(i, (100, 120, 140))
        f.rgb[:] = rng.integers(0, 256, f.rgb.shape, dtype=np.uint8)
        frames.append(f)
    whole = sampler()
    for f in frames[:30]:
        whole.add(f)
    whole.take(scene(0, 30))
    state = whole.state_at(30)
    for f in frames[30:]:
        whole.add(f)
    expected = whole.take(scene(30, 60, 1)).before
    resumed = sampler()
    resumed.start_at(30, state)
    for f in frames[30:]:
        resumed.add(f)
    got = resumed.take(scene(30, 60, 1)).before
    assert len(expected) == 2
    assert all(np.array_equal(a, b) for a, b in zip(expected, got, strict=True))


def test_the_next_scenes_first_frames_are_known_once_they_arrive() -> None:
    s = sampler()
    for i in range(30):
        s.add(frame(i, (100, 120, 140)))
    s.take(scene(0, 30))
    assert s.lead_out(30) is None  # not yet seen
    s.add(frame(30, (10, 200, 30)))
    assert s.lead_out(30) is None
    s.add(frame(31, (10, 200, 30)))
    lead = s.lead_out(30)
    assert lead is not None and len(lead) == 2


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_a_strobe_in_step_with_the_sampling_period_is_not_aliased(seed: int) -> None:
    # A dark room lit every 4th frame, sampled once in every 6: always taking a run's first
    # frame took the lit frame in every other run (half the candidates lit, against a quarter
    # of the screen time). Each run's candidate is drawn at a seeded random place instead.
    s = sampler(seed=seed, frames_per_scene=100, pixels_per_scene=6000)
    lit, dark = (230, 230, 230), (60, 60, 60)
    for i in range(480):
        s.add(frame(i, lit if i % 4 == 0 else dark))
    sample = s.close(scene(0, 480))
    assert len(sample.kept) == 480 // 6
    lit_share = float((sample.pixels[:, 0] == lit[0]).mean())
    assert lit_share == pytest.approx(0.25, abs=0.08), lit_share


def test_each_run_of_the_period_gives_one_candidate_at_a_seeded_place() -> None:
    def kept(seed: int) -> list[int]:
        s = sampler(seed=seed, frames_per_scene=100)
        for i in range(120):
            s.add(frame(i, (100, 150, 200)))
        return [f.index for f in s.close(scene(0, 120)).kept]

    first = kept(0)
    assert [i // 6 for i in first] == list(range(20))  # one in every run of 6 frames
    assert first == kept(0)  # the places are seeded: the same film samples the same frames
    assert first != kept(1)
    assert len({i % 6 for i in first}) > 1  # not always the same place in the run
