"""scenepal.export: analysis.json (contract, round trip, loading, errors), scenes.csv, timecode."""

from __future__ import annotations

import copy
import csv
import dataclasses
import io
import json
from pathlib import Path
from typing import Any

import pytest
from analyses import make_analysis, make_color_info
from hypothesis import given, settings
from hypothesis import strategies as st

from scenepal import __version__
from scenepal.errors import AnalysisFileError, ScenepalError
from scenepal.export import (
    analysis_from_dict,
    analysis_to_dict,
    analysis_to_json,
    load_analysis,
    scenes_csv,
    timecode,
)
from scenepal.models import SCHEMA_MAJOR, SCHEMA_VERSION, Analysis, Rect

RED, BLUE, WHITE, GREEN = (200, 30, 30), (20, 20, 120), (250, 250, 250), (30, 160, 60)


def _three_scenes() -> Analysis:
    return make_analysis(
        [
            (3.0, [(RED, 0.75), (BLUE, 0.25)]),
            (1.0, [(WHITE, 1.0)]),
            (2.5, [(GREEN, 0.5), (RED, 0.3), (WHITE, 0.2)]),
        ],
        path="films/été.mp4",
        crop=Rect(0, 140, 1920, 800),
        warnings=("colour matrix not tagged; assumed bt709",),
        color_info=make_color_info(assumed=("matrix",)),
    )


@pytest.fixture
def analysis() -> Analysis:
    return _three_scenes()


@pytest.fixture
def saved(analysis: Analysis, tmp_path: Path) -> Path:
    folder = tmp_path / "film.scenepal"
    folder.mkdir()
    (folder / "analysis.json").write_text(analysis_to_json(analysis), encoding="utf-8")
    return folder


# --- the document ---------------------------------------------------------------------------


def test_json_has_the_contract_keys_and_values(analysis: Analysis) -> None:
    doc = json.loads(analysis_to_json(analysis))
    assert doc["schema_version"] == SCHEMA_VERSION
    assert doc["scenepal_version"] == "0.0.test"
    video = doc["video"]
    assert {"path", "width", "height", "fps", "frame_count", "duration_s", "crop", "color"} <= set(
        video
    )
    assert video["path"] == "films/été.mp4"
    assert (video["width"], video["height"], video["fps"]) == (1920, 1080, 24.0)
    assert video["frame_count"] == 156  # 6.5 s at 24 fps
    assert video["duration_s"] == pytest.approx(6.5)
    assert video["crop"] == {"x": 0, "y": 140, "width": 1920, "height": 800}
    assert video["color"] == {
        "matrix": "bt709",
        "range": "limited",
        "transfer": "bt709",
        "primaries": "bt709",
        "bit_depth": 8,
        "pixel_format": "yuv420p",
        "hdr": None,
        "hdr_handling": None,
        "assumed": ["matrix"],
    }
    assert doc["settings"] == analysis.settings.to_dict()
    assert doc["warnings"] == ["colour matrix not tagged; assumed bt709"]


def test_json_scenes(analysis: Analysis) -> None:
    scenes = json.loads(analysis_to_json(analysis))["scenes"]
    assert [s["index"] for s in scenes] == [0, 1, 2]
    assert [(s["start_frame"], s["end_frame"]) for s in scenes] == [(0, 72), (72, 96), (96, 156)]
    assert [(s["start_s"], s["end_s"]) for s in scenes] == [(0.0, 3.0), (3.0, 4.0), (4.0, 6.5)]
    first = scenes[0]["palette"]
    assert [set(sw) for sw in first] == [{"hex", "rgb", "lab", "weight"}] * 2
    assert [(sw["hex"], sw["rgb"], sw["weight"]) for sw in first] == [
        ("#c81e1e", [200, 30, 30], 0.75),
        ("#141478", [20, 20, 120], 0.25),
    ]
    assert first[0]["lab"] == pytest.approx([43.218, 63.038, 45.218], abs=0.01)
    assert [sw["hex"] for sw in scenes[2]["palette"]] == ["#1ea03c", "#c81e1e", "#fafafa"]


def test_json_film_palette(analysis: Analysis) -> None:
    palette = json.loads(analysis_to_json(analysis))["palette"]
    assert [sw["hex"] for sw in palette] == list(analysis.palette.hex_codes)
    assert sum(sw["weight"] for sw in palette) == pytest.approx(1.0)
    # Red: 0.75 x 3 s + 0.3 x 2.5 s of 6.5 s.
    red = next(sw for sw in palette if sw["hex"] == "#c81e1e")
    assert red["weight"] == pytest.approx((0.75 * 3 + 0.3 * 2.5) / 6.5)


