"""A batch: every film under a folder analysed into a corpus, one Dask task per film.

The coordinating process (this module) finds the films, claims each one in the catalog just
before handing it to the cluster, keeps no more films in flight than the cluster runs at once
(so a film never waits in a worker's queue behind another, and a second batch on the same
folder takes the films this one has not claimed), renews its leases, records each outcome, and
reports progress through a callback. Films are handed out largest first, so that the longest
ones do not start last and leave the other workers idle at the end.

A film that fails comes back as failed with its reason; a film whose worker process dies
(``KilledWorker``) is failed with that reason; the rest go on. An interrupt (Ctrl-C, SIGTERM)
gives the films in flight back as pending, and the cluster is closed; each film's outputs are
written whole or not at all (:func:`scenepal.outputs.write_outputs`).
"""

from __future__ import annotations

import contextlib
import os
import queue
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from distributed import Client, Future, KilledWorker

from scenepal._entry import interrupts_held
from scenepal.batch.catalog import Catalog, Claim, Owner, settings_text
from scenepal.batch.cluster import ClusterInfo, connect, worker_hosts
from scenepal.batch.films import Film, Identity, find_films, identity_of
from scenepal.batch.task import PROGRESS_TOPIC, FilmJob, FilmOutcome, analyse_film
from scenepal.config import AnalysisConfig
from scenepal.errors import ConfigError
from scenepal.outputs import check_output_folder

LEASE_S = 60.0
"""How long a claim holds without renewal; a batch renews its leases every quarter of it."""

TICK_S = 0.5
"""Longest wait of the coordinating loop between two looks at the catalog and the cluster."""

RATE_WINDOW_S = 10.0
"""Frames per second across the cluster are measured over this much recent time."""

WORKER_DIED = (
    "its worker process died while analysing it (a crash in the decoder, or killed by the "
    "operating system, for instance for lack of memory)"
)


@dataclass(frozen=True)
class BatchProgress:
    """How far a batch has got.

    Attributes:
        total: films in the folder.
        done: films done (analysed now, or earlier with the same settings).
        failed: films failed.
        running: films being analysed now (by this batch or another on the same corpus).
        frames_per_s: frames decoded per second across the cluster, recently.
        seconds_left: estimated time to the end, from the bytes of film left and the bytes
            per second so far; None until there is a rate.
    """

    total: int
    done: int
    failed: int
    running: int
    frames_per_s: float
    seconds_left: float | None


@dataclass(frozen=True)
class FilmFailure:
    """A film that failed, and why."""

    key: str
    error: str


@dataclass(frozen=True)
class BatchReport:
    """What a batch did.

    Attributes:
        total: films in the folder.
        analysed: films this batch analysed.
        skipped: films done already (earlier, or by another batch at the same time).
        failures: films failed, with their reasons.
        frames: frames this batch decoded.
        elapsed_s: wall time of the batch.
    """

    total: int
    analysed: int
    skipped: int
    failures: tuple[FilmFailure, ...]
    frames: int
    elapsed_s: float


def run_batch(
    folder: str | os.PathLike[str],
    corpus: str | os.PathLike[str],
    *,
    config: AnalysisConfig | None = None,
    scheduler: str | None = None,
    workers: int | None = None,
    threads_per_film: int | None = None,
    report: bool = True,
    dashboard_address: str = ":8787",
    on_cluster: Callable[[ClusterInfo], None] | None = None,
    on_progress: Callable[[BatchProgress], None] | None = None,
    lease_s: float = LEASE_S,
) -> BatchReport:
    """Analyse every film under ``folder`` into ``corpus`` on a Dask cluster.

    Each film's outputs go to ``corpus/<its path under folder>.scenepal/``, exactly as
    ``scenepal analyze`` writes them. Films done earlier with the same settings are skipped;
    failed ones are tried again.

    Args:
        folder: the library.
        corpus: the output folder, with the catalog ``catalog.sqlite``.
        config: the analysis settings (default: scenepal's defaults).
        scheduler: a running Dask scheduler's address; None starts a local cluster (call
            this under ``if __name__ == "__main__":`` then).
        workers: worker processes of the local cluster (default: one per CPU).
        threads_per_film: decoder threads of each film (default: each worker machine's CPUs
            shared out among the films it runs at once).
        report: write each film's report.html too.
        dashboard_address: where the local cluster's dashboard listens (``":0"``: any port).
        on_cluster: called once the cluster is up, with its addresses.
        on_progress: called about twice a second with a :class:`BatchProgress`.
        lease_s: how long a claim on a film lasts unless renewed.

    Raises:
        InputNotFoundError: ``folder`` is missing or not a folder.
        OutputError: ``corpus`` or its catalog cannot be written.
        ConfigError: a setting is out of range.
        ClusterError: the scheduler cannot be reached.
        KeyboardInterrupt: interrupted; the films in flight are pending again.
    """
    cfg = config if config is not None else AnalysisConfig()
    if scheduler is not None and workers is not None:
        raise ConfigError("the number of workers sizes a local cluster, not a running one")
    if threads_per_film is not None and not 1 <= threads_per_film <= 64:
        raise ConfigError(
            f"threads per film must be a whole number from 1 to 64, got {threads_per_film!r}"
        )
    target = check_output_folder(corpus)
    films = find_films(folder, exclude=target)
    start = time.monotonic()
    with Catalog(target) as catalog:
        catalog.register(films)
        with connect(
            scheduler,
            workers=workers,
            dashboard_address=dashboard_address,
            on_cluster=on_cluster,
        ) as client:
            batch = _Batch(client, catalog, films, target, cfg, threads_per_film, report, lease_s)
            batch.run(on_progress)
    return batch.report(time.monotonic() - start)


