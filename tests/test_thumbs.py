"""scenepal.thumbs: the representative frame of each scene, chosen in the decoding pass, and its
thumbnail in the output folder."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable
from pathlib import Path

import av
import numpy as np
import pytest
from analyses import make_analysis
from films import FilmTruth, Region, Shot
from hypothesis import given
from hypothesis import strategies as st
from numpy.typing import NDArray

import scenepal
from scenepal import thumbs
from scenepal.export import analysis_to_dict, load_analysis
from scenepal.models import Analysis, Frame, Palette, Scene, Swatch
from scenepal.thumbs import CandidatePool, decode_jpeg

FPS = 24


def _write(path: Path, frames: list[NDArray[np.uint8]]) -> Path:
    """Frames (uint8 (h, w, 3) sRGB) as a lossless FFV1 film at 24 fps."""
    height, width = frames[0].shape[:2]
    with av.open(str(path), "w") as out:
        stream = out.add_stream("ffv1", rate=FPS)
        stream.width, stream.height, stream.pix_fmt = width, height, "yuv444p"
        for i, rgb in enumerate(frames):
            frame = av.VideoFrame.from_ndarray(rgb, format="rgb24")
            frame.pts = i
            out.mux(stream.encode(frame))
        out.mux(stream.encode(None))
    return path


ORANGE, TEAL = (230, 130, 40), (30, 150, 160)


def _halves(h: int = 180, w: int = 320, ramp: float = 0.0) -> NDArray[np.uint8]:
    """Orange on the left, teal on the right; ``ramp`` brightens them towards the right."""
    frame = np.empty((h, w, 3), np.float64)
    frame[:, : w // 2], frame[:, w // 2 :] = ORANGE, TEAL
    frame += ramp * np.linspace(-1.0, 1.0, w)[None, :, None]
    return np.clip(frame, 0, 255).astype(np.uint8)


def _rainbow(h: int = 180, w: int = 320) -> NDArray[np.uint8]:
    hue = np.linspace(0.0, 1.0, w)[None, :]
    rgb = [0.5 + 0.5 * np.cos(2 * np.pi * (hue - k / 3)) for k in range(3)]
    frame = np.stack([np.repeat(c, h, axis=0) for c in rgb], axis=-1)
    return (frame * 220 + 20).astype(np.uint8)


@pytest.fixture(scope="module")
def atypical_middle(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One 5 s shot (the threshold detector cuts only at black): flat orange and teal halves,
    except a rainbow over its middle (frames 42-78) and the same halves under a brightness
    ramp at frames 0-7 and 92-100. Candidates are every 12th frame, pooled as 0, 24, 48, 72,
    96: the pool's middle frames (48, 72) and the shot's middle (60) are rainbow, 0 and 96
    ramped; only frame 24 is the plain halves that make up most of the shot."""
    frames = []
    for i in range(120):
        if 42 <= i <= 78:
            frames.append(_rainbow())
        elif i <= 7 or 92 <= i <= 100:
            frames.append(_halves(ramp=40.0))
        else:
            frames.append(_halves())
    return _write(tmp_path_factory.mktemp("thumbs") / "atypical.mkv", frames)


def test_the_representative_is_the_frame_closest_to_the_palette_not_the_middle(
    atypical_middle: Path,
) -> None:
    analysis = scenepal.analyze(atypical_middle, detector="threshold")
    (scene,) = analysis.scenes
    rep = scene.representative
    assert rep is not None
    assert rep.frame == 24 and rep.time_s == pytest.approx(1.0)
    picture = decode_jpeg(rep.jpeg).astype(np.float64)
    assert picture.shape == (180, 320, 3)
    left, right = picture[:, 20:140].mean(axis=(0, 1)), picture[:, 180:300].mean(axis=(0, 1))
    assert np.abs(left - ORANGE).max() < 6 and np.abs(right - TEAL).max() < 6
    # The pooled frames the choice was made among, scored against the scene's palette by hand.
    errors = {i: thumbs.palette_error(f, scene.palette) for i, f in _pooled(atypical_middle)}
    assert min(errors, key=lambda i: errors[i]) == 24
    assert errors[48] > 2 * errors[24] and errors[96] > errors[24]


