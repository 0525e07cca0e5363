"""scenepal.pipeline: whole analyses of films with known cuts, palettes, bars and fades."""

from __future__ import annotations

import itertools
import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import av
import numpy as np
import pytest
from conftest import BRIGHT_SHOTS, nearest
from films import FilmTruth, Shot

import scenepal
from scenepal import pipeline, video
from scenepal.errors import ConfigError
from scenepal.export import analysis_to_json
from scenepal.models import Analysis, Frame

Analyzed = Callable[..., Analysis]


@pytest.fixture(params=["h264", "ffv1"])
def cut_film(request: pytest.FixtureRequest) -> FilmTruth:
    film: FilmTruth = request.getfixturevalue(f"cut_film_{request.param}")
    return film


def test_every_cut_is_found_within_one_frame_and_no_extra(
    cut_film: FilmTruth, analyzed: Analyzed
) -> None:
    a = analyzed(cut_film.path)
    found = [r.scene.start_frame for r in a.scenes[1:]]
    assert len(found) == len(cut_film.cuts)
    for want, got in zip(cut_film.cuts, found, strict=True):
        assert abs(want - got) <= 1


def test_scenes_are_contiguous_and_cover_the_film(cut_film: FilmTruth, analyzed: Analyzed) -> None:
    a = analyzed(cut_film.path)
    assert a.frame_count == cut_film.frame_count
    assert a.scenes[0].scene.start_frame == 0
    assert a.scenes[-1].scene.end_frame == cut_film.frame_count
    for prev, cur in zip(a.scenes, a.scenes[1:], strict=False):
        assert prev.scene.end_frame == cur.scene.start_frame
        assert prev.scene.end_s == pytest.approx(cur.scene.start_s)
    assert a.duration_s == pytest.approx(cut_film.duration, abs=1e-3)
    for r in a.scenes:
        assert r.scene.start_s == pytest.approx(r.scene.start_frame / cut_film.fps, abs=1e-3)


def test_palettes_match_the_true_colours_and_shares(
    cut_film: FilmTruth, analyzed: Analyzed
) -> None:
    a = analyzed(cut_film.path)
    for result, shot in zip(a.scenes, cut_film.shots, strict=True):
        errors = []
        for region in shot.regions:
            delta_e, weight = nearest(result.palette, region.rgb)
            errors.append(delta_e)
            assert abs(weight - region.share) <= 0.05, (result.palette.hex_codes, region)
        assert float(np.mean(errors)) <= 2.0, (result.palette.hex_codes, shot)
        assert max(errors) <= 3.0


def test_palette_weights_are_positive_sorted_and_sum_to_one(
    cut_film: FilmTruth, analyzed: Analyzed
) -> None:
    a = analyzed(cut_film.path)
    for palette in [a.palette, *(r.palette for r in a.scenes)]:
        weights = [s.weight for s in palette.swatches]
        assert all(w > 0 for w in weights)
        assert weights == sorted(weights, reverse=True)
        assert sum(weights) == pytest.approx(1.0, abs=1e-9)
        assert len(set(palette.hex_codes)) == len(palette)
        assert len(palette) <= a.settings.colors


@pytest.mark.parametrize("bars", [(20, 0), (0, 40), (12, 24)], ids=["letterbox", "pillar", "both"])
def test_bars_are_cropped_and_never_in_a_palette(
    bars: tuple[int, int], make_film: Callable[..., FilmTruth], analyzed: Analyzed
) -> None:
    film = make_film(f"bars_{bars[0]}_{bars[1]}.mp4", BRIGHT_SHOTS, codec="h264", bars=bars)
    a = analyzed(film.path)
    assert film.crop is not None and a.crop is not None
    got = (a.crop.x, a.crop.y, a.crop.width, a.crop.height)
    for g, want in zip(got, film.crop, strict=True):
        assert abs(g - want) <= 4, (got, film.crop)
    for result in a.scenes:
        for swatch in result.palette.swatches:
            assert swatch.lab[0] > 25, f"bar colour {swatch.hex} in scene {result.scene.index}"


def test_no_crop_is_reported_without_bars(cut_film_h264: FilmTruth, analyzed: Analyzed) -> None:
    assert analyzed(cut_film_h264.path).crop is None


