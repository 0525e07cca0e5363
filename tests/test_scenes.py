"""scenepal.scenes: the detector registry, frame-by-frame cut finding, scenes from cuts."""

from __future__ import annotations

import numpy as np
import pytest

from scenepal.errors import ConfigError
from scenepal.scenes import DETECTORS, SceneFinder, make_detector

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


def test_an_unknown_detector_name_is_refused_with_the_valid_ones() -> None:
    with pytest.raises(ConfigError) as info:
        make_detector("transnet", threshold=None, min_scene_len=5, fps=24.0)
    assert "'transnet'" in str(info.value)
    assert all(name in str(info.value) for name in DETECTORS)


def test_no_threshold_means_each_detectors_own() -> None:
    frames = [TEXTURE_A] * 20 + [TEXTURE_B] * 20
    assert _cuts("hash", frames) == [20]
    # The content detector's threshold means "never" to the hash detector (distances 0-1).
    content_default = DETECTORS["content"].default_threshold
    finder = SceneFinder(make_detector("hash", threshold=content_default, min_scene_len=5, fps=24))
    for i, frame in enumerate(frames):
        finder.add(i, frame)
    assert finder.finish(len(frames) - 1) == []


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


@pytest.mark.parametrize("name", list(DETECTORS))
@pytest.mark.parametrize("min_len", [5, 40])
def test_no_cut_is_reported_before_the_frame_called_settled(name: str, min_len: int) -> None:
    # Flashes, a fade through black and hard cuts: every cut a detector reports lies after the
    # frame it called settled before reporting it (so the sampler never passes a cut unknown).
    frames = (
        [TEXTURE_A] * 50
        + [BRIGHT] * 2
        + [TEXTURE_A] * 10
        + [DARK] * 30
        + [TEXTURE_B] * 60
        + [TEXTURE_A] * 3
        + [TEXTURE_B] * 60
    )
    finder = SceneFinder(make_detector(name, threshold=None, min_scene_len=min_len, fps=24.0))
    settled = -1
    for i, frame in enumerate(frames):
        for cut in finder.add(i, frame):
            assert cut > settled, (name, cut, settled)
        now = finder.settled(i)
        assert now <= i
        settled = max(settled, now)
    assert finder.settled(len(frames) - 1) >= len(frames) - 2 - min_len - 3


def test_the_threshold_detector_holds_frames_while_faded_out() -> None:
    finder = SceneFinder(make_detector("threshold", threshold=None, min_scene_len=5, fps=24.0))
    for i in range(40):
        finder.add(i, TEXTURE_A)
    for i in range(40, 70):
        finder.add(i, DARK)
        assert finder.settled(i) < 41  # the cut may land anywhere in the dark run
    assert finder.add(70, TEXTURE_B) != []
    assert finder.settled(70) == 70
