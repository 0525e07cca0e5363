"""The bad-input matrix: awkward, damaged and hostile inputs through ``scenepal analyze``.

Every case makes its own input (tests/badfiles.py), runs the command and checks three things:
the exit code, the message, and what is left on disk. The contract (README, scenepal/cli/):

    0 success            3 partial ("coverage" in [0, 1], "partial": true, a warning)
    2 usage error        65 not a usable video      66 missing, or not a file
    73 output cannot be written    130 interrupted   1 anything unexpected

A failure prints exactly one line, ``scenepal: error: ...``, nothing on stdout and no traceback,
and leaves nothing behind: no output folder, no hidden ``.<name>.*.tmp`` folder. A success with
``--quiet`` prints nothing on stderr but ``scenepal: warning: ...`` lines.

Most cases run in-process with typer's CliRunner (the suite turns Python warnings into errors;
where a warning is the point, it is recorded instead, as a real run would print it on stderr).
A real process runs where the runner cannot stand in: a file name that is not UTF-8 (bytes, not
a ``str``), a leading dash (the real command line's parsing), peak memory, and signals.

Cases where scenepal does not keep the contract are marked ``xfail(strict=True)`` with the cause.
"""

from __future__ import annotations

import csv
import json
import os
import shutil
import signal
import subprocess
import sys
import time
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Any

import av
import numpy as np
import pytest
from badfiles import HDR10_TAGS, damage, truncate, write_audio, write_png, write_video
from readonly import read_only_folder
from typer.testing import CliRunner

from scenepal.cli import app

SCENEPAL = Path(sys.executable).with_name("scenepal")
OUTPUTS = [
    "analysis.json", "barcode.png", "huewheel.png", "palettes.pdf", "palettes.png", "report.html",
    "scenes.csv", "thumbs", "timeline.bin", "timeline.png", "vectorscope.png",
]  # fmt: skip
PLOTS = {"huewheel.png", "timeline.png", "vectorscope.png"}  # only with statistics
# A resumable run may leave its checkpoint in the output folder (scenepal/checkpoint.py).
CHECKPOINT = ".scenepal-checkpoint.json"

RED = (200, 40, 40)
BLUE = (20, 20, 120)
YELLOW = (240, 220, 90)
# Shots differ in brightness too: the content detector does not see a pure hue change.
TWO_SHOTS = [(RED, 24), (BLUE, 24)]
THREE_SHOTS = [(RED, 24), (BLUE, 24), (YELLOW, 24)]

runner = CliRunner()


@dataclass(frozen=True)
class Result:
    """What one run of the command gave back."""

    code: int
    stdout: str
    stderr: str


def analyze(*args: str | Path) -> Result:
    """``scenepal analyze ARGS`` in-process."""
    result = runner.invoke(app, ["analyze", *(str(a) for a in args)])
    return Result(result.exit_code, result.stdout, result.stderr)


def tree(folder: Path) -> list[str]:
    """Every path under ``folder``, relative, sorted: a snapshot to compare after a run."""
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*"))


def temp_leftovers(folder: Path) -> list[str]:
    """Temporary files or folders anywhere under ``folder``."""
    return [name for name in tree(folder) if name.endswith(".tmp")]


def assert_error(result: Result, code: int, *phrases: str) -> None:
    """One line on stderr, starting ``scenepal: error:``, holding one of ``phrases``."""
    assert result.code == code, result.stderr
    assert result.stdout == ""
    assert result.stderr.startswith("scenepal: error: "), result.stderr
    assert result.stderr.endswith("\n") and result.stderr.count("\n") == 1, result.stderr
    assert "Traceback" not in result.stderr
    assert any(p in result.stderr for p in phrases), result.stderr


def assert_only_warnings(stderr: str) -> None:
    """With ``--quiet``, stderr holds scenepal's own warnings and nothing else."""
    for line in stderr.splitlines():
        assert line.startswith("scenepal: warning: "), stderr


