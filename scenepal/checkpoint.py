"""Checkpoints: the finished part of an analysis, saved as it goes, so a long run can resume.

A checkpoint lives in the output folder as ``.scenepal-checkpoint.json``. It holds the scenes
whose palettes are done (with their crops and excluded frames), their frames' mean colours
(the frame timeline, as base64 of its file's bytes), the frame and time where the
next scene starts, and what the sampler needs to begin that scene as an uninterrupted run would
(the thumbnails of the frames before it). It is keyed by the film's identity (size,
modification time and a hash of its first and last 64 KiB), the settings and scenepal's
version: a changed file or changed settings make it stale, and it is ignored. Written
atomically (temporary name, then rename).
"""

from __future__ import annotations

import base64
import dataclasses
import hashlib
import json
import os
import time
from collections.abc import Callable, Sequence
from concurrent.futures import Future
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from scenepal import frametimeline
from scenepal.frametimeline import FrameTimeline
from scenepal.models import Representative, SceneResult
from scenepal.scene_json import scene_result_from_dict, scene_result_to_dict
from scenepal.stats_json import histograms_from_text, histograms_to_text

CHECKPOINT_NAME = ".scenepal-checkpoint.json"
CHECKPOINT_FORMAT = 4
"""Version of the checkpoint file; a checkpoint of another version is not used."""
_EDGE_BYTES = 64 * 1024

EVERY_S = float(os.environ.get("SCENEPAL_CHECKPOINT_EVERY_S", "10"))
"""Seconds between two checkpoint saves (environment: ``SCENEPAL_CHECKPOINT_EVERY_S``)."""


def film_identity(path: str | os.PathLike[str]) -> str:
    """A fingerprint of the film file: size, modification time, first and last 64 KiB."""
    p = Path(path)
    stat = p.stat()
    digest = hashlib.sha256(f"{stat.st_size}:{stat.st_mtime_ns}".encode())
    with p.open("rb") as fh:
        digest.update(fh.read(_EDGE_BYTES))
        if stat.st_size > _EDGE_BYTES:
            fh.seek(max(_EDGE_BYTES, stat.st_size - _EDGE_BYTES))
            digest.update(fh.read(_EDGE_BYTES))
    return digest.hexdigest()


@dataclass(frozen=True)
class Checkpoint:
    """The finished part of an analysis.

    Attributes:
        key: film identity, settings and version this checkpoint belongs to.
        scenes: finished scenes, in order, contiguous from frame 0.
        next_frame: frame index where the next scene starts (end of the last finished scene).
        next_time_s: that frame's time in seconds.
        skipped_packets: damaged packets skipped so far.
        sampler: what the sampler needs to begin the next scene as an uninterrupted run would
            (``SceneSampler.state_at``).
        timeline: the finished scenes' frames' mean colours, every frame before ``next_frame``.
    """

    key: str
    scenes: tuple[SceneResult, ...]
    next_frame: int
    next_time_s: float
    skipped_packets: int
    sampler: dict[str, Any] = field(default_factory=dict)
    timeline: FrameTimeline = field(default_factory=frametimeline.empty_timeline)


def checkpoint_key(identity: str, settings: dict[str, Any], version: str) -> str:
    """The key a checkpoint must carry to be used for this film, settings and version."""
    blob = json.dumps([identity, settings, version], sort_keys=True)
    return hashlib.sha256(blob.encode()).hexdigest()


def _result_to_dict(r: SceneResult) -> dict[str, Any]:
    """A scene's result as analysis.json holds it, plus its statistics' pixel histograms, which
    the film's statistics are built from (analysis.json does not keep a scene's), and its
    thumbnail (the output folder's thumbs/ is written only at the end)."""
    doc = scene_result_to_dict(r)
    if r.stats is not None and r.stats.histograms is not None:
        doc["stats"]["histograms_npz"] = histograms_to_text(r.stats.histograms)
    if r.representative is not None:
        doc["representative"]["jpeg_b64"] = base64.b64encode(r.representative.jpeg).decode()
    return doc


