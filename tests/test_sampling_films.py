"""Sampling on whole films: light changes kept, transitions left out and counted, each scene's
picture area, long takes, variable frame rates and films cut short (issue 10).

The takes are graded photographs with camera moves, grain and flicker (``tests/takes.py``, the
realistic sample generator's material), small (128x72) so that the suite stays fast.
"""

from __future__ import annotations

from collections.abc import Callable
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest
from badfiles import truncate, write_video
from conftest import nearest
from takes import (
    Take,
    TakesTruth,
    brighten,
    dim,
    dip,
    fade_in,
    fade_out,
    flash,
    pixel_error,
    read_frames,
    reference_error,
    settle,
    shot_pixels,
    strobe,
    write_takes,
)
from typer.testing import CliRunner

import scenepal
from scenepal import color
from scenepal.cli import app
from scenepal.models import Analysis, Excluded
from scenepal.palette import extract_palette
from scenepal.video import open_video

SIZE = {"width": 128, "height": 72}


@pytest.fixture(scope="module")
def film(film_dir: Path) -> Callable[..., TakesTruth]:
    """Write a film of takes once per module for each name (in the session's film folder)."""
    cache: dict[str, TakesTruth] = {}

    def make(name: str, takes: list[Take], **kwargs: int) -> TakesTruth:
        if name not in cache:
            cache[name] = write_takes(film_dir / f"takes-{name}.mp4", takes, **{**SIZE, **kwargs})
        return cache[name]

    return make


LIGHT = {
    "dim": [Take("coffee", "warm", 120, gains=dim(120))],
    "brighten": [Take("chelsea", "neutral", 120, gains=brighten(120))],
    "exposure": [Take("astronaut", "neutral", 96, gains=settle(96))],
    "night_flash": [Take("rocket", "night", 96, gains=flash(96, night=1.0))],
    "strobe": [Take("camera", "cool", 96, gains=strobe(96))],
}

NEAR_BLACK = {"near_black_night": [Take("rocket", "night", 96, gains=flash(96))]}
"""A night graded down to 0.3 with a flash: its picture sits at the black level (a few frames
average under 0.015 and count as black), and its swatches lie about 1 CIEDE2000 apart."""


FADES = [
    Take("coffee", "warm", 84, gains=fade_out(84, 24, 12), fade_out=36),
    Take("chelsea", "cool", 72, gains=fade_in(72, 24), fade_in=24),
]
"""A fade out through 12 black frames, then a fade in: 24 + 12 and 24 transition frames."""


def excluded(a: Analysis) -> Excluded:
    total = Excluded()
    for r in a.scenes:
        e = r.excluded
        total = Excluded(
            total.black + e.black,
            total.fade_in + e.fade_in,
            total.fade_out + e.fade_out,
            total.dip + e.dip,
            total.dissolve + e.dissolve,
        )
    return total


@pytest.mark.parametrize("name", sorted(LIGHT))
def test_light_that_changes_without_reaching_black_excludes_nothing(
    name: str, film: Callable[..., TakesTruth]
) -> None:
    truth = film(name, LIGHT[name])
    a = scenepal.analyze(truth.path)
    assert excluded(a).total == 0, [r.excluded for r in a.scenes]
    assert sum(r.sampled_frames for r in a.scenes) >= truth.frame_count // 6


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(LIGHT | NEAR_BLACK))
def test_palettes_of_light_changes_are_as_good_as_from_every_frame(
    name: str, film: Callable[..., TakesTruth]
) -> None:
    # Against the same clustering on a uniform sample of every frame's pixels, so that only
    # the sampling is judged; medians over five seeds, as k-means has close local minima (the
    # same pixels give 1.00 or 1.13 times a k-means reference's error, seed by seed). The
    # frames are decoded by scenepal's reader: PyAV's rgb24 is about one 8-bit level darker,
    # which alone makes a near-black shot's palette look 1.5x worse than its reference.
    truth = film(name, (LIGHT | NEAR_BLACK)[name])
    with open_video(truth.path) as reader:
        frames = [frame.rgb for frame in reader.frames()]
    pixels = shot_pixels(frames, truth.shots[0])
    ours, every_frame = [], []
    for seed in range(5):
        (result,) = scenepal.analyze(truth.path, seed=seed).scenes
        ours.append(pixel_error(pixels, np.array([s.lab for s in result.palette.swatches])))
        uniform = pixels[np.random.default_rng(seed).choice(len(pixels), 12_000, replace=False)]
        palette = extract_palette(uniform, colors=5, seed=seed)
        every_frame.append(pixel_error(pixels, np.array([s.lab for s in palette.swatches])))
    ratio = float(np.median(ours) / np.median(every_frame))
    assert ratio <= 1.10, ratio
    # And against plain k-means (n_init 10) on every pixel: within 1.10x (issue 10's target),
    # night shots included (before palettes kept near-black swatches apart, 1.24x and 1.52x).
    reference = reference_error(pixels, k=5)
    assert np.median(ours) <= 1.10 * reference, (ours, reference)