def fails(tmp_path: Path, code: int, phrases: tuple[str, ...], *args: str | Path) -> Result:
    """Run, expect the error, and check that nothing appeared under ``tmp_path``."""
    before = tree(tmp_path)
    result = analyze(*args)
    assert_error(result, code, *phrases)
    assert tree(tmp_path) == before, "a failed run left files behind"
    return result


def succeeds(
    film: Path, *extra: str, codes: tuple[int, ...] = (0,)
) -> tuple[Result, dict[str, Any]]:
    """Analyse ``film`` into ``<its folder>/out`` with ``--json``; return the document."""
    out = film.parent / "out"
    result = analyze(film, "-o", out, "--quiet", "--json", *extra)
    assert result.code in codes, result.stderr
    assert_only_warnings(result.stderr)
    doc: dict[str, Any] = json.loads(result.stdout)
    expected = OUTPUTS if doc["stats"] is not None else [n for n in OUTPUTS if n not in PLOTS]
    assert sorted(p.name for p in out.iterdir()) == expected
    assert json.loads((out / "analysis.json").read_text(encoding="utf-8")) == doc
    assert temp_leftovers(film.parent) == []
    return result, doc


@pytest.fixture(scope="module")
def small_film(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Two shots, 160x90 H.264, BT.709 tagged: a film with nothing wrong with it."""
    return write_video(tmp_path_factory.mktemp("small") / "film.mp4", TWO_SHOTS)


def scene_spans(doc: dict[str, Any]) -> list[tuple[int, int]]:
    return [(s["start_frame"], s["end_frame"]) for s in doc["scenes"]]


# --- the input is missing, not a file, or not a video -------------------------------------------


def test_missing_path_is_66(tmp_path: Path) -> None:
    fails(tmp_path, 66, ("no such file",), tmp_path / "missing.mp4")


def test_a_directory_is_66(tmp_path: Path) -> None:
    (tmp_path / "film.mp4").mkdir()
    fails(tmp_path, 66, ("is a directory",), tmp_path / "film.mp4")


def test_an_empty_file_is_65(tmp_path: Path) -> None:
    (tmp_path / "film.mp4").write_bytes(b"")
    fails(tmp_path, 65, ("empty",), tmp_path / "film.mp4")


def test_random_bytes_named_mp4_are_65(tmp_path: Path) -> None:
    noise = np.random.default_rng(7).integers(0, 256, 64 * 1024, dtype=np.uint8).tobytes()
    (tmp_path / "film.mp4").write_bytes(noise)
    # FFmpeg may take noise for nothing at all, or for a stream of some audio format.
    fails(tmp_path, 65, ("not a video file", "no video stream"), tmp_path / "film.mp4")


def test_mp4_cut_before_its_index_is_65_with_a_hint(tmp_path: Path) -> None:
    whole = write_video(tmp_path / "src" / "whole.mp4", TWO_SHOTS, noise=10)
    half = truncate(whole, tmp_path / "half.mp4", 0.5)
    assert half.read_bytes().find(b"moov") == -1  # the index was at the end, and is gone
    fails(tmp_path, 65, ("moov atom) may be missing",), half)


def test_audio_only_m4a_is_65(tmp_path: Path) -> None:
    song = write_audio(tmp_path / "song.m4a")
    fails(tmp_path, 65, ("no video stream",), song)


def test_a_png_named_mp4_is_65(tmp_path: Path) -> None:
    picture = write_png(tmp_path / "film.mp4")
    fails(tmp_path, 65, ("still image",), picture)


# --- damaged files -------------------------------------------------------------------------------


def test_faststart_mp4_cut_in_half_is_a_partial_result(tmp_path: Path) -> None:
    whole = write_video(
        tmp_path / "src" / "whole.mp4",
        TWO_SHOTS,
        noise=10,
        container_options={"movflags": "faststart"},
    )
    data = whole.read_bytes()
    assert data.find(b"moov") < data.find(b"mdat")  # the index comes first
    half = truncate(whole, tmp_path / "half.mp4", 0.5)
    result, doc = succeeds(half, codes=(3,))
    assert doc["partial"] is True
    assert 0.3 < doc["coverage"] < 0.7
    assert 0 < doc["video"]["frame_count"] < 48
    assert doc["video"]["container_duration_s"] == pytest.approx(2.0, abs=0.05)
    assert doc["video"]["duration_s"] == pytest.approx(2.0 * doc["coverage"], abs=0.01)
    assert "the file ends at 00:00:0" in result.stderr
    assert f"analysed the first {round(doc['coverage'] * 100)}%" in result.stderr


@pytest.mark.parametrize(
    ("encoder", "options"),
    [
        pytest.param("ffv1", {}, id="ffv1"),
        pytest.param("libx264", {"g": "12"}, id="h264-gop12"),
    ],
)
def test_mkv_damaged_in_the_middle_is_analysed_around_the_damage(
    encoder: str, options: dict[str, str], tmp_path: Path
) -> None:
    film = write_video(
        tmp_path / "damaged.mkv", THREE_SHOTS, encoder=encoder, codec_options=options, noise=10
    )
    damage(film, at=0.5, size=4096)
    # The file still reaches its end: a whole result (0), not a partial one (3), with the
    # damaged stretch skipped, listed and warned about.
    result, doc = succeeds(film)
    total = sum(frames for _, frames in THREE_SHOTS)
    assert doc["partial"] is False and doc["coverage"] > 0.99
    assert doc["video"]["duration_s"] == pytest.approx(3.0, abs=0.1)
    ((start, end),) = doc["gaps"]
    assert 1.0 < start < end < 2.5  # in the middle, where the bytes were damaged
    # Every frame is either decoded or inside the gap.
    assert doc["video"]["frame_count"] + round((end - start) * 24) == pytest.approx(total, abs=1)
    assert "could not be decoded: gaps at 00:00:01" in result.stderr


# --- unusual but valid videos --------------------------------------------------------------------


def test_a_one_frame_video_is_one_scene(tmp_path: Path) -> None:
    film = write_video(tmp_path / "one.mp4", [(RED, 1)])
    _, doc = succeeds(film)
    assert doc["video"]["frame_count"] == 1
    assert scene_spans(doc) == [(0, 1)]
    assert doc["scenes"][0]["black"] is False


def test_an_all_black_video_is_one_black_scene(tmp_path: Path) -> None:
    film = write_video(tmp_path / "black.mp4", [((0, 0, 0), 48)])
    _, doc = succeeds(film)
    assert scene_spans(doc) == [(0, 48)]
    assert doc["scenes"][0]["black"] is True
    assert max(doc["scenes"][0]["mean_rgb"]) <= 3


def test_rotation_metadata_turns_the_picture(tmp_path: Path) -> None:
    # Stored 160x90 with a black bar along the stored top edge; displayed turned a quarter.
    film = write_video(tmp_path / "phone.mp4", TWO_SHOTS, rotation=90, top_bar=20)
    with av.open(str(film)) as container:
        ccw = next(container.decode(video=0)).rotation  # FFmpeg: degrees counter-clockwise
    assert ccw == 90
    _, doc = succeeds(film)
    video = doc["video"]
    assert (video["width"], video["height"]) == (90, 160)
    # scenepal reports clockwise degrees: a quarter turn counter-clockwise is 270.
    assert video["rotation"] == (-ccw) % 360 == 270
    # Turned counter-clockwise, the stored top edge is the displayed left edge: a pillarbox bar
    # on the left only. (Turned the wrong way it would be on the right.)
    assert video["crop"] == {"x": 20, "y": 0, "width": 70, "height": 160}
    assert scene_spans(doc) == [(0, 24), (24, 48)]


def test_variable_frame_rate_times_are_in_seconds(tmp_path: Path) -> None:
    # 24 frames at 24 fps (1 s), then 10 frames at 10 fps (1 s); timestamps in 1/240 s.
    pts = [i * 10 for i in range(24)] + [240 + i * 24 for i in range(10)]
    film = write_video(
        tmp_path / "vfr.mp4",
        [((230, 230, 230), 24), (BLUE, 10)],
        pts=pts,
        time_base=Fraction(1, 240),
    )
    _, doc = succeeds(film)
    first, second = doc["scenes"]
    assert scene_spans(doc) == [(0, 24), (24, 34)]
    assert doc["video"]["frame_count"] == 34
    # Within a frame: 1/24 s in the first second, 1/10 s in the second.
    assert first["start_s"] == 0.0
    assert first["end_s"] == second["start_s"] == pytest.approx(1.0, abs=1 / 24)
    assert second["end_s"] == pytest.approx(2.0, abs=1 / 10)
    assert doc["video"]["duration_s"] == pytest.approx(2.0, abs=1 / 10)
    with (tmp_path / "out" / "scenes.csv").open(newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert [float(r["duration_s"]) for r in rows] == [
        pytest.approx(1.0, abs=1 / 24),
        pytest.approx(1.0, abs=1 / 10),
    ]


def test_interlaced_h264_is_reported_interlaced(tmp_path: Path) -> None:
    film = write_video(
        tmp_path / "tff.mp4",
        TWO_SHOTS,
        width=320,
        height=180,  # x264 codes interlaced 4:2:0 only at heights divisible by 4
        codec_options={"flags": "+ilme+ildct"},
    )
    _, doc = succeeds(film)
    assert doc["video"]["interlaced"] is True
    assert scene_spans(doc) == [(0, 24), (24, 48)]


def _hdr10(path: Path) -> Path:
    params = "log-level=error:colorprim=bt2020:transfer=smpte2084:colormatrix=bt2020nc"
    return write_video(
        path,
        TWO_SHOTS,
        encoder="libx265",
        pix_fmt="yuv420p10le",
        tags=HDR10_TAGS,
        codec_options={"preset": "ultrafast", "x265-params": params},
    )


def test_hdr10_is_tone_mapped_with_a_warning(tmp_path: Path) -> None:
    film = _hdr10(tmp_path / "hdr10.mp4")
    result, doc = succeeds(film)
    color = doc["video"]["color"]
    assert (color["hdr"], color["hdr_handling"], color["bit_depth"]) == ("pq", "tonemap", 10)
    assert "scenepal: warning: HDR (PQ) tone-mapped" in result.stderr


def test_hdr10_with_hdr_refuse_is_65(tmp_path: Path) -> None:
    film = _hdr10(tmp_path / "hdr10.mp4")
    fails(tmp_path, 65, ("HDR",), film, "--hdr", "refuse", "-o", tmp_path / "out")


def test_odd_size_yuv444p(tmp_path: Path) -> None:
    film = write_video(tmp_path / "odd.mp4", TWO_SHOTS, width=321, height=241, pix_fmt="yuv444p")
    _, doc = succeeds(film)
    video = doc["video"]
    assert (video["width"], video["height"]) == (321, 241)
    assert video["color"]["pixel_format"] == "yuv444p"
    assert scene_spans(doc) == [(0, 24), (24, 48)]


def test_prores_4444_with_alpha(tmp_path: Path) -> None:
    film = write_video(
        tmp_path / "alpha.mov",
        TWO_SHOTS,
        encoder="prores_ks",
        pix_fmt="yuva444p10le",
        codec_options={"profile": "4"},
    )
    _, doc = succeeds(film)
    assert doc["video"]["color"]["pixel_format"].startswith("yuva444p")
    assert scene_spans(doc) == [(0, 24), (24, 48)]
    # The (half transparent) alpha plane is not colour: the shots keep their colours.
    for scene, rgb in zip(doc["scenes"], (RED, BLUE), strict=True):
        assert np.abs(np.subtract(scene["mean_rgb"], rgb)).max() <= 6, scene["mean_rgb"]


def test_raw_h264_elementary_stream(tmp_path: Path) -> None:
    film = write_video(tmp_path / "stream.h264", TWO_SHOTS, container_format="h264")
    _, doc = succeeds(film)
    video = doc["video"]
    assert video["container_duration_s"] is None  # no container, no duration
    assert video["frame_count"] == 48
    assert video["duration_s"] == pytest.approx(2.0, rel=0.1)
    assert scene_spans(doc) == [(0, 24), (24, 48)]
    assert doc["coverage"] == 1.0 and doc["partial"] is False


def test_raw_h264_times_follow_the_streams_frame_rate(tmp_path: Path) -> None:
    film = write_video(tmp_path / "stream.h264", TWO_SHOTS, container_format="h264")
    _, doc = succeeds(film)
    assert doc["video"]["fps"] == pytest.approx(24.0)
    assert doc["scenes"][1]["start_s"] == pytest.approx(1.0, abs=1 / 48)
    assert doc["video"]["duration_s"] == pytest.approx(2.0, abs=1 / 48)


_PEAK_OF_CHILD = """
import resource, subprocess, sys
code = subprocess.run(sys.argv[2:], timeout=float(sys.argv[1]), check=False).returncode
print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
sys.exit(code)
"""


def run_measured(*args: str, timeout: float = 120.0) -> tuple[int, str, int]:
    """Run a command; return its exit code, its stderr and its peak resident size in bytes.

    The command starts from a fresh, small interpreter: Linux carries the resident size at fork
    and exec into a child's peak, so a child of the (large) test process would be charged for
    the test process's own pages (a 160x90 analysis measured 780 MB that way, 210 MB this way).
    """
    done = subprocess.run(
        [sys.executable, "-c", _PEAK_OF_CHILD, str(timeout), *args],
        capture_output=True,
        text=True,
        timeout=timeout + 30,
        check=False,
    )
    assert done.stdout.strip(), done.stderr  # the command ran to its end (no timeout)
    return done.returncode, done.stderr, int(done.stdout.split()[-1]) * 1024  # KiB on Linux


@pytest.mark.e2e
def test_an_8k_film_decodes_in_bounded_memory(tmp_path: Path) -> None:
    film = write_video(
        tmp_path / "8k.mp4",
        [(RED, 2), (BLUE, 2)],
        width=7680,
        height=4320,
        codec_options={"preset": "ultrafast"},
    )
    out = tmp_path / "out"
    code, stderr, peak = run_measured(str(SCENEPAL), "analyze", str(film), "-o", str(out), "-q")
    assert code == 0, stderr
    assert_only_warnings(stderr)
    doc = json.loads((out / "analysis.json").read_text(encoding="utf-8"))
    assert (doc["video"]["width"], doc["video"]["height"]) == (7680, 4320)
    assert doc["video"]["frame_count"] == 4
    assert peak < 1.5 * 2**30, f"peak memory {peak / 2**20:.0f} MiB"


# --- file names ----------------------------------------------------------------------------------

UTF8_NAMES = {
    "space": "my film.mp4",
    "e-acute": "café.mp4",
    "sharp-s": "straße.mp4",
    "cjk": "映画.mp4",
    "emoji": "🎬 film.mp4",
}


def _named_film(folder: Path, name: str, source: Path) -> Path:
    film = folder / name
    shutil.copyfile(source, film)
    return film


def _assert_outputs_next_to(film: Path) -> dict[str, Any]:
    out = film.with_name(film.stem + ".scenepal")
    assert sorted(p.name for p in out.iterdir()) == OUTPUTS
    assert temp_leftovers(film.parent) == []
    doc: dict[str, Any] = json.loads((out / "analysis.json").read_text(encoding="utf-8"))
    assert scene_spans(doc) == [(0, 24), (24, 48)]
    return doc


def _analyze_catching_warnings(*args: str | Path) -> tuple[Result, list[str]]:
    """Run in-process; Python warnings (which a real run prints to stderr) are collected."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        result = analyze(*args)
    return result, [f"{w.category.__name__}: {w.message}" for w in caught]


@pytest.mark.parametrize("name", UTF8_NAMES.values(), ids=UTF8_NAMES.keys())
def test_utf8_file_names_get_outputs_next_to_them(
    name: str, small_film: Path, tmp_path: Path
) -> None:
    film = _named_film(tmp_path, name, small_film)
    result, _ = _analyze_catching_warnings(film, "--quiet")
    assert result.code == 0, result.stderr
    doc = _assert_outputs_next_to(film)
    assert doc["video"]["path"] == str(film)


@pytest.mark.parametrize(
    "name",
    [pytest.param(name, id=case) for case, name in UTF8_NAMES.items()],
)
def test_utf8_file_names_keep_stderr_quiet(name: str, small_film: Path, tmp_path: Path) -> None:
    film = _named_film(tmp_path, name, small_film)
    result, caught = _analyze_catching_warnings(film, "--quiet")
    assert result.code == 0, result.stderr
    assert_only_warnings(result.stderr)
    assert caught == []


def run_real(*args: str | bytes, cwd: Path) -> subprocess.CompletedProcess[bytes]:
    """The installed command in a subprocess; arguments may be bytes (any file name)."""
    return subprocess.run(
        [os.fsencode(SCENEPAL), *(os.fsencode(a) for a in args)],
        cwd=cwd,
        capture_output=True,
        timeout=120,
        check=False,
    )


@pytest.mark.e2e
@pytest.mark.parametrize(
    "given",
    [pytest.param(["--", "-film.mp4"], id="double-dash"), pytest.param(["./-film.mp4"], id="dot")],
)
def test_a_leading_dash_in_the_name(given: list[str], small_film: Path, tmp_path: Path) -> None:
    film = _named_film(tmp_path, "-film.mp4", small_film)
    done = run_real("analyze", "--quiet", *given, cwd=tmp_path)
    assert done.returncode == 0, done.stderr.decode(errors="replace")
    assert done.stdout == b""
    assert_only_warnings(done.stderr.decode())
    doc = _assert_outputs_next_to(film)
    assert Path(doc["video"]["path"]).name == "-film.mp4"


@pytest.mark.e2e
def test_a_name_that_is_not_utf8(small_film: Path, tmp_path: Path) -> None:
    name = b"caf\xe9.mp4"  # Latin-1 "café.mp4": valid on Linux, not valid UTF-8
    film = _named_film(tmp_path, os.fsdecode(name), small_film)
    done = run_real("analyze", "--quiet", name, cwd=tmp_path)
    assert done.returncode == 0, done.stderr.decode(errors="replace")
    assert done.stdout == b""
    assert_only_warnings(done.stderr.decode(errors="replace"))
    assert (tmp_path / os.fsdecode(b"caf\xe9.scenepal")).is_dir()
    _assert_outputs_next_to(film)


# --- the output cannot be written ----------------------------------------------------------------


def test_output_that_is_an_existing_file_is_73(small_film: Path, tmp_path: Path) -> None:
    blocker = tmp_path / "taken"
    blocker.write_text("keep me")
    fails(tmp_path, 73, ("it is a file",), small_film, "-o", blocker)
    assert blocker.read_text() == "keep me"


@pytest.mark.e2e
def test_output_in_a_read_only_folder_is_73(small_film: Path, tmp_path: Path) -> None:
    locked = tmp_path / "locked"
    with read_only_folder(locked) as wrap:
        done = subprocess.run(
            wrap([SCENEPAL, "analyze", small_film, "-o", locked / "out"]),
            capture_output=True,
            timeout=120,
            check=False,
        )
    result = Result(done.returncode, done.stdout.decode(), done.stderr.decode(errors="replace"))
    assert_error(result, 73, "no permission")
    assert list(locked.iterdir()) == []


@pytest.mark.parametrize("depth", [1, 3], ids=["child", "grandchild"])
def test_output_under_a_regular_file_is_73(depth: int, small_film: Path, tmp_path: Path) -> None:
    blocker = tmp_path / "taken"
    blocker.write_text("keep me")
    out = blocker.joinpath(*["sub"] * (depth - 1), "out")
    fails(tmp_path, 73, ("is not a folder",), small_film, "-o", out)
    assert blocker.read_text() == "keep me"


# --- interrupted runs ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def long_film(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Two minutes at 320x180: several seconds of decoding, written in about a second."""
    shots = [(RED, 120), (YELLOW, 120), (BLUE, 120)] * 8
    return write_video(
        tmp_path_factory.mktemp("long") / "long.mp4",
        shots,
        width=320,
        height=180,
        codec_options={"preset": "ultrafast"},
    )


LINUX_PROC = pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="needs Linux /proc")