def test_json_without_crop_is_null() -> None:
    doc = json.loads(analysis_to_json(make_analysis([(1.0, [(RED, 1.0)])])))
    assert doc["video"]["crop"] is None


def test_json_text_is_indented_utf8_and_newline_terminated(analysis: Analysis) -> None:
    text = analysis_to_json(analysis)
    assert text.endswith("}\n")
    assert f'\n  "schema_version": "{SCHEMA_VERSION}",' in text
    assert "été" in text  # not escaped as \u00e9


def test_json_is_deterministic(analysis: Analysis) -> None:
    again = _three_scenes()  # built a second time, from scratch
    assert analysis_to_json(again) == analysis_to_json(analysis)


# --- round trip ------------------------------------------------------------------------------


def test_round_trip_reproduces_the_analysis_and_the_text(analysis: Analysis) -> None:
    back = analysis_from_dict(analysis_to_dict(analysis))
    assert back == analysis
    assert analysis_to_json(back) == analysis_to_json(analysis)


def test_round_trip_through_json_text(analysis: Analysis) -> None:
    text = analysis_to_json(analysis)
    assert analysis_to_json(analysis_from_dict(json.loads(text))) == text


def test_round_trip_of_an_hdr_analysis_with_black_scene() -> None:
    a = make_analysis(
        [(2.0, [((3, 3, 3), 1.0)]), (4.0, [(RED, 0.6), (WHITE, 0.4)])],
        black=(0,),
        fps=23.976,
        colors=3,
        color_info=make_color_info(
            matrix="bt2020",
            transfer="pq",
            primaries="bt2020",
            bit_depth=10,
            pixel_format="yuv420p10le",
            hdr="pq",
            hdr_handling="tonemap",
        ),
    )
    back = analysis_from_dict(json.loads(analysis_to_json(a)))
    assert back == a
    assert back.scenes[0].black is True
    assert back.video.color.hdr == "pq"


rgb = st.tuples(*[st.integers(0, 255)] * 3)
scene_specs = st.lists(
    st.tuples(
        st.floats(0.05, 100.0, allow_nan=False),
        st.lists(st.tuples(rgb, st.floats(0.01, 1.0)), min_size=1, max_size=4),
    ),
    min_size=1,
    max_size=6,
)


@settings(max_examples=50, deadline=None)
@given(scene_specs, st.floats(1.0, 120.0))
def test_round_trip_property(specs: list[Any], fps: float) -> None:
    # colors=32: at most 24 distinct swatches, so the film palette needs no clustering (fast).
    a = make_analysis(specs, fps=fps, colors=32)
    text = analysis_to_json(a)
    back = analysis_from_dict(json.loads(text))
    assert back == a
    assert analysis_to_json(back) == text


# --- load_analysis ---------------------------------------------------------------------------


def test_load_analysis_from_folder_and_from_file(analysis: Analysis, saved: Path) -> None:
    assert load_analysis(saved) == analysis
    assert load_analysis(saved / "analysis.json") == analysis
    assert load_analysis(str(saved / "analysis.json")) == analysis


def _one_line_error(path: Path, match: str) -> AnalysisFileError:
    with pytest.raises(AnalysisFileError, match=match) as info:
        load_analysis(path)
    assert isinstance(info.value, ValueError)
    assert isinstance(info.value, ScenepalError)
    assert "\n" not in str(info.value)
    return info.value


def test_load_missing_file(tmp_path: Path) -> None:
    err = _one_line_error(tmp_path / "nope.json", "cannot read")
    assert "nope.json" in str(err)


def test_load_folder_without_analysis(tmp_path: Path) -> None:
    _one_line_error(tmp_path, "analysis.json")


def test_load_non_json(tmp_path: Path) -> None:
    p = tmp_path / "analysis.json"
    p.write_text('{"schema_version": 1,\n  oops\n', encoding="utf-8")
    err = _one_line_error(p, "not valid JSON")
    assert "line 2" in str(err)


def test_load_binary_file(tmp_path: Path) -> None:
    p = tmp_path / "analysis.json"
    p.write_bytes(b"\x89PNG\r\n\x1a\n\xff\xfe\x00")
    _one_line_error(p, "not a text file")


