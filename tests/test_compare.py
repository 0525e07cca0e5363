"""scenepal.compare: two grades of a film aligned by their cuts and measured, B minus A."""

from __future__ import annotations

import csv
import dataclasses
import io
import json
from collections.abc import Callable

import numpy as np
import pytest
from analyses import RGB, make_analysis
from films import FilmTruth, Region, Shot
from stats_analyses import with_stats

from scenepal import color
from scenepal.compare import compare, comparison_csv, comparison_to_dict, describe
from scenepal.models import Analysis

# Eight scenes of distinct colours and lengths (seconds): the cut pattern is the fingerprint.
FILM: list[tuple[float, RGB]] = [
    (3.0, (180, 120, 90)),
    (1.5, (90, 100, 110)),
    (4.25, (120, 160, 80)),
    (2.0, (200, 190, 170)),
    (5.5, (70, 50, 40)),
    (1.25, (120, 150, 170)),
    (3.75, (150, 90, 130)),
    (2.5, (110, 110, 100)),
]

EXPOSURE_STOPS = 0.5
WHITE_BALANCE = np.array([1.08, 1.0, 0.88])  # warmer: more red, less blue


def regrade(rgb: RGB) -> RGB:
    """A known grade: +0.5 stop and a warm white balance, in linear light."""
    linear = color.srgb_to_linear(np.array(rgb) / 255.0) * 2**EXPOSURE_STOPS * WHITE_BALANCE
    r, g, b = (int(v) for v in color.to_uint8(color.linear_to_srgb(linear)))
    return (r, g, b)


def film(scenes: list[tuple[float, RGB]], grade=None) -> Analysis:  # type: ignore[no-untyped-def]
    specs = [(d, [((grade or (lambda c: c))(rgb), 1.0)]) for d, rgb in scenes]
    return with_stats(make_analysis(specs, fps=24.0), noise=0.0, pixels=200)


def lightness(rgb: RGB) -> float:
    return float(color.srgb_to_lab(np.array(rgb) / 255.0)[0])


def test_a_regraded_copy_matches_everywhere_with_known_differences() -> None:
    a, b = film(FILM), film(FILM, regrade)
    c = compare(a, b)
    assert c.offsets_s == (0.0,)
    assert len(c.spans) == len(FILM)
    assert c.unmatched_a == () and c.unmatched_b == ()
    for span, (_, rgb) in zip(c.spans, FILM, strict=True):
        assert span.d_lightness == pytest.approx(lightness(regrade(rgb)) - lightness(rgb), abs=0.01)
        assert span.d_lightness is not None and span.d_lightness > 3  # brighter
        assert span.d_cct_k is not None and span.d_cct_k < -150  # warmer: lower CCT
        assert span.mean_de00 > 2
        assert span.palette_de00 == pytest.approx(span.mean_de00, abs=0.5)  # one swatch each
    summary = comparison_to_dict(c)["summary"]
    assert summary["matched_share_a"] == 1.0
    assert summary["d_lightness"] > 3 and summary["d_cct_k"] < 0


def test_the_same_film_compares_as_identical() -> None:
    a = film(FILM)
    c = compare(a, a)
    assert all(s.mean_de00 == 0 and s.d_lightness == 0 and s.d_cct_k == 0 for s in c.spans)


def test_a_copy_missing_its_first_scenes_leaves_them_unmatched() -> None:
    a, b = film(FILM), film(FILM[3:], regrade)
    missing = sum(d for d, _ in FILM[:3])
    c = compare(a, b)
    assert c.offsets_s[0] == pytest.approx(-missing)
    assert [(u.start_s, u.end_s) for u in c.unmatched_a] == [(0.0, missing)]
    assert c.unmatched_b == ()
    assert len(c.spans) == len(FILM) - 3
    assert c.spans[0].a_start_s == pytest.approx(missing) and c.spans[0].b_start_s == 0.0
    assert all(s.d_lightness is not None and s.d_lightness > 3 for s in c.spans)


def test_a_scene_cut_out_of_the_middle_is_reported_not_forced() -> None:
    a = film(FILM)
    b = film(FILM[:4] + FILM[5:])  # the 5.5 s scene is gone
    c = compare(a, b)
    start = sum(d for d, _ in FILM[:4])
    assert [(u.start_s, u.end_s) for u in c.unmatched_a] == [(start, start + 5.5)]
    assert c.unmatched_b == ()
    assert sorted(c.offsets_s) == pytest.approx([-5.5, 0.0])
    assert all(s.mean_de00 == 0 for s in c.spans)


def test_an_extra_lead_in_is_an_offset() -> None:
    a = film(FILM)
    b = film([(2.5, (5, 5, 5)), *FILM])
    c = compare(a, b)
    assert c.offsets_s[0] == pytest.approx(2.5)
    assert [(u.start_s, u.end_s) for u in c.unmatched_b] == [(0.0, 2.5)]
    assert c.unmatched_a == ()


