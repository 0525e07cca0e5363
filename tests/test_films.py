"""Self-test of the film factory: decode what it wrote and compare with its ground truth.

Decoding goes through `films.decode_rgb_frames`, the factory's own numpy inverse of the raw
Y'CbCr planes, so these checks do not depend on swscale's colour maths.
"""

from __future__ import annotations

import doctest
import itertools
import time
from pathlib import Path

import av
import films
import numpy as np
import pytest
from films import (
    ColorTags,
    FilmTruth,
    Region,
    Shot,
    codes_to_rgb,
    decode_rgb_frames,
    encoded_rgb,
    expected_color_tags,
    nearest_codes,
    read_color_tags,
    rgb_to_codes,
    write_film,
)
from hypothesis import given, settings
from hypothesis import strategies as st

# Colours differ in brightness and saturation, not only hue (see FACTS.md on ContentDetector).
SHOTS = (
    Shot.stripes((200, 30, 30), (20, 180, 40), (10, 10, 140), frames=10),
    Shot((Region((240, 240, 200), 0.25), Region((60, 60, 60), 0.75)), frames=8),
    Shot.solid((250, 128, 0), frames=9),
)
SUFFIX = {"ffv1": ".mkv", "h264": ".mp4", "hevc10": ".mp4", "vp9": ".webm", "prores": ".mov"}


def _write(tmp_path: Path, codec: str = "ffv1", **kwargs: object) -> FilmTruth:
    options: dict[str, object] = {"width": 160, "height": 90, **kwargs}
    shots = options.pop("shots", SHOTS)
    return write_film(tmp_path / f"film{SUFFIX[codec]}", shots, codec=codec, **options)  # type: ignore[arg-type]


def _frames(truth: FilmTruth) -> np.ndarray:
    """float32 (N, H, W, 3) RGB of every frame."""
    return np.stack(decode_rgb_frames(truth.path))


def _full_frames(truth: FilmTruth, shot: int) -> list[int]:
    start, end = truth.shot_range(shot)
    return [i for i in range(start, end) if truth.fade_levels[i] == 1.0]


def _region_means(
    frames: np.ndarray, truth: FilmTruth, shot: int, *, margin: int = 0
) -> list[np.ndarray]:
    """Mean RGB of each stripe of a shot over its full-level frames, ``margin`` px trimmed."""
    _, y, _, h = truth.picture_box
    picked = frames[_full_frames(truth, shot), y + margin : y + h - margin]
    return [
        picked[:, :, s.x_start + margin : s.x_end - margin]
        .reshape(-1, 3)
        .mean(axis=0, dtype=np.float64)
        for s in truth.stripes(shot)
    ]


def _picture_luma(frames: np.ndarray, truth: FilmTruth) -> np.ndarray:
    x, y, w, h = truth.picture_box
    return frames[:, y : y + h, x : x + w].mean(axis=(1, 2, 3))


# --- colour maths -------------------------------------------------------------------------


