"""One film's analysis as a Dask task: exactly what ``scenepal analyze`` does, run in a worker.

The task decodes the film once (:func:`scenepal.pipeline.analyze`, checkpointing into the
film's output folder so that an interrupted batch resumes a long film), writes the outputs
(:func:`scenepal.outputs.write_outputs`) and returns a small :class:`FilmOutcome`, never
frames. Progress goes to the coordinating batch as Dask events on :data:`PROGRESS_TOPIC`.
Expected failures (not a video, unreadable) come back as a failed outcome; a crash of the
worker process itself reaches the coordinator as Dask's ``KilledWorker``.
"""

from __future__ import annotations

import glob
import os
import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from scenepal import checkpoint
from scenepal.batch.cluster import decoder_threads_for
from scenepal.config import AnalysisConfig
from scenepal.errors import ScenepalError
from scenepal.outputs import write_outputs
from scenepal.pipeline import Progress, analyze
from scenepal.threads import available_cpus

PROGRESS_TOPIC = "scenepal-batch-progress"
"""Dask event topic of the films' progress."""

PROGRESS_EVERY_S = 0.5
"""Least time between two progress events of one film."""

CRASH_HOOK = "SCENEPAL_BATCH_TEST_CRASH"
"""Test-only: a worker whose environment names a film's absolute path here ends its own
process (``os._exit``) when given that film, as a decoder segfault or the OS's OOM killer
would. The batch tests use it to check that such a film fails alone."""


@dataclass(frozen=True)
class FilmJob:
    """What a worker needs to analyse one film.

    Attributes:
        key: the film's key in the catalog.
        source: the film's absolute path (the same path on every worker).
        output: its output folder.
        config: the analysis settings.
        decoder_threads: FFmpeg threads for its decoding, or None to share the worker
            machine's CPUs among the films it runs at once (``films_per_host``).
        films_per_host: the films each worker host runs at once, ``(host, films)`` pairs.
        report: write report.html too.
    """

    key: str
    source: str
    output: str
    config: AnalysisConfig
    decoder_threads: int | None = None
    films_per_host: tuple[tuple[str, int], ...] = ()
    report: bool = True


@dataclass(frozen=True)
class FilmOutcome:
    """How one film's task ended.

    Attributes:
        key: the film's key.
        error: why it failed, or None when its outputs are written.
        frames: frames analysed (0 on failure).
        duration_s: the film's analysed length in seconds.
        scenes: scenes found.
        seconds: wall time of the task.
        warnings: the analysis's warnings (a partial film, damaged packets, ...).
        version: the scenepal version that ran it.
    """

    key: str
    error: str | None
    frames: int = 0
    duration_s: float | None = None
    scenes: int = 0
    seconds: float = 0.0
    warnings: tuple[str, ...] = ()
    version: str | None = None


def analyse_film(job: FilmJob) -> FilmOutcome:
    """Analyse one film into its output folder (the function each Dask task runs)."""
    if os.environ.get(CRASH_HOOK) == job.source:
        os._exit(70)
    start = time.perf_counter()
    remove_leftovers(job.output)
    try:
        analysis = analyze(
            job.source,
            config=job.config,
            on_progress=_progress_sender(job.key),
            checkpoint_dir=job.output,
            decoder_threads=_decoder_threads(job),
        )
        write_outputs(analysis, job.output, report=job.report)
        checkpoint.remove(job.output)
    except ScenepalError as exc:
        return FilmOutcome(job.key, str(exc), seconds=time.perf_counter() - start)
    except Exception as exc:  # a bug must fail this film, not the batch
        error = f"unexpected {exc.__class__.__name__}: {exc}"
        return FilmOutcome(job.key, error, seconds=time.perf_counter() - start)
    return FilmOutcome(
        job.key,
        None,
        frames=analysis.frame_count,
        duration_s=analysis.duration_s,
        scenes=len(analysis.scenes),
        seconds=time.perf_counter() - start,
        warnings=analysis.warnings,
        version=analysis.scenepal_version,
    )


def remove_leftovers(output: str | os.PathLike[str]) -> None:
    """Delete what a killed run left beside the output folder: the temporary folders
    ``write_outputs`` renames into place (``.NAME.*.tmp``). Only the batch holding the film's
    lease calls this, so no other run is writing them."""
    target = Path(output)
    if not target.parent.is_dir():
        return
    for stale in target.parent.glob(f".{glob.escape(target.name)}.*.tmp"):
        if stale.is_dir():
            shutil.rmtree(stale, ignore_errors=True)


def _decoder_threads(job: FilmJob) -> int:
    """The job's decoder threads, or the CPUs of this worker's machine shared out among the
    films its workers run at once."""
    if job.decoder_threads is not None:
        return job.decoder_threads
    films = 1
    try:
        from distributed import get_worker
        from distributed.comm.addressing import get_address_host

        films = dict(job.films_per_host).get(get_address_host(get_worker().address), 1)
    except (ImportError, ValueError):
        pass
    return decoder_threads_for(available_cpus(), films)


def _progress_sender(key: str) -> _ProgressSender | None:
    """A progress callback that logs Dask events, or None outside a Dask worker."""
    try:
        from distributed import get_worker

        worker = get_worker()
    except (ImportError, ValueError):
        return None
    return _ProgressSender(key, worker.log_event)


class _ProgressSender:
    """Sends a film's progress as Dask events, at most every :data:`PROGRESS_EVERY_S`."""

    def __init__(self, key: str, log_event: Callable[[str, dict[str, Any]], None]) -> None:
        self._key = key
        self._log = log_event
        self._last = 0.0

    def __call__(self, progress: Progress) -> None:
        now = time.monotonic()
        if now - self._last < PROGRESS_EVERY_S:
            return
        self._last = now
        message = {
            "key": self._key,
            "frames": progress.frames,
            "time_s": progress.time_s,
            "duration_s": progress.duration_s,
        }
        self._log(PROGRESS_TOPIC, message)
