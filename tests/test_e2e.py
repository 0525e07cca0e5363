"""End to end: the installed ``scenepal`` command in a subprocess, on real files."""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import SCHEMA_VALIDATOR
from films import FilmTruth
from PIL import Image

from scenepal.models import SCHEMA_VERSION

pytestmark = pytest.mark.e2e

SCENEPAL = Path(sys.executable).with_name("scenepal")
ROOT = Path(__file__).resolve().parent.parent


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(SCENEPAL), *args], capture_output=True, text=True, timeout=600, check=False
    )


def test_analyze_end_to_end(cut_film_h264: FilmTruth, tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = run("analyze", str(cut_film_h264.path), "-o", str(out), "--json")
    assert result.returncode == 0, result.stderr
    doc = json.loads(result.stdout)
    SCHEMA_VALIDATOR.validate(doc)  # written by another process: conftest's hook did not see it
    assert doc["schema_version"] == SCHEMA_VERSION
    assert [s["start_frame"] for s in doc["scenes"][1:]] == list(cut_film_h264.cuts)
    assert json.loads((out / "analysis.json").read_text()) == doc
    with Image.open(out / "barcode.png") as barcode:
        assert barcode.size == (2400, 800) and barcode.mode == "RGB"
    with Image.open(out / "palettes.png") as sheet:
        assert sheet.size[0] > 1000 and sheet.size[1] > 400
    with (out / "scenes.csv").open() as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == len(doc["scenes"])
    assert rows[0]["color_1"] == doc["scenes"][0]["palette"][0]["hex"]


def test_bad_input_end_to_end(tmp_path: Path) -> None:
    song = tmp_path / "song.mp4"
    song.write_bytes(b"ID3" + b"\x00" * 5000)
    result = run("analyze", str(song))
    assert result.returncode == 65
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    assert result.stdout == ""
    assert sorted(p.name for p in tmp_path.iterdir()) == ["song.mp4"]


def test_python_module_entry_point() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "scenepal", "--version"],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert result.returncode == 0 and result.stdout.startswith("scenepal ")


@pytest.mark.slow
def test_realistic_sample_film(tmp_path: Path) -> None:
    film = tmp_path / "sample.mp4"
    made = subprocess.run(
        [sys.executable, str(ROOT / "samples" / "make_sample.py"), "--out", str(film),
         "--width", "640", "--height", "360", "--seconds", "30"],
        capture_output=True, text=True, timeout=600, check=False,
    )  # fmt: skip
    assert made.returncode == 0, made.stderr
    truth = json.loads(film.with_name("sample.mp4.truth.json").read_text())
    result = run("analyze", str(film), "-o", str(tmp_path / "out"), "--json", "-q")
    assert result.returncode == 0, result.stderr
    doc = json.loads(result.stdout)
    found = [s["start_frame"] for s in doc["scenes"][1:]]
    for cut in truth["cuts"]:
        assert any(abs(cut - f) <= 1 for f in found), (cut, found)
    # Extra boundaries only inside fades and dissolves, where a cut has no single frame.
    spans = [(t["start"], t["end"]) for t in truth["transitions"]]
    for f in found:
        near_cut = any(abs(f - c) <= 1 for c in truth["cuts"])
        assert near_cut or any(a - 1 <= f <= b + 1 for a, b in spans), (f, spans)
    box = truth["letterbox"]
    crop = doc["video"]["crop"]
    assert crop is not None
    for key, want in (("x", box["x"]), ("y", box["y"]), ("width", box["w"]), ("height", box["h"])):
        assert abs(crop[key] - want) <= 4
