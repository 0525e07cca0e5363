"""`scenepal batch`, `status` and `corpus` through the command line, without a cluster (the
cluster runs are in test_batch.py and test_batch_cluster.py): exit codes, the status JSON,
the corpus outputs."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from films import Shot, write_film
from PIL import Image
from typer.testing import CliRunner

from scenepal import analyze
from scenepal.batch import BatchReport, FilmFailure, cluster
from scenepal.batch.catalog import Catalog, Owner, settings_text
from scenepal.batch.films import Identity, find_films
from scenepal.batch.task import remove_leftovers
from scenepal.cli import app
from scenepal.cli import batch as batch_cli
from scenepal.config import AnalysisConfig
from scenepal.errors import ClusterError
from scenepal.outputs import write_outputs

runner = CliRunner()
SETTINGS = settings_text(AnalysisConfig())


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A corpus as a batch leaves it, made without a cluster: two films done (outputs written
    by analyze, as the batch's task does), one failed, one running (a live lease), one
    pending."""
    root = tmp_path_factory.mktemp("corpus")
    library, corpus = root / "films", root / "corpus"
    for i, name in enumerate(("a.mkv", "sub/b.mkv")):
        (library / name).parent.mkdir(parents=True, exist_ok=True)
        shots = [
            Shot.solid((40 + 100 * i, 60, 90), frames=20),
            Shot.solid((230, 230, 200), frames=30),
        ]
        write_film(library / name, shots, width=160, height=90)
    for name in ("bad.mp4", "c.mp4", "d.mp4"):
        (library / name).write_bytes(b"not a film")
    films = {f.key: f for f in find_films(library)}
    owner, busy = Owner(), Owner(token="other")
    with Catalog(corpus) as catalog:
        catalog.register(list(films.values()))
        for key in ("a.mkv", "sub/b.mkv", "bad.mp4"):
            catalog.claim(
                films[key], Identity(1, 1, "x"), SETTINGS, owner, lease_s=60, outputs_present=False
            )
        for key in ("a.mkv", "sub/b.mkv"):
            analysis = analyze(films[key].source)
            write_outputs(analysis, films[key].output_in(corpus))
            catalog.finish(
                key, owner, error=None, frames=analysis.frame_count, duration_s=analysis.duration_s
            )
        catalog.finish("bad.mp4", owner, error="not a video")
        catalog.claim(
            films["c.mp4"], Identity(1, 1, "x"), SETTINGS, busy, lease_s=600, outputs_present=False
        )
    return corpus


def test_status_json_has_the_documented_shape(corpus: Path) -> None:
    result = runner.invoke(app, ["status", str(corpus), "--json"])
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert set(doc) == {"films", "counts"}
    assert doc["counts"] == {"done": 2, "failed": 1, "pending": 1, "running": 1}
    by_name = {Path(f["path"]).name: f for f in doc["films"]}
    assert [set(f) for f in doc["films"]] == [{"path", "status", "error", "seconds", "output"}] * 5
    assert {n: f["status"] for n, f in by_name.items()} == {
        "a.mkv": "done",
        "b.mkv": "done",
        "bad.mp4": "failed",
        "c.mp4": "running",
        "d.mp4": "pending",
    }
    assert by_name["bad.mp4"]["error"] == "not a video"
    assert by_name["b.mkv"]["output"] == str(corpus / "sub" / "b.mkv.scenepal")
    assert by_name["a.mkv"]["seconds"] > 0 and by_name["d.mp4"]["seconds"] is None


def test_status_lists_films_with_reasons_and_counts(corpus: Path) -> None:
    result = runner.invoke(app, ["status", str(corpus)])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[-1] == "5 films: 2 done, 1 running, 1 failed, 1 pending"
    assert any(
        line.startswith("failed") and line.endswith("bad.mp4: not a video") for line in lines
    )


def test_status_of_a_folder_without_catalog_is_exit_66(tmp_path: Path) -> None:
    result = runner.invoke(app, ["status", str(tmp_path)])
    assert result.exit_code == 66
    assert "no catalog" in result.stderr


