"""scenepal.palettes: every palette file read back by a reader written here from its format's
published layout, with the analysis's colours to the last digit; names, groups, the registry,
the command and the API.

The readers below share no code with scenepal.palettes: each follows the format's own
description (Adobe's ASE and ACO layouts, GIMP's palette text, the W3C DTCG 2025.10 colour
token, Procreate's Swatches.json).
"""

from __future__ import annotations

import colorsys
import csv
import dataclasses
import io
import json
import re
import struct
import zipfile
from pathlib import Path
from typing import Any

import pytest
from analyses import make_analysis
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

import scenepal
from scenepal.cli import app
from scenepal.errors import ConfigError
from scenepal.export import analysis_to_json
from scenepal.models import Analysis
from scenepal.palettes import FORMATS, export_palette, get_format, palette_set

RGB = tuple[int, int, int]
Read = list[tuple[str, list[tuple[str, RGB]]]]  # [(group name, [(colour name, rgb), ...]), ...]

RED, BLUE, WHITE, TEAL = (200, 30, 30), (20, 20, 120), (250, 250, 250), (0, 128, 128)


def film(path: str = "/films/Vertigo.mkv") -> Analysis:
    return make_analysis(
        [
            (3.0, [(RED, 0.75), (BLUE, 0.25)]),
            (843.4 - 3.0, [(WHITE, 1.0)]),
            (2.0, [(TEAL, 0.5), (RED, 0.3), (BLUE, 0.2)]),
        ],
        colors=3,
        path=path,
    )


# --- readers, from the specifications -------------------------------------------------------


def read_gpl(data: bytes) -> Read:
    lines = data.decode("utf-8").splitlines()
    assert lines[0] == "GIMP Palette"
    groups: Read = []
    for line in lines[1:]:
        if line.startswith(("Name:", "Columns:")):
            continue
        if line.startswith("#"):
            groups.append((line[1:].strip(), []))
            continue
        m = re.fullmatch(r"\s*(\d+)\s+(\d+)\s+(\d+)\s*(.*)", line)
        assert m, line
        rgb = (int(m[1]), int(m[2]), int(m[3]))
        assert all(0 <= v <= 255 for v in rgb)
        groups[-1][1].append((m[4], rgb))
    return [g for g in groups if g[1]]


def _utf16_name(data: bytes, at: int, units: int) -> str:
    raw = data[at : at + 2 * units]
    assert raw[-2:] == b"\x00\x00", "names end with a NUL"
    return raw[:-2].decode("utf-16-be")


def read_ase(data: bytes) -> Read:
    assert data[:4] == b"ASEF"
    major, minor, count = struct.unpack(">HHI", data[4:12])
    assert (major, minor) == (1, 0)
    at, groups, blocks = 12, [], 0
    current: list[tuple[str, RGB]] | None = None
    while at < len(data):
        kind, length = struct.unpack(">HI", data[at : at + 6])
        body = data[at + 6 : at + 6 + length]
        at += 6 + length
        blocks += 1
        if kind == 0xC001:
            (units,) = struct.unpack(">H", body[:2])
            assert length == 2 + 2 * units
            current = []
            groups.append((_utf16_name(body, 2, units), current))
        elif kind == 0xC002:
            assert length == 0
            current = None
        elif kind == 0x0001:
            (units,) = struct.unpack(">H", body[:2])
            name = _utf16_name(body, 2, units)
            rest = body[2 + 2 * units :]
            assert rest[:4] == b"RGB "
            values = struct.unpack(">3f", rest[4:16])
            (color_type,) = struct.unpack(">H", rest[16:18])
            assert len(rest) == 18 and color_type in (0, 1, 2)
            assert all(0.0 <= v <= 1.0 for v in values)
            assert current is not None, "colours sit in groups"
            current.append((name, (round(values[0] * 255), round(values[1] * 255),
                                   round(values[2] * 255))))  # fmt: skip
        else:
            raise AssertionError(f"unknown block {kind:#x}")
    assert blocks == count
    return groups


