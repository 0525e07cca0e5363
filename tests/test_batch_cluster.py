"""`scenepal batch` as a user runs it (the installed command in a subprocess): on a Dask
scheduler and two workers started as separate processes on loopback, the same bytes as on the
local cluster; two batches started together on one folder analyse each film once."""

from __future__ import annotations

import contextlib
import json
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import IO

import pytest
from test_batch import folder_bytes, make_library

from scenepal.batch import Catalog

pytestmark = [pytest.mark.slow, pytest.mark.e2e]

BIN = Path(sys.executable).parent


def scenepal(*args: str) -> list[str]:
    return [sys.executable, "-m", "scenepal", *args]


def _stop(processes: list[subprocess.Popen[bytes]]) -> None:
    """End the workers (single processes: --no-nanny), then the scheduler (the first)."""
    for p in reversed(processes):
        if p is not processes[0]:
            p.kill()
        else:
            p.terminate()
        try:
            p.wait(timeout=20)
        except subprocess.TimeoutExpired:
            p.kill()
            p.wait()


@pytest.fixture
def scheduler_with_two_workers(tmp_path: Path) -> Iterator[str]:
    """``dask scheduler`` and two ``dask worker`` processes on 127.0.0.1; yields the address."""
    dask = shutil.which("dask", path=str(BIN)) or "dask"
    info = tmp_path / "scheduler.json"
    processes: list[subprocess.Popen[bytes]] = []
    logs = tmp_path / "dask-logs"
    logs.mkdir()
    with contextlib.ExitStack() as files:
        yield from _start(dask, info, logs, processes, files)


def _start(
    dask: str,
    info: Path,
    logs: Path,
    processes: list[subprocess.Popen[bytes]],
    files: contextlib.ExitStack,
) -> Iterator[str]:
    def log(name: str) -> IO[bytes]:
        return files.enter_context((logs / name).open("wb"))

    try:
        processes.append(
            subprocess.Popen(
                [dask, "scheduler", "--host", "127.0.0.1", "--port", "0",
                 "--dashboard-address", ":0", "--scheduler-file", str(info)],
                stdout=subprocess.DEVNULL, stderr=log("scheduler.log"),
            )
        )  # fmt: skip
        deadline = time.monotonic() + 60
        while not info.is_file() and time.monotonic() < deadline:
            time.sleep(0.1)
        address = json.loads(info.read_text())["address"]
        assert address.startswith("tcp://127.0.0.1:")
        for n in range(2):
            processes.append(
                subprocess.Popen(
                    [dask, "worker", address, "--no-nanny", "--nthreads", "1",
                     "--no-dashboard", "--name", f"w{n}"],
                    stdout=subprocess.DEVNULL, stderr=log(f"worker{n}.log"),
                )
            )  # fmt: skip
        from distributed import Client

        with Client(address, timeout=30) as client:
            client.wait_for_workers(2, timeout=60)
        yield address
    finally:
        _stop(processes)


def test_a_scheduler_and_two_workers_give_the_local_clusters_bytes(
    tmp_path: Path, scheduler_with_two_workers: str
) -> None:
    library = tmp_path / "films"
    make_library(library, 3)
    local, remote = tmp_path / "local", tmp_path / "remote"
    runs = [
        scenepal("batch", str(library), "-o", str(local), "--dashboard", ":0", "--workers", "2"),
        scenepal(
            "batch", str(library), "-o", str(remote), "--json",
            "--scheduler", scheduler_with_two_workers, "--threads-per-film", "3",
        ),
    ]  # fmt: skip
    done = [
        subprocess.run(a, capture_output=True, text=True, timeout=300, check=False) for a in runs
    ]
    assert [d.returncode for d in done] == [0, 0], [d.stderr for d in done]
    assert "local Dask cluster: 2 workers" in done[0].stderr
    assert f"Dask cluster at {scheduler_with_two_workers}: 2 workers" in done[1].stderr
    doc = json.loads(done[1].stdout)  # the remote run's --json: the catalog's summary
    assert doc["counts"] == {"done": 3, "failed": 0, "pending": 0, "running": 0}
    assert all(f["output"].startswith(str(remote)) for f in doc["films"])
    got, expected = folder_bytes(remote), folder_bytes(local)
    del got["catalog.sqlite"], expected["catalog.sqlite"]
    assert sum(name.endswith("/analysis.json") for name in expected) == 3
    assert got == expected


def test_two_batches_on_one_folder_analyse_each_film_once(tmp_path: Path) -> None:
    library, corpus = tmp_path / "films", tmp_path / "corpus"
    make_library(library, 8)
    args = scenepal("batch", str(library), "-o", str(corpus), "--workers", "1", "--dashboard", ":0")
    batches = [
        subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for _ in range(2)
    ]
    outputs = [b.communicate(timeout=300) for b in batches]
    for batch, (_, err) in zip(batches, outputs, strict=True):
        assert batch.returncode == 0, err
    analysed = [int(re.search(r"(\d+) analysed", err).group(1)) for _, err in outputs]  # type: ignore[union-attr]
    assert sum(analysed) == 8
    with Catalog(corpus, create=False) as catalog:
        records = catalog.records()
    assert [r.status for r in records] == ["done"] * 8
    assert [r.attempts for r in records] == [1] * 8
    assert len({r.key for r in records}) == 8
    for r in records:
        assert (corpus / (r.key + ".scenepal") / "analysis.json").is_file()