def test_fades_to_black_give_no_dark_swatch(
    make_film: Callable[..., FilmTruth], analyzed: Analyzed
) -> None:
    film = make_film("fades.mp4", BRIGHT_SHOTS, codec="h264", fade_frames=8, black_frames=6)
    a = analyzed(film.path)
    assert len(a.scenes) >= len(BRIGHT_SHOTS)
    for result in a.scenes:
        if result.black:
            assert len(result.palette) == 1
            continue
        for swatch in result.palette.swatches:
            assert swatch.lab[0] > 25, f"fade colour {swatch.hex} in scene {result.scene.index}"
    for swatch in a.palette.swatches:
        assert swatch.lab[0] > 25


def test_an_all_black_scene_says_so(
    make_film: Callable[..., FilmTruth], analyzed: Analyzed
) -> None:
    shots = (Shot.solid((0, 0, 0), frames=30), Shot.solid((200, 180, 60), frames=30))
    film = make_film("black_then_yellow.mp4", shots, codec="h264")
    a = analyzed(film.path)
    assert [r.black for r in a.scenes] == [True, False]
    black = a.scenes[0].palette
    assert len(black) == 1 and black.swatches[0].lab[0] < 5
    assert a.palette.hex_codes == a.scenes[1].palette.hex_codes


def test_a_film_without_a_cut_is_one_scene(
    make_film: Callable[..., FilmTruth], analyzed: Analyzed
) -> None:
    film = make_film("one_shot.mkv", (Shot.solid((30, 120, 200), frames=40),))
    a = analyzed(film.path)
    assert len(a.scenes) == 1
    assert (a.scenes[0].scene.start_frame, a.scenes[0].scene.end_frame) == (0, 40)
    assert nearest(a.scenes[0].palette, (30, 120, 200))[0] < 1.5


@pytest.mark.parametrize("detector", ["adaptive", "histogram"])
def test_other_detectors_find_the_cuts(
    detector: str, cut_film_h264: FilmTruth, analyzed: Analyzed
) -> None:
    a = analyzed(cut_film_h264.path, detector=detector)
    found = [r.scene.start_frame for r in a.scenes[1:]]
    assert all(any(abs(f - c) <= 1 for f in found) for c in cut_film_h264.cuts), found
    assert a.settings.detector == detector


def test_threshold_detector_cuts_once_in_each_fade_through_black(
    make_film: Callable[..., FilmTruth], analyzed: Analyzed
) -> None:
    film = make_film("fades.mp4", BRIGHT_SHOTS, codec="h264", fade_frames=8, black_frames=6)
    a = analyzed(film.path, detector="threshold")
    assert len(a.scenes) == len(BRIGHT_SHOTS)
    # Each shot's 6 black frames end it (film.cuts is the first frame after them): the
    # threshold detector cuts inside that black stretch, not in the fades around it.
    for found, cut in zip([r.scene.start_frame for r in a.scenes[1:]], film.cuts, strict=True):
        assert cut - 6 <= found <= cut, (found, cut)


def test_same_seed_gives_the_same_document(cut_film_h264: FilmTruth) -> None:
    first = analysis_to_json(scenepal.analyze(cut_film_h264.path, seed=7, colors=6))
    second = analysis_to_json(scenepal.analyze(cut_film_h264.path, seed=7, colors=6))
    assert first == second


def test_the_film_is_decoded_once(
    cut_film_h264: FilmTruth, monkeypatch: pytest.MonkeyPatch
) -> None:
    opened: list[str] = []
    real_open = av.open

    def counting_open(*args: Any, **kwargs: Any) -> Any:
        opened.append(str(args[0]))
        return real_open(*args, **kwargs)

    monkeypatch.setattr(av, "open", counting_open)
    scenepal.analyze(cut_film_h264.path)
    assert opened == [str(cut_film_h264.path)]


def test_progress_reports_move_forward_and_end_at_the_last_frame(
    cut_film_h264: FilmTruth,
) -> None:
    reports: list[pipeline.Progress] = []
    scenepal.analyze(cut_film_h264.path, on_progress=reports.append)
    frames = [p.frames for p in reports]
    assert frames == sorted(frames) and len(frames) > 3
    assert reports[-1].frames == cut_film_h264.frame_count
    assert reports[-1].fraction == pytest.approx(1.0, abs=0.05)
    assert reports[-1].scenes == len(cut_film_h264.cuts) + 1


