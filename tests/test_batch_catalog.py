"""scenepal.batch.films and scenepal.batch.catalog: which files are films, their identity, and
the catalog's claims and leases (no cluster here: fast)."""

from __future__ import annotations

import os
import random
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from scenepal.batch.catalog import Catalog, Claim, Owner, lease_alive, settings_text
from scenepal.batch.films import (
    BLOCK_BYTES,
    SAMPLE_BLOCKS,
    Film,
    Identity,
    find_films,
    identity_of,
)
from scenepal.config import AnalysisConfig
from scenepal.errors import InputNotFoundError

SETTINGS = settings_text(AnalysisConfig())
IDENTITY = Identity(100, 5, "abc")


def _touch(path: Path, data: bytes = b"x") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


def test_find_films_takes_videos_at_any_depth_and_leaves_the_rest(tmp_path: Path) -> None:
    lib = tmp_path / "films"
    for name in ("a.mp4", "B.MKV", "deep/er/c.mov", "deep/d.webm", "x.mp4.scenepal/e.mp4"):
        _touch(lib / name)
    for name in ("notes.txt", ".hidden.mp4", ".cache/f.mp4", "poster.png"):
        _touch(lib / name)
    _touch(lib / "corpus" / "g.mp4")  # the corpus inside the library: left out
    films = find_films(lib, exclude=lib / "corpus")
    assert [f.key for f in films] == ["B.MKV", "a.mp4", "deep/d.webm", "deep/er/c.mov"]
    assert all(f.source.is_absolute() and f.source.is_file() for f in films)
    assert films[3].output_in(tmp_path / "out") == tmp_path / "out/deep/er/c.mov.scenepal"


def test_find_films_refuses_a_missing_folder_or_a_file(tmp_path: Path) -> None:
    with pytest.raises(InputNotFoundError, match="does not exist"):
        find_films(tmp_path / "nowhere")
    with pytest.raises(InputNotFoundError, match="not a folder"):
        find_films(_touch(tmp_path / "a.mp4"))


def test_identity_changes_with_any_sampled_block_size_or_time(tmp_path: Path) -> None:
    data = bytearray(random.Random(0).randbytes(3 * 1024 * 1024))
    film = _touch(tmp_path / "big.mp4", bytes(data))
    first = identity_of(film)
    assert first == identity_of(film)
    sampled = (len(data) - BLOCK_BYTES) * 7 // (SAMPLE_BLOCKS - 1)  # a block inside the file
    data[sampled + 5] ^= 0xFF
    film.write_bytes(bytes(data))
    os.utime(film, ns=(first.mtime_ns, first.mtime_ns))
    second = identity_of(film)
    assert (second.size, second.mtime_ns) == (first.size, first.mtime_ns)
    assert second.sample_hash != first.sample_hash
    os.utime(film, ns=(first.mtime_ns + 10**9, first.mtime_ns + 10**9))
    assert identity_of(film).mtime_ns != second.mtime_ns


def _film(tmp_path: Path, key: str = "a.mp4") -> Film:
    return Film(key, tmp_path / key)


def test_a_claimed_film_is_busy_for_another_batch_until_recorded(tmp_path: Path) -> None:
    film, a, b = _film(tmp_path), Owner(), Owner()
    with Catalog(tmp_path) as catalog:
        catalog.register([film])
        assert catalog.records()[0].status == "pending"
        claim = catalog.claim(film, IDENTITY, SETTINGS, a, lease_s=60, outputs_present=False)
        assert claim is Claim.CLAIMED
        assert catalog.claim(film, IDENTITY, SETTINGS, b, lease_s=60, outputs_present=False) is (
            Claim.BUSY
        )
        assert catalog.record(film.key).status == "running"  # type: ignore[union-attr]
        assert not catalog.finish(film.key, b, error=None, frames=10)  # b does not hold it
        assert catalog.finish(film.key, a, error=None, frames=10, duration_s=1.0, version="v")
        record = catalog.record(film.key)
        assert record is not None
        assert (record.status, record.frames, record.attempts, record.owner) == (
            "done",
            10,
            1,
            None,
        )
        assert record.seconds(time.time()) is not None and record.fps is not None


def test_done_is_skipped_only_for_the_same_file_settings_and_outputs(tmp_path: Path) -> None:
    film = _film(tmp_path)
    with Catalog(tmp_path) as catalog:

        def claim(identity: Identity, settings: str, *, present: bool = True) -> Claim:
            """Claim as a new batch; when claimed, analyse it (record it done)."""
            owner = Owner()
            got = catalog.claim(
                film, identity, settings, owner, lease_s=60, outputs_present=present
            )
            if got is Claim.CLAIMED:
                catalog.finish(film.key, owner, error=None, frames=1)
            return got

        assert claim(IDENTITY, SETTINGS) is Claim.CLAIMED
        assert claim(IDENTITY, SETTINGS) is Claim.DONE
        assert claim(IDENTITY, settings_text(AnalysisConfig(colors=7))) is Claim.CLAIMED
        assert claim(IDENTITY, SETTINGS) is Claim.CLAIMED  # back to the first settings
        assert claim(Identity(100, 6, "abc"), SETTINGS) is Claim.CLAIMED  # the file touched
        assert claim(Identity(100, 6, "abc"), SETTINGS, present=False) is Claim.CLAIMED
        assert claim(Identity(100, 6, "abc"), SETTINGS) is Claim.DONE


