"""The corpus catalog, ``corpus/catalog.sqlite``: one row per film with its identity, the
settings it was analysed with, its status, times, speed and error, and the lease of the batch
working on it.

Batches that share a corpus coordinate through it alone. Every change is one short SQLite
transaction begun with ``BEGIN IMMEDIATE`` (the write lock is taken first, so two batches never
both read "free" and both claim), and a batch waits up to :data:`BUSY_TIMEOUT_S` for another's
transaction. A batch claims a film just before handing it to the cluster: the claim is a lease
that the batch renews while it lives. A lease ends when its film is recorded, when it expires
(its batch stopped renewing it: killed, or its machine gone), or at once when the batch that
holds it ran on this machine and its process is gone. Only the coordinating batch process
writes the catalog, never a Dask worker: the corpus may sit on a network file system, where
SQLite's locking is not to be trusted from many machines.
"""

from __future__ import annotations

import enum
import json
import os
import socket
import sqlite3
import time
import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import Any

from scenepal.batch.films import Film, Identity
from scenepal.config import AnalysisConfig
from scenepal.errors import InputNotFoundError, OutputError

CATALOG_NAME = "catalog.sqlite"
CATALOG_FORMAT = 1
"""``PRAGMA user_version`` of the catalog; a catalog of a newer format is refused."""

BUSY_TIMEOUT_S = 30.0
"""How long a batch waits for another batch's transaction before giving up."""

STATUSES = ("done", "failed", "pending", "running")
"""A film's status, as ``status`` reports it."""

_SCHEMA = """
CREATE TABLE IF NOT EXISTS films (
    key TEXT PRIMARY KEY,          -- path relative to the library folder, '/' separators
    source TEXT NOT NULL,          -- absolute path of the film when last seen
    size INTEGER,                  -- identity of the file last claimed
    mtime_ns INTEGER,
    sample_hash TEXT,
    settings TEXT,                 -- the analysis settings (JSON) of the last claim
    status TEXT NOT NULL CHECK (status IN ('pending', 'running', 'done', 'failed')),
    started REAL,                  -- epoch seconds
    finished REAL,
    frames INTEGER,
    duration_s REAL,
    fps REAL,                      -- frames decoded per second of wall time
    error TEXT,
    scenepal_version TEXT,
    owner TEXT,                    -- the batch holding the lease: host:pid:token
    lease_expires REAL,
    attempts INTEGER NOT NULL DEFAULT 0
)
"""


def settings_text(config: AnalysisConfig) -> str:
    """The settings as the catalog compares them: canonical JSON of every field."""
    return json.dumps(config.to_dict(), sort_keys=True, separators=(",", ":"))


@dataclass(frozen=True)
class Owner:
    """A batch process that holds leases: its host, process id and a random token."""

    host: str = field(default_factory=socket.gethostname)
    pid: int = field(default_factory=os.getpid)
    token: str = field(default_factory=lambda: uuid.uuid4().hex[:12])

    @property
    def id(self) -> str:
        """``host:pid:token``, as the catalog stores it."""
        return f"{self.host}:{self.pid}:{self.token}"