def test_different_films_are_not_matched() -> None:
    a = film(FILM)
    rng = np.random.default_rng(4)
    other = [(float(d), (90, 90, 90)) for d in rng.uniform(0.7, 4.0, 9).round(3)]
    c = compare(a, film(other))
    assert c.matched_share_a < 0.3
    assert len(c.unmatched_a) >= 1


def test_a_given_offset_is_used() -> None:
    a, b = film(FILM), film(FILM[3:])
    missing = sum(d for d, _ in FILM[:3])
    c = compare(a, b, offset_s=-missing)
    assert c.offsets_s == (-missing,)
    assert len(c.spans) == len(FILM) - 3


def test_json_and_csv_hold_every_span_and_stretch() -> None:
    a, b = film(FILM), film(FILM[3:], regrade)
    c = compare(a, b)
    doc = json.loads(json.dumps(comparison_to_dict(c)))
    assert len(doc["spans"]) == len(c.spans)
    assert set(doc["spans"][0]) >= {
        "a_start_s", "a_end_s", "b_start_s", "b_end_s", "mean_de00", "palette_de00",
        "d_lightness", "d_chroma", "d_cct_k", "d_balance",
    }  # fmt: skip
    assert doc["unmatched_a"] == [{"start_s": 0.0, "end_s": sum(d for d, _ in FILM[:3])}]
    rows = list(csv.DictReader(io.StringIO(comparison_csv(c))))
    assert [r["status"] for r in rows].count("matched") == len(c.spans)
    assert [r["status"] for r in rows].count("only_in_a") == 1
    assert float(rows[0]["d_lightness"]) > 0
    assert "matched spans" in describe(c)


def test_analyses_without_statistics_still_compare_colours() -> None:
    a = make_analysis([(d, [(rgb, 1.0)]) for d, rgb in FILM])
    b = make_analysis([(d, [(regrade(rgb), 1.0)]) for d, rgb in FILM])
    c = compare(a, b)
    assert len(c.spans) == len(FILM)
    assert all(s.d_lightness is None and s.mean_de00 > 2 for s in c.spans)


# --- two real films: one, and a re-graded copy that lacks its first two shots ----------------

SHOTS = (
    Shot.stripes((180, 120, 90), (60, 70, 90), frames=30),
    Shot.solid((40, 45, 60), frames=36),
    Shot((Region((200, 190, 170), 0.6), Region((90, 60, 50), 0.4)), frames=26),
    Shot.solid((110, 130, 80), frames=40),
    Shot.stripes((70, 50, 40), (190, 170, 140), frames=31),  # no channel clips when graded
    Shot.solid((150, 90, 130), frames=44),
    Shot.stripes((100, 110, 120), (30, 30, 35), frames=29),
)


def regraded(shot: Shot) -> Shot:
    return dataclasses.replace(
        shot, regions=tuple(dataclasses.replace(r, rgb=regrade(r.rgb)) for r in shot.regions)
    )


def test_two_real_films_compare_with_the_grade_and_the_cut(
    make_film: Callable[..., FilmTruth], analyzed: Callable[..., Analysis]
) -> None:
    a = analyzed(make_film("grade-a.mkv", SHOTS).path)
    b = analyzed(make_film("grade-b.mkv", tuple(regraded(s) for s in SHOTS[2:])).path)
    assert len(a.scenes) == len(SHOTS) and len(b.scenes) == len(SHOTS) - 2
    c = compare(a, b)
    missing = (30 + 36) / 24
    assert c.offsets_s[0] == pytest.approx(-missing, abs=0.05)
    assert len(c.unmatched_a) == 1
    assert c.unmatched_a[0].start_s == 0.0
    assert c.unmatched_a[0].end_s == pytest.approx(missing, abs=0.05)
    assert c.unmatched_b == ()
    assert len(c.spans) == len(SHOTS) - 2
    for span in c.spans:
        assert span.d_lightness is not None and 2 < span.d_lightness < 12
        assert span.d_cct_k is not None and span.d_cct_k < 0
        assert span.mean_de00 > 2


def test_a_scene_cut_out_near_the_start_keeps_both_sides() -> None:
    a = film(FILM)
    b = film(FILM[:2] + FILM[3:], regrade)  # the third scene (4.25 s) is gone
    c = compare(a, b)
    start = sum(d for d, _ in FILM[:2])
    assert sorted(c.offsets_s) == pytest.approx([-4.25, 0.0])
    assert [(u.start_s, u.end_s) for u in c.unmatched_a] == [(start, start + 4.25)]
    assert c.unmatched_b == ()
    assert len(c.spans) == len(FILM) - 1
