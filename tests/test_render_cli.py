"""`scenepal render` and the picture options of `scenepal analyze`: every mode and format from
analysis.json alone (the film deleted first), usage errors, one-line messages."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import av
import numpy as np
import pytest
from films import Region, Shot, write_film
from PIL import Image
from typer.testing import CliRunner

import scenepal
from scenepal import probing
from scenepal.cli import app
from scenepal.render.barcodes import MODES

runner = CliRunner()

SHOTS = (
    Shot((Region((230, 40, 30), 0.5), Region((20, 30, 200), 0.5)), frames=30),
    Shot.solid((240, 240, 240), frames=24),
    Shot((Region((250, 200, 60), 0.3), Region((60, 60, 60), 0.7)), frames=30),
)


def _size(path: Path) -> tuple[int, int]:
    with Image.open(path) as image:
        return image.size


def _pixels(path: Path) -> np.ndarray:
    with Image.open(path) as image:
        return np.asarray(image)


def invoke(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture(scope="module")
def analysed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A film analysed with extra barcodes, then deleted: only its output folder is left."""
    folder = tmp_path_factory.mktemp("render")
    film = write_film(folder / "Vertigo.mkv", list(SHOTS), bars=(20, 0))
    out = folder / "out"
    code, _, stderr = invoke(
        "analyze", str(film.path), "-o", str(out), "--quiet", "--no-report",
        "--barcode", "frames,circular-scenes", "--format", "png,svg", "--size", "168x40",
    )  # fmt: skip
    assert code == 0, stderr
    film.path.unlink()
    return out


def test_analyze_keeps_barcode_png_and_writes_the_barcodes_asked_for(analysed: Path) -> None:
    names = {p.name for p in analysed.iterdir()}
    assert {"barcode.png", "analysis.json", "timeline.bin"} <= names
    assert {"barcode-frames.png", "barcode-frames.svg"} <= names
    assert {"barcode-circular-scenes.png", "barcode-circular-scenes.svg"} <= names
    assert _size(analysed / "barcode.png") == (2400, 800)  # the default, unchanged
    assert _size(analysed / "barcode-frames.png") == (168, 40)


def test_at_the_frame_count_each_column_is_its_frames_mean_from_the_film(analysed: Path) -> None:
    # 84 frames at 168 columns: every frame twice; each is the mean of its picture (the
    # letterbox bars left out), within an 8-bit level of the true linear mean.
    columns = _pixels(analysed / "barcode-frames.png")[0].astype(int)
    wanted = []
    for shot in SHOTS:
        lin = scenepal.color.srgb_to_linear(np.array([r.rgb for r in shot.regions]) / 255)
        mean = np.average(lin, axis=0, weights=[r.share for r in shot.regions])
        wanted += [scenepal.color.encode_srgb8(mean)] * shot.frames * 2
    assert np.abs(columns - np.array(wanted, dtype=int)).max() <= 1


