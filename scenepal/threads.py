"""Thread pools of the libraries scenepal calls, kept to one thread while a film is decoded.

FFmpeg's frame threads already keep both cores busy. The pools that OpenCV and OpenBLAS start
for the small per-frame and per-scene operations only add hand-offs, and idle pool workers spin
in ``sched_yield``: measured on 2 cores in a 4-minute 1080p analysis, an OpenCV worker thread
used 1.4 CPU-seconds (``/proc`` per-thread times) and ``sched_yield`` about 1.2 more (``perf``),
time taken straight from the decoder. Clustering is held at one thread too: scikit-learn's
OpenMP workers would spin against the decoder's threads (measured: 36 ms a scene alone, 129 ms
with two threads, ~500 ms while decoding).
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager

import cv2
from threadpoolctl import ThreadpoolController

_CONTROLLER: list[tuple[int, ThreadpoolController]] = []
"""The controller, with the number of modules loaded when it was made: it sees only the
libraries loaded by then (scikit-learn brings its OpenMP runtime in later), so a new one is made
once more modules are loaded."""


def pool_controller() -> ThreadpoolController:
    """A controller of every BLAS and OpenMP pool loaded so far (remade after new imports)."""
    loaded = len(sys.modules)
    if not _CONTROLLER or _CONTROLLER[0][0] != loaded:
        _CONTROLLER[:] = [(loaded, ThreadpoolController())]
    return _CONTROLLER[0][1]


@contextmanager
def single_threaded_pools() -> Iterator[None]:
    """Run the block with every BLAS and OpenMP pool loaded so far at one thread."""
    with pool_controller().limit(limits=1):
        yield


@contextmanager
def single_threaded_helpers() -> Iterator[None]:
    """Run the block with OpenCV and every loaded BLAS/OpenMP pool at one thread; the previous
    settings come back afterwards. The settings are the whole process's: analyses run at the
    same time in one process share them, and the last to finish restores them.

    >>> before = cv2.getNumThreads()
    >>> with single_threaded_helpers():
    ...     cv2.getNumThreads()
    1
    >>> cv2.getNumThreads() == before
    True
    """
    before = cv2.getNumThreads()
    cv2.setNumThreads(1)
    try:
        with single_threaded_pools():
            yield
    finally:
        cv2.setNumThreads(before)