def _result_from_dict(d: dict[str, Any]) -> SceneResult:
    if "stats" not in d:  # saved before statistics: the film's could not be made from it
        raise KeyError("stats")
    r = scene_result_from_dict(d)
    if d.get("representative") is not None:
        rep = d["representative"]
        jpeg = base64.b64decode(rep["jpeg_b64"], validate=True)
        chosen = Representative(int(rep["frame"]), float(rep["time_s"]), jpeg)
        r = dataclasses.replace(r, representative=chosen)
    if r.stats is None or "histograms_npz" not in d["stats"]:
        return r
    histograms = histograms_from_text(d["stats"]["histograms_npz"])
    return dataclasses.replace(r, stats=dataclasses.replace(r.stats, histograms=histograms))


def save(folder: str | os.PathLike[str], checkpoint: Checkpoint) -> None:
    """Write ``checkpoint`` into ``folder`` (created if missing), atomically."""
    target = Path(folder)
    target.mkdir(parents=True, exist_ok=True)
    doc = {
        "format": CHECKPOINT_FORMAT,
        "key": checkpoint.key,
        "scenes": [_result_to_dict(r) for r in checkpoint.scenes],
        "next_frame": checkpoint.next_frame,
        "next_time_s": checkpoint.next_time_s,
        "skipped_packets": checkpoint.skipped_packets,
        "sampler": checkpoint.sampler,
        "timeline": base64.b64encode(frametimeline.to_bytes(checkpoint.timeline)).decode("ascii"),
    }
    tmp = target / f"{CHECKPOINT_NAME}.{os.getpid()}.tmp"
    tmp.write_text(json.dumps(doc), encoding="utf-8")
    os.replace(tmp, target / CHECKPOINT_NAME)


def load(folder: str | os.PathLike[str], key: str) -> Checkpoint | None:
    """The checkpoint in ``folder`` if there is one for ``key``; None otherwise.

    A missing, unreadable, malformed or stale checkpoint is simply not used.
    """
    path = Path(folder) / CHECKPOINT_NAME
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
        if doc.get("format") != CHECKPOINT_FORMAT or doc.get("key") != key:
            return None
        return Checkpoint(
            key=key,
            scenes=tuple(_result_from_dict(d) for d in doc["scenes"]),
            next_frame=int(doc["next_frame"]),
            next_time_s=float(doc["next_time_s"]),
            skipped_packets=int(doc["skipped_packets"]),
            sampler=dict(doc["sampler"]),
            timeline=frametimeline.from_bytes(
                base64.b64decode(doc["timeline"], validate=True), int(doc["next_frame"])
            ),
        )
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None


def remove(folder: str | os.PathLike[str]) -> None:
    """Delete the checkpoint in ``folder``, if any."""
    (Path(folder) / CHECKPOINT_NAME).unlink(missing_ok=True)


class Saver:
    """Saves the finished prefix of an analysis into ``folder`` every :data:`EVERY_S` seconds."""

    def __init__(self, folder: str | os.PathLike[str], key: str) -> None:
        self._folder = folder
        self._key = key
        self._last = time.monotonic()
        self._saved = 0

    def maybe_save(
        self,
        results: list[Future[SceneResult]],
        skipped: int,
        sampler_state: Callable[[int], dict[str, Any]],
        timelines: Sequence[Future[FrameTimeline]],
    ) -> None:
        """Save the scenes whose palettes are done, if it is time and there are new ones.

        Args:
            results: every scene's palette so far, in order, done or still being worked on.
            skipped: damaged packets skipped so far.
            sampler_state: the sampler's state for the scene starting at a given frame.
            timelines: every scene's frame timeline so far, in order, like ``results``.
        """
        now = time.monotonic()
        if now - self._last < EVERY_S:  # read here so tests may change it
            return
        done: list[SceneResult] = []
        pieces: list[FrameTimeline] = []
        for future, piece in zip(results, timelines, strict=False):
            if not (future.done() and piece.done()) or future.exception() or piece.exception():
                break
            done.append(future.result())
            pieces.append(piece.result())
        if len(done) <= self._saved:
            return
        last = done[-1].scene
        save(
            self._folder,
            Checkpoint(
                key=self._key,
                scenes=tuple(done),
                next_frame=last.end_frame,
                next_time_s=last.end_s,
                skipped_packets=skipped,
                sampler=sampler_state(last.end_frame),
                timeline=frametimeline.concat(pieces),
            ),
        )
        self._last, self._saved = now, len(done)