def _no_film(monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    opened: list[Any] = []

    def refuse(*args: Any, **kwargs: Any) -> None:
        opened.append(args)
        raise AssertionError("render opened a film")

    monkeypatch.setattr(probing, "open_container", refuse)
    monkeypatch.setattr(av, "open", refuse)
    return opened


def test_render_draws_every_mode_and_format_without_the_film(
    analysed: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    opened = _no_film(monkeypatch)
    code, _, stderr = invoke(
        "render", str(analysed / "analysis.json"), "-o", str(tmp_path),
        "--barcode", ",".join(MODES), "--format", "png,svg,pdf", "--size", "300x120",
    )  # fmt: skip
    assert code == 0, stderr
    assert opened == []
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names == sorted(f"barcode-{m}.{k}" for m in MODES for k in ("png", "svg", "pdf"))
    for mode in MODES:
        assert _size(tmp_path / f"barcode-{mode}.png") == (300, 120)
        ET.parse(tmp_path / f"barcode-{mode}.svg")
        assert (tmp_path / f"barcode-{mode}.pdf").read_bytes().startswith(b"%PDF")


def test_render_posters_and_print_sizes_without_the_film(
    analysed: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _no_film(monkeypatch)
    code, _, stderr = invoke(
        "render", str(analysed), "-o", str(tmp_path), "--barcode", "circular-frames",
        "--poster", "--title", "Vertigo", "--year", "1958", "--print", "8x10in", "--dpi", "40",
        "--format", "png,pdf", "--smooth", "3", "--inner", "0.3",
    )  # fmt: skip
    assert code == 0, stderr
    assert _size(tmp_path / "poster-circular-frames.png") == (320, 400)
    assert b"/MediaBox [ 0 0 576 720 ]" in (tmp_path / "poster-circular-frames.pdf").read_bytes()


def test_render_without_picture_options_redraws_the_outputs(analysed: Path, tmp_path: Path) -> None:
    code, _, stderr = invoke("render", str(analysed), "-o", str(tmp_path), "--no-report")
    assert code == 0, stderr
    names = {p.name for p in tmp_path.iterdir()}
    assert {"analysis.json", "timeline.bin", "barcode.png", "palettes.png"} <= names
    assert (tmp_path / "timeline.bin").read_bytes() == (analysed / "timeline.bin").read_bytes()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--barcode", "scenes", "--smooth", "3"], "--smooth does not apply to the scenes"),
        (["--barcode", "frames", "--inner", "0.2"], "--inner does not apply to the frames"),
        (["--barcode", "rainbow"], "unknown barcode mode 'rainbow'; choose from frames"),
        (["--size", "big"], "--size must be WIDTHxHEIGHT"),
        (["--print", "40x10mm"], "--print must be WIDTHxHEIGHT with cm or in"),
        (["--format", "jpg"], "unknown format 'jpg'"),
        (["--year", "1958"], "--title and --year are for the poster"),
        (["--barcode", "scenes", "--no-report"], "--no-report is for redrawing"),
    ],
)
def test_usage_errors_are_exit_2_in_one_line(
    analysed: Path, tmp_path: Path, args: list[str], message: str
) -> None:
    code, stdout, stderr = invoke("render", str(analysed), "-o", str(tmp_path), *args)
    assert code == 2
    assert stderr.count("\n") == 1 and message in stderr and stdout == ""
    assert list(tmp_path.iterdir()) == []


def test_analyze_refuses_bad_picture_options_before_decoding(tmp_path: Path) -> None:
    film = tmp_path / "missing.mkv"
    code, _, stderr = invoke("analyze", str(film), "--barcode", "scenes", "--smooth", "2")
    assert code == 2 and "--smooth does not apply" in stderr  # not exit 66: checked first


def test_frames_without_a_timeline_is_one_line(analysed: Path, tmp_path: Path) -> None:
    old = tmp_path / "old"
    old.mkdir()
    doc = json.loads((analysed / "analysis.json").read_text())
    del doc["timeline"]
    doc["schema_version"] = "1.3"
    (old / "analysis.json").write_text(json.dumps(doc))
    code, _, stderr = invoke("render", str(old), "--barcode", "frames")
    assert code == 65 and stderr.count("\n") == 1 and "no frame timeline" in stderr
    code, _, stderr = invoke("render", str(old), "--barcode", "scenes,dominant")
    assert code == 0, stderr


def test_a_damaged_timeline_is_one_line(analysed: Path, tmp_path: Path) -> None:
    (tmp_path / "analysis.json").write_bytes((analysed / "analysis.json").read_bytes())
    (tmp_path / "timeline.bin").write_bytes((analysed / "timeline.bin").read_bytes()[:-5])
    code, _, stderr = invoke("render", str(tmp_path), "--barcode", "frames")
    assert code == 65 and stderr.count("\n") == 1 and "timeline.bin is damaged" in stderr


def test_the_api_renders_from_a_folder(analysed: Path) -> None:
    files = scenepal.render(analysed, ["dominant"], size=(10, 2), formats=["svg"])
    assert list(files) == ["barcode-dominant.svg"]
    assert ET.fromstring(files["barcode-dominant.svg"]).tag.endswith("svg")