def test_a_fade_out_and_in_through_black_is_left_out_to_two_frames(
    film: Callable[..., TakesTruth],
) -> None:
    truth = film("fades", FADES)
    got = excluded(scenepal.analyze(truth.path))
    # Truth: 24 frames fading out, 12 black, 24 fading in (the detector may cut anywhere in
    # the black, or not at all: then the fades are a dip).
    assert abs(got.black - 12) <= 2
    assert abs(got.fade_out + got.fade_in + got.dip - 48) <= 2
    assert got.dissolve == 0


def test_a_dip_to_black_inside_a_shot_is_left_out_to_two_frames(
    film: Callable[..., TakesTruth],
) -> None:
    gains = dip(120, at=40, down=12, black=6, up=12)
    truth = film("dip", [Take("astronaut", "neutral", 120, gains=gains, dips=((40, 70),))])
    a = scenepal.analyze(truth.path)
    got = excluded(a)
    assert abs(got.total - 30) <= 2, got
    assert got.black == 6


def test_a_dissolve_cut_by_the_detector_is_left_out_of_both_scenes(
    film: Callable[..., TakesTruth],
) -> None:
    truth = film(
        "dissolve",
        [Take("coffee", "warm", 72, dissolve=8), Take("camera", "bleach_bypass", 72)],
    )
    a = scenepal.analyze(truth.path)
    assert len(a.scenes) == 2
    assert abs(excluded(a).dissolve - 8) <= 2
    assert excluded(a).total == excluded(a).dissolve


def test_no_scene_of_a_mixed_aspect_film_has_bar_black(film: Callable[..., TakesTruth]) -> None:
    # Letterbox, full frame, letterbox, full frame: as films with large-format sequences.
    takes = [
        Take("coffee", "warm", 48, letterbox=2.39),
        Take("grass", "neutral", 48),
        Take("chelsea", "teal_orange", 48, letterbox=2.39),
        Take("astronaut", "cool", 48),
        Take("rocket", "matte", 48, letterbox=2.39),
    ]
    truth = film("mixed", takes, width=160, height=90)
    a = scenepal.analyze(truth.path)
    frames = read_frames(truth.path)
    assert len(a.scenes) == len(takes)
    for result, shot in zip(a.scenes, truth.shots, strict=True):
        x, y, w, h = shot.area
        if y == 0:
            assert result.crop is None
        else:
            assert result.crop is not None
            got = (result.crop.x, result.crop.y, result.crop.width, result.crop.height)
            assert all(abs(g - t) <= 2 for g, t in zip(got, (x, y, w, h), strict=True)), got
        # The darkest pixels sampled are the picture's: bars (L* 0, a quarter of a 2.39:1
        # frame) would pull the 5th percentile of lightness to black.
        lab = color.srgb_to_lab(shot_pixels(frames, shot).astype(np.float64) / 255.0)
        assert result.stats is not None
        p5 = float(np.percentile(lab[:, 0], 5))
        assert result.stats.lightness.p5 == pytest.approx(p5, abs=3), result.scene.index
        darkest = min(s.lab[0] for s in result.palette.swatches)
        assert darkest > min(p5, 20) / 2, (result.scene.index, result.palette.hex_codes)
    assert a.crop == a.scenes[0].crop  # three letterboxed scenes of five


def test_a_dark_scene_inside_pillarbox_bars_is_not_black(film: Callable[..., TakesTruth]) -> None:
    truth = film("pillar", [Take("rocket", "night", 72, letterbox=4 / 3)], width=160, height=90)
    (result,) = scenepal.analyze(truth.path).scenes
    assert not result.black
    assert result.excluded == Excluded()
    x, _, w, _ = truth.shots[0].area
    assert result.crop is not None
    assert abs(result.crop.x - x) <= 2 and abs(result.crop.width - w) <= 4


@pytest.mark.slow
def test_a_night_scene_keeps_its_dark_edges(film: Callable[..., TakesTruth]) -> None:
    # A full-frame night shot whose dark side is under the black level in most frames has no
    # bars: its crop is the whole frame, and its darkest colours are in the palette.
    truth = film("night", [Take("rocket", "night", 96, gains=flash(96, night=0.4))])
    (result,) = scenepal.analyze(truth.path).scenes
    assert result.crop is None, result.crop
    assert result.excluded == Excluded()


