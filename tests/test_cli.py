"""scenepal.cli through typer's runner: commands, options, messages and exit codes."""

from __future__ import annotations

import json
import os
import signal
from pathlib import Path
from typing import Any

import pytest
from films import FilmTruth
from typer.testing import CliRunner

from scenepal import __version__, outputs
from scenepal.cli import app

runner = CliRunner()


def invoke(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_version() -> None:
    code, out, _ = invoke("--version")
    assert code == 0 and out.strip() == f"scenepal {__version__}"


@pytest.mark.parametrize("args", [["--help"], ["analyze", "--help"], ["render", "--help"]])
def test_help_mentions_exit_codes(args: list[str]) -> None:
    code, out, _ = invoke(*args)
    assert code == 0
    assert "Usage" in out and "65" in out and "66" in out


def test_analyze_writes_the_four_outputs(cut_film_h264: FilmTruth, tmp_path: Path) -> None:
    out = tmp_path / "out"
    code, stdout, stderr = invoke("analyze", str(cut_film_h264.path), "-o", str(out))
    assert code == 0, stderr
    assert stdout == ""
    names = sorted(p.name for p in out.iterdir())
    assert names == [
        "analysis.json", "barcode.png", "huewheel.png", "palettes.pdf", "palettes.png",
        "report.html", "scenes.csv", "thumbs", "timeline.bin", "timeline.png", "vectorscope.png",
    ]  # fmt: skip
    assert len(list((out / "thumbs").glob("*.jpg"))) == 5
    assert "6 scenes" not in stderr and "5 scenes" in stderr


def test_default_output_folder_is_next_to_the_film(
    cut_film_h264: FilmTruth, tmp_path: Path
) -> None:
    film = tmp_path / "movie.mp4"
    film.write_bytes(cut_film_h264.path.read_bytes())
    code, _, stderr = invoke("analyze", str(film), "--quiet")
    assert code == 0, stderr
    assert (tmp_path / "movie.scenepal" / "analysis.json").is_file()
    assert stderr == ""


def test_json_goes_to_stdout_with_the_settings(cut_film_h264: FilmTruth, tmp_path: Path) -> None:
    code, stdout, _ = invoke(
        "analyze", str(cut_film_h264.path), "-o", str(tmp_path / "o"), "--colors", "6",
        "--detector", "adaptive", "--seed", "7", "--json", "--quiet",
    )  # fmt: skip
    assert code == 0
    doc = json.loads(stdout)
    assert doc["settings"]["colors"] == 6
    assert doc["settings"]["detector"] == "adaptive"
    assert doc["settings"]["seed"] == 7
    assert doc == json.loads((tmp_path / "o" / "analysis.json").read_text())


def test_render_redraws_from_the_json(cut_film_h264: FilmTruth, tmp_path: Path) -> None:
    out = tmp_path / "o"
    assert invoke("analyze", str(cut_film_h264.path), "-o", str(out), "-q")[0] == 0
    (out / "barcode.png").unlink()
    code, _, stderr = invoke("render", str(out / "analysis.json"), "-o", str(tmp_path / "r"))
    assert code == 0, stderr
    assert (tmp_path / "r" / "barcode.png").is_file()
    assert (tmp_path / "r" / "analysis.json").read_text() == (out / "analysis.json").read_text()


def _no_outputs(folder: Path) -> bool:
    return not any(p.name.endswith(".scenepal") for p in folder.iterdir())


@pytest.mark.parametrize(
    ("make", "code", "message"),
    [
        (lambda p: None, 66, "no such file"),
        (lambda p: p.mkdir(), 66, "is a directory"),
        (lambda p: p.write_bytes(b"\x00" * 4000), 65, "not a video file"),
        (lambda p: p.write_bytes(b""), 65, "empty"),
    ],
    ids=["missing", "directory", "garbage", "empty"],
)
def test_bad_input_is_one_line_and_leaves_nothing(
    make: object, code: int, message: str, tmp_path: Path
) -> None:
    film = tmp_path / "movie.mp4"
    make(film)  # type: ignore[operator]
    got, stdout, stderr = invoke("analyze", str(film))
    assert got == code
    assert stderr.count("\n") == 1 and stderr.startswith("scenepal: error: ")
    assert message in stderr and "Traceback" not in stderr
    assert stdout == ""
    assert _no_outputs(tmp_path)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--colors", "0"], "--colors"),
        (["--detector", "nope"], "unknown detector"),
        (["--color-space", "hsv"], "unknown color space"),
        (["--hdr", "maybe"], "unknown HDR mode"),
        (["--threshold", "-1"], "threshold"),
    ],
)
def test_bad_options_are_usage_errors(
    args: list[str], message: str, cut_film_h264: FilmTruth, tmp_path: Path
) -> None:
    code, _, stderr = invoke("analyze", str(cut_film_h264.path), "-o", str(tmp_path / "o"), *args)
    assert code == 2
    assert message in stderr
    assert not (tmp_path / "o").exists()


