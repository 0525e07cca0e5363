"""Thread pools of the libraries scenepal calls, kept to one thread while a film is decoded.

FFmpeg's frame threads already keep both cores busy. The pools that OpenCV and OpenBLAS start
for the small per-frame and per-scene operations only add hand-offs, and idle pool workers spin
in ``sched_yield``: measured on 2 cores in a 4-minute 1080p analysis, an OpenCV worker thread
used 1.4 CPU-seconds (``/proc`` per-thread times) and ``sched_yield`` about 1.2 more (``perf``),
time taken straight from the decoder. scikit-learn's OpenMP pool is limited separately, around
each fit (``scenepal.palette``), because it is loaded only with scikit-learn.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import cv2
from threadpoolctl import threadpool_limits


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
        with threadpool_limits(limits=1):
            yield
    finally:
        cv2.setNumThreads(before)