def _pooled(path: Path) -> list[tuple[int, NDArray[np.uint8]]]:
    with av.open(str(path)) as film:
        frames = [f.to_ndarray(format="rgb24") for f in film.decode(video=0)]
    return [(i, frames[i]) for i in (0, 24, 48, 72, 96)]


def test_a_letterboxed_scene_gives_a_320_px_thumbnail_without_bars(
    make_film: Callable[..., FilmTruth],
) -> None:
    shots = (
        Shot((Region((200, 180, 60), 0.5), Region((60, 90, 200), 0.5)), frames=36),
        Shot.solid((230, 230, 220), frames=36),
    )
    film = make_film("thumbs-letterbox.mkv", shots, codec="ffv1", width=640, height=360,
                     bars=(46, 0))  # fmt: skip
    analysis = scenepal.analyze(film.path)
    assert len(analysis.scenes) == 2
    for result in analysis.scenes:
        assert result.crop is not None and result.crop.height == 268
        rep = result.representative
        assert rep is not None
        picture = decode_jpeg(rep.jpeg)
        # 268 of 360 rows at 480 px wide is 357 rows; less a scaled row at each bar, 320 wide
        assert picture.shape[1] == 320 and 130 <= picture.shape[0] <= 134
        rows = picture.astype(np.float64).mean(axis=(1, 2))
        assert rows.min() > 100, "a bar row in the thumbnail"
        assert result.scene.start_frame <= rep.frame < result.scene.end_frame


def test_a_thumbnail_is_never_wider_than_the_picture(make_film: Callable[..., FilmTruth]) -> None:
    film = make_film("thumbs-small.mkv", (Shot.solid((90, 160, 90), frames=30),),
                     codec="ffv1", width=200, height=112)  # fmt: skip
    (result,) = scenepal.analyze(film.path).scenes
    assert result.representative is not None
    assert decode_jpeg(result.representative.jpeg).shape[:2] == (112, 200)


@pytest.fixture
def written(
    cut_film_h264: FilmTruth, analyzed: Callable[..., Analysis], tmp_path: Path
) -> tuple[Analysis, Path]:
    """The five-cut film's analysis, and the output folder it was written to."""
    analysis, out = analyzed(cut_film_h264.path), tmp_path / "out"
    scenepal.write_outputs(analysis, out)
    return analysis, out


def test_thumbnails_are_written_named_in_analysis_json_and_read_back(
    written: tuple[Analysis, Path],
) -> None:
    analysis, out = written
    doc = json.loads((out / "analysis.json").read_text(encoding="utf-8"))
    assert tuple(map(int, doc["schema_version"].split("."))) >= (1, 4)  # the field came in 1.4
    names = [s["representative"]["file"] for s in doc["scenes"]]
    assert names == [f"thumbs/{i:04d}.jpg" for i in range(1, len(analysis.scenes) + 1)]
    for name, result in zip(names, analysis.scenes, strict=True):
        assert result.representative is not None
        assert (out / name).read_bytes() == result.representative.jpeg
    again = load_analysis(out)
    assert again.scenes == analysis.scenes
    # A thumbnail file gone: that scene has none, the others are read.
    (out / names[1]).unlink()
    partial = load_analysis(out)
    assert partial.scenes[1].representative is None
    assert partial.scenes[0].representative == analysis.scenes[0].representative


def test_a_later_run_without_thumbnails_removes_the_old_ones(
    written: tuple[Analysis, Path],
) -> None:
    analysis, out = written
    fewer = dataclasses.replace(
        analysis,
        scenes=tuple(
            dataclasses.replace(r, representative=None) if r.scene.index else r
            for r in analysis.scenes
        ),
    )
    scenepal.write_outputs(fewer, out)
    assert sorted(p.name for p in (out / "thumbs").iterdir()) == ["0001.jpg"]