@pytest.mark.parametrize("version", [0, 2, True, "1", "1.x", "2.0", "0.9", None])
def test_load_wrong_schema_version(analysis: Analysis, tmp_path: Path, version: object) -> None:
    doc = analysis_to_dict(analysis)
    doc["schema_version"] = version
    p = tmp_path / "analysis.json"
    p.write_text(json.dumps(doc), encoding="utf-8")
    err = _one_line_error(p, "schema_version")
    assert repr(version) in str(err)


def test_load_a_json_list(tmp_path: Path) -> None:
    p = tmp_path / "analysis.json"
    p.write_text("[1, 2, 3]", encoding="utf-8")
    _one_line_error(p, "schema_version")


def _without(doc: dict[str, Any], path: tuple[Any, ...]) -> dict[str, Any]:
    doc = copy.deepcopy(doc)
    node: Any = doc
    for key in path[:-1]:
        node = node[key]
    del node[path[-1]]
    return doc


# Everything the first (1.0) files wrote is required; only later fields may be missing.
@pytest.mark.parametrize(
    "missing",
    [
        ("video",),
        ("video", "color"),
        ("video", "color", "matrix"),
        ("video", "color", "bit_depth"),
        ("video", "width"),
        ("video", "frame_count"),
        ("video", "duration_s"),
        ("video", "codec"),
        ("video", "crop"),
        ("settings",),
        ("scenes",),
        ("scenes", 0, "start_frame"),
        ("scenes", 0, "mean_rgb"),
        ("scenes", 1, "palette"),
        ("scenes", 0, "palette", 0, "rgb"),
        ("palette",),
        ("scenepal_version",),
        ("warnings",),
    ],
)
def test_load_missing_keys(analysis: Analysis, tmp_path: Path, missing: tuple[Any, ...]) -> None:
    p = tmp_path / "analysis.json"
    p.write_text(json.dumps(_without(analysis_to_dict(analysis), missing)), encoding="utf-8")
    _one_line_error(p, "malformed analysis document")


@pytest.mark.parametrize(
    ("path", "value"),
    [
        (("video", "width"), "wide"),
        (("video", "color"), []),
        (("scenes",), 5),
        (("scenes", 0, "palette", 0, "rgb"), [1, 2]),
        (("settings", "colors"), 0),
        (("settings", "detector"), 7),
        (("scenes", 0, "mean_rgb"), [1, 2, 3, 4]),
        (("video", "crop"), {"x": 0, "y": 0}),
    ],
)
def test_load_malformed_values(
    analysis: Analysis, tmp_path: Path, path: tuple[Any, ...], value: object
) -> None:
    doc = analysis_to_dict(analysis)
    node: Any = doc
    for key in path[:-1]:
        node = node[key]
    node[path[-1]] = value
    p = tmp_path / "analysis.json"
    p.write_text(json.dumps(doc), encoding="utf-8")
    _one_line_error(p, "malformed analysis document")


@pytest.mark.parametrize("crop", [[0, 0, 10, 10], "none", 0])
def test_load_crop_that_is_not_an_object(analysis: Analysis, crop: object) -> None:
    doc = analysis_to_dict(analysis)
    doc["video"]["crop"] = crop
    with pytest.raises(AnalysisFileError, match="malformed"):
        analysis_from_dict(doc)


def test_a_first_version_document_loads_with_defaults_for_later_fields(
    analysis: Analysis,
) -> None:
    doc = analysis_to_dict(analysis)
    doc["schema_version"] = 1  # the first files wrote an integer
    for key in ("coverage", "partial", "gaps"):  # added to 1.0 files later
        del doc[key]
    doc["settings"]["decoder_threads"] = 0  # recorded until 1.1
    del doc["settings"]["preview"]  # added to 1.0 files later
    a = analysis_from_dict(doc)
    assert (a.schema_version, a.coverage, a.partial, a.gaps) == ("1.0", 1.0, False, ())
    assert a.settings == analysis.settings
    assert a.scenes == analysis.scenes