def _has_open(pid: int, film: Path) -> bool:
    """Whether process ``pid`` holds ``film`` open."""
    try:
        return any(fd.readlink() == film for fd in Path(f"/proc/{pid}/fd").iterdir())
    except OSError:  # the process or one of its descriptors went away meanwhile
        return False


def _has_mapped(pid: int, library: str) -> bool:
    """Whether process ``pid`` has loaded a shared library whose path contains ``library``."""
    try:
        return library in Path(f"/proc/{pid}/maps").read_text()
    except OSError:
        return False


def _wait_until(proc: subprocess.Popen[bytes], ready: Callable[[], bool], what: str) -> None:
    deadline = time.monotonic() + 60
    while not ready():
        assert proc.poll() is None, f"scenepal ended before {what}"
        assert time.monotonic() < deadline, f"scenepal never got to {what}"
        time.sleep(0.005)


def _interrupt(
    args: list[str], signum: signal.Signals, ready: Callable[[int], bool], what: str
) -> tuple[Result, float]:
    """Start the command, wait until ``ready(pid)``, send ``signum``; the result, and how long
    the command took to end after the signal."""
    with subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE) as proc:
        _wait_until(proc, lambda: ready(proc.pid), what)
        assert proc.poll() is None, f"scenepal ended before it could be interrupted ({what})"
        sent = time.monotonic()
        proc.send_signal(signum)
        stdout, stderr = proc.communicate(timeout=30)
        waited = time.monotonic() - sent
    return Result(proc.returncode, stdout.decode(), stderr.decode(errors="replace")), waited


