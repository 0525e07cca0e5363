"""scenepal.checkpoint and resuming: an interrupted analysis continues to the same result."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from conftest import SampleFilm
from films import FilmTruth, Shot

import scenepal
from scenepal import checkpoint, pipeline, probing
from scenepal.export import analysis_to_json
from scenepal.frametimeline import FrameTimeline
from scenepal.models import Analysis, Excluded, Palette, Rect, Scene, SceneResult, Swatch


def _shot_color(i: int) -> tuple[int, int, int]:
    """Neighbouring shots alternate bright and dark, so every cut is an obvious one."""
    r, g, b = (i * 37) % 180 + 60, (i * 91) % 180 + 60, (i * 53) % 180 + 60
    return (r // 3, g // 3, b // 3) if i % 2 else (r, g, b)


SHOTS = tuple(Shot.solid(_shot_color(i), frames=30 + 7 * (i % 4)) for i in range(64))


@pytest.fixture(scope="module")
def long_film(make_film: Callable[..., FilmTruth]) -> FilmTruth:
    return make_film("resume.mp4", SHOTS, codec="h264", width=320, height=180)


def _result(i: int) -> SceneResult:
    palette = Palette((Swatch((10 * i, 20, 30), (1.0, 2.0, 3.0), 1.0),))
    crop = Rect(0, 12, 16, 9) if i else None
    return SceneResult(Scene(i, 10 * i, 10 * i + 10, i / 2.4, (i + 1) / 2.4), palette,
                       (10 * i, 20, 30), False, 3, 300, crop=crop,
                       excluded=Excluded(black=i, fade_out=2 * i))  # fmt: skip


def _checkpoint(key: str) -> checkpoint.Checkpoint:
    timeline = FrameTimeline(np.arange(20) / 24, np.arange(60, dtype=np.uint16).reshape(20, 3))
    return checkpoint.Checkpoint(
        key=key, scenes=(_result(0), _result(1)), next_frame=20, next_time_s=20 / 24,
        skipped_packets=2, timeline=timeline,
    )  # fmt: skip


def test_save_and_load_round_trip(tmp_path: Path) -> None:
    saved = _checkpoint("k1")
    checkpoint.save(tmp_path / "out", saved)
    loaded = checkpoint.load(tmp_path / "out", "k1")
    assert loaded is not None
    assert loaded.scenes == saved.scenes
    assert (loaded.next_frame, loaded.next_time_s) == (20, 20 / 24)
    assert loaded.scenes[1].crop == Rect(0, 12, 16, 9)
    assert loaded.scenes[1].excluded == Excluded(black=1, fade_out=2)
    assert loaded.skipped_packets == 2
    assert loaded.timeline == saved.timeline  # the finished frames' mean colours
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [checkpoint.CHECKPOINT_NAME]


def test_a_stale_or_broken_checkpoint_is_ignored(tmp_path: Path) -> None:
    checkpoint.save(tmp_path, _checkpoint("old"))
    assert checkpoint.load(tmp_path, "new") is None
    (tmp_path / checkpoint.CHECKPOINT_NAME).write_text("{not json")
    assert checkpoint.load(tmp_path, "old") is None
    assert checkpoint.load(tmp_path / "missing", "old") is None
    checkpoint.remove(tmp_path)
    checkpoint.remove(tmp_path)  # twice is fine
    assert not (tmp_path / checkpoint.CHECKPOINT_NAME).exists()


def test_the_key_changes_with_the_file_and_the_settings(tmp_path: Path) -> None:
    film = tmp_path / "f.bin"
    film.write_bytes(b"a" * 200_000)
    first = checkpoint.film_identity(film)
    key = checkpoint.checkpoint_key(first, {"colors": 5}, "1")
    assert key == checkpoint.checkpoint_key(checkpoint.film_identity(film), {"colors": 5}, "1")
    assert key != checkpoint.checkpoint_key(first, {"colors": 6}, "1")
    assert key != checkpoint.checkpoint_key(first, {"colors": 5}, "2")
    with film.open("r+b") as fh:
        fh.seek(199_000)
        fh.write(b"b")
    os.utime(film, ns=(1, 1))
    assert checkpoint.film_identity(film) != first


def _interrupt_then_resume(
    film: Path, out: Path, frames: int, monkeypatch: pytest.MonkeyPatch
) -> tuple[Analysis, list[float]]:
    """Analyse ``film`` with a checkpoint after every scene, interrupted past 60 % of its
    ``frames``; then again, resuming. The second run's analysis, and where it resumed."""
    monkeypatch.setattr(checkpoint, "EVERY_S", 0.0)

    def interrupt(p: pipeline.Progress) -> None:
        if p.frames > frames * 0.6:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        scenepal.analyze(film, checkpoint_dir=out, on_progress=interrupt)
    assert (out / checkpoint.CHECKPOINT_NAME).is_file()
    resumed_at: list[float] = []
    again = scenepal.analyze(film, checkpoint_dir=out, on_resume=resumed_at.append)
    return again, resumed_at