@pytest.mark.parametrize("night", [0.2, 0.3])
def test_a_letterboxed_night_at_the_black_level_keeps_its_bars_out(
    night: float, film: Callable[..., TakesTruth]
) -> None:
    # A 2.39:1 night whose picture averages under the black level in most frames: no line of
    # it is lit in most frames and its top rows are within a code value of the bars, so
    # neither the lit lines nor a step find the top bar. Bars hold still over time and the
    # picture does not: every scene reports the letterbox, and no bar black reaches a
    # palette (before: no crop or the top bar missed, and #000000 swatches).
    take = Take("rocket", "night", 96, gains=flash(96, night=night), letterbox=2.39)
    truth = film(f"letterboxed-night-{night}", [take])
    x, y, w, h = truth.shots[0].area
    with open_video(truth.path) as reader:
        frames = [frame.rgb for frame in reader.frames()]
    picture = color.srgb_to_lab(shot_pixels(frames, truth.shots[0]) / 255.0)
    darkest_picture = float(np.percentile(picture[:, 0], 5))
    for r in scenepal.analyze(truth.path).scenes:
        assert r.crop is not None, r.scene
        got = (r.crop.x, r.crop.y, r.crop.width, r.crop.height)
        assert all(abs(g - t) <= 2 for g, t in zip(got, (x, y, w, h), strict=True)), got
        darkest = min(s.lab[0] for s in r.palette.swatches)
        assert darkest > darkest_picture / 2, (r.palette.hex_codes, darkest_picture)


def test_a_five_minute_take_is_sampled_to_its_end(tmp_path: Path) -> None:
    # One take: four minutes of red, then a minute of green. A pure hue change is not a cut
    # for the content detector (shared/FACTS.md), so it stays one scene; its palette must
    # give the last minute its fifth.
    red, green = (200, 40, 40), (40, 200, 40)
    path = write_video(
        tmp_path / "take.mp4", [(red, 240 * 6), (green, 60 * 6)], width=64, height=36, rate=6
    )
    a = scenepal.analyze(path)
    assert len(a.scenes) == 1
    (result,) = a.scenes
    d_red, w_red = nearest(result.palette, red)
    d_green, w_green = nearest(result.palette, green)
    assert d_red < 3 and d_green < 3, result.palette.hex_codes
    assert w_green == pytest.approx(0.2, abs=0.03)
    assert w_red == pytest.approx(0.8, abs=0.03)


@pytest.mark.parametrize("suffix", [".mp4", ".mov"])
def test_a_variable_frame_rate_clip_is_not_damaged_and_weighs_screen_time(
    suffix: str, tmp_path: Path
) -> None:
    # A phone clip: 30 fps, then a stretch where each frame is held 0.4 s (low light), then
    # 30 fps again. Red frames last 12 x 0.4 s = 4.8 s, blue ones 144 / 30 = 4.8 s.
    blue, red = (40, 60, 200), (200, 50, 40)
    shots = [(blue, 72), (red, 12), (blue, 72)]
    pts, t = [], 0
    for k in range(156):
        pts.append(t)
        t += 120 if 72 <= k < 84 else 10  # time base 1/300: 0.4 s or 1/30 s
    path = write_video(
        tmp_path / f"phone{suffix}", shots, rate=30, pts=pts, time_base=Fraction(1, 300)
    )
    a = scenepal.analyze(path)
    assert a.gaps == ()
    assert not [w for w in a.warnings if "damaged" in w]
    assert not a.partial
    merged = [s for r in a.scenes for s in r.palette.swatches]
    assert merged
    shown = {r.scene.index: r for r in a.scenes}
    red_time = sum(
        r.scene.duration_s * nearest(r.palette, red)[1]
        for r in shown.values()
        if nearest(r.palette, red)[0] < 5
    )
    assert red_time == pytest.approx(4.8, abs=0.8)


@pytest.mark.slow
def test_a_two_hour_film_missing_its_last_two_minutes_is_partial(tmp_path: Path) -> None:
    # 98.3 % of the film is there: a share rule (0.98) would call it complete.
    whole = write_video(
        tmp_path / "src" / "long.mp4",
        [((150, 120, 90), 3600), ((90, 120, 150), 3600)],
        width=64,
        height=36,
        rate=1,
        container_options={"movflags": "faststart"},
    )
    short = truncate(whole, tmp_path / "short.mp4", 118.2 / 120)
    out = tmp_path / "out"
    result = CliRunner().invoke(app, ["analyze", str(short), "-o", str(out), "-q"])
    assert result.exit_code == 3, result.output
    a = scenepal.load_analysis(out)
    assert a.partial and 0.97 < a.coverage < 0.995
    assert (a.video.duration_s or 0) - a.duration_s > 60


def test_the_takes_truth_places_the_cut_and_the_transitions(
    film: Callable[..., TakesTruth],
) -> None:
    # The cut between the two takes of the fade film sits where the truth says.
    truth = film("fades", FADES)
    assert truth.cuts == (84,)
    assert len(truth.shots[0].transition) == 36 and len(truth.shots[1].transition) == 24