@dataclass
class _Meter:
    """Progress figures: films' bytes done (for time left) and frames decoded (for speed)."""

    total_bytes: int
    start: float = field(default_factory=time.monotonic)
    done_bytes: int = 0
    done_frames: int = 0
    samples: deque[tuple[float, int]] = field(default_factory=deque)

    def rate(self, frames_now: int, now: float) -> float:
        self.samples.append((now, frames_now))
        while len(self.samples) > 2 and self.samples[1][0] < now - RATE_WINDOW_S:
            self.samples.popleft()
        t0, f0 = self.samples[0]
        return (frames_now - f0) / (now - t0) if now > t0 else 0.0

    def seconds_left(self, bytes_now: float, now: float) -> float | None:
        elapsed = now - self.start
        if bytes_now <= 0 or elapsed <= 0:
            return None
        return max(0.0, self.total_bytes - bytes_now) / (bytes_now / elapsed)


class _Batch:
    """The coordinating loop of one batch (one thread: the catalog's connection is its own)."""

    def __init__(
        self,
        client: Client,
        catalog: Catalog,
        films: list[Film],
        corpus: Path,
        config: AnalysisConfig,
        threads_per_film: int | None,
        report: bool,
        lease_s: float,
    ) -> None:
        self._client = client
        self._catalog = catalog
        self._films = films
        self._corpus = corpus
        self._config = config
        self._settings = settings_text(config)
        self._threads = threads_per_film
        self._report = report
        self._lease_s = lease_s
        self._owner = Owner()
        self._sizes: dict[str, int] = {}
        self._todo: deque[Film] = deque()
        self._others: dict[str, Film] = {}  # held by another batch
        self._in_flight: dict[Future[FilmOutcome], Film] = {}
        self._finished: queue.Queue[Future[FilmOutcome]] = queue.Queue()
        self._latest: dict[str, dict[str, Any]] = {}  # the last progress event of each film
        self._lock = threading.Lock()
        self._analysed = self._skipped = self._frames = 0
        self._failures: list[FilmFailure] = []
        self._meter = _Meter(0)

    # -- the loop ----------------------------------------------------------------------------

    def run(self, on_progress: Callable[[BatchProgress], None] | None) -> None:
        for film in self._films:
            try:
                self._sizes[film.key] = film.source.stat().st_size
            except OSError:
                self._sizes[film.key] = 0
        self._todo.extend(sorted(self._films, key=lambda f: -self._sizes[f.key]))
        self._meter = _Meter(sum(self._sizes.values()))
        self._client.subscribe_topic(PROGRESS_TOPIC, self._on_event)
        renewed = looked = time.monotonic()
        try:
            while self._todo or self._in_flight or self._others:
                self._hand_out()
                with contextlib.suppress(queue.Empty):
                    self._record(self._finished.get(timeout=TICK_S))
                now = time.monotonic()
                if now - renewed > self._lease_s / 4:
                    self._catalog.renew(self._owner, lease_s=self._lease_s)
                    renewed = now
                if self._others and now - looked > 2 * TICK_S:
                    self._look_at_others()
                    looked = now
                if on_progress is not None:
                    on_progress(self._progress(now))
        except BaseException:
            with interrupts_held():
                for future in self._in_flight:
                    future.cancel()
                self._catalog.release([f.key for f in self._in_flight.values()], self._owner)
            raise
        finally:
            self._client.unsubscribe_topic(PROGRESS_TOPIC)

    def _slots(self) -> int:
        threads: dict[str, int] = self._client.nthreads()
        return max(1, sum(threads.values())) - len(self._in_flight)

    def _hand_out(self) -> None:
        """Claim and submit films while the cluster has idle threads."""
        if not self._todo or self._slots() <= 0:
            return
        hosts = tuple(sorted(set(worker_hosts(self._client).values())))
        while self._todo and self._slots() > 0:
            film = self._todo.popleft()
            output = film.output_in(self._corpus)
            unreadable: OSError | None = None
            try:
                identity = identity_of(film.source)
            except OSError as exc:
                identity, unreadable = Identity(-1, -1, ""), exc
            claim = self._catalog.claim(
                film,
                identity,
                self._settings,
                self._owner,
                lease_s=self._lease_s,
                outputs_present=(output / "analysis.json").is_file(),
            )
            if claim is Claim.DONE:
                self._skipped += 1
                self._meter.total_bytes -= self._sizes[film.key]
            elif claim is Claim.BUSY:
                self._others[film.key] = film
            elif unreadable is not None:
                self._fail(film.key, f"cannot read it: {unreadable.strerror or unreadable}")
            else:
                job = FilmJob(
                    key=film.key,
                    source=str(film.source),
                    output=str(output),
                    config=self._config,
                    decoder_threads=self._threads,
                    films_per_host=hosts,
                    report=self._report,
                )
                future = self._client.submit(
                    analyse_film, job, key=f"scenepal-{film.key}-{self._owner.token}", pure=False
                )
                self._in_flight[future] = film
                future.add_done_callback(self._finished.put)

    def _record(self, future: Future[FilmOutcome]) -> None:
        """Record a finished task in the catalog."""
        film = self._in_flight.pop(future, None)
        if film is None:
            return
        with self._lock:
            self._latest.pop(film.key, None)
        self._meter.done_bytes += self._sizes[film.key]
        try:
            outcome: FilmOutcome = future.result()
        except KilledWorker:
            self._fail(film.key, WORKER_DIED)
            return
        except Exception as exc:  # the task could not run at all
            self._fail(film.key, f"{exc.__class__.__name__}: {exc}")
            return
        if outcome.error is not None:
            self._fail(film.key, outcome.error)
            return
        if self._catalog.finish(
            film.key,
            self._owner,
            error=None,
            frames=outcome.frames,
            duration_s=outcome.duration_s,
            version=outcome.version,
        ):
            self._analysed += 1
            self._frames += outcome.frames
            self._meter.done_frames += outcome.frames

    def _fail(self, key: str, error: str) -> None:
        if self._catalog.finish(key, self._owner, error=error):
            self._failures.append(FilmFailure(key, error))

    def _look_at_others(self) -> None:
        """Films another batch holds: count them once it has finished them; take them over
        if its lease lapsed."""
        for key, film in list(self._others.items()):
            record = self._catalog.record(key)
            if record is None or record.status == "running":
                continue
            del self._others[key]
            if record.status == "done":
                self._skipped += 1
                self._meter.total_bytes -= self._sizes[key]
            elif record.status == "failed":
                self._failures.append(FilmFailure(key, record.error or "failed"))
            else:  # its batch died: pending again
                self._todo.append(film)

    # -- progress ----------------------------------------------------------------------------

    def _on_event(self, event: tuple[float, dict[str, Any]]) -> None:
        """A film's progress from a worker (called on the client's event loop thread)."""
        message = event[1]
        if isinstance(message, dict) and "key" in message:
            with self._lock:
                self._latest[str(message["key"])] = message

    def _progress(self, now: float) -> BatchProgress:
        keys = {f.key for f in self._in_flight.values()}
        with self._lock:
            latest = [m for k, m in self._latest.items() if k in keys]
        frames = self._meter.done_frames + sum(int(m.get("frames", 0)) for m in latest)
        partial = sum(
            self._sizes.get(str(m["key"]), 0) * min(1.0, m["time_s"] / m["duration_s"])
            for m in latest
            if m.get("duration_s")
        )
        return BatchProgress(
            total=len(self._films),
            done=self._analysed + self._skipped,
            failed=len(self._failures),
            running=len(self._in_flight) + len(self._others),
            frames_per_s=self._meter.rate(frames, now),
            seconds_left=self._meter.seconds_left(self._meter.done_bytes + partial, now),
        )

    def report(self, elapsed_s: float) -> BatchReport:
        return BatchReport(
            total=len(self._films),
            analysed=self._analysed,
            skipped=self._skipped,
            failures=tuple(sorted(self._failures, key=lambda f: f.key)),
            frames=self._frames,
            elapsed_s=elapsed_s,
        )
