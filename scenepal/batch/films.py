"""The films of a library: which files under a folder are videos, what each one is (its
identity), and where its outputs go in the corpus.

A film ``films/a/b.mp4`` analysed into ``corpus/`` has its outputs in ``corpus/a/b.mp4.scenepal/``:
the relative path is kept whole, suffix included, so ``b.mp4`` and ``b.mkv`` side by side get
two folders.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

from scenepal.errors import InputNotFoundError

VIDEO_SUFFIXES = frozenset(
    {
        ".3gp", ".264", ".avi", ".dv", ".flv", ".h264", ".h265", ".hevc", ".ivf", ".m2t",
        ".m2ts", ".m2v", ".m4v", ".mkv", ".mov", ".mp4", ".mpeg", ".mpg", ".mts", ".mxf",
        ".nut", ".ogv", ".ts", ".vob", ".webm", ".wmv", ".y4m",
    }
)  # fmt: skip
"""File suffixes taken for videos (compared in lower case)."""

OUTPUT_SUFFIX = ".scenepal"
"""Suffix of a film's output folder in the corpus."""

SAMPLE_BLOCKS = 16
"""Blocks read to fingerprint a film: the first, the last and evenly spaced ones between."""

BLOCK_BYTES = 64 * 1024
"""Size of one fingerprint block."""


@dataclass(frozen=True)
class Identity:
    """What tells one version of a film file from another without reading all of it.

    Attributes:
        size: bytes.
        mtime_ns: modification time, in nanoseconds since the epoch.
        sample_hash: BLAKE2b (128-bit, hex) of the size and :data:`SAMPLE_BLOCKS` blocks of
            :data:`BLOCK_BYTES` spread over the file (the whole file when it is smaller).
    """

    size: int
    mtime_ns: int
    sample_hash: str


@dataclass(frozen=True)
class Film:
    """A video found in the library folder.

    Attributes:
        key: its path relative to the library folder, with ``/`` separators: the film's name
            in the catalog.
        source: its absolute path.
    """

    key: str
    source: Path

    def output_in(self, corpus: str | os.PathLike[str]) -> Path:
        """The film's output folder in ``corpus``.

        >>> Film("a/b.mp4", Path("/films/a/b.mp4")).output_in("corpus").as_posix()
        'corpus/a/b.mp4.scenepal'
        """
        return Path(corpus, *self.key.split("/")[:-1], self.key.split("/")[-1] + OUTPUT_SUFFIX)


def is_video_name(name: str) -> bool:
    """Whether a file name looks like a video: a known suffix, not hidden.

    >>> is_video_name("Film.MKV"), is_video_name(".partial.mp4"), is_video_name("notes.txt")
    (True, False, False)
    """
    return not name.startswith(".") and Path(name).suffix.lower() in VIDEO_SUFFIXES


def find_films(
    folder: str | os.PathLike[str], *, exclude: str | os.PathLike[str] | None = None
) -> list[Film]:
    """Every video under ``folder`` (any depth), sorted by key.

    Hidden files and folders, output folders (``*.scenepal``) and ``exclude`` (the corpus,
    when it lies inside the library) are left out. Symbolic links to files are followed,
    links to folders are not.

    Raises:
        InputNotFoundError: ``folder`` does not exist or is not a folder.
    """
    root = Path(folder)
    if not root.is_dir():
        what = "does not exist" if not root.exists() else "is not a folder"
        raise InputNotFoundError(f"{root} {what}")
    root = root.resolve()
    skip = Path(exclude).resolve() if exclude is not None else None
    found: list[Film] = []
    for parent, dirs, files in os.walk(root):
        here = Path(parent)
        dirs[:] = sorted(
            d
            for d in dirs
            if not d.startswith(".") and not d.endswith(OUTPUT_SUFFIX) and here / d != skip
        )
        for name in files:
            path = here / name
            if is_video_name(name) and path.is_file():
                found.append(Film(path.relative_to(root).as_posix(), path))
    return sorted(found, key=lambda f: f.key)


def identity_of(path: str | os.PathLike[str]) -> Identity:
    """The film file's :class:`Identity` (reads at most 1 MiB of it).

    Raises:
        OSError: the file cannot be read.
    """
    with open(path, "rb") as fh:
        stat = os.fstat(fh.fileno())
        digest = hashlib.blake2b(str(stat.st_size).encode(), digest_size=16)
        if stat.st_size <= SAMPLE_BLOCKS * BLOCK_BYTES:
            digest.update(fh.read())
        else:
            last = stat.st_size - BLOCK_BYTES
            for i in range(SAMPLE_BLOCKS):
                fh.seek(last * i // (SAMPLE_BLOCKS - 1))
                digest.update(fh.read(BLOCK_BYTES))
    return Identity(stat.st_size, stat.st_mtime_ns, digest.hexdigest())