def test_module_doctests_pass() -> None:
    result = doctest.testmod(films, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.attempted >= 10
    assert result.failed == 0


@settings(max_examples=200, deadline=None)
@given(
    rgb=st.tuples(*[st.floats(0.0, 255.0)] * 3),
    matrix=st.sampled_from(["bt709", "bt601"]),
    full_range=st.booleans(),
    bits=st.sampled_from([8, 10, 12]),
)
def test_codes_round_trip(
    rgb: tuple[float, float, float], matrix: str, full_range: bool, bits: int
) -> None:
    coding = {"matrix": matrix, "full_range": full_range, "bits": bits}
    back = codes_to_rgb(rgb_to_codes(np.array(rgb), **coding), **coding)
    np.testing.assert_allclose(back, rgb, atol=1e-9)


@settings(max_examples=300, deadline=None)
@given(
    rgb=st.tuples(*[st.integers(0, 255)] * 3),
    matrix=st.sampled_from(["bt709", "bt601"]),
    full_range=st.booleans(),
)
def test_nearest_codes_bound(rgb: tuple[int, int, int], matrix: str, full_range: bool) -> None:
    # The 8-bit code lattice cannot hit every colour within 1 level; the documented worst cases
    # over all sRGB colours are 1.06 (BT.709 limited) and 1.19 (BT.601 limited).
    codes = nearest_codes(np.array(rgb), matrix=matrix, full_range=full_range)
    assert np.array_equal(codes, np.rint(codes))
    assert codes.min() >= 0 and codes.max() <= 255
    back = codes_to_rgb(codes, matrix=matrix, full_range=full_range)
    assert np.abs(back - rgb).max() <= 1.2


def test_known_codes() -> None:
    # Published BT.709 limited-range values: white 235/128/128, pure red 63/102/240.
    assert rgb_to_codes(np.array([255, 0, 0])).round().tolist() == [63.0, 102.0, 240.0]
    full = rgb_to_codes(np.array([255, 255, 255]), full_range=True, bits=10)
    assert full.round().tolist() == [1023.0, 512.0, 512.0]
    limited10 = rgb_to_codes(np.array([0, 0, 0]), bits=10)
    assert limited10.round().tolist() == [64.0, 512.0, 512.0]


# --- timing, counts, cuts -------------------------------------------------------------------


@pytest.mark.parametrize("codec", ["ffv1", "h264"])
def test_frame_count_timestamps_and_duration(tmp_path: Path, codec: str) -> None:
    truth = _write(tmp_path, codec, fps=25)
    assert truth.frame_count == 27
    assert truth.duration == pytest.approx(27 / 25)
    with av.open(str(truth.path)) as container:
        stream = container.streams.video[0]
        assert stream.average_rate == 25
        assert container.duration is not None
        # Matroska keeps milliseconds; MP4 is exact to the microsecond.
        assert abs(container.duration / 1e6 - truth.duration) <= 0.001
        times = [float(frame.time) for frame in container.decode(stream)]
    assert len(times) == truth.frame_count
    np.testing.assert_allclose(times, np.arange(truth.frame_count) / 25, atol=0.001)


def test_cuts_match_decoded_shot_boundaries(tmp_path: Path) -> None:
    truth = _write(tmp_path)
    assert truth.cuts == (10, 18)
    assert [s.frames for s in truth.shots] == [10, 8, 9]
    assert truth.black_ranges == ()
    frames = _frames(truth)
    change = np.abs(np.diff(frames, axis=0)).max(axis=(1, 2, 3))
    assert tuple(int(i) + 1 for i in np.flatnonzero(change > 0)) == truth.cuts


def test_fades_darken_monotonically(tmp_path: Path) -> None:
    truth = _write(tmp_path, fade_frames=3)
    assert truth.cuts == (10, 18)
    assert truth.black_ranges == ((7, 13), (15, 21))
    assert truth.fade_levels[7:13] == pytest.approx([2 / 3, 1 / 3, 0, 0, 1 / 3, 2 / 3])
    luma = _picture_luma(_frames(truth), truth)
    for start, end in truth.black_ranges:
        out = luma[start - 1 : start + 3]  # last full frame, then the fade-out
        back = luma[end - 3 : end + 1]  # the fade-in, then the first full frame
        assert np.all(np.diff(out) < -1.0)
        assert np.all(np.diff(back) > 1.0)
        assert luma[start + 2] < 0.5 and luma[start + 3] < 0.5  # the two black frames
    outside = [i for i in range(truth.frame_count) if truth.fade_levels[i] == 1.0]
    assert luma[outside].min() > 40.0


def test_black_frames_belong_to_outgoing_shot(tmp_path: Path) -> None:
    truth = _write(tmp_path, black_frames=4)
    assert truth.frame_count == 27 + 2 * 4
    assert [s.frames for s in truth.shots] == [14, 12, 9]
    assert truth.cuts == (14, 26)
    assert truth.black_ranges == ((10, 14), (22, 26))
    assert sum(s.frames for s in truth.shots) == truth.frame_count
    frames = _frames(truth)
    assert len(frames) == truth.frame_count
    luma = _picture_luma(frames, truth)
    black = np.zeros(truth.frame_count, dtype=bool)
    for start, end in truth.black_ranges:
        black[start:end] = True
    assert np.abs(frames[black]).max() <= 2.0
    assert luma[~black].min() > 40.0


def test_fades_and_black_frames_merge_into_one_range(tmp_path: Path) -> None:
    truth = _write(tmp_path, fade_frames=2, black_frames=3)
    # Shot 0: full 0-7, fade-out 8-9, black 10-12; shot 1 starts with its fade-in at 13.
    assert truth.cuts == (13, 24)
    assert truth.black_ranges == ((8, 15), (19, 26))
    assert all(a <= cut < b for cut, (a, b) in zip(truth.cuts, truth.black_ranges, strict=True))


# --- colour, geometry, bars -----------------------------------------------------------------


@pytest.mark.parametrize("matrix", ["bt709", "bt601"])
@pytest.mark.parametrize("full_range", [False, True])
def test_ffv1_region_colors_exact(tmp_path: Path, matrix: str, full_range: bool) -> None:
    truth = _write(tmp_path, matrix=matrix, full_range=full_range)
    frames = _frames(truth)
    for index, shot in enumerate(truth.shots):
        for region, mean in zip(shot.regions, _region_means(frames, truth, index), strict=True):
            lossless = encoded_rgb(region.rgb, matrix=matrix, full_range=full_range)
            np.testing.assert_allclose(mean, lossless, atol=0.01)
            assert np.abs(mean - region.rgb).max() <= 1.0, (index, region, mean)


@pytest.mark.parametrize("pix_fmt", ["yuv422p", "yuv444p", "yuv420p10le"])
def test_ffv1_other_pixel_formats(tmp_path: Path, pix_fmt: str) -> None:
    truth = _write(tmp_path, pix_fmt=pix_fmt)
    with av.open(str(truth.path)) as container:
        assert container.streams.video[0].codec_context.pix_fmt == pix_fmt
    frames = _frames(truth)
    for index, shot in enumerate(truth.shots):
        for region, mean in zip(shot.regions, _region_means(frames, truth, index), strict=True):
            assert np.abs(mean - region.rgb).max() <= 1.0


def test_h264_region_colors(tmp_path: Path) -> None:
    truth = _write(tmp_path, "h264", matrix="bt601")
    frames = _frames(truth)
    for index, shot in enumerate(truth.shots):
        means = _region_means(frames, truth, index, margin=4)
        for region, mean in zip(shot.regions, means, strict=True):
            assert np.abs(mean - region.rgb).max() <= 3.0, (index, region, mean)


@pytest.mark.parametrize("codec", ["hevc10", "vp9", "prores"])
def test_optional_codecs(tmp_path: Path, codec: str) -> None:
    shots = (SHOTS[0], SHOTS[2])
    truth = _write(tmp_path, codec, shots=shots)
    assert read_color_tags(truth.path) == ColorTags(1, 1, 1, 1)
    frames = _frames(truth)
    assert len(frames) == truth.frame_count == 19
    for index, shot in enumerate(truth.shots):
        means = _region_means(frames, truth, index, margin=4)
        for region, mean in zip(shot.regions, means, strict=True):
            assert np.abs(mean - region.rgb).max() <= 3.0, (codec, index, region, mean)


def test_actual_shares_follow_the_pixels(tmp_path: Path) -> None:
    shots = [Shot((Region((255, 255, 255), 0.1), Region((90, 0, 160), 0.9)), frames=2)]
    truth = _write(tmp_path, shots=shots, width=100, height=40)
    shares = [r.share for r in truth.shots[0].regions]
    assert shares == [0.1, 0.9]  # 10 px of 100: already on an even edge
    truth = _write(tmp_path, shots=shots, width=110, height=40)
    stripes = truth.stripes(0)
    assert [(s.x_start, s.x_end) for s in stripes] == [(0, 12), (12, 110)]
    assert [r.share for r in truth.shots[0].regions] == [12 / 110, 98 / 110]
    frame = decode_rgb_frames(truth.path)[0]
    assert np.abs(frame[:, :12] - 255).max() <= 1.0
    assert np.abs(frame[:, 12:] - (90, 0, 160)).max() <= 1.2


@settings(max_examples=60, deadline=None)
@given(
    shares=st.lists(st.integers(1, 50), min_size=1, max_size=6),
    side=st.integers(0, 15),
)
def test_stripe_layout_properties(shares: list[int], side: int) -> None:
    width = 160
    content = width - 2 * side
    requested = [s / sum(shares) for s in shares]
    try:
        edges = films._stripe_edges(requested, side, content)
    except ValueError:
        # Each edge moves at most 1 px, so only regions of 2 px or less can be refused.
        assert min(requested) * content <= 2.0
        return
    assert edges[0] == side and edges[-1] == width - side
    assert all(e % 2 == 0 for e in edges[1:-1])
    assert all(b > a for a, b in itertools.pairwise(edges))
    for share, a, b in zip(requested, edges[:-1], edges[1:], strict=True):
        # Exactly 2 px off happens (shares 2:4:4:4 of 154 px): compare in pixels, not shares.
        assert abs((b - a) - share * content) <= 2 + 1e-9


def test_bars_are_black_and_crop_is_reported(tmp_path: Path) -> None:
    truth = _write(tmp_path, bars=(12, 10))
    assert truth.crop == (10, 12, 140, 66)
    frames = _frames(truth)
    x, y, w, h = truth.crop
    bar = np.ones(frames.shape[1:3], dtype=bool)
    bar[y : y + h, x : x + w] = False
    assert np.abs(frames[:, bar]).max() <= 2.0
    assert frames[:, ~bar].max(axis=-1).min() > 50.0  # no black leaks into the picture
    for index, shot in enumerate(truth.shots):
        for region, mean in zip(shot.regions, _region_means(frames, truth, index), strict=True):
            assert np.abs(mean - region.rgb).max() <= 1.0
    assert _write(tmp_path).crop is None


def test_h264_bars_are_black_away_from_the_edge(tmp_path: Path) -> None:
    truth = _write(tmp_path, "h264", bars=(16, 20))
    frames = _frames(truth)
    x, y, w, h = truth.picture_box
    bar = np.ones(frames.shape[1:3], dtype=bool)
    bar[y : y + h, x : x + w] = False
    assert np.abs(frames[:, bar].mean(axis=1)).max() <= 2.0
    # Codec ringing reaches a few pixels into the bars; 8 px away they are black.
    far = np.ones_like(bar)
    far[y - 8 : y + h + 8, x - 8 : x + w + 8] = False
    assert np.abs(frames[:, far]).max() <= 2.0


# --- tags -----------------------------------------------------------------------------------


@pytest.mark.parametrize("codec", ["ffv1", "h264"])
@pytest.mark.parametrize(
    ("matrix", "full_range", "tag", "expected"),
    [
        ("bt709", False, True, ColorTags(1, 1, 1, 1)),
        ("bt709", True, True, ColorTags(1, 2, 1, 1)),
        ("bt601", False, True, ColorTags(6, 1, 6, 6)),
        ("bt601", True, True, ColorTags(6, 2, 6, 6)),
        ("bt709", False, False, ColorTags(2, 0, 2, 2)),
        ("bt601", True, False, ColorTags(2, 0, 2, 2)),
    ],
)
def test_tags_read_back(
    tmp_path: Path, codec: str, matrix: str, full_range: bool, tag: bool, expected: ColorTags
) -> None:
    shots = [Shot.solid((100, 150, 200), frames=3)]
    truth = _write(tmp_path, codec, shots=shots, matrix=matrix, full_range=full_range, tag=tag)
    assert read_color_tags(truth.path) == expected
    assert expected_color_tags(matrix=matrix, full_range=full_range, tag=tag) == expected
    with av.open(str(truth.path)) as container:
        frame = next(container.decode(video=0))
        got = (frame.colorspace, frame.color_range, frame.color_primaries, frame.color_trc)
    assert got == (
        expected.colorspace,
        expected.color_range,
        expected.color_primaries,
        expected.color_trc,
    )
    assert (truth.matrix, truth.full_range, truth.tagged) == (matrix, full_range, tag)


def test_untagged_film_needs_explicit_decoding(tmp_path: Path) -> None:
    shots = [Shot.solid((100, 150, 200), frames=2)]
    truth = _write(tmp_path, shots=shots, matrix="bt601", full_range=True, tag=False)
    with pytest.raises(ValueError, match="untagged"):
        decode_rgb_frames(truth.path)
    right = decode_rgb_frames(truth.path, matrix="bt601", full_range=True)[0]
    wrong = decode_rgb_frames(truth.path, matrix="bt709", full_range=False)[0]
    assert np.abs(right.mean(axis=(0, 1)) - (100, 150, 200)).max() <= 1.0
    assert np.abs(wrong.mean(axis=(0, 1)) - (100, 150, 200)).max() > 5.0


def test_hevc_untagged_range_reads_limited(tmp_path: Path) -> None:
    shots = [Shot.solid((100, 150, 200), frames=2)]
    truth = _write(tmp_path, "hevc10", shots=shots, tag=False)
    assert read_color_tags(truth.path) == ColorTags(2, 1, 2, 2)
    assert read_color_tags(truth.path) == expected_color_tags(
        matrix="bt709", full_range=False, tag=False, codec="hevc10"
    )


# --- noise, determinism, speed, validation ---------------------------------------------------


def test_noise_is_seeded_and_sized(tmp_path: Path) -> None:
    shots = [Shot.solid((120, 100, 80), frames=4)]
    a = _frames(_write(tmp_path / "a", shots=shots, noise=4.0, seed=7, bars=(10, 0)))
    b = _frames(_write(tmp_path / "b", shots=shots, noise=4.0, seed=7, bars=(10, 0)))
    c = _frames(_write(tmp_path / "c", shots=shots, noise=4.0, seed=8, bars=(10, 0)))
    assert np.array_equal(a, b)
    assert not np.array_equal(a, c)
    picture = a[:, 10:80]
    assert np.abs(picture.mean(axis=(0, 1, 2)) - (120, 100, 80)).max() <= 0.5
    std = picture.std(axis=(0, 1, 2))
    assert np.all((std > 0.6 * 4.0) & (std < 1.2 * 4.0)), std
    assert not np.array_equal(picture[0], picture[1])  # fresh noise every frame
    assert np.abs(a[:, :10]).max() == 0.0  # bars stay clean


def test_writes_fast(tmp_path: Path) -> None:
    shots = [
        Shot.stripes((200, 30, 30), (20, 180, 40), frames=120),
        Shot.solid((9, 9, 9), frames=120),
    ]
    start = time.perf_counter()
    truth = write_film(tmp_path / "ten.mkv", shots, fade_frames=6)
    assert time.perf_counter() - start < 2.0
    assert truth.duration == 10.0


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"codec": "av2"}, "valid: ffv1, h264, hevc10, prores, vp9"),
        ({"matrix": "bt2020"}, "valid: bt709, bt601"),
        ({"path": "film.mp4"}, r"\.mkv"),
        ({"width": 161}, "width % 2"),
        ({"codec": "h264", "path": "film.mp4", "pix_fmt": "rgb24"}, "takes pix_fmt"),
        ({"codec": "prores", "path": "film.mov", "full_range": True}, "full range"),
        ({"bars": (45, 0)}, "no picture"),
        ({"fade_frames": 5}, "needs at least 11"),
        ({"shots": [Shot((Region((1, 1, 1), 0.005), Region((2, 2, 2), 0.995)), 3)]}, "narrow"),
    ],
)
def test_invalid_requests_raise(tmp_path: Path, kwargs: dict[str, object], message: str) -> None:
    options: dict[str, object] = {"width": 160, "height": 90, **kwargs}
    path = tmp_path / str(options.pop("path", "film.mkv"))
    shots = options.pop("shots", SHOTS)
    with pytest.raises(ValueError, match=message):
        write_film(path, shots, **options)  # type: ignore[arg-type]


def test_shot_and_region_validation() -> None:
    with pytest.raises(ValueError, match="sum to 1"):
        Shot((Region((1, 2, 3), 0.5),), frames=3)
    with pytest.raises(ValueError, match="0-255"):
        Region((1, 2, 256), 1.0)
    with pytest.raises(ValueError, match="frames"):
        Shot.solid((1, 2, 3), frames=0)