def test_an_interrupted_analysis_resumes_to_the_same_result(
    realistic_film: SampleFilm, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Camera moves, grain, grades, fades and letterbox bars: what is sampled before and after
    # the resume point, and the bar tracker's state, all change the result if resuming is off.
    whole = scenepal.analyze(realistic_film.path)
    assert whole.crop is not None and len(whole.scenes) >= 4
    frames = realistic_film.truth["frame_count"]
    again, resumed_at = _interrupt_then_resume(
        realistic_film.path, tmp_path / "out", frames, monkeypatch
    )
    assert len(resumed_at) == 1 and 0 < resumed_at[0] < realistic_film.truth["duration_s"]
    assert analysis_to_json(again) == analysis_to_json(whole)
    # What analysis.json only names: each frame's colour (timeline.bin) and the thumbnails.
    assert whole.timeline is not None and len(whole.timeline) == frames
    assert again.timeline == whole.timeline
    reps = [r.representative for r in again.scenes]
    assert all(rep is not None for rep in reps)
    assert reps == [r.representative for r in whole.scenes]  # frames, times and JPEG bytes


class _NoSeek:
    """A container that cannot seek (as some streams cannot): resuming drops frames by count."""

    def __init__(self, container: Any) -> None:
        self._container = container

    def seek(self, *args: Any, **kwargs: Any) -> None:
        raise ValueError("this stream cannot seek")

    def __getattr__(self, name: str) -> Any:
        return getattr(self._container, name)


def test_where_the_film_cannot_seek_resuming_counts_frames_to_the_same_result(
    long_film: FilmTruth, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    reference = analysis_to_json(scenepal.analyze(long_film.path))
    real_open = probing.open_container
    seeks: list[Any] = []

    def no_seek(path: Path) -> Any:
        wrapped = _NoSeek(real_open(path))
        seeks.append(wrapped)
        return wrapped

    monkeypatch.setattr(probing, "open_container", no_seek)
    again, resumed_at = _interrupt_then_resume(
        long_film.path, tmp_path / "out", long_film.frame_count, monkeypatch
    )
    assert len(seeks) == 2 and len(resumed_at) == 1
    assert analysis_to_json(again) == reference


def test_changed_settings_start_again(
    long_film: FilmTruth, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(checkpoint, "EVERY_S", 0.0)
    out = tmp_path / "out"

    def interrupt(p: pipeline.Progress) -> None:
        if p.frames > long_film.frame_count * 0.5:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        scenepal.analyze(long_film.path, checkpoint_dir=out, on_progress=interrupt)
    resumed_at: list[float] = []
    scenepal.analyze(long_film.path, checkpoint_dir=out, on_resume=resumed_at.append, colors=4)
    assert resumed_at == []


@pytest.mark.e2e
@pytest.mark.slow
def test_ctrl_c_on_a_real_run_then_resume(long_film: FilmTruth, tmp_path: Path) -> None:
    scenepal_cmd = str(Path(sys.executable).with_name("scenepal"))
    whole = tmp_path / "whole"
    done = subprocess.run(
        [scenepal_cmd, "analyze", str(long_film.path), "-o", str(whole), "-q"],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    out = tmp_path / "out"
    env = {**os.environ, "SCENEPAL_CHECKPOINT_EVERY_S": "0"}
    run = subprocess.Popen(
        [scenepal_cmd, "analyze", str(long_film.path), "-o", str(out), "-q"],
        stderr=subprocess.PIPE, text=True, env=env,
    )  # fmt: skip
    deadline = time.monotonic() + 60
    while not (out / checkpoint.CHECKPOINT_NAME).exists() and run.poll() is None:
        assert time.monotonic() < deadline
        time.sleep(0.02)
    run.send_signal(signal.SIGINT)
    _, stderr = run.communicate(timeout=30)
    if run.returncode == 0:
        pytest.skip("the run finished before the interrupt landed")
    assert run.returncode == 130 and "interrupted" in stderr
    assert not (out / "analysis.json").exists()
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]
    again = subprocess.run(
        [scenepal_cmd, "analyze", str(long_film.path), "-o", str(out)],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert again.returncode == 0, again.stderr
    assert "resuming from" in again.stderr
    assert (out / "analysis.json").read_text() == (whole / "analysis.json").read_text()
    assert not (out / checkpoint.CHECKPOINT_NAME).exists()
