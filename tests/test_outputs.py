"""scenepal.outputs: the output folder, written whole or not at all."""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from analyses import make_analysis, solid_scenes
from PIL import Image
from readonly import read_only_folder

from scenepal import outputs
from scenepal._entry import HeldInterrupt
from scenepal.errors import OutputError, ScenepalError
from scenepal.export import load_analysis
from scenepal.models import Analysis
from scenepal.outputs import check_output_folder, default_output_folder, write_outputs

RED, BLUE, WHITE = (200, 30, 30), (20, 20, 120), (250, 250, 250)
COLORS = 32  # no film palette clustering: fast

BASE_FILES = {
    "analysis.json", "scenes.csv", "barcode.png", "palettes.png", "palettes.pdf", "report.html"
}  # fmt: skip


@pytest.fixture(scope="module")
def short() -> Analysis:
    return make_analysis([(3.0, [(RED, 0.75), (BLUE, 0.25)]), (1.0, [(WHITE, 1.0)])], colors=COLORS)


@pytest.fixture(scope="module")
def long() -> Analysis:
    """61 scenes: two sheet pages."""
    return make_analysis(solid_scenes(61, [RED, BLUE, WHITE]), colors=COLORS)


@pytest.fixture(scope="module")
def long_written(long: Analysis, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The outputs of `long`, written once; copy them to get a folder of previous outputs."""
    folder = tmp_path_factory.mktemp("long") / "film.scenepal"
    write_outputs(long, folder)
    return folder


def _previous(long_written: Path, tmp_path: Path) -> Path:
    folder = tmp_path / "film.scenepal"
    shutil.copytree(long_written, folder)
    return folder


def _names(folder: Path) -> set[str]:
    return {p.name for p in folder.iterdir()}


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def _no_temp_left(parent: Path) -> None:
    assert [p.name for p in parent.iterdir() if p.name.startswith(".")] == []


# --- writing -------------------------------------------------------------------------------


def test_write_outputs_creates_the_folder(short: Analysis, tmp_path: Path) -> None:
    folder = tmp_path / "film.scenepal"
    written = write_outputs(short, folder)
    assert folder.is_dir()
    assert _names(folder) == BASE_FILES
    assert sorted(written) == sorted(folder / n for n in BASE_FILES)
    assert all(p.stat().st_size > 0 for p in written)
    _no_temp_left(tmp_path)


def test_written_files_hold_the_analysis(short: Analysis, tmp_path: Path) -> None:
    folder = tmp_path / "out"
    write_outputs(short, folder)
    assert load_analysis(folder) == short
    assert (
        json.loads((folder / "analysis.json").read_text("utf-8"))["scenes"][1]["palette"][0]["hex"]
        == "#fafafa"
    )
    rows = list(csv.DictReader(io.StringIO((folder / "scenes.csv").read_text("utf-8"))))
    assert [r["color_1"] for r in rows] == ["#c81e1e", "#fafafa"]
    with Image.open(folder / "barcode.png") as bar:
        assert bar.format == "PNG"
        assert bar.size == (2400, 800)
        assert bar.mode == "RGB"
        assert bar.getpixel((0, 0)) == RED
        assert bar.getpixel((2399, 0)) == WHITE
        assert bar.info.get("Software") == "scenepal 0.0.test"
    with Image.open(folder / "palettes.png") as sheet:
        assert sheet.format == "PNG"
        assert sheet.size[0] == 1650  # 11 in at 150 dpi
        assert sheet.info.get("Software") == "scenepal 0.0.test"


def test_long_films_get_numbered_sheet_pages(long: Analysis, long_written: Path) -> None:
    assert _names(long_written) == BASE_FILES | {"palettes-002.png"}
    assert load_analysis(long_written) == long
    heights = []
    for name in ("palettes.png", "palettes-002.png"):
        with Image.open(long_written / name) as page:
            assert page.size[0] == 1650
            heights.append(page.size[1])
    # 60 rows and a header, then one row and a short title.
    assert heights[0] > 10 * heights[1]


def test_nested_missing_parents_are_created(short: Analysis, tmp_path: Path) -> None:
    folder = tmp_path / "a" / "b" / "film.scenepal"
    write_outputs(short, folder)
    assert _names(folder) == BASE_FILES
    _no_temp_left(folder.parent)


def test_rewrite_replaces_files_and_removes_stale_pages(
    long_written: Path, short: Analysis, tmp_path: Path
) -> None:
    folder = _previous(long_written, tmp_path)
    (folder / "notes.txt").write_text("mine", encoding="utf-8")
    old_json = (folder / "analysis.json").read_bytes()
    written = write_outputs(short, folder)
    # The user's own file stays; the pages the short film no longer has are gone.
    assert _names(folder) == BASE_FILES | {"notes.txt"}
    assert (folder / "notes.txt").read_text(encoding="utf-8") == "mine"
    assert (folder / "analysis.json").read_bytes() != old_json
    assert load_analysis(folder) == short
    assert {p.name for p in written} == BASE_FILES
    _no_temp_left(tmp_path)
    _no_temp_left(folder)


def test_rewrite_adds_pages(long: Analysis, short: Analysis, tmp_path: Path) -> None:
    folder = tmp_path / "film.scenepal"
    write_outputs(short, folder)
    write_outputs(long, folder)
    assert _names(folder) == BASE_FILES | {"palettes-002.png"}
    assert load_analysis(folder) == long


def test_rewrite_into_an_empty_existing_folder(short: Analysis, tmp_path: Path) -> None:
    folder = tmp_path / "existing"
    folder.mkdir()
    write_outputs(short, folder)
    assert _names(folder) == BASE_FILES
    _no_temp_left(tmp_path)


def test_same_analysis_gives_same_bytes(short: Analysis, tmp_path: Path) -> None:
    write_outputs(short, tmp_path / "one")
    write_outputs(short, tmp_path / "two")
    assert _snapshot(tmp_path / "one") == _snapshot(tmp_path / "two")


def test_new_folder_permissions_follow_the_umask(short: Analysis, tmp_path: Path) -> None:
    old = os.umask(0o027)
    try:
        write_outputs(short, tmp_path / "film.scenepal")
    finally:
        os.umask(old)
    # mkdtemp makes 0o700 folders; the output folder must be like any folder the user makes.
    assert (tmp_path / "film.scenepal").stat().st_mode & 0o777 == 0o750


# --- failures leave the previous outputs alone ---------------------------------------------


def _boom(*args: Any, **kwargs: Any) -> Any:
    raise RuntimeError("render failed")


@pytest.mark.parametrize("target", ["render_files", "_figure_png", "barcode"])
def test_failed_render_leaves_previous_outputs(
    short: Analysis,
    long_written: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    target: str,
) -> None:
    folder = _previous(long_written, tmp_path)
    before = _snapshot(folder)
    monkeypatch.setattr(outputs, target, _boom)
    with pytest.raises(RuntimeError, match="render failed"):
        write_outputs(short, folder)
    assert _snapshot(folder) == before
    _no_temp_left(tmp_path)


def test_failed_render_of_a_new_folder_leaves_nothing(
    short: Analysis, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(outputs, "_figure_png", _boom)
    with pytest.raises(RuntimeError):
        write_outputs(short, tmp_path / "film.scenepal")
    assert list(tmp_path.iterdir()) == []


def test_failed_write_leaves_previous_outputs(
    short: Analysis, long_written: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = _previous(long_written, tmp_path)
    before = _snapshot(folder)
    calls = {"n": 0}

    def fsync(fd: int) -> None:
        calls["n"] += 1
        if calls["n"] == 3:  # after two files were written in full
            raise OSError(28, "No space left on device")

    monkeypatch.setattr(outputs.os, "fsync", fsync)
    with pytest.raises(OutputError, match="No space left on device") as info:
        write_outputs(short, folder)
    assert isinstance(info.value, OSError)
    assert str(folder) in str(info.value)
    assert _snapshot(folder) == before
    _no_temp_left(tmp_path)


def test_failed_write_of_a_new_folder_leaves_nothing(
    short: Analysis, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def fsync(fd: int) -> None:
        raise OSError(5, "Input/output error")

    monkeypatch.setattr(outputs.os, "fsync", fsync)
    with pytest.raises(OutputError):
        write_outputs(short, tmp_path / "film.scenepal")
    assert list(tmp_path.iterdir()) == []


def test_interrupted_write_cleans_up(
    short: Analysis, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def fsync(fd: int) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(outputs.os, "fsync", fsync)
    with pytest.raises(KeyboardInterrupt):
        write_outputs(short, tmp_path / "film.scenepal")
    assert list(tmp_path.iterdir()) == []


# --- check_output_folder -------------------------------------------------------------------


def test_check_output_folder_accepts_new_and_existing_folders(tmp_path: Path) -> None:
    assert check_output_folder(tmp_path) == tmp_path
    assert check_output_folder(tmp_path / "new") == tmp_path / "new"
    assert check_output_folder(str(tmp_path / "x" / "y" / "z")) == tmp_path / "x" / "y" / "z"
    assert not (tmp_path / "new").exists()  # checking creates nothing
    assert not (tmp_path / "x").exists()


def test_check_output_folder_refuses_a_file(tmp_path: Path) -> None:
    path = tmp_path / "film.scenepal"
    path.write_text("not a folder", encoding="utf-8")
    with pytest.raises(OutputError, match="it is a file") as info:
        check_output_folder(path)
    assert isinstance(info.value, OSError)
    assert isinstance(info.value, ScenepalError)
    assert str(path) in str(info.value)


def test_check_output_folder_refuses_a_path_under_a_file(tmp_path: Path) -> None:
    parent = tmp_path / "plain.txt"
    parent.write_text("x", encoding="utf-8")
    with pytest.raises(OutputError, match="is not a folder"):
        check_output_folder(parent / "film.scenepal")
    with pytest.raises(OutputError, match="is not a folder"):
        check_output_folder(parent / "deeper" / "film.scenepal")


def test_write_outputs_refuses_before_rendering(
    short: Analysis, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    parent = tmp_path / "plain.txt"
    parent.write_text("x", encoding="utf-8")
    monkeypatch.setattr(outputs, "render_files", _boom)
    with pytest.raises(OutputError):
        write_outputs(short, parent / "film.scenepal")
    with pytest.raises(OutputError):
        write_outputs(short, parent)
    assert parent.read_text(encoding="utf-8") == "x"


def test_check_output_folder_refuses_a_read_only_folder(tmp_path: Path) -> None:
    locked = tmp_path / "locked"
    code = (
        "import sys; from scenepal.outputs import check_output_folder; "
        "check_output_folder(sys.argv[1])"
    )
    with read_only_folder(locked) as wrap:
        done = subprocess.run(
            wrap([sys.executable, "-c", code, locked / "film.scenepal"]),
            capture_output=True,
            text=True,
            check=False,
        )
    assert done.returncode == 1
    assert "OutputError: cannot write outputs to" in done.stderr
    assert "no permission to write in" in done.stderr


# --- default_output_folder -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("video", "folder"),
    [
        ("movie.mp4", "movie.scenepal"),
        ("films/movie.mp4", "films/movie.scenepal"),
        ("/abs/path/The.Film.2019.mkv", "/abs/path/The.Film.2019.scenepal"),
        ("noext", "noext.scenepal"),
        ("dir.v2/clip", "dir.v2/clip.scenepal"),
    ],
)
def test_default_output_folder(video: str, folder: str) -> None:
    assert default_output_folder(video).as_posix() == folder
    assert default_output_folder(Path(video)) == Path(folder)


def test_an_interrupt_between_the_renames_leaves_no_mix_of_two_runs(
    short: Analysis, long_written: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = _previous(long_written, tmp_path)
    before = _snapshot(folder)
    replace = os.replace
    renames: list[str] = []

    def replace_then_interrupt(src: Any, dst: Any) -> None:
        replace(src, dst)
        renames.append(Path(dst).name)
        if len(renames) == 1:  # a real Ctrl-C, right after the first file is in place
            os.kill(os.getpid(), signal.SIGINT)

    monkeypatch.setattr(outputs.os, "replace", replace_then_interrupt)
    with pytest.raises(HeldInterrupt):  # raised once every file is in place
        write_outputs(short, folder)
    after = _snapshot(folder)
    assert len(renames) > 1  # the interrupt waited for the other renames
    monkeypatch.undo()
    fresh = tmp_path / "fresh"
    write_outputs(short, fresh)
    # Every file is the new run's (the long run's extra sheet pages gone), none the old one's.
    assert after == _snapshot(fresh) != before
    _no_temp_left(tmp_path)
