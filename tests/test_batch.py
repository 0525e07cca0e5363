"""scenepal.batch.runner on a local Dask cluster: a dozen short films made here, one of them
garbage and one that kills its worker process; a rerun; an interrupted batch."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from films import Shot, write_film

from scenepal import analyze
from scenepal.batch import BatchProgress, Catalog, ClusterInfo, run_batch
from scenepal.batch.runner import WORKER_DIED
from scenepal.batch.task import CRASH_HOOK
from scenepal.outputs import write_outputs

pytestmark = pytest.mark.slow


def make_library(folder: Path, count: int) -> list[Path]:
    """``count`` films of two shots (40 frames at 160x90, lossless), a third of them in a
    subfolder, each with its own first colour."""
    paths = []
    for i in range(count):
        shots = [
            Shot.solid((30 + 15 * i, 40, 200 - 10 * i), frames=20),
            Shot.stripes((240, 220, 90), (20, 20, 60), frames=20),
        ]
        path = folder / ("reel" if i % 3 == 0 else "") / f"film{i:02d}.mkv"
        path.parent.mkdir(parents=True, exist_ok=True)
        write_film(path, shots, width=160, height=90)
        paths.append(path)
    return paths


def folder_bytes(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` (hidden ones too), by relative path."""
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def test_a_dozen_films_on_a_local_cluster_then_a_rerun(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    library, corpus = tmp_path / "films", tmp_path / "corpus"
    films = make_library(library, 10)
    (library / "garbage.mp4").write_bytes(os.urandom(4000))
    crasher = library / "reel" / "crasher.mkv"
    shutil.copyfile(films[1], crasher)
    monkeypatch.setenv(CRASH_HOOK, str(crasher.resolve()))
    clusters: list[ClusterInfo] = []
    progress: list[BatchProgress] = []

    report = run_batch(
        library,
        corpus,
        workers=2,
        dashboard_address=":0",
        on_cluster=clusters.append,
        on_progress=progress.append,
    )

    # Every good film done, the two bad ones failed with their reasons, the rest went on.
    assert (report.total, report.analysed, report.skipped) == (12, 10, 0)
    assert report.frames == 10 * 40
    failures = {f.key: f.error for f in report.failures}
    assert sorted(failures) == ["garbage.mp4", "reel/crasher.mkv"]
    assert "not a video" in failures["garbage.mp4"]
    assert failures["reel/crasher.mkv"] == WORKER_DIED
    assert clusters[0].local and clusters[0].workers == 2 and clusters[0].dashboard
    last = progress[-1]
    assert (last.total, last.done, last.failed, last.running) == (12, 10, 2, 0)
    assert max(p.frames_per_s for p in progress) > 0

    with Catalog(corpus, create=False) as catalog:
        records = {r.key: r for r in catalog.records()}
    assert {k: r.status for k, r in records.items() if r.status != "done"} == {
        "garbage.mp4": "failed",
        "reel/crasher.mkv": "failed",
    }
    assert all(r.attempts == 1 and (r.seconds(0) or 0) > 0 for r in records.values())
    assert all(r.frames == 40 and r.fps for r in records.values() if r.status == "done")

    # Each film's folder holds exactly what `analyze` writes.
    sample = films[3]
    expected = tmp_path / "expected.scenepal"
    write_outputs(analyze(sample.resolve()), expected)
    got = corpus / "reel" / "film03.mkv.scenepal"
    assert folder_bytes(got) == folder_bytes(expected)
    assert sorted(p.name for p in corpus.iterdir()) == [
        "catalog.sqlite",
        *[f"film{i:02d}.mkv.scenepal" for i in range(10) if i % 3],
        "reel",
    ]

    # Rerun without the crash: done films are skipped (not rewritten), failures retried.
    monkeypatch.delenv(CRASH_HOOK)
    before = {p: p.stat().st_mtime_ns for p in corpus.rglob("analysis.json")}
    again = run_batch(library, corpus, workers=2, dashboard_address=":0")
    assert (again.analysed, again.skipped) == (1, 10)
    assert [f.key for f in again.failures] == ["garbage.mp4"]
    assert {p: p.stat().st_mtime_ns for p in before} == before
    with Catalog(corpus, create=False) as catalog:
        records = {r.key: r for r in catalog.records()}
    assert records["reel/crasher.mkv"].status == "done"
    assert records["reel/crasher.mkv"].attempts == records["garbage.mp4"].attempts == 2
    assert all(r.attempts == 1 for k, r in records.items() if k.startswith("film"))
    assert (
        folder_bytes(corpus / "reel" / "crasher.mkv.scenepal")["barcode.png"]
        == (folder_bytes(corpus / "film01.mkv.scenepal")["barcode.png"])
    )


def test_an_interrupted_batch_leaves_its_films_in_flight_pending(tmp_path: Path) -> None:
    library, corpus = tmp_path / "films", tmp_path / "corpus"
    make_library(library, 4)
    seen: list[BatchProgress] = []

    def interrupt_after_the_first(p: BatchProgress) -> None:
        seen.append(p)
        if p.done >= 1:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        run_batch(
            library,
            corpus,
            workers=1,
            dashboard_address=":0",
            on_progress=interrupt_after_the_first,
        )
    with Catalog(corpus, create=False) as catalog:
        statuses = [r.status for r in catalog.records()]
    assert statuses.count("done") == 1
    assert statuses.count("pending") == 3  # none left running, none failed
    for folder in corpus.rglob("*.scenepal"):  # any output folder there is whole
        assert {"analysis.json", "barcode.png", "report.html"} <= {p.name for p in folder.iterdir()}

    report = run_batch(library, corpus, workers=1, dashboard_address=":0")
    assert (report.analysed, report.skipped, report.failures) == (3, 1, ())