def test_unknown_fields_and_settings_of_a_newer_minor_are_ignored(analysis: Analysis) -> None:
    doc = analysis_to_dict(analysis)
    doc["schema_version"] = f"{SCHEMA_MAJOR}.999"
    doc["grading"] = {"contrast": 0.4}
    doc["video"]["hdr_metadata"] = None
    doc["video"]["crop"]["confidence"] = 0.9
    doc["video"]["color"]["chroma_location"] = "left"
    doc["settings"]["grain_filter"] = True
    doc["settings"]["detector"] = "transnet"  # a detector this version does not have
    doc["scenes"][0]["shot_type"] = {"kind": "close-up", "confidence": 0.8}
    doc["scenes"][1]["palette"][0]["name"] = "white"
    doc["palette"][0]["cmyk"] = [0, 0, 0, 0]
    a = analysis_from_dict(json.loads(json.dumps(doc)))
    assert a.schema_version == f"{SCHEMA_MAJOR}.999"
    assert a.settings.detector == "transnet"
    assert dataclasses.replace(a.settings, detector="content") == analysis.settings
    assert (a.video, a.crop, a.scenes, a.palette) == (
        analysis.video,
        analysis.crop,
        analysis.scenes,
        analysis.palette,
    )


def test_a_real_version_string_is_kept(analysis: Analysis) -> None:
    doc = analysis_to_dict(analysis)
    doc["scenepal_version"] = __version__
    assert analysis_from_dict(doc).scenepal_version == __version__


# --- scenes.csv ------------------------------------------------------------------------------


def test_scenes_csv(analysis: Analysis) -> None:
    text = scenes_csv(analysis)
    rows = list(csv.reader(io.StringIO(text)))
    assert text.splitlines()[0] == (  # the header line, as a reader of the file sees it
        "index,start_frame,end_frame,start_s,end_s,start_timecode,duration_s,black,"
        "color_1,color_2,color_3,color_4,color_5,weight_1,weight_2,weight_3,weight_4,weight_5"
    )
    assert len(rows) == 1 + len(analysis.scenes)
    assert rows[1] == [
        "0",
        "0",
        "72",
        "0.000",
        "3.000",
        "00:00:00.000",
        "3.000",
        "0",
        "#c81e1e",
        "#141478",
        "",
        "",
        "",
        "0.7500",
        "0.2500",
        "",
        "",
        "",
    ]
    as_dicts = list(csv.DictReader(io.StringIO(text)))
    assert [r["color_1"] for r in as_dicts] == ["#c81e1e", "#fafafa", "#1ea03c"]
    assert [r["start_timecode"] for r in as_dicts] == [
        "00:00:00.000",
        "00:00:03.000",
        "00:00:04.000",
    ]
    assert as_dicts[2]["duration_s"] == "2.500"
    assert [as_dicts[2][f"weight_{i}"] for i in (1, 2, 3)] == ["0.5000", "0.3000", "0.2000"]


def test_scenes_csv_marks_black_scenes_and_follows_colors() -> None:
    a = make_analysis(
        [(1.0, [((0, 0, 0), 1.0)]), (1.0, [(RED, 0.5), (BLUE, 0.5)])], black=(0,), colors=2
    )
    rows = list(csv.DictReader(io.StringIO(scenes_csv(a))))
    assert [r["black"] for r in rows] == ["1", "0"]
    assert "color_3" not in rows[0]
    assert (rows[1]["color_1"], rows[1]["color_2"]) == ("#c81e1e", "#141478")


def test_scenes_csv_has_one_row_per_scene_for_many_scenes() -> None:
    a = make_analysis([(0.5, [(RED, 1.0)])] * 130)
    text = scenes_csv(a)
    assert text.endswith("\n")
    assert "\r" not in text
    rows = list(csv.reader(io.StringIO(text)))
    assert len(rows) == 131
    assert [int(r[0]) for r in rows[1:]] == list(range(130))
    assert rows[-1][5] == "00:01:04.500"


# --- timecode --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("seconds", "text"),
    [
        (0.0, "00:00:00.000"),
        (0.0004, "00:00:00.000"),
        (0.0006, "00:00:00.001"),
        (1.5, "00:00:01.500"),
        (59.9996, "00:01:00.000"),
        (61.25, "00:01:01.250"),
        (3599.999, "00:59:59.999"),
        (3723.5, "01:02:03.500"),
        (360000.0, "100:00:00.000"),
    ],
)
def test_timecode(seconds: float, text: str) -> None:
    assert timecode(seconds) == text


@settings(max_examples=100, deadline=None)
@given(st.integers(0, 100 * 3600 * 1000 - 1))
def test_timecode_reads_back(ms: int) -> None:
    text = timecode(ms / 1000)
    h, m, s = text.split(":")
    assert len(h) == 2
    assert len(m) == 2
    assert len(s) == 6
    assert 0 <= int(m) < 60
    assert 0 <= float(s) < 60
    assert round((int(h) * 3600 + int(m) * 60 + float(s)) * 1000) == ms