def test_config_and_options_together_are_refused(cut_film_h264: FilmTruth) -> None:
    with pytest.raises(ConfigError, match="not both"):
        scenepal.analyze(cut_film_h264.path, config=scenepal.AnalysisConfig(), colors=3)


def test_unknown_option_is_named(cut_film_h264: FilmTruth) -> None:
    with pytest.raises(ConfigError, match="colours"):
        scenepal.analyze(cut_film_h264.path, colours=3)


def test_settings_and_versions_are_recorded(cut_film_h264: FilmTruth, analyzed: Analyzed) -> None:
    a = analyzed(cut_film_h264.path, colors=3, seed=4, color_space="oklab")
    assert (a.settings.colors, a.settings.seed, a.settings.color_space) == (3, 4, "oklab")
    assert a.scenepal_version == scenepal.__version__
    assert all(len(r.palette) <= 3 for r in a.scenes)


def _keyframe_times(path: Path) -> list[float]:
    """Film times (from the first frame) of the keyframes, from the container's packets."""
    with av.open(str(path)) as container:
        stream = container.streams.video[0]
        packets = [(p.pts, p.is_keyframe) for p in container.demux(stream) if p.pts is not None]
    first = min(pts for pts, _ in packets)
    return sorted(float((pts - first) * stream.time_base) for pts, key in packets if key)


def test_preview_decodes_only_the_keyframes(
    cut_film_h264: FilmTruth, monkeypatch: pytest.MonkeyPatch
) -> None:
    keyframes = _keyframe_times(cut_film_h264.path)
    assert 1 < len(keyframes) < cut_film_h264.frame_count / 4  # a film where it makes a difference
    decoded: list[float] = []
    frames = video.VideoReader.frames

    def watched(self: video.VideoReader) -> Iterator[Frame]:
        for frame in frames(self):
            decoded.append(frame.time_s)
            yield frame

    monkeypatch.setattr(video.VideoReader, "frames", watched)
    a = scenepal.analyze(cut_film_h264.path, preview=True)
    assert decoded == pytest.approx(keyframes, abs=1e-3)
    assert a.warnings[0].startswith(f"preview: only the {len(keyframes)} keyframes")


def test_preview_decodes_keyframes_only_and_says_so(
    cut_film_h264: FilmTruth, analyzed: Analyzed
) -> None:
    a = analyzed(cut_film_h264.path, preview=True)
    assert a.settings.preview is True
    assert a.warnings[0].startswith("preview:")
    assert a.frame_count == cut_film_h264.frame_count
    assert a.scenes[0].scene.start_frame == 0
    assert a.scenes[-1].scene.end_frame == a.frame_count
    for prev, cur in itertools.pairwise(a.scenes):
        assert prev.scene.end_frame == cur.scene.start_frame
    full = analyzed(cut_film_h264.path)
    assert len(a.scenes) <= len(full.scenes)
    # The first keyframe is the first frame: the first scene's colours are right.
    for region in cut_film_h264.shots[0].regions:
        assert nearest(a.scenes[0].palette, region.rgb)[0] < 2.0


@pytest.mark.skipif(not Path("/proc/self/task").is_dir(), reason="needs Linux /proc")
def test_decoder_threads_is_a_per_run_option_that_leaves_the_result_alone(
    cut_film_h264: FilmTruth,
) -> None:
    def run(threads: int) -> tuple[str, int]:
        most = [0]

        def count(p: pipeline.Progress) -> None:  # threads of this process while decoding
            most[0] = max(most[0], sum(1 for _ in Path("/proc/self/task").iterdir()))

        a = scenepal.analyze(cut_film_h264.path, decoder_threads=threads, on_progress=count)
        return analysis_to_json(a), most[0]

    one, with_one = run(1)
    six, with_six = run(6)
    assert one == six  # not a setting: the document does not change, nor record it
    assert "decoder_threads" not in json.loads(one)["settings"]
    assert with_six - with_one >= 4  # FFmpeg's frame threads come and go with the option


@pytest.mark.parametrize("threads", [0, 65, 2.0, True])
def test_decoder_threads_out_of_range_is_a_config_error(
    threads: object, cut_film_h264: FilmTruth
) -> None:
    with pytest.raises(ConfigError, match="decoder_threads"):
        scenepal.analyze(cut_film_h264.path, decoder_threads=threads)  # type: ignore[arg-type]
