"""Colour truth: films of flat, known sRGB patches (tests/patches.py) must come back as those
colours, whatever the matrix, range, bit depth, transfer, scan or chroma layout of the file.

Each film is written and analysed once per module. Every scene's dominant swatch must be within
CIEDE2000 1.5 of the true colour (3 for HDR, which goes through PQ/HLG and a tone mapper).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest
from films import ColorTags, read_color_tags
from numpy.typing import ArrayLike
from patches import (
    BT709_TO_BT2020,
    CASES,
    PatchTruth,
    decoded_colors,
    frames_are_interlaced,
    hlg_signal_from_nits,
    patch_codes,
    pq_signal_from_nits,
    raw_patch_codes,
    signal_for,
    write_patch_film,
)

import scenepal
from scenepal import color, hdr
from scenepal.models import Analysis

SDR_TOLERANCE = 1.5
HDR_TOLERANCE = 3.0
KEYS = tuple(CASES)
UNTAGGED = ColorTags(colorspace=2, color_range=0, color_primaries=2, color_trc=2)

#: What `analysis.video.color` must say: matrix, range, transfer, primaries, bit depth, hdr,
#: hdr_handling, assumed fields.
EXPECTED_COLOR: dict[str, tuple[object, ...]] = {
    "a": ("bt709", "limited", "bt709", "bt709", 8, None, None, ()),
    "b": (
        "bt709",
        "limited",
        "bt709",
        "bt709",
        8,
        None,
        None,
        ("matrix", "range", "transfer", "primaries"),
    ),
    "c": ("bt601", "limited", "bt601", "bt601", 8, None, None, ()),
    "d": ("bt709", "full", "bt709", "bt709", 8, None, None, ()),
    "e": ("bt709", "limited", "bt709", "bt709", 10, None, None, ()),
    "f": ("bt2020", "limited", "pq", "bt2020", 10, "pq", "tonemap", ()),
    "g": ("bt2020", "limited", "hlg", "bt2020", 10, "hlg", "tonemap", ()),
    "h": ("bt709", "limited", "bt709", "bt709", 8, None, None, ()),
    "i": ("bt709", "limited", "bt709", "bt709", 8, None, None, ()),
    "j": ("bt2020", "limited", "bt709", "bt2020", 10, None, None, ()),
    "k": ("bt709", "limited", "bt709", "bt709", 12, None, None, ()),  # decoded as 12-bit
}


@dataclass(frozen=True)
class Run:
    """A patch film and scenepal's default analysis of it."""

    truth: PatchTruth
    analysis: Analysis


@pytest.fixture(scope="module")
def patch_run(tmp_path_factory: pytest.TempPathFactory) -> Callable[[str], Run]:
    """Write and analyse each case once per module, on first use."""
    folder = tmp_path_factory.mktemp("patches")
    cache: dict[str, Run] = {}

    def run(key: str) -> Run:
        if key not in cache:
            case = CASES[key]
            truth = write_patch_film(folder / case.filename, case)
            cache[key] = Run(truth, scenepal.analyze(truth.path))
        return cache[key]

    return run


def _delta_e(rgb: tuple[int, int, int], lab: ArrayLike) -> float:
    """CIEDE2000 from the sRGB colour ``rgb`` (0-255) to a CIELAB colour."""
    truth = color.srgb_to_lab(np.asarray(rgb, dtype=np.float64) / 255.0)
    return float(color.delta_e_2000(truth, np.asarray(lab, dtype=np.float64)))


# --- the generator itself -----------------------------------------------------------------------


def test_bt2087_matrix_is_the_inverse_of_scenepals() -> None:
    assert np.allclose(BT709_TO_BT2020, np.linalg.inv(color.BT2020_TO_BT709), atol=2e-4)
    assert np.allclose(BT709_TO_BT2020.sum(axis=1), 1.0, atol=1e-9)  # white stays white


def test_hdr_signals_decode_back_to_sdr_light_times_203() -> None:
    """The PQ and HLG placements invert the BT.2100 curves (here scenepal's own models)."""
    light = np.array([[0.01, 0.2, 0.7], [0.5, 0.5, 0.5], [0.9, 0.05, 0.3], [1.0, 1.0, 1.0]])
    nits = light @ BT709_TO_BT2020.T * 203.0
    assert np.allclose(hdr.pq_to_nits(pq_signal_from_nits(nits)), nits, rtol=1e-6)
    assert np.allclose(hdr.hlg_to_nits(hlg_signal_from_nits(nits)), nits, rtol=1e-6)
    assert np.allclose(signal_for((255, 255, 255), "hlg"), 0.75, atol=1e-3)  # BT.2408


@pytest.mark.parametrize("key", KEYS)
def test_written_codes_decode_to_the_truth(key: str) -> None:
    """Quantising to 8 or 10 bits alone stays far inside the tolerances below."""
    case = CASES[key]
    decoded = decoded_colors(case, patch_codes(case)[1])
    errors = [
        _delta_e(rgb, color.srgb_to_lab(np.clip(np.array(got) / 255.0, 0.0, 1.0)))
        for rgb, got in zip(case.colors, decoded, strict=True)
    ]
    assert max(errors) < 0.5, errors


