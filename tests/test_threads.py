from __future__ import annotations

import cv2
import numpy as np
import pytest
from threadpoolctl import threadpool_info

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
    from sklearn.cluster import MiniBatchKMeans

    from scenepal.palette import extract_palette

    seen: list[set[int]] = []
    fit = MiniBatchKMeans.fit_predict

    def watched(self: MiniBatchKMeans, *args: object, **kwargs: object) -> object:
        seen.append({int(p["num_threads"]) for p in threadpool_info() if p["user_api"] == "openmp"})
        return fit(self, *args, **kwargs)

    monkeypatch.setattr(MiniBatchKMeans, "fit_predict", watched)
    pixels = np.random.default_rng(0).integers(0, 256, (3000, 3), dtype=np.uint8)
    extract_palette(pixels, colors=5, seed=0)
    # scikit-learn's OpenMP runtime is loaded and seen, and held at one thread during the fit.
    assert seen == [{1}]
