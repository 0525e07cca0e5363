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
from scenepal.models import Excluded

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


def _dissolve_into_b(previous: np.ndarray) -> tuple[np.ndarray, dict[int, np.ndarray]]:
    """The incoming half of a 24-frame dissolve from A to B, then B, with grain; and the frame
    before the cut."""
    noise = np.random.default_rng(1)
    mixes = [k / 24 for k in range(12, 24)]  # the detector cut halfway through
    frames = [(1 - m) * PICTURE_A + m * PICTURE_B for m in mixes] + [PICTURE_B] * 30
    thumbs = {
        i: np.clip(f + noise.normal(0, 1.5, f.shape), 0, 255).astype(np.uint8)
        for i, f in enumerate(frames)
    }
    return previous, thumbs


def test_a_dissolve_into_a_scene_is_left_out() -> None:
    before = (13 / 24) * PICTURE_A + (11 / 24) * PICTURE_B  # the cut fell inside the mix
    previous, thumbs = _dissolve_into_b(before)
    got = classify(np.full(42, 0.4), thumbs, black_level=BLACK_LEVEL, before=(previous,))
    dissolved = got.tolist().count(DISSOLVE)
    assert got[0] == DISSOLVE and abs(dissolved - 12) <= 2
    assert got.tolist()[14:] == [KEPT] * 28


def test_a_dissolve_out_of_a_scene_is_left_out() -> None:
    # The outgoing half: A, then A mixing towards B up to the cut; B's first frame carries on.
    noise = np.random.default_rng(2)
    mixes = [k / 24 for k in range(1, 13)]
    frames = [PICTURE_A] * 30 + [(1 - m) * PICTURE_A + m * PICTURE_B for m in mixes]
    thumbs = {
        i: np.clip(f + noise.normal(0, 1.5, f.shape), 0, 255).astype(np.uint8)
        for i, f in enumerate(frames)
    }
    after = ((11 / 24) * PICTURE_A + (13 / 24) * PICTURE_B,)
    got = classify(np.full(42, 0.4), thumbs, black_level=BLACK_LEVEL, after=after).tolist()
    assert got[-1] == DISSOLVE and abs(got.count(DISSOLVE) - 12) <= 2
    assert got[:28] == [KEPT] * 28
    # Without the next scene's frames (or with a hard cut to another picture), no dissolve.
    assert set(classify(np.full(42, 0.4), thumbs, black_level=BLACK_LEVEL).tolist()) == {KEPT}
    other = (np.full_like(PICTURE_A, 60.0),)
    got = classify(np.full(42, 0.4), thumbs, black_level=BLACK_LEVEL, after=other)
    assert set(got.tolist()) == {KEPT}


def test_a_hard_cut_into_a_changing_picture_is_not_a_dissolve() -> None:
    # The same frames, but the previous scene ended on an unrelated picture: no mix across.
    previous, thumbs = _dissolve_into_b(np.full_like(PICTURE_A, 128.0))
    got = classify(np.full(42, 0.4), thumbs, black_level=BLACK_LEVEL, before=(previous,))
    assert set(got.tolist()) == {KEPT}
    # And with no previous scene (the film's first frames), nothing is a dissolve either.
    assert set(classify(np.full(42, 0.4), thumbs, black_level=BLACK_LEVEL).tolist()) == {KEPT}


def test_light_rising_from_the_cut_is_not_a_dissolve() -> None:
    gains = [1.6 - 0.05 * k for k in range(12)] + [1.0] * 30
    thumbs = {i: (PICTURE_A * g * 0.6).astype(np.uint8) for i, g in enumerate(gains)}
    before = ((PICTURE_A * 1.65 * 0.6).astype(np.uint8),)
    levels = np.array([0.3 * g for g in gains])
    got = classify(levels, thumbs, black_level=BLACK_LEVEL, before=before)
    assert set(got.tolist()) == {KEPT}


def test_counts_name_every_reason() -> None:
    levels = [0.0] * 2 + ramp(0.0, 0.5, 5)[1:] + [0.5] * 10 + ramp(0.5, 0.0, 5)[1:] + [0.0]
    labels = classify(np.array(levels), thumbs_for(levels), black_level=BLACK_LEVEL)
    assert counts(labels) == Excluded(black=3, fade_in=4, fade_out=4)


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
