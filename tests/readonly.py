"""A folder nobody can write into, root included, for the "output cannot be written" tests.

A normal user gets the folder with mode 0555. Root writes into such folders anyway (CI runs as
root), so for root a read-only tmpfs is mounted over the folder in a private mount namespace
(``unshare --mount``) that only the command under test lives in: nothing outside sees it, and
it goes away with the command.

    with read_only_folder(tmp_path / "locked") as wrap:
        subprocess.run(wrap([scenepal, "analyze", film, "-o", locked / "out"]))
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

import pytest

Wrap = Callable[[Sequence[str | os.PathLike[str]]], list[str]]

_MOUNT = 'mount -t tmpfs -o ro,size=64k scenepal-ro "$0" && exec "$@"'


def _plain(argv: Sequence[str | os.PathLike[str]]) -> list[str]:
    return [os.fspath(a) for a in argv]


@contextmanager
def read_only_folder(folder: Path) -> Iterator[Wrap]:
    """Make ``folder`` (created here) read-only for the commands run through the yielded
    wrapper, which turns a command line into one that sees the folder read-only.

    Skips the test when running as root on a system that cannot mount a private tmpfs.
    """
    folder.mkdir()
    if os.geteuid() != 0:
        folder.chmod(0o555)
        try:
            yield _plain
        finally:
            folder.chmod(0o755)
        return

    def wrap(argv: Sequence[str | os.PathLike[str]]) -> list[str]:
        return ["unshare", "--mount", "sh", "-c", _MOUNT, str(folder), *_plain(argv)]

    if shutil.which("unshare") is None:
        pytest.skip("running as root, and unshare is missing: no read-only folder to be had")
    probe = subprocess.run(wrap(["touch", folder / "x"]), capture_output=True, check=False)
    if b"Read-only file system" not in probe.stderr:
        pytest.skip(f"running as root without a private read-only mount: {probe.stderr!r}")
    yield wrap