def test_an_output_path_that_is_a_file_is_exit_73(cut_film_h264: FilmTruth, tmp_path: Path) -> None:
    blocker = tmp_path / "taken"
    blocker.write_text("x")
    code, _, stderr = invoke("analyze", str(cut_film_h264.path), "-o", str(blocker))
    assert code == 73
    assert "cannot write outputs" in stderr and stderr.count("\n") == 1
    assert blocker.read_text() == "x"


def test_render_of_a_bad_json_is_exit_65(tmp_path: Path) -> None:
    bad = tmp_path / "analysis.json"
    bad.write_text("{not json")
    code, _, stderr = invoke("render", str(bad))
    assert code == 65 and "not valid JSON" in stderr


def test_unexpected_errors_are_one_line_unless_debug(
    cut_film_h264: FilmTruth, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def boom(*args: object, **kwargs: object) -> None:
        raise RuntimeError("kaput")

    monkeypatch.setattr("scenepal.pipeline.analyze", boom)
    code, _, stderr = invoke("analyze", str(cut_film_h264.path), "-o", str(tmp_path / "o"))
    assert code == 1 and "kaput" in stderr and "Traceback" not in stderr
    code, _, stderr = invoke(
        "analyze", str(cut_film_h264.path), "-o", str(tmp_path / "o"), "--debug"
    )
    assert code == 1 and "Traceback" in stderr


def test_interrupt_is_exit_130_and_writes_nothing(
    cut_film_h264: FilmTruth, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def interrupted(*args: object, **kwargs: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr("scenepal.pipeline.analyze", interrupted)
    code, _, stderr = invoke("analyze", str(cut_film_h264.path), "-o", str(tmp_path / "o"))
    assert code == 130 and "interrupted" in stderr
    assert not (tmp_path / "o").exists()


def test_an_interrupt_during_the_renames_says_the_outputs_are_in_place(
    cut_film_h264: FilmTruth, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "o"
    assert invoke("analyze", str(cut_film_h264.path), "-o", str(out), "-q")[0] == 0
    (out / "barcode.png").write_bytes(b"an older run's barcode")
    replace = os.replace

    def replace_then_interrupt(src: Any, dst: Any) -> None:
        replace(src, dst)
        if Path(dst).name == "analysis.json":  # a real Ctrl-C in the middle of the renames
            os.kill(os.getpid(), signal.SIGINT)

    monkeypatch.setattr(outputs.os, "replace", replace_then_interrupt)
    code, _, stderr = invoke("render", str(out))
    assert code == 130
    assert "outputs were in place" in stderr and "no outputs were written" not in stderr
    assert (out / "barcode.png").read_bytes().startswith(b"\x89PNG")  # the rename finished


def test_guessed_colours_are_warned_about(
    make_film: object, tmp_path: Path, cut_film_h264: FilmTruth
) -> None:
    from conftest import CUT_SHOTS

    film = make_film("untagged.mkv", CUT_SHOTS[:2], tag=False)  # type: ignore[operator]
    code, _, stderr = invoke("analyze", str(film.path), "-o", str(tmp_path / "o"), "-q")
    assert code == 0
    assert "scenepal: warning: colour matrix not tagged; assumed bt601" in stderr


def test_preview_flag(cut_film_h264: FilmTruth, tmp_path: Path) -> None:
    code, stdout, stderr = invoke(
        "analyze", str(cut_film_h264.path), "-o", str(tmp_path / "p"), "--preview", "--json"
    )
    assert code == 0
    assert json.loads(stdout)["settings"]["preview"] is True
    assert "scenepal: warning: preview:" in stderr


def test_a_truncated_file_is_a_partial_result_exit_3(make_film: object, tmp_path: Path) -> None:
    from conftest import CUT_SHOTS

    film = make_film("to_truncate.mkv", CUT_SHOTS[:2])  # type: ignore[operator]
    data = film.path.read_bytes()
    half = tmp_path / "half.mkv"
    half.write_bytes(data[: len(data) // 2])
    code, stdout, stderr = invoke("analyze", str(half), "-o", str(tmp_path / "o"), "--json")
    assert code == 3
    doc = json.loads(stdout)
    assert doc["partial"] is True and 0.2 < doc["coverage"] < 0.8
    assert "the file ends at 00:00:0" in stderr and "analysed the first" in stderr
    assert (tmp_path / "o" / "analysis.json").is_file()


def test_an_mp4_cut_before_its_index_is_exit_65(cut_film_h264: FilmTruth, tmp_path: Path) -> None:
    data = cut_film_h264.path.read_bytes()
    half = tmp_path / "half.mp4"
    half.write_bytes(data[: len(data) // 2])
    code, _, stderr = invoke("analyze", str(half))
    assert code == 65 and "index (moov atom) may be missing" in stderr