def lease_alive(owner: str | None, expires: float | None, now: float) -> bool:
    """Whether a lease still holds: not expired, and when its batch ran on this machine, that
    process still exists.

    >>> lease_alive("elsewhere:1:t", 20.0, now=10.0), lease_alive("elsewhere:1:t", 5.0, now=10.0)
    (True, False)
    """
    if owner is None or expires is None or expires <= now:
        return False
    host, _, rest = owner.partition(":")
    pid_text = rest.partition(":")[0]
    if host != socket.gethostname() or not pid_text.isdigit():
        return True
    try:
        os.kill(int(pid_text), 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process: it exists
        return True
    return True


class Claim(enum.Enum):
    """What claiming a film found."""

    CLAIMED = "claimed"
    """The film is this batch's to analyse now."""
    DONE = "done"
    """Already analysed, the same file with the same settings, outputs in place: skipped."""
    BUSY = "busy"
    """Another live batch holds it."""


@dataclass(frozen=True)
class FilmRecord:
    """A film's row in the catalog, as ``status`` shows it.

    Attributes:
        key: path relative to the library folder.
        source: the film's absolute path when last seen.
        status: one of :data:`STATUSES`; a film whose batch died while working on it is
            pending.
        error: why it failed (failed films only).
        started: when its last analysis started (epoch seconds), or None.
        finished: when it ended, or None.
        frames: frames decoded, once done.
        duration_s: the film's length in seconds, once done.
        fps: frames decoded per second of wall time, once done.
        attempts: how many times a batch claimed it.
        settings: the settings (JSON) of its last claim, or None.
        scenepal_version: the version that analysed it.
        owner: the batch holding it while it runs.
    """

    key: str
    source: str
    status: str
    error: str | None
    started: float | None
    finished: float | None
    frames: int | None
    duration_s: float | None
    fps: float | None
    attempts: int
    settings: str | None
    scenepal_version: str | None
    owner: str | None

    def seconds(self, now: float) -> float | None:
        """Wall time of its last analysis: start to end, or to ``now`` while it runs."""
        if self.started is None:
            return None
        if self.status == "running":
            return max(0.0, now - self.started)
        if self.finished is None:
            return None
        return max(0.0, self.finished - self.started)


class Catalog:
    """The catalog of a corpus, open for one thread (SQLite connections are per thread).

    Use as a context manager: ``with Catalog(corpus) as catalog: ...``.
    """

    def __init__(self, corpus: str | os.PathLike[str], *, create: bool = True) -> None:
        """Open ``corpus/catalog.sqlite``; with ``create``, make it (and the corpus folder).

        Raises:
            InputNotFoundError: there is no catalog and ``create`` is false.
            OutputError: the catalog cannot be created or opened, or is of a newer format.
        """
        self.path = Path(corpus) / CATALOG_NAME
        if not create and not self.path.is_file():
            raise InputNotFoundError(f"no catalog in {corpus} (run scenepal batch into it first)")
        try:
            if create:
                self.path.parent.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(
                self.path, timeout=BUSY_TIMEOUT_S, isolation_level=None, check_same_thread=True
            )
        except (OSError, sqlite3.Error) as exc:
            raise OutputError(f"cannot open the catalog {self.path}: {exc}") from exc
        self._db.row_factory = sqlite3.Row
        try:
            with self._write():
                version = self._db.execute("PRAGMA user_version").fetchone()[0]
                if version > CATALOG_FORMAT:
                    raise OutputError(
                        f"{self.path} was written by a newer scenepal (catalog format {version})"
                    )
                self._db.execute(_SCHEMA)
                self._db.execute(f"PRAGMA user_version = {CATALOG_FORMAT}")
        except sqlite3.Error as exc:
            self._db.close()
            raise OutputError(f"cannot use the catalog {self.path}: {exc}") from exc
        except BaseException:
            self._db.close()
            raise

    def __enter__(self) -> Catalog:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        """Close the connection."""
        self._db.close()

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        """One write transaction: the write lock first (``BEGIN IMMEDIATE``), then the work,
        committed whole or rolled back whole."""
        self._db.execute("BEGIN IMMEDIATE")
        try:
            yield self._db
        except BaseException:
            self._db.execute("ROLLBACK")
            raise
        self._db.execute("COMMIT")

    # -- what batches do -------------------------------------------------------------------

    def register(self, films: Sequence[Film]) -> None:
        """Add the films not yet in the catalog, as pending; note where each one is now."""
        with self._write() as db:
            for film in films:
                db.execute(
                    "INSERT INTO films (key, source, status) VALUES (?, ?, 'pending') "
                    "ON CONFLICT (key) DO UPDATE SET source = excluded.source",
                    (film.key, str(film.source)),
                )

    def claim(
        self,
        film: Film,
        identity: Identity,
        settings: str,
        owner: Owner,
        *,
        lease_s: float,
        outputs_present: bool,
    ) -> Claim:
        """Take the film for ``owner`` unless it is done (this very file, these settings, its
        outputs present) or another live batch holds it. A failed film is taken again."""
        now = time.time()
        with self._write() as db:
            row = db.execute("SELECT * FROM films WHERE key = ?", (film.key,)).fetchone()
            if row is not None:
                same = (
                    row["size"] == identity.size
                    and row["mtime_ns"] == identity.mtime_ns
                    and row["sample_hash"] == identity.sample_hash
                    and row["settings"] == settings
                )
                if row["status"] == "done" and same and outputs_present:
                    return Claim.DONE
                if (
                    row["status"] == "running"
                    and row["owner"] != owner.id
                    and lease_alive(row["owner"], row["lease_expires"], now)
                ):
                    return Claim.BUSY
            db.execute(
                "INSERT INTO films (key, source, status) VALUES (?, ?, 'pending') "
                "ON CONFLICT (key) DO NOTHING",
                (film.key, str(film.source)),
            )
            db.execute(
                "UPDATE films SET source = ?, size = ?, mtime_ns = ?, sample_hash = ?, "
                "settings = ?, status = 'running', started = ?, finished = NULL, frames = NULL, "
                "duration_s = NULL, fps = NULL, error = NULL, scenepal_version = NULL, "
                "owner = ?, lease_expires = ?, attempts = attempts + 1 WHERE key = ?",
                (
                    str(film.source),
                    identity.size,
                    identity.mtime_ns,
                    identity.sample_hash,
                    settings,
                    now,
                    owner.id,
                    now + lease_s,
                    film.key,
                ),
            )
        return Claim.CLAIMED

    def renew(self, owner: Owner, *, lease_s: float) -> None:
        """Extend every lease ``owner`` holds to ``lease_s`` from now."""
        with self._write() as db:
            db.execute(
                "UPDATE films SET lease_expires = ? WHERE owner = ? AND status = 'running'",
                (time.time() + lease_s, owner.id),
            )

    def finish(
        self,
        key: str,
        owner: Owner,
        *,
        error: str | None,
        frames: int | None = None,
        duration_s: float | None = None,
        version: str | None = None,
    ) -> bool:
        """Record the end of ``owner``'s analysis of a film: done, or failed with ``error``.
        False when ``owner`` no longer held the film (its lease had lapsed and another batch
        took it): then nothing is recorded."""
        now = time.time()
        with self._write() as db:
            row = db.execute(
                "SELECT started FROM films WHERE key = ? AND owner = ? AND status = 'running'",
                (key, owner.id),
            ).fetchone()
            if row is None:
                return False
            elapsed = now - row["started"]
            fps = frames / elapsed if frames is not None and elapsed > 0 else None
            db.execute(
                "UPDATE films SET status = ?, finished = ?, frames = ?, duration_s = ?, fps = ?, "
                "error = ?, scenepal_version = ?, owner = NULL, lease_expires = NULL "
                "WHERE key = ?",
                (
                    "failed" if error is not None else "done",
                    now,
                    frames,
                    duration_s,
                    fps,
                    error,
                    version,
                    key,
                ),
            )
        return True

    def release(self, keys: Sequence[str], owner: Owner) -> None:
        """Give films back as pending (an interrupted batch's work in flight)."""
        with self._write() as db:
            db.executemany(
                "UPDATE films SET status = 'pending', finished = NULL, owner = NULL, "
                "lease_expires = NULL WHERE key = ? AND owner = ?",
                [(key, owner.id) for key in keys],
            )

    # -- what status reads -----------------------------------------------------------------

    def record(self, key: str) -> FilmRecord | None:
        """One film's row, or None when the catalog does not know it."""
        row = self._db.execute("SELECT * FROM films WHERE key = ?", (key,)).fetchone()
        return None if row is None else _record(row, time.time())

    def records(self) -> list[FilmRecord]:
        """Every film's row, sorted by key."""
        now = time.time()
        return [_record(r, now) for r in self._db.execute("SELECT * FROM films ORDER BY key")]


def _record(row: sqlite3.Row, now: float) -> FilmRecord:
    status = row["status"]
    if status == "running" and not lease_alive(row["owner"], row["lease_expires"], now):
        status = "pending"  # its batch died while working on it
    values: dict[str, Any] = {name: row[name] for name in row.keys()}  # noqa: SIM118
    return FilmRecord(
        key=values["key"],
        source=values["source"],
        status=status,
        error=values["error"],
        started=values["started"],
        finished=values["finished"],
        frames=values["frames"],
        duration_s=values["duration_s"],
        fps=values["fps"],
        attempts=values["attempts"],
        settings=values["settings"],
        scenepal_version=values["scenepal_version"],
        owner=values["owner"] if status == "running" else None,
    )
