"""scenepal.fades: fades and dips through black, dissolves, and light changes that are kept."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scenepal.fades import (
    BLACK,
    DIP,
    DISSOLVE,
    FADE_IN,
    FADE_OUT,
    KEPT,
    classify,
    counts,
)

BLACK_LEVEL = 0.015
RNG = np.random.default_rng(5)
PICTURE_A = RNG.uniform(20, 235, 16 * 9 * 3).astype(np.float32)
PICTURE_B = RNG.uniform(20, 235, 16 * 9 * 3).astype(np.float32)


def ramp(a: float, b: float, n: int) -> list[float]:
    """n levels from a towards b, b excluded (a linear fade's frames)."""
    return [a + (b - a) * k / n for k in range(n)]


def thumbs_for(levels: list[float], picture: np.ndarray = PICTURE_A) -> dict[int, np.ndarray]:
    """Thumbnails of one picture scaled to each level (relative to its own mean luma)."""
    base = picture / picture.mean() * 255.0
    return {i: (base * level).astype(np.float32) for i, level in enumerate(levels)}


def labels_of(levels: list[float], thumbs: dict[int, np.ndarray] | None = None) -> list[int]:
    return classify(np.array(levels), thumbs or {}, black_level=BLACK_LEVEL).tolist()


def test_a_fade_out_to_black_is_left_out_to_the_frame() -> None:
    levels = [0.5] * 20 + ramp(0.5, 0.0, 12)[1:] + [0.0] * 4
    got = labels_of(levels, thumbs_for(levels))
    assert got == [KEPT] * 20 + [FADE_OUT] * 11 + [BLACK] * 4


def test_a_fade_in_from_black_is_left_out_to_the_frame() -> None:
    levels = [0.0] * 3 + ramp(0.0, 0.6, 10)[1:] + [0.6] * 20
    got = labels_of(levels, thumbs_for(levels))
    assert got == [BLACK] * 3 + [FADE_IN] * 9 + [KEPT] * 20


def test_a_fade_cut_one_frame_before_black_still_reaches_it() -> None:
    levels = [0.4] * 20 + [0.3, 0.2, 0.1]
    assert labels_of(levels) == [KEPT] * 20 + [FADE_OUT] * 3


@pytest.mark.parametrize(
    "levels",
    [
        [0.6] * 10 + ramp(0.6, 0.21, 30) + [0.21] * 20,  # a lamp dims to 35 % and stays
        [0.21] * 10 + ramp(0.21, 0.6, 30) + [0.6] * 20,  # a lamp comes on
        ramp(0.21, 0.6, 30) + [0.6] * 30,  # exposure settles over the first 30 frames
        [0.6] * 30 + ramp(0.6, 0.2, 30),  # a sunset darkening to the last frame
        [0.05] * 12 + [0.6, 0.5, 0.3] + [0.05] * 12 + [0.7] + [0.05] * 12,  # night flashes
        [0.04, 0.6] * 15,  # a strobe over a dark room that never goes black
    ],
    ids=["dim", "brighten", "exposure", "sunset", "night-flash", "strobe"],
)
def test_light_that_changes_without_reaching_black_is_kept(levels: list[float]) -> None:
    assert labels_of(levels, thumbs_for(levels)) == [KEPT] * len(levels)


def test_a_dip_to_black_inside_a_scene_is_left_out() -> None:
    levels = [0.5] * 20 + ramp(0.5, 0.0, 6)[1:] + [0.0] * 3 + ramp(0.0, 0.5, 6)[1:] + [0.5] * 20
    got = labels_of(levels, thumbs_for(levels))
    assert got == [KEPT] * 20 + [DIP] * 5 + [BLACK] * 3 + [DIP] * 5 + [KEPT] * 20


def test_a_strobe_between_black_frames_keeps_its_flashes() -> None:
    levels = [0.0, 0.0, 0.7] * 10
    got = labels_of(levels, thumbs_for(levels))
    assert got == [BLACK, BLACK, KEPT] * 10


def test_a_ramp_to_black_that_changes_picture_is_not_a_fade() -> None:
    # The camera pans into darkness: the frames are not the picture before scaled down.
    levels = [0.5] * 20 + ramp(0.5, 0.0, 8)[1:] + [0.0]
    thumbs = thumbs_for(levels)
    for k, i in enumerate(range(20, 27)):
        mix = (k + 1) / 8
        thumbs[i] = ((1 - mix) * PICTURE_A + mix * PICTURE_B) * levels[i] / 0.5
    assert labels_of(levels, thumbs) == [KEPT] * 27 + [BLACK]


def _mix_thumbs(n_a: int, mixes: list[float], n_b: int) -> dict[int, np.ndarray]:
    frames = [PICTURE_A] * n_a + [(1 - m) * PICTURE_A + m * PICTURE_B for m in mixes]
    frames += [PICTURE_B] * n_b
    noise = np.random.default_rng(1)
    return {i: (f + noise.normal(0, 1.5, f.shape)).astype(np.float32) for i, f in enumerate(frames)}


def test_a_dissolve_at_the_end_of_a_scene_is_left_out() -> None:
    mixes = [k / 24 for k in range(1, 13)]  # the detector cut halfway through
    thumbs = _mix_thumbs(30, mixes, 0)
    levels = [0.4] * len(thumbs)
    got = classify(np.array(levels), thumbs, black_level=BLACK_LEVEL).tolist()
    dissolved = sum(1 for x in got if x == DISSOLVE)
    assert got[:29] == [KEPT] * 29
    assert abs(dissolved - 12) <= 2 and got[-1] == DISSOLVE


def test_a_dissolve_at_the_start_of_a_scene_is_left_out() -> None:
    mixes = [k / 24 for k in range(12, 24)]
    frames = [(1 - m) * PICTURE_A + m * PICTURE_B for m in mixes] + [PICTURE_B] * 30
    thumbs = {i: f.astype(np.float32) for i, f in enumerate(frames)}
    got = classify(np.array([0.4] * len(frames)), thumbs, black_level=BLACK_LEVEL).tolist()
    assert got[:12] == [DISSOLVE] * 12 and got[12:] == [KEPT] * 30


def test_light_rising_to_the_last_frame_is_not_a_dissolve() -> None:
    gains = [1.0] * 30 + [1.0 + 0.05 * k for k in range(1, 13)]
    thumbs = {i: (PICTURE_A * g * 0.8).astype(np.float32) for i, g in enumerate(gains)}
    levels = np.array([0.3 * g for g in gains])
    assert set(classify(levels, thumbs, black_level=BLACK_LEVEL).tolist()) == {KEPT}


def test_counts_name_every_reason() -> None:
    levels = [0.0] * 2 + ramp(0.0, 0.5, 5)[1:] + [0.5] * 10 + ramp(0.5, 0.0, 5)[1:] + [0.0]
    labels = classify(np.array(levels), thumbs_for(levels), black_level=BLACK_LEVEL)
    assert counts(labels) == {"black": 3, "fade_in": 4, "fade_out": 4, "dip": 0, "dissolve": 0}


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.floats(0.35, 1.0), min_size=2, max_size=40),
    st.floats(0.35, 1.0),
    st.floats(0.35, 1.0),
)
def test_no_frame_is_left_out_when_nothing_nears_black(
    middle: list[float], first: float, last: float
) -> None:
    # Any light changes at all, between 35 % and 100 %, held for two frames at each end.
    levels = [first, first, *middle, last, last]
    assert labels_of(levels) == [KEPT] * len(levels)
