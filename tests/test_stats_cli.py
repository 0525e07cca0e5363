"""The statistics commands: `scenepal plot`, `scenepal report`, `scenepal compare`, and
`--no-report`."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from analyses import make_analysis
from PIL import Image
from stats_analyses import with_stats
from test_compare import FILM, film, regrade
from typer.testing import CliRunner

from scenepal.cli import app
from scenepal.export import analysis_to_json
from scenepal.models import Analysis

runner = CliRunner()


def invoke(*args: str) -> tuple[int, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.stderr


def save(analysis: Analysis, folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "analysis.json"
    path.write_text(analysis_to_json(analysis), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def saved(tmp_path_factory: pytest.TempPathFactory) -> Path:
    scenes = [
        (3.0, [((230, 140, 60), 0.6), ((40, 140, 150), 0.4)]),
        (2.0, [((200, 200, 190), 1.0)]),
    ]
    return save(with_stats(make_analysis(scenes)), tmp_path_factory.mktemp("a"))


def test_plot_writes_one_plot_beside_the_analysis(saved: Path) -> None:
    code, err = invoke("plot", "vectorscope", str(saved))
    assert code == 0, err
    with Image.open(saved.parent / "vectorscope.png") as image:
        assert image.format == "PNG"


def test_plot_of_one_scene_hue_wheel(saved: Path, tmp_path: Path) -> None:
    target = tmp_path / "wheel.png"
    code, err = invoke("plot", "huewheel", str(saved), "--scene", "2", "-o", str(target))
    assert code == 0, err
    assert target.is_file()
    code, _ = invoke("plot", "huewheel", str(saved), "--scene", "2")
    assert code == 0 and (saved.parent / "huewheel-scene-2.png").is_file()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["plot", "histogram"], "unknown plot 'histogram'; choose one of: timeline"),
        (["plot", "huewheel", "--scene", "9"], "no scene 9: the film has 2 scenes"),
        (["plot", "timeline", "--scene", "1"], "--scene is for the huewheel plot only"),
    ],
)
def test_plot_usage_errors(saved: Path, args: list[str], message: str) -> None:
    code, err = invoke(*args[:2], str(saved), *args[2:])
    assert code == 2
    assert message in err


def test_report_command_writes_the_page(saved: Path, tmp_path: Path) -> None:
    target = tmp_path / "page.html"
    code, err = invoke("report", str(saved.parent), "-o", str(target))
    assert code == 0, err
    text = target.read_text(encoding="utf-8")
    assert text.startswith("<!DOCTYPE html>") and text.count('<tr id="s') == 2


def test_render_writes_plots_and_report_unless_told(saved: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert invoke("render", str(saved), "-o", str(out))[0] == 0
    names = {p.name for p in out.iterdir()}
    assert {"timeline.png", "huewheel.png", "vectorscope.png", "report.html"} <= names
    assert invoke("render", str(saved), "-o", str(out), "--no-report")[0] == 0
    assert not (out / "report.html").exists()  # a stale page is not left behind
    assert (out / "timeline.png").exists()


def test_compare_writes_json_csv_and_png(tmp_path: Path) -> None:
    a = save(film(FILM), tmp_path / "a")
    b = save(film(FILM[2:], regrade), tmp_path / "b")
    out = tmp_path / "cmp"
    code, err = invoke("compare", str(a), str(b), "-o", str(out))
    assert code == 0, err
    assert "matched spans" in err
    doc = json.loads((out / "compare.json").read_text())
    assert len(doc["spans"]) == len(FILM) - 2
    assert len(doc["unmatched_a"]) == 1 and doc["unmatched_b"] == []
    assert doc["summary"]["d_lightness"] > 0
    rows = list(csv.DictReader(io.StringIO((out / "compare.csv").read_text())))
    assert len(rows) == len(FILM) - 2 + 1
    with Image.open(out / "compare.png") as image:
        assert image.format == "PNG"


def test_compare_with_a_given_offset(tmp_path: Path) -> None:
    a = save(film(FILM), tmp_path / "a")
    b = save(film(FILM), tmp_path / "b")
    code, err = invoke("compare", str(a), str(b), "-o", str(tmp_path / "c"), "--offset", "0")
    assert code == 0, err
    doc = json.loads((tmp_path / "c" / "compare.json").read_text())
    assert doc["offsets_s"] == [0.0]
    assert doc["summary"]["mean_de00"] == 0


def test_compare_of_a_missing_file_is_a_data_error(tmp_path: Path) -> None:
    code, err = invoke("compare", str(tmp_path / "no.json"), str(tmp_path / "no.json"))
    assert code == 65
    assert "cannot read" in err