def test_corpus_writes_the_barcode_sheet_and_the_csv(corpus: Path) -> None:
    result = runner.invoke(app, ["corpus", str(corpus)])
    assert result.exit_code == 0, result.output
    assert "3 films not done are left out" in result.stderr
    rows = list(csv.DictReader(io.StringIO((corpus / "corpus.csv").read_text())))
    assert [r["film"] for r in rows] == ["a.mkv", "sub/b.mkv"]
    assert [r["scenes"] for r in rows] == ["2", "2"]
    assert all(float(r["duration_s"]) > 2 and r["color_1"].startswith("#") for r in rows)
    assert all(r["stats_lightness_mean"] for r in rows)
    with Image.open(corpus / "corpus-barcodes.png") as sheet:
        width, height = sheet.size
        pixels = sheet.convert("RGB")
        # Each film's barcode is on the sheet: its first scene's colour appears in it.
        colors = {c for _, c in pixels.getcolors(maxcolors=1 << 20) or []}
    assert width == 1200 and height > 100
    assert (40, 60, 90) in colors or any(
        abs(c[0] - 40) + abs(c[1] - 60) + abs(c[2] - 90) < 6 for c in colors
    )


def test_corpus_with_nothing_done_is_an_error(tmp_path: Path) -> None:
    with Catalog(tmp_path):
        pass
    result = runner.invoke(app, ["corpus", str(tmp_path)])
    assert result.exit_code == 66
    assert "no film" in result.stderr


def test_batch_of_a_missing_folder_is_exit_66(tmp_path: Path) -> None:
    result = runner.invoke(app, ["batch", str(tmp_path / "nowhere"), "-o", str(tmp_path / "c")])
    assert result.exit_code == 66
    assert "does not exist" in result.stderr
    assert not (tmp_path / "c").exists()


@pytest.mark.parametrize(
    "args",
    [
        ["--workers", "2", "--scheduler", "tcp://127.0.0.1:1"],
        ["--workers", "0"],
        ["--threads-per-film", "65"],
        ["--colors", "0"],
    ],
)
def test_batch_usage_errors_are_exit_2(tmp_path: Path, args: list[str]) -> None:
    (tmp_path / "films").mkdir()
    result = runner.invoke(
        app, ["batch", str(tmp_path / "films"), "-o", str(tmp_path / "c"), *args]
    )
    assert result.exit_code == 2, result.output
    assert not (tmp_path / "c").exists()


def test_batch_without_output_is_a_usage_error(tmp_path: Path) -> None:
    result = runner.invoke(app, ["batch", str(tmp_path)])
    assert result.exit_code == 2


def _library(tmp_path: Path) -> Path:
    (tmp_path / "films").mkdir()
    return tmp_path / "films"


def test_batch_lists_failed_films_and_exits_3(
    tmp_path: Path, corpus: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    report = BatchReport(
        total=5,
        analysed=2,
        skipped=0,
        failures=(FilmFailure("bad.mp4", "not a video"),),
        frames=100,
        elapsed_s=2.0,
    )
    monkeypatch.setattr(batch_cli, "run_batch", lambda *a, **k: report)
    result = runner.invoke(app, ["batch", str(_library(tmp_path)), "-o", str(corpus), "--json"])
    assert result.exit_code == 3
    assert "scenepal: failed: bad.mp4: not a video" in result.stderr
    assert "5 films: 2 analysed, 0 already done, 1 failed" in result.stderr
    assert json.loads(result.stdout)["counts"]["failed"] == 1  # the catalog's summary


@pytest.mark.parametrize(
    ("error", "code", "message"),
    [
        (KeyboardInterrupt(), 130, "the films in flight are pending again"),
        (ClusterError("cannot reach the Dask scheduler at tcp://x:1"), 69, "cannot reach"),
    ],
)
def test_batch_interrupted_or_without_scheduler(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, error: BaseException, code: int, message: str
) -> None:
    def fails(*args: object, **kwargs: object) -> BatchReport:
        raise error

    monkeypatch.setattr(batch_cli, "run_batch", fails)
    result = runner.invoke(app, ["batch", str(_library(tmp_path)), "-o", str(tmp_path / "c")])
    assert result.exit_code == code
    assert message in result.stderr


def test_an_unreachable_scheduler_is_a_cluster_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cluster, "CONNECT_TIMEOUT_S", 1)
    with (
        pytest.raises(ClusterError, match="cannot reach the Dask scheduler"),
        cluster.connect("tcp://127.0.0.1:9"),
    ):
        pass


def test_leftovers_of_a_killed_write_are_removed_even_with_glob_characters(tmp_path: Path) -> None:
    output = tmp_path / "a[1].mkv.scenepal"
    stale = tmp_path / ".a[1].mkv.scenepal.x7q.tmp"
    other = tmp_path / ".b.mkv.scenepal.x7q.tmp"
    for folder in (stale, other):
        folder.mkdir()
        (folder / "analysis.json").write_text("{}")
    remove_leftovers(output)
    assert not stale.exists() and other.exists()