def test_a_failed_film_is_claimed_again(tmp_path: Path) -> None:
    film, owner = _film(tmp_path), Owner()
    with Catalog(tmp_path) as catalog:
        catalog.claim(film, IDENTITY, SETTINGS, owner, lease_s=60, outputs_present=False)
        catalog.finish(film.key, owner, error="not a video")
        record = catalog.record(film.key)
        assert record is not None and (record.status, record.error) == ("failed", "not a video")
        again = catalog.claim(film, IDENTITY, SETTINGS, Owner(), lease_s=60, outputs_present=True)
        assert again is Claim.CLAIMED
        record = catalog.record(film.key)
        assert record is not None and (record.error, record.attempts) == (None, 2)


def test_an_expired_lease_is_pending_and_can_be_taken(tmp_path: Path) -> None:
    film, a = _film(tmp_path), Owner()
    with Catalog(tmp_path) as catalog:
        catalog.claim(film, IDENTITY, SETTINGS, a, lease_s=0.2, outputs_present=False)
        time.sleep(0.3)
        assert catalog.record(film.key).status == "pending"  # type: ignore[union-attr]
        b = Owner()
        assert catalog.claim(film, IDENTITY, SETTINGS, b, lease_s=60, outputs_present=False) is (
            Claim.CLAIMED
        )
        assert not catalog.finish(film.key, a, error=None)  # a's late result is not recorded


def test_a_lease_ends_when_its_batch_process_is_gone(tmp_path: Path) -> None:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    dead = Owner(pid=child.pid)
    film = _film(tmp_path)
    with Catalog(tmp_path) as catalog:
        catalog.claim(film, IDENTITY, SETTINGS, dead, lease_s=3600, outputs_present=False)
        assert catalog.record(film.key).status == "pending"  # type: ignore[union-attr]
        assert catalog.claim(
            film, IDENTITY, SETTINGS, Owner(), lease_s=60, outputs_present=False
        ) is (Claim.CLAIMED)
    assert lease_alive(Owner().id, time.time() + 10, time.time())
    assert not lease_alive(dead.id, time.time() + 10, time.time())


def test_renew_extends_the_leases_and_release_gives_films_back(tmp_path: Path) -> None:
    films, owner = [_film(tmp_path, f"{i}.mp4") for i in range(3)], Owner()
    with Catalog(tmp_path) as catalog:
        for film in films:
            catalog.claim(film, IDENTITY, SETTINGS, owner, lease_s=0.3, outputs_present=False)
        catalog.renew(owner, lease_s=60)
        time.sleep(0.4)
        assert {r.status for r in catalog.records()} == {"running"}
        catalog.release([films[0].key, films[1].key], owner)
        assert [r.status for r in catalog.records()] == ["pending", "pending", "running"]


def test_concurrent_claims_give_each_film_to_exactly_one_batch(tmp_path: Path) -> None:
    """Eight batches (each with its own connection) race to claim forty films."""
    films = [_film(tmp_path, f"{i:02d}.mp4") for i in range(40)]
    with Catalog(tmp_path) as catalog:
        catalog.register(films)
    won: dict[str, list[str]] = {}
    lock = threading.Lock()

    def batch() -> None:
        owner = Owner()
        with Catalog(tmp_path) as catalog:
            for film in films:
                claim = catalog.claim(
                    film, IDENTITY, SETTINGS, owner, lease_s=60, outputs_present=False
                )
                if claim is Claim.CLAIMED:
                    with lock:
                        won.setdefault(film.key, []).append(owner.id)

    threads = [threading.Thread(target=batch) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(won) == [f.key for f in films]
    assert all(len(owners) == 1 for owners in won.values())
    with Catalog(tmp_path) as catalog:
        assert all(r.attempts == 1 for r in catalog.records())


def test_status_needs_an_existing_catalog_and_refuses_a_newer_one(tmp_path: Path) -> None:
    with pytest.raises(InputNotFoundError, match="no catalog"):
        Catalog(tmp_path / "empty", create=False)
    with Catalog(tmp_path):
        pass
    db = sqlite3.connect(tmp_path / "catalog.sqlite")
    db.execute("PRAGMA user_version = 99")
    db.commit()
    db.close()
    with pytest.raises(Exception, match="newer scenepal"):
        Catalog(tmp_path)
