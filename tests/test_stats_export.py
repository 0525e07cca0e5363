"""Colour statistics in analysis.json and in checkpoints: written, read back, tolerated when
missing."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from analyses import make_analysis
from stats_analyses import with_stats

from scenepal import checkpoint
from scenepal.export import analysis_from_dict, analysis_to_dict, analysis_to_json
from scenepal.frametimeline import FrameTimeline
from scenepal.models import Analysis

SCENES = [
    (2.0, [((3, 3, 3), 1.0)]),
    (3.0, [((220, 140, 70), 0.6), ((30, 90, 110), 0.4)]),
    (5.0, [((200, 200, 190), 0.7), ((40, 40, 60), 0.3)]),
]


@pytest.fixture(scope="module")
def analysis() -> Analysis:
    return with_stats(make_analysis(SCENES, black=(0,)))


def test_statistics_are_written_per_scene_and_for_the_film(analysis: Analysis) -> None:
    doc = analysis_to_dict(analysis)
    assert doc["scenes"][0]["stats"] is None  # black: no picture, no statistics
    scene = doc["scenes"][1]["stats"]
    assert set(scene) >= {
        "lightness", "chroma", "colorfulness", "hue", "warmth", "teal_orange", "split_tone"
    }  # fmt: skip
    assert set(scene["lightness"]) >= {"mean", "p5", "p50", "p95", "contrast", "key"}
    assert len(scene["hue"]["histogram"]) == 12
    assert "histograms" not in scene
    film = doc["stats"]
    assert film["lightness"]["key"] in ("low", "mid", "high")
    assert sum(sum(row) for row in film["histograms"]["ab_ppm"]) == pytest.approx(1e6, abs=2e3)


def test_round_trip_keeps_every_statistic_and_the_text(analysis: Analysis) -> None:
    text = analysis_to_json(analysis)
    back = analysis_from_dict(json.loads(text))
    assert back == analysis
    assert back.scenes[1].stats == analysis.scenes[1].stats
    assert analysis_to_json(back) == text
    assert back.stats is not None and back.stats.histograms is not None
    assert analysis.stats is not None and analysis.stats.histograms is not None
    assert np.allclose(back.stats.histograms.ab, analysis.stats.histograms.ab, atol=1e-6)


def test_an_analysis_without_statistics_reads_back_with_none() -> None:
    doc = analysis_to_dict(make_analysis(SCENES))
    for scene in doc["scenes"]:
        del scene["stats"]
    del doc["stats"]
    back = analysis_from_dict(doc)
    assert back.stats is None
    assert all(r.stats is None for r in back.scenes)


def _checkpoint(analysis: Analysis) -> checkpoint.Checkpoint:
    frames = 240  # the finished frames' mean colours go with the scenes
    timeline = FrameTimeline(np.arange(frames) / 24, np.zeros((frames, 3), np.uint16))
    return checkpoint.Checkpoint(
        key="k", scenes=analysis.scenes, next_frame=frames, next_time_s=10.0,
        skipped_packets=0, timeline=timeline,
    )  # fmt: skip


def test_checkpoint_keeps_scene_statistics_with_their_histograms(
    tmp_path: Path, analysis: Analysis
) -> None:
    checkpoint.save(tmp_path, _checkpoint(analysis))
    loaded = checkpoint.load(tmp_path, "k")
    assert loaded is not None
    assert loaded.scenes == analysis.scenes
    before, after = analysis.scenes[2].stats, loaded.scenes[2].stats
    assert before is not None and after is not None
    assert before.histograms is not None and after.histograms is not None
    assert np.array_equal(before.histograms.lightness, after.histograms.lightness)
    assert np.array_equal(before.histograms.ab, after.histograms.ab)


def test_a_checkpoint_from_before_statistics_is_not_used(
    tmp_path: Path, analysis: Analysis
) -> None:
    checkpoint.save(tmp_path, _checkpoint(analysis))
    path = tmp_path / checkpoint.CHECKPOINT_NAME
    doc = json.loads(path.read_text())
    for scene in doc["scenes"]:
        del scene["stats"]
    path.write_text(json.dumps(doc))
    assert checkpoint.load(tmp_path, "k") is None