SIGNALS = pytest.mark.parametrize(
    "signum", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"]
)


@pytest.mark.e2e
@LINUX_PROC
@SIGNALS
def test_an_interrupted_run_keeps_the_previous_outputs(
    signum: signal.Signals, long_film: Path, small_film: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    assert analyze(small_film, "-o", out, "--quiet").code == 0
    before = {p.relative_to(out).as_posix(): p.read_bytes() for p in out.rglob("*.*")}
    assert sorted(n for n in before if "/" not in n) == [n for n in OUTPUTS if n != "thumbs"]

    film = long_film.resolve()

    def decoding(pid: int) -> bool:  # the film is open, then half a second of decoding
        if not _has_open(pid, film):
            return False
        time.sleep(0.5)
        return True

    args = [str(SCENEPAL), "analyze", str(film), "-o", str(out)]
    result, waited = _interrupt(args, signum, decoding, "decoding the film")
    assert_error(result, 130, "interrupted")
    assert waited < 5.0
    assert {p.name for p in out.iterdir()} <= {*OUTPUTS, CHECKPOINT}
    assert {name: (out / name).read_bytes() for name in before} == before
    assert temp_leftovers(tmp_path) == []


@pytest.mark.e2e
@LINUX_PROC
@SIGNALS
def test_an_interrupt_while_starting_up_is_130_too(
    signum: signal.Signals, long_film: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    args = [str(SCENEPAL), "analyze", str(long_film), "-o", str(out)]

    def importing(pid: int) -> bool:  # FFmpeg's libraries are loaded: the imports are under way
        return _has_mapped(pid, "libavcodec")

    result, _ = _interrupt(args, signum, importing, "importing PyAV")
    assert not out.exists()
    assert_error(result, 130, "interrupted")
