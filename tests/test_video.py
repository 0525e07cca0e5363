"""probing.py, colorspace.py and video.py: probing, colour resolution, decoding, bad inputs."""

from __future__ import annotations

from collections.abc import Callable
from fractions import Fraction
from pathlib import Path

import av
import numpy as np
import pytest
from badfiles import write_video
from films import FilmTruth, Shot, encoded_rgb
from PIL import Image

from scenepal import colorspace, probing, video
from scenepal.errors import HdrRefusedError, InputNotFoundError, VideoOpenError

COLOR = (30, 120, 200)
SOLID = (Shot.solid(COLOR, frames=12),)


@pytest.fixture(scope="module")
def solid_ffv1(make_film: Callable[..., FilmTruth]) -> FilmTruth:
    return make_film("solid_ffv1.mkv", SOLID, codec="ffv1", width=320, height=180)


def _first_frame(path: Path, **kwargs: object) -> video.Frame:
    with video.open_video(path, **kwargs) as reader:  # type: ignore[arg-type]
        return next(iter(reader.frames()))


def test_probe_describes_the_film(cut_film_h264: FilmTruth) -> None:
    info = probing.probe(cut_film_h264.path)
    assert (info.width, info.height) == (320, 180)
    assert info.fps == pytest.approx(24.0)
    assert info.container_frame_count == cut_film_h264.frame_count
    assert info.duration_s == pytest.approx(cut_film_h264.duration, abs=0.05)
    assert info.codec == "h264"
    assert info.rotation == 0
    assert info.color.matrix == "bt709" and info.color.range == "limited"
    assert info.color.assumed == ()
    assert info.color.bit_depth == 8 and info.color.hdr is None


def test_every_frame_is_decoded_with_times_from_pts(cut_film_h264: FilmTruth) -> None:
    with video.open_video(cut_film_h264.path) as reader:
        times = [f.time_s for f in reader.frames()]
        end = reader.end_time_s
    assert len(times) == cut_film_h264.frame_count
    assert times == pytest.approx([i / 24 for i in range(len(times))], abs=1e-3)
    assert end == pytest.approx(cut_film_h264.duration, abs=1e-3)


def test_two_passes_give_the_same_frames(cut_film_h264: FilmTruth) -> None:
    passes = []
    for _ in range(2):
        with video.open_video(cut_film_h264.path) as reader:
            passes.append(list(reader.frames()))
    first, second = passes
    assert len(first) == len(second) == cut_film_h264.frame_count
    for a, b in zip(first, second, strict=True):
        assert (a.index, a.time_s) == (b.index, b.time_s)
        assert np.array_equal(a.rgb, b.rgb)
        assert np.array_equal(a.rows, b.rows) and np.array_equal(a.cols, b.cols)


def test_stopping_early_releases_the_film(cut_film_h264: FilmTruth) -> None:
    with video.open_video(cut_film_h264.path) as reader:
        frames = reader.frames()
        first = next(frames)
    assert first.index == 0
    assert list(frames) == []  # closed with the reader: nothing more comes


def test_frames_are_scaled_to_the_analysis_width(cut_film_h264: FilmTruth) -> None:
    frame = _first_frame(cut_film_h264.path, width=160)
    assert frame.rgb.shape == (90, 160, 3) and frame.rgb.dtype == np.uint8
    assert frame.rows.shape == (180,) and frame.cols.shape == (320,)


def test_frames_are_never_scaled_up(cut_film_h264: FilmTruth) -> None:
    assert _first_frame(cut_film_h264.path, width=1000).rgb.shape == (180, 320, 3)


def test_lossless_colours_come_back_within_a_level(solid_ffv1: FilmTruth) -> None:
    frame = _first_frame(solid_ffv1.path)
    want = np.array(encoded_rgb(COLOR))
    got = frame.rgb.reshape(-1, 3).astype(float).mean(axis=0)
    assert np.abs(got - want).max() <= 1.5, (got, want)


@pytest.mark.parametrize(
    ("name", "kwargs", "matrix", "rng", "assumed"),
    [
        ("bt601_sd.mkv", {"matrix": "bt601", "width": 320, "height": 240}, "bt601", "limited", ()),
        ("full.mkv", {"full_range": True}, "bt709", "full", ()),
        (
            "untagged_hd.mp4",
            {"tag": False, "codec": "h264", "width": 1280, "height": 720},
            "bt709",
            "limited",
            ("matrix", "range", "transfer", "primaries"),
        ),
        (
            "untagged_sd.mkv",
            {"tag": False, "matrix": "bt601", "width": 320, "height": 240},
            "bt601",
            "limited",
            ("matrix", "range", "transfer", "primaries"),
        ),
    ],
)
def test_colour_tags_are_resolved_and_applied(
    name: str,
    kwargs: dict[str, object],
    matrix: str,
    rng: str,
    assumed: tuple[str, ...],
    make_film: Callable[..., FilmTruth],
) -> None:
    film = make_film(name, SOLID, **kwargs)
    info = probing.probe(film.path)
    assert (info.color.matrix, info.color.range, info.color.assumed) == (matrix, rng, assumed)
    frame = _first_frame(film.path)
    want = np.array(encoded_rgb(COLOR, matrix=film.matrix, full_range=film.full_range))
    got = frame.rgb.reshape(-1, 3).astype(float).mean(axis=0)
    assert np.abs(got - want).max() <= 2.5, (got, want)