@pytest.mark.parametrize("key", KEYS)
def test_tags_are_written_as_intended(key: str, patch_run: Callable[[str], Run]) -> None:
    run = patch_run(key)
    assert read_color_tags(run.truth.path) == (run.truth.case.tags or UNTAGGED)
    assert frames_are_interlaced(run.truth.path) is run.truth.case.interlaced


@pytest.mark.parametrize("key", KEYS)
def test_the_codec_keeps_the_codes_written(key: str, patch_run: Callable[[str], Run]) -> None:
    """So that any colour error below is scenepal's, not the encoder's."""
    truth = patch_run(key).truth
    got = np.array(raw_patch_codes(truth))
    assert np.abs(got - np.array(truth.codes)).max() <= 1.0, (got, truth.codes)


# --- scenepal -----------------------------------------------------------------------------------


@pytest.mark.parametrize("key", KEYS)
def test_one_scene_per_patch(key: str, patch_run: Callable[[str], Run]) -> None:
    run = patch_run(key)
    starts = tuple(s.scene.start_frame for s in run.analysis.scenes[1:])
    assert len(starts) == len(run.truth.colors) - 1
    assert starts == run.truth.cuts
    assert run.analysis.frame_count == run.truth.case.frame_count


@pytest.mark.parametrize("key", KEYS)
def test_dominant_swatch_is_the_true_colour(key: str, patch_run: Callable[[str], Run]) -> None:
    run = patch_run(key)
    tolerance = HDR_TOLERANCE if run.truth.case.transfer in ("pq", "hlg") else SDR_TOLERANCE
    assert len(run.analysis.scenes) == len(run.truth.colors)
    misses = []
    for scene, rgb in zip(run.analysis.scenes, run.truth.colors, strict=True):
        swatch = scene.palette.swatches[0]
        error = _delta_e(rgb, swatch.lab)
        if error > tolerance or swatch.weight <= 0.9:
            misses.append((rgb, swatch.rgb, round(error, 2), round(swatch.weight, 3)))
    assert not misses, f"(true, got, CIEDE2000, weight): {misses}"


@pytest.mark.parametrize("key", KEYS)
def test_colour_pipeline_is_reported(key: str, patch_run: Callable[[str], Run]) -> None:
    c = patch_run(key).analysis.video.color
    got = (c.matrix, c.range, c.transfer, c.primaries, c.bit_depth, c.hdr, c.hdr_handling)
    assert (*got, c.assumed) == EXPECTED_COLOR[key]
    decoded = {"d": "yuvj420p", "k": "yuva444p12le"}
    assert c.pixel_format == decoded.get(key, CASES[key].pix_fmt)


@pytest.mark.parametrize("key", [k for k in KEYS if k != "b"])
def test_tagged_films_warn_of_no_guess(key: str, patch_run: Callable[[str], Run]) -> None:
    assert not [w for w in patch_run(key).analysis.warnings if "not tagged" in w]


def test_untagged_hd_is_assumed_bt709_and_says_so(patch_run: Callable[[str], Run]) -> None:
    analysis = patch_run("b").analysis
    assert analysis.video.height >= 720
    assert "colour matrix not tagged; assumed bt709" in analysis.warnings
    assert "colour range not tagged; assumed limited" in analysis.warnings


def test_interlaced_film_is_reported_interlaced(patch_run: Callable[[str], Run]) -> None:
    assert patch_run("h").analysis.video.interlaced
    assert not patch_run("a").analysis.video.interlaced


@pytest.mark.parametrize("key", ["f", "g"])
def test_hdr_tone_mapping_is_announced(key: str, patch_run: Callable[[str], Run]) -> None:
    name = CASES[key].transfer.upper()
    assert f"HDR ({name}) tone-mapped to SDR BT.709 for palettes and images" in (
        patch_run(key).analysis.warnings
    )


@pytest.mark.parametrize("key", ["f", "g"])
def test_hdr_refuse_raises(key: str, patch_run: Callable[[str], Run]) -> None:
    path: Path = patch_run(key).truth.path
    with pytest.raises(scenepal.HdrRefusedError, match=CASES[key].transfer.upper()):
        scenepal.analyze(path, hdr="refuse")


def test_hdr_raw_warns_and_is_off(patch_run: Callable[[str], Run]) -> None:
    truth = patch_run("f").truth
    analysis = scenepal.analyze(truth.path, hdr="raw")
    assert analysis.video.color.hdr_handling == "raw"
    assert any("analysed raw" in w for w in analysis.warnings), analysis.warnings
    # Raw PQ is washed out; it may even lose a cut, so compare each colour with its nearest scene.
    errors = [
        min(_delta_e(rgb, s.palette.swatches[0].lab) for s in analysis.scenes)
        for rgb in truth.colors
    ]
    assert float(np.mean(errors)) > 5.0, errors
