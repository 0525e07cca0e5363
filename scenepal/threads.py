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

import math
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import cv2
from threadpoolctl import ThreadpoolController

CGROUP_ROOT = Path("/sys/fs/cgroup")
"""Where the cgroup v2 hierarchy is mounted."""

PROC_CGROUP = Path("/proc/self/cgroup")
"""Which cgroups this process belongs to (the cgroup v2 one on the line starting ``0::``)."""


def available_cpus() -> int:
    """CPUs this process may use: those its affinity allows, capped by a cgroup v2 CPU quota
    (``cpu.max`` of its cgroup and of every cgroup above it), rounded up; at least 1."""
    try:
        cpus = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):  # not on Linux
        cpus = os.cpu_count() or 1
    quota = _cgroup_cpu_quota()
    if quota is not None:
        cpus = min(cpus, math.ceil(quota))
    return max(1, cpus)


def _cgroup_cpu_quota() -> float | None:
    """The tightest cgroup v2 CPU quota over this process's cgroup and its parents, in CPUs;
    None when there is none (or no cgroup v2)."""
    try:
        lines = PROC_CGROUP.read_text().splitlines()
    except OSError:
        return None
    own = next((line[3:] for line in lines if line.startswith("0::")), None)
    if own is None:
        return None
    quotas = []
    folder = CGROUP_ROOT / own.lstrip("/")
    for candidate in (folder, *folder.parents):
        quota = cpu_max_quota(candidate / "cpu.max")
        if quota is not None:
            quotas.append(quota)
        if candidate == CGROUP_ROOT:
            break
    return min(quotas, default=None)


def cpu_max_quota(path: Path) -> float | None:
    """The quota in a cgroup v2 ``cpu.max`` file, in CPUs; None when unlimited or unreadable.

    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as d:
    ...     _ = (Path(d) / "cpu.max").write_text("150000 100000")
    ...     cpu_max_quota(Path(d) / "cpu.max")
    1.5
    """
    try:
        quota, period = path.read_text().split()[:2]
        return None if quota == "max" else int(quota) / int(period)
    except (OSError, ValueError, ZeroDivisionError):
        return None


def default_decoder_threads() -> int:
    """FFmpeg frame threads when none are asked for: three per CPU this process may use
    (:func:`available_cpus`), at most 16.

    More than FFmpeg's own choice (cores + 1): with Python work between frames, more frames in
    flight keep every core decoding. Measured on 2 cores, 1080p H.264, decode-only: CPU use
    1.78 cores with 3 threads, 1.90 with 4, 1.94 with 6; a 1-minute analysis took 1.35x
    decode-only with 4 and 1.24x with 6 (median of 4 alternating runs).
    """
    return min(16, 3 * available_cpus())


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
