"""scenepal.scenes: the detector registry, frame-by-frame cut finding, scenes from cuts."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scenepal.scenes import DETECTORS, SceneFinder, make_detector, scenes_from_cuts

RNG = np.random.default_rng(3)
TEXTURE_A = RNG.integers(0, 256, (72, 128, 3), dtype=np.uint8)
TEXTURE_B = RNG.integers(0, 256, (72, 128, 3), dtype=np.uint8)
DARK = np.full((72, 128, 3), 5, np.uint8)
BRIGHT = np.full((72, 128, 3), 180, np.uint8)


def _cuts(name: str, frames: list[np.ndarray], min_len: int = 5) -> list[int]:
    finder = SceneFinder(make_detector(name, threshold=None, min_scene_len=min_len, fps=24.0))
    for i, frame in enumerate(frames):
        finder.add(i, frame)
    return finder.finish(len(frames) - 1)


def test_registry_names_and_defaults() -> None:
    assert list(DETECTORS) == ["content", "adaptive", "threshold", "hash", "histogram"]
    assert DETECTORS["content"].default_threshold == 27.0
    assert all(spec.description for spec in DETECTORS.values())


@pytest.mark.parametrize("name", ["content", "adaptive", "hash"])
def test_a_change_of_picture_is_a_cut(name: str) -> None:
    assert _cuts(name, [TEXTURE_A] * 20 + [TEXTURE_B] * 20) == [20]


def test_histogram_detector_sees_a_change_of_brightness() -> None:
    assert _cuts("histogram", [DARK] * 20 + [BRIGHT] * 20) == [20]


def test_threshold_detector_cuts_at_a_fade_through_black() -> None:
    frames = [BRIGHT] * 20 + [np.zeros_like(BRIGHT)] * 10 + [BRIGHT] * 20
    cuts = _cuts("threshold", frames)
    assert len(cuts) == 1 and 20 <= cuts[0] <= 30


@pytest.mark.parametrize("name", list(DETECTORS))
def test_no_change_no_cut(name: str) -> None:
    assert _cuts(name, [TEXTURE_A] * 30) == []


def test_minimum_scene_length_is_honoured() -> None:
    frames = [TEXTURE_A] * 10 + [TEXTURE_B] * 3 + [TEXTURE_A] * 10
    assert _cuts("content", frames, min_len=5) == [10]


def test_a_threshold_changes_what_counts_as_a_cut() -> None:
    a, b = np.full((72, 128, 3), 100, np.uint8), np.full((72, 128, 3), 120, np.uint8)
    frames = [a] * 20 + [b] * 20
    finder = SceneFinder(make_detector("content", threshold=100.0, min_scene_len=5, fps=24.0))
    for i, frame in enumerate(frames):
        finder.add(i, frame)
    assert finder.finish(39) == []
    finder = SceneFinder(make_detector("content", threshold=3.0, min_scene_len=5, fps=24.0))
    for i, frame in enumerate(frames):
        finder.add(i, frame)
    assert finder.finish(39) == [20]


def test_scenes_from_no_cut_is_one_scene() -> None:
    scenes = scenes_from_cuts([], [0.0, 0.5, 1.0], 1.5)
    assert [(s.start_frame, s.end_frame, s.start_s, s.end_s) for s in scenes] == [(0, 3, 0.0, 1.5)]


def test_scenes_from_an_empty_film() -> None:
    assert scenes_from_cuts([3], [], 0.0) == []


@settings(max_examples=80, deadline=None)
@given(
    n=st.integers(min_value=1, max_value=300),
    cuts=st.lists(st.integers(min_value=-5, max_value=320), max_size=20),
)
def test_scenes_from_cuts_are_contiguous_and_cover_every_frame(n: int, cuts: list[int]) -> None:
    times = [i / 24 for i in range(n)]
    scenes = scenes_from_cuts(cuts, times, n / 24)
    assert scenes[0].start_frame == 0 and scenes[-1].end_frame == n
    assert [s.index for s in scenes] == list(range(len(scenes)))
    for a, b in itertools.pairwise(scenes):
        assert a.end_frame == b.start_frame and a.end_s == b.start_s
    assert all(s.frame_count > 0 and s.duration_s > 0 for s in scenes)
    assert {s.start_frame for s in scenes[1:]} == {c for c in cuts if 0 < c < n}