def test_luma_profiles_show_bars(make_film: Callable[..., FilmTruth]) -> None:
    film = make_film("bars_profile.mkv", SOLID, bars=(20, 40))
    frame = _first_frame(film.path)
    assert frame.rows[:20].max() < 0.01 and frame.rows[30:150].min() > 0.2
    assert frame.cols[:40].max() < 0.01 and frame.cols[50:270].min() > 0.2


def test_resolve_color_guesses_bt2020_for_untagged_hdr() -> None:
    c = colorspace.resolve_color(
        colorspace=2,
        color_range=1,
        transfer=16,
        primaries=9,
        pixel_format="yuv420p10le",
        bit_depth=10,
        is_rgb=False,
        height=2160,
    )
    assert (c.matrix, c.hdr, c.assumed) == ("bt2020", "pq", ("matrix",))


def test_hdr_refuse_raises(tmp_path: Path) -> None:
    path = tmp_path / "hdr.mkv"
    with av.open(str(path), "w") as out:
        stream = out.add_stream("ffv1", rate=24)
        stream.width, stream.height, stream.pix_fmt = 64, 48, "yuv420p10le"
        cc = stream.codec_context
        cc.color_trc, cc.color_primaries, cc.colorspace = 16, 9, 9
        for i in range(3):
            frame = av.VideoFrame.from_ndarray(np.full((48, 64, 3), 100, np.uint8), "rgb24")
            frame = frame.reformat(format="yuv420p10le")
            frame.pts, frame.time_base = i, Fraction(1, 24)
            out.mux(stream.encode(frame))
        out.mux(stream.encode())
    assert probing.probe(path).color.hdr == "pq"
    with pytest.raises(HdrRefusedError, match="HDR"):
        probing.probe(path, hdr="refuse")


def _audio_only(path: Path) -> None:
    with av.open(str(path), "w") as out:
        stream = out.add_stream("aac", rate=44100)
        for i in range(20):
            samples = np.zeros((1, 1024), np.float32)
            frame = av.AudioFrame.from_ndarray(samples, format="fltp", layout="mono")
            frame.sample_rate, frame.pts = 44100, i * 1024
            out.mux(stream.encode(frame))
        out.mux(stream.encode())


def _png(path: Path) -> None:
    Image.fromarray(np.full((32, 32, 3), 128, np.uint8)).save(path, format="PNG")


@pytest.mark.parametrize(
    ("make", "error", "message"),
    [
        (lambda p: None, InputNotFoundError, "no such file"),
        (lambda p: p.mkdir(), InputNotFoundError, "is a directory"),
        (lambda p: p.write_bytes(b""), VideoOpenError, "empty"),
        (
            lambda p: p.write_bytes(np.random.default_rng(1).bytes(20_000)),
            VideoOpenError,
            "not a video",
        ),
        (_audio_only, VideoOpenError, "no video stream"),
        (_png, VideoOpenError, "still image"),
    ],
    ids=["missing", "directory", "empty", "random", "audio-only", "png"],
)
def test_bad_inputs_raise_one_line_errors(
    make: Callable[[Path], None], error: type[Exception], message: str, tmp_path: Path
) -> None:
    path = tmp_path / ("song.m4a" if make is _audio_only else "film.mp4")
    make(path)
    with pytest.raises(error, match=message) as caught:
        probing.probe(path)
    assert "\n" not in str(caught.value)
    with pytest.raises(error), video.open_video(path):
        pass


def test_rotation_metadata_is_honoured(tmp_path: Path) -> None:
    path = tmp_path / "phone.mp4"
    with av.open(str(path), "w") as out:
        stream = out.add_stream("h264", rate=24)
        stream.width, stream.height, stream.pix_fmt = 64, 48, "yuv420p"
        stream.set_display_rotation(90)  # counter-clockwise, as FFmpeg counts
        for i in range(6):
            image = np.zeros((48, 64, 3), np.uint8)
            image[:12] = 255  # a white band along the stored top edge
            frame = av.VideoFrame.from_ndarray(image, "rgb24")
            frame.pts, frame.time_base = i, Fraction(1, 24)
            out.mux(stream.encode(frame))
        out.mux(stream.encode())
    info = probing.probe(path)
    assert (info.rotation, info.width, info.height) == (270, 48, 64)
    frame = _first_frame(path)
    assert frame.rgb.shape == (64, 48, 3)
    # Turned a quarter counter-clockwise, the top band is now along the left edge.
    assert frame.rgb[:, :8].mean() > 200 and frame.rgb[:, -20:].mean() < 20
    assert frame.cols[:8].min() > 0.8 and frame.cols[-20:].max() < 0.05
    assert frame.rows.shape == (64,)


def test_packed_yuv_bars_come_from_a_gray_reformat(tmp_path: Path) -> None:
    # yuyv422 has no Y plane of its own: the bar profiles must not read its packed bytes as luma.
    film = write_video(
        tmp_path / "packed.mkv",
        [((200, 40, 40), 24), ((20, 20, 120), 24)],
        encoder="rawvideo",
        pix_fmt="yuyv422",
        top_bar=20,
    )
    with video.open_video(film) as reader:
        assert reader.info.color.pixel_format == "yuyv422"
        frame = next(iter(reader.frames()))
    assert frame.rows[:20].max() < 0.01  # the bar is black
    assert frame.rows[20:].min() > 0.1  # the picture is not
    assert frame.cols.min() > 0.1  # and no column is all bar
