"""scenepal.threads: helper pools at one thread, and the CPU budget of the decoder."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import cv2
import numpy as np
import pytest
from threadpoolctl import threadpool_info

from scenepal import threads
from scenepal.threads import single_threaded_helpers


def _blas_threads() -> list[int]:
    return [int(pool["num_threads"]) for pool in threadpool_info() if pool["user_api"] == "blas"]


def test_pools_are_one_thread_inside_and_restored_after() -> None:
    np.ones((4, 4)) @ np.ones((4, 4))  # make sure numpy's BLAS is loaded
    cv2.setNumThreads(2)
    before = _blas_threads()
    assert before, "numpy's BLAS should be visible to threadpoolctl"
    with single_threaded_helpers():
        assert cv2.getNumThreads() == 1
        assert set(_blas_threads()) == {1}
    assert cv2.getNumThreads() == 2
    assert _blas_threads() == before


def test_settings_come_back_when_the_block_raises() -> None:
    cv2.setNumThreads(2)
    with pytest.raises(RuntimeError), single_threaded_helpers():
        raise RuntimeError("boom")
    assert cv2.getNumThreads() == 2


def test_clustering_runs_with_scikit_learns_openmp_pool_at_one_thread(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from sklearn.cluster import KMeans

    from scenepal.palette import extract_palette

    seen: list[set[int]] = []
    fit = KMeans.fit_predict

    def watched(self: KMeans, *args: object, **kwargs: object) -> object:
        seen.append({int(p["num_threads"]) for p in threadpool_info() if p["user_api"] == "openmp"})
        return fit(self, *args, **kwargs)

    monkeypatch.setattr(KMeans, "fit_predict", watched)
    pixels = np.random.default_rng(0).integers(0, 256, (3000, 3), dtype=np.uint8)
    extract_palette(pixels, colors=5, seed=0)
    # scikit-learn's OpenMP runtime is loaded and seen, and held at one thread during the fit.
    assert seen == [{1}]


def _cgroup(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, quotas: dict[str, str]) -> None:
    """A fake cgroup v2 tree: this process in /a/b, ``quotas`` the cpu.max of each folder."""
    for folder, text in quotas.items():
        (tmp_path / folder).mkdir(parents=True, exist_ok=True)
        (tmp_path / folder / "cpu.max").write_text(text)
    (tmp_path / "a" / "b").mkdir(parents=True, exist_ok=True)
    proc = tmp_path / "proc-self-cgroup"
    proc.write_text("4:memory:/elsewhere\n0::/a/b\n")
    monkeypatch.setattr(threads, "CGROUP_ROOT", tmp_path)
    monkeypatch.setattr(threads, "PROC_CGROUP", proc)
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: set(range(8)))


@pytest.mark.parametrize(
    ("quotas", "cpus"),
    [
        ({".": "max 100000"}, 8),
        ({"a": "150000 100000"}, 2),  # 1.5 CPUs: rounded up
        ({"a": "400000 100000", "a/b": "50000 100000"}, 1),  # the tightest on the way up
        ({"a/b": "max 100000", ".": "300000 100000"}, 3),
        ({"a": "garbage"}, 8),
    ],
)
def test_a_cgroup_cpu_quota_caps_the_cpus(
    quotas: dict[str, str], cpus: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _cgroup(tmp_path, monkeypatch, quotas)
    assert threads.available_cpus() == cpus
    assert threads.default_decoder_threads() == min(16, 3 * cpus)


@pytest.mark.skipif(not hasattr(os, "sched_setaffinity"), reason="needs sched_setaffinity")
def test_the_cpu_affinity_caps_the_cpus() -> None:
    code = (
        "import os; os.sched_setaffinity(0, {min(os.sched_getaffinity(0))}); "
        "from scenepal import threads; "
        "print(threads.available_cpus(), threads.default_decoder_threads())"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["1", "3"]