def read_aco(data: bytes) -> list[tuple[str, RGB]]:
    version, count = struct.unpack(">HH", data[:4])
    assert version == 1
    v1 = []
    at = 4
    for _ in range(count):
        space, r, g, b, z = struct.unpack(">5H", data[at : at + 10])
        assert space == 0 and z == 0 and all(v % 257 == 0 for v in (r, g, b))
        v1.append((r // 257, g // 257, b // 257))
        at += 10
    version, count2 = struct.unpack(">HH", data[at : at + 4])
    assert version == 2 and count2 == count
    at += 4
    v2 = []
    for _ in range(count):
        space, r, g, b, z = struct.unpack(">5H", data[at : at + 10])
        (units,) = struct.unpack(">I", data[at + 10 : at + 14])
        name = _utf16_name(data, at + 14, units)
        at += 14 + 2 * units
        v2.append((name, (r // 257, g // 257, b // 257)))
    assert at == len(data)
    assert [rgb for _, rgb in v2] == v1
    return v2


def read_css(data: bytes) -> dict[str, RGB]:
    text = data.decode("utf-8")
    code = re.sub(r"/\*.*?\*/", "", text, flags=re.S)  # film names in comments may hold braces
    assert code.count("{") == 1 and ":root {" in code
    found = re.findall(r"(--[\w-]+):\s*#([0-9a-f]{6});", text)
    return {name: (int(h[:2], 16), int(h[2:4], 16), int(h[4:], 16)) for name, h in found}


def read_tokens(data: bytes) -> Read:
    doc = json.loads(data)
    groups: Read = []
    for key, group in doc.items():
        if key.startswith("$"):
            continue
        assert not set(key) & set("{}.") and group["$type"] == "color"
        colors = []
        for name, token in group.items():
            if name.startswith("$"):
                continue
            assert not set(name) & set("{}.")
            value = token["$value"]
            assert set(value) <= {"colorSpace", "components", "hex", "alpha"}
            assert value["colorSpace"] == "srgb"
            comps = value["components"]
            assert len(comps) == 3 and all(0 <= c <= 1 for c in comps)
            rgb = (round(comps[0] * 255), round(comps[1] * 255), round(comps[2] * 255))
            assert re.fullmatch(r"#[0-9a-f]{6}", value["hex"])
            assert value["hex"] == "#{:02x}{:02x}{:02x}".format(*rgb)
            colors.append((token["$description"], rgb))
        groups.append((group["$description"], colors))
    return groups


def read_csv(data: bytes) -> Read:
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8"))))
    groups: Read = []
    for row in rows:
        if not groups or groups[-1][0] != row["group"]:
            groups.append((row["group"], []))
        rgb = (int(row["r"]), int(row["g"]), int(row["b"]))
        assert row["hex"] == "#{:02x}{:02x}{:02x}".format(*rgb)
        groups[-1][1].append((row["name"], rgb))
    return groups


def read_swatches(data: bytes) -> tuple[str, list[RGB]]:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        assert z.namelist() == ["Swatches.json"]
        doc = json.loads(z.read("Swatches.json"))
    palette = doc[0] if isinstance(doc, list) else doc
    out = []
    for s in palette["swatches"]:
        assert s["colorSpace"] == 0 and s["alpha"] == 1
        r, g, b = colorsys.hsv_to_rgb(s["hue"], s["saturation"], s["brightness"])
        out.append((round(r * 255), round(g * 255), round(b * 255)))
    return palette["name"], out


# --- what each export must hold ---------------------------------------------------------------


def expected(a: Analysis, *, scene: int | None = None, all_scenes: bool = False) -> Read:
    title = Path(a.video.path).stem
    if all_scenes or scene is not None:
        numbers = range(1, len(a.scenes) + 1) if all_scenes else [scene or 0]
        out: Read = []
        for n in numbers:
            r = a.scenes[n - 1]
            s = round(r.scene.start_s)
            label = f"scene {n} · {s // 3600:02d}:{s // 60 % 60:02d}:{s % 60:02d}"
            out.append((label, [(f"{label} · {i}", sw.rgb)
                                for i, sw in enumerate(r.palette.swatches, 1)]))  # fmt: skip
        return out
    return [(title, [(f"{title} · {i}", s.rgb) for i, s in enumerate(a.palette.swatches, 1)])]


SELECTIONS = [{}, {"scene": 2}, {"scene": 3}, {"all_scenes": True}]


@pytest.mark.parametrize("selection", SELECTIONS)
def test_gpl_ase_tokens_csv_read_back_exactly(selection: dict[str, Any]) -> None:
    a = film()
    want = expected(a, **selection)
    assert read_gpl(export_palette(a, "gpl", **selection)) == want
    assert read_ase(export_palette(a, "ase", **selection)) == want
    assert read_tokens(export_palette(a, "tokens", **selection)) == want
    assert read_csv(export_palette(a, "csv", **selection)) == want


@pytest.mark.parametrize("selection", SELECTIONS)
def test_aco_css_swatches_read_back_exactly(selection: dict[str, Any]) -> None:
    a = film()
    flat = [c for _, colors in expected(a, **selection) for c in colors]
    assert read_aco(export_palette(a, "aco", **selection)) == flat
    css = read_css(export_palette(a, "css", **selection))
    assert list(css.values()) == [rgb for _, rgb in flat]
    name, rgbs = read_swatches(export_palette(a, "swatches", **selection))
    assert rgbs == [rgb for _, rgb in flat] and name.startswith("Vertigo · ")


def test_scene_names_carry_number_time_and_rank() -> None:
    # Scene 2 starts at 3 s, scene 3 at 843.4 s = 00:14:03.
    groups = read_gpl(export_palette(film(), "gpl", all_scenes=True))
    assert [g for g, _ in groups] == [
        "scene 1 · 00:00:00",
        "scene 2 · 00:00:03",
        "scene 3 · 00:14:03",
    ]
    assert groups[2][1][0][0] == "scene 3 · 00:14:03 · 1"


def test_css_names_and_comments() -> None:
    one = export_palette(film(), "css", scene=3).decode()
    assert list(read_css(one.encode())) == ["--scenepal-1", "--scenepal-2", "--scenepal-3"]
    assert "/* scenepal palette: Vertigo · scene 3 */" in one
    assert "/* scene 3 · 00:14:03 */" in one
    every = read_css(export_palette(film(), "css", all_scenes=True))
    assert list(every)[:3] == [
        "--scenepal-scene-1-1",
        "--scenepal-scene-1-2",
        "--scenepal-scene-2-1",
    ]
    palettes = dataclasses.replace(palette_set(film()), title="a */ b {x}")
    hostile = get_format("css").write(palettes).decode()
    assert "a * / b {x}" in hostile and hostile.count("*/") == hostile.count("/*")


names = st.text(
    st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), min_size=1,
    max_size=12,
)  # fmt: skip


@settings(max_examples=40, deadline=None)
@given(
    st.lists(st.tuples(st.integers(0, 255), st.integers(0, 255), st.integers(0, 255)),
             min_size=1, max_size=8),
    names,
)  # fmt: skip
def test_any_colours_and_film_names_survive_every_format(rgbs: list[RGB], name: str) -> None:
    a = make_analysis([(1.0, [(rgb, 1 / len(rgbs)) for rgb in rgbs])], colors=32)
    a = type(a)(**{**a.__dict__, "video": type(a.video)(**{**a.video.__dict__, "path": name})})
    want = [rgb for _, colors in expected(a, scene=1) for _, rgb in colors]
    got_names = [n for _, colors in read_ase(export_palette(a, "ase", scene=1)) for n, _ in colors]
    assert [rgb for _, cs in read_ase(export_palette(a, "ase", scene=1)) for _, rgb in cs] == want
    assert [rgb for _, rgb in read_aco(export_palette(a, "aco", scene=1))] == want
    assert [
        rgb for _, cs in read_tokens(export_palette(a, "tokens", scene=1)) for _, rgb in cs
    ] == want
    assert [rgb for _, cs in read_gpl(export_palette(a, "gpl", scene=1)) for _, rgb in cs] == want
    assert [rgb for _, cs in read_csv(export_palette(a, "csv", scene=1)) for _, rgb in cs] == want
    assert list(read_css(export_palette(a, "css", scene=1)).values()) == want
    assert read_swatches(export_palette(a, "swatches", scene=1))[1] == want
    assert got_names == [f"scene 1 · 00:00:00 · {i}" for i in range(1, len(want) + 1)]


def test_film_names_on_one_line_in_every_name() -> None:
    a = film("/films/Two\nLines\u2028\U0001f3ac.mp4")
    groups = read_ase(export_palette(a, "ase"))
    assert groups[0][0] == "Two Lines \U0001f3ac"  # non-BMP: UTF-16 lengths count code units
    assert read_gpl(export_palette(a, "gpl"))[0][1][0][0] == "Two Lines \U0001f3ac · 1"


def test_procreate_refuses_more_than_30_colours() -> None:
    a = make_analysis([(1.0, [((i, i, i), 0.125) for i in range(8)])] * 4, colors=8)
    with pytest.raises(ConfigError, match="30"):
        export_palette(a, "swatches", all_scenes=True)


def test_registry_lists_every_format_and_refuses_others() -> None:
    assert set(FORMATS) == {"gpl", "ase", "aco", "css", "tokens", "csv", "swatches"}
    with pytest.raises(ConfigError, match="gpl, ase, aco, css, tokens, csv, swatches"):
        get_format("pdf")


@pytest.mark.parametrize(
    "selection", [{"scene": 0}, {"scene": 4}, {"scene": 1, "all_scenes": True}]
)
def test_bad_selection_is_a_config_error(selection: dict[str, Any]) -> None:
    with pytest.raises(ConfigError):
        palette_set(film(), **selection)


def test_same_palette_same_bytes() -> None:
    for name in FORMATS:
        assert export_palette(film(), name, all_scenes=name != "swatches") == export_palette(
            film(), name, all_scenes=name != "swatches"
        )


def test_python_api_is_scenepal_export(tmp_path: Path) -> None:
    (tmp_path / "analysis.json").write_text(analysis_to_json(film()), encoding="utf-8")
    data = scenepal.export(tmp_path, "ase", all_scenes=True, output=tmp_path / "p.ase")
    assert read_ase(data) == expected(film(), all_scenes=True)
    assert (tmp_path / "p.ase").read_bytes() == data
    assert scenepal.export.load_analysis(tmp_path).scenes == film().scenes  # still the module


# --- the command ------------------------------------------------------------------------------

runner = CliRunner()


def _saved(tmp_path: Path) -> Path:
    path = tmp_path / "analysis.json"
    path.write_text(analysis_to_json(film()), encoding="utf-8")
    return path


def test_command_writes_beside_the_analysis(tmp_path: Path) -> None:
    path = _saved(tmp_path)
    result = runner.invoke(app, ["export", str(path), "--format", "ase", "--all-scenes"])
    assert result.exit_code == 0, result.stderr
    assert read_ase((tmp_path / "palette-all-scenes.ase").read_bytes()) == expected(
        film(), all_scenes=True
    )
    result = runner.invoke(app, ["export", str(tmp_path), "-f", "tokens", "--scene", "2"])
    assert result.exit_code == 0
    assert read_tokens((tmp_path / "palette-scene-2.tokens.json").read_bytes()) == expected(
        film(), scene=2
    )


def test_command_text_to_stdout(tmp_path: Path) -> None:
    result = runner.invoke(app, ["export", str(_saved(tmp_path)), "--format", "gpl", "-o", "-"])
    assert result.exit_code == 0
    assert read_gpl(result.stdout_bytes) == expected(film())
    assert sorted(p.name for p in tmp_path.iterdir()) == ["analysis.json"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--format", "aco", "-o", "-"], "binary"),
        (["--format", "pdf"], "gpl, ase"),
        (["--format", "gpl", "--scene", "9"], "scenes 1 to 3"),
        (["--format", "gpl", "--scene", "1", "--all-scenes"], "not both"),
    ],
)
def test_command_usage_errors(tmp_path: Path, args: list[str], message: str) -> None:
    result = runner.invoke(app, ["export", str(_saved(tmp_path)), *args])
    assert result.exit_code == 2
    assert message in result.stderr