def test_old_analyses_without_representatives_still_load(tmp_path: Path) -> None:
    doc = analysis_to_dict(make_analysis([(2.0, [((200, 100, 50), 1.0)])] * 3))
    doc["schema_version"] = "1.3"
    for scene in doc["scenes"]:
        del scene["representative"]
    (tmp_path / "analysis.json").write_text(json.dumps(doc), encoding="utf-8")
    loaded = load_analysis(tmp_path)
    assert all(r.representative is None for r in loaded.scenes)


def test_an_odd_thumbnail_path_is_not_read(tmp_path: Path) -> None:
    doc = analysis_to_dict(make_analysis([(2.0, [((200, 100, 50), 1.0)])]))
    (tmp_path / "secret.jpg").write_bytes(b"not for the analysis")
    doc["scenes"][0]["representative"] = {"frame": 0, "time_s": 0.0, "file": "../secret.jpg"}
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "analysis.json").write_text(json.dumps(doc), encoding="utf-8")
    assert load_analysis(tmp_path / "sub").scenes[0].representative is None


def test_a_preview_gives_every_scene_a_representative(cut_film_h264: FilmTruth) -> None:
    analysis = scenepal.analyze(cut_film_h264.path, preview=True)
    for result in analysis.scenes:
        rep = result.representative
        assert rep is not None
        assert result.scene.start_frame <= rep.frame < result.scene.end_frame


def _frame(index: int, value: int) -> Frame:
    rgb = np.full((9, 16, 3), value, np.uint8)
    return Frame(index, index / FPS, rgb, np.zeros(90, np.float32), np.zeros(160, np.float32))


def test_ties_go_to_the_earliest_frame_and_no_candidate_gives_none() -> None:
    grey = Palette((Swatch((119, 119, 119), (50.0, 0.0, 0.0), 1.0),))
    scene = Scene(0, 0, 48, 0.0, 2.0)
    frames = [_frame(0, 60), _frame(12, 119), _frame(24, 119), _frame(36, 200)]
    chosen = thumbs.representative(frames, grey, crop=None, scene=scene, shown=scene)
    assert chosen is not None and chosen.frame == 12
    assert decode_jpeg(chosen.jpeg).shape == (90, 160, 3)  # the source's width, not wider
    assert thumbs.representative([], grey, crop=None, scene=scene, shown=scene) is None


@given(st.integers(1, 12), st.integers(0, 400))
def test_the_pool_holds_every_stride_th_offer_with_the_smallest_stride_that_fits(
    size: int, offers: int
) -> None:
    pool = CandidatePool[int](size)
    for i in range(offers):
        pool.offer(i)
    stride = 1
    while -(-offers // stride) > size:  # ceil(offers / stride) items would not fit
        stride *= 2
    assert pool.items == tuple(range(0, offers, stride))
    assert len(pool.items) <= size and (offers == 0 or 2 * len(pool.items) > min(size, offers))


def test_tone_mapped_hdr_films_get_a_larger_copy_four_times_less_often(tmp_path: Path) -> None:
    from badfiles import HDR10_TAGS, write_video

    from scenepal.video import HDR_SHARP_SPACING, open_video

    params = "log-level=error:colorprim=bt2020:transfer=smpte2084:colormatrix=bt2020nc"
    film = write_video(
        tmp_path / "hdr10.mp4",
        [((200, 120, 60), 60)],
        encoder="libx265",
        pix_fmt="yuv420p10le",
        tags=HDR10_TAGS,
        codec_options={"preset": "ultrafast", "x265-params": params},
    )
    with open_video(film, sharp_width=480, sharp_every_s=0.5) as reader:
        sharp = [f.index for f in reader.frames() if f.sharp is not None]
    assert HDR_SHARP_SPACING == 4 and sharp == [0, 48]  # every 12 x 4 frames at 24 fps
