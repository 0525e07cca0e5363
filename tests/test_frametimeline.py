"""scenepal.frametimeline: each frame's mean colour inside the picture area, stored and resumed."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest
from films import FilmTruth, Region, Shot

import scenepal
from scenepal import color, frametimeline
from scenepal.errors import AnalysisFileError
from scenepal.frametimeline import FrameTimeline
from scenepal.models import Frame, Rect

SHOTS = (
    Shot((Region((230, 40, 30), 0.5), Region((20, 30, 200), 0.5)), frames=30),
    Shot.solid((240, 240, 240), frames=24),
    Shot((Region((250, 250, 250), 0.25), Region((60, 60, 60), 0.75)), frames=30),
)


def _linear_mean(shot: Shot) -> np.ndarray:
    """The shot's true mean colour in linear light: its regions by share."""
    lin = color.srgb_to_linear(np.array([r.rgb for r in shot.regions]) / 255.0)
    return np.average(lin, axis=0, weights=[r.share for r in shot.regions])


@pytest.mark.parametrize("bars", [(0, 0), (30, 0), (0, 40), (20, 32)])
def test_each_frame_is_its_picture_mean_in_linear_light_bars_left_out(
    make_film: Callable[..., FilmTruth], bars: tuple[int, int]
) -> None:
    truth = make_film(f"timeline-{bars[0]}-{bars[1]}.mkv", SHOTS, bars=bars)
    analysis = scenepal.analyze(truth.path)
    timeline = analysis.timeline
    assert timeline is not None and len(timeline) == truth.frame_count
    assert np.all(np.diff(timeline.times) > 0)
    assert timeline.times[0] == analysis.scenes[0].scene.start_s
    linear = timeline.linear / 65535
    for i, shot in enumerate(truth.shots):
        start, end = truth.shot_range(i)
        # Within 0.004 of linear light (under an 8-bit level for mid greys): the analysis
        # scaling mixes stripes at their edges, never bars into the picture.
        np.testing.assert_allclose(
            linear[start:end], np.tile(_linear_mean(shot), (end - start, 1)), atol=0.004
        )


def test_the_checkerboard_mean_is_linear_not_gamma() -> None:
    rgb = np.zeros((144, 256, 3), np.uint8)
    rgb[::2, ::2] = rgb[1::2, 1::2] = 255
    recorder = frametimeline.FrameRecorder()
    recorder.add(Frame(0, 0.0, rgb, np.zeros(144, np.float32), np.zeros(256, np.float32)))
    timeline = frametimeline.scene_timeline(recorder.take(), None, (1920, 1080))
    assert timeline.linear.tolist() == [[32768, 32768, 32768]]  # 0.5 in linear light
    assert timeline.srgb().tolist() == [[188, 188, 188]]  # not 128


def test_bars_are_left_out_and_only_windowbox_corners_approximate() -> None:
    rgb = np.zeros((144, 256, 3), np.uint8)
    rgb[20:124, 32:224] = (200, 100, 50)
    crop = Rect(240, 150, 1440, 780)  # the same box in 1920 x 1080 source pixels
    timeline = frametimeline.scene_timeline(_profiles(rgb, 3), crop, (1920, 1080))
    expected = np.rint(color.srgb_to_linear(np.array([200, 100, 50]) / 255) * 65535)
    # The rows and columns outside the (shrunk) box meet in four corners of 1 x 1 analysis
    # pixel of picture, subtracted once too often: 4 of 19,380 pixels, 2e-4 of the mean.
    assert np.abs(timeline.linear / expected - 1).max() < 3e-4
    assert timeline.times.tolist() == [0.0, 1 / 24, 2 / 24]
    letterbox = frametimeline.scene_timeline(
        _profiles(rgb[:, 32:224], 3), Rect(0, 150, 1440, 780), (1440, 1080)
    )
    assert np.abs(letterbox.linear.astype(int) - expected).max() <= 1  # exact but for rounding
    pillarbox = frametimeline.scene_timeline(
        _profiles(rgb[20:124], 3), Rect(240, 0, 1440, 780), (1920, 780)
    )
    assert np.abs(pillarbox.linear.astype(int) - expected).max() <= 1


def _profiles(rgb: np.ndarray, count: int) -> frametimeline.SceneProfiles:
    recorder = frametimeline.FrameRecorder()
    h, w = rgb.shape[:2]
    for t in range(count):
        recorder.add(
            Frame(
                t,
                t / 24,
                np.ascontiguousarray(rgb),
                np.zeros(h, np.float32),
                np.zeros(w, np.float32),
            )
        )
    return recorder.take()


def test_the_file_reads_back_exactly_and_damage_is_one_line() -> None:
    rng = np.random.default_rng(3)
    original = FrameTimeline(
        np.cumsum(rng.uniform(0.01, 0.1, 500)),
        rng.integers(0, 65536, (500, 3)).astype(np.uint16),
    )
    data = frametimeline.to_bytes(original)
    assert len(data) == 14 * 500  # a few bytes a frame: 2.4 MB for two hours at 24 fps
    assert frametimeline.from_bytes(data, 500) == original
    with pytest.raises(AnalysisFileError, match="whole number"):
        frametimeline.from_bytes(data[:-3])
    with pytest.raises(AnalysisFileError, match=r"holds 500 frames where analysis\.json says 501"):
        frametimeline.from_bytes(data, 501)


def test_outputs_write_it_beside_analysis_json_and_load_reads_it(
    cut_film_ffv1: FilmTruth, tmp_path: Path
) -> None:
    analysis = scenepal.analyze(cut_film_ffv1.path)
    scenepal.write_outputs(analysis, tmp_path / "out", report=False)
    doc = json.loads((tmp_path / "out" / "analysis.json").read_text())
    assert tuple(map(int, doc["schema_version"].split("."))) >= (1, 5)  # the field came in 1.5
    assert doc["timeline"] == {
        "file": "timeline.bin",
        "format": "scenepal-timeline-1",
        "frames": cut_film_ffv1.frame_count,
    }
    assert (tmp_path / "out" / "timeline.bin").stat().st_size == 14 * cut_film_ffv1.frame_count
    back = scenepal.load_analysis(tmp_path / "out")
    assert back.timeline == analysis.timeline and back == analysis
    (tmp_path / "out" / "timeline.bin").unlink()
    assert scenepal.load_analysis(tmp_path / "out").timeline is None
