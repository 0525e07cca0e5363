"""The Dask cluster a batch runs on: a local one sized to this machine (the default), or a
running cluster reached by its scheduler's address.

Workers run one task (one film) at a time per process: a film's own parallelism is its
decoder's threads, a library's is its worker processes (see :func:`decoder_threads_for`).
Dask's nanny caps the BLAS/OpenMP pools of its workers but not FFmpeg's or OpenCV's: the task
pins both (:func:`scenepal.analyze` takes the decoder threads and holds OpenCV at one thread).
"""

from __future__ import annotations

import logging
import signal
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import dask
from distributed import Client, LocalCluster

from scenepal.errors import ClusterError, ConfigError
from scenepal.threads import available_cpus

LOCAL_ALLOWED_FAILURES = 1
"""Workers of the local cluster a task may kill before it is given up (``KilledWorker``):
one retry, so that a film queued behind a crashing one on the same worker is not condemned
with it, without restarting workers again and again for a film that always crashes."""

CONNECT_TIMEOUT_S = 10
"""How long to wait for a remote scheduler."""


@dataclass(frozen=True)
class ClusterInfo:
    """The cluster a batch runs on.

    Attributes:
        scheduler: the scheduler's address.
        dashboard: the Dask dashboard's address, or None when it has none.
        local: whether the batch started it.
        workers: worker processes when the batch started.
        threads: tasks the cluster runs at once.
    """

    scheduler: str
    dashboard: str | None
    local: bool
    workers: int
    threads: int


def default_workers() -> int:
    """Worker processes of a local cluster: one per CPU this process may use."""
    return available_cpus()


def decoder_threads_for(cpus: int, films_at_once: int) -> int:
    """Decoder threads for each film when ``films_at_once`` films share ``cpus`` CPUs: three
    per CPU shared out (at least one, at most 16), the rule :func:`scenepal.analyze` follows
    for one film (:func:`scenepal.threads.default_decoder_threads`): with Python work between
    frames, more frames in flight keep the cores decoding. Measured for a batch in
    bench/batch.py (README, "A film library").

    >>> decoder_threads_for(2, 2), decoder_threads_for(2, 1), decoder_threads_for(8, 3)
    (3, 6, 8)
    """
    return min(16, max(1, 3 * cpus // max(1, films_at_once)))


@contextmanager
def connect(
    scheduler: str | None = None,
    *,
    workers: int | None = None,
    dashboard_address: str = ":8787",
    on_cluster: Callable[[ClusterInfo], None] | None = None,
) -> Iterator[Client]:
    """A Dask client: on a local cluster of ``workers`` processes with one thread each
    (default :func:`default_workers`), or on the running cluster at ``scheduler``.

    A local cluster starts worker processes: call this only under ``if __name__ ==
    "__main__":`` (or from the ``scenepal`` command), never at a module's top level.

    Raises:
        ConfigError: ``workers`` given with ``scheduler``, or not a positive number.
        ClusterError: the scheduler cannot be reached.
    """
    if scheduler is not None:
        if workers is not None:
            raise ConfigError(
                "the number of workers sizes a local cluster; a running cluster has its own"
            )
        try:
            client = Client(scheduler, timeout=CONNECT_TIMEOUT_S, set_as_default=False)
        except (OSError, TimeoutError, ValueError) as exc:
            raise ClusterError(f"cannot reach the Dask scheduler at {scheduler}: {exc}") from exc
        with client:
            if on_cluster is not None:
                on_cluster(_info(client, local=False))
            yield client
        return
    n = default_workers() if workers is None else workers
    if isinstance(n, bool) or not isinstance(n, int) or n < 1:
        raise ConfigError(f"workers must be a positive whole number, got {n!r}")
    with dask.config.set({"distributed.scheduler.allowed-failures": LOCAL_ALLOWED_FAILURES}):
        cluster = LocalCluster(
            n_workers=n,
            threads_per_worker=1,
            processes=True,
            dashboard_address=dashboard_address,
            # Dask's own log lines (a worker restarted, a task given up) would break into the
            # progress display; the batch reports each film's fate itself.
            silence_logs=logging.CRITICAL,
            preload=[__name__],  # dask_setup below, in each worker process
        )
    with cluster, Client(cluster, set_as_default=False) as client:
        if on_cluster is not None:
            on_cluster(_info(client, local=True))
        yield client


def dask_setup(worker: object) -> None:
    """Run by Dask in each worker process of a local cluster as it starts: Ctrl-C in the
    terminal reaches the whole process group, and is for the batch, which gives the films in
    flight back and closes the cluster; a worker must not die of it on its own (with a
    traceback on the terminal)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _info(client: Client, *, local: bool) -> ClusterInfo:
    threads = client.nthreads()
    try:
        dashboard: str | None = client.dashboard_link
    except (KeyError, AttributeError):
        dashboard = None
    return ClusterInfo(
        scheduler=str(client.scheduler_info()["address"]),
        dashboard=dashboard,
        local=local,
        workers=len(threads),
        threads=sum(threads.values()),
    )


def worker_hosts(client: Client) -> dict[str, tuple[str, int]]:
    """Each worker's host and the tasks that host runs at once: ``{address: (host, slots)}``."""
    workers = client.scheduler_info(n_workers=-1)["workers"]
    slots: dict[str, int] = {}
    for info in workers.values():
        slots[info["host"]] = slots.get(info["host"], 0) + int(info["nthreads"])
    return {address: (info["host"], slots[info["host"]]) for address, info in workers.items()}
