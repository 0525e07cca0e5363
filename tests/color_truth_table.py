"""Before/after colour accuracy on the patch films: a Markdown table on standard output.

    python tests/color_truth_table.py [--keep FOLDER]

Writes the nine patch films of tests/patches.py to a temporary folder (or ``--keep FOLDER``) and,
for each, compares the true sRGB colour of every patch with:

* PyAV naive: ``frame.to_ndarray(format="rgb24")`` with swscale's defaults (no explicit matrix,
  range or transfer), averaged over the patch's frames;
* OpenCV: ``cv2.VideoCapture`` frames (BGR -> RGB), averaged the same way, when it opens the file;
* scenepal: the dominant swatch of each scene of ``scenepal.analyze`` (default settings).

Cells give the mean and max CIEDE2000 over the patches. The "floor" column is an exact numpy
decode of the codes written: what quantisation to 8 or 10 bits alone costs. Not a test module
(no ``test_`` prefix).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray
from patches import CASES, PatchTruth, patch_frame_ranges, write_patch_film

import scenepal
from scenepal import color


def _delta_e(truth: tuple[int, int, int], got: NDArray[np.float64]) -> float:
    lab_truth = color.srgb_to_lab(np.asarray(truth, dtype=np.float64) / 255.0)
    lab_got = color.srgb_to_lab(np.clip(got / 255.0, 0.0, 1.0))
    return float(color.delta_e_2000(lab_truth, lab_got))


def _patch_means(truth: PatchTruth, frames: Iterator[NDArray[Any]]) -> list[NDArray[np.float64]]:
    """Mean RGB of each patch over its frames, away from the cuts; NaN for a patch with none."""
    ranges = patch_frame_ranges(truth.case)
    sums = np.zeros((len(ranges), 3))
    counts = np.zeros(len(ranges))
    for index, rgb in enumerate(frames):
        patch = index // truth.case.frames
        if patch < len(ranges) and index in ranges[patch]:
            sums[patch] += rgb.reshape(-1, 3).mean(axis=0)
            counts[patch] += 1
    return [s / c if c else np.full(3, np.nan) for s, c in zip(sums, counts, strict=True)]


def _pyav_frames(path: Path) -> Iterator[NDArray[Any]]:
    import av

    with av.open(str(path)) as container:
        for frame in container.decode(video=0):
            yield frame.to_ndarray(format="rgb24")


@contextmanager
def _quiet_stderr() -> Iterator[None]:
    """Silence FFmpeg's C-level log lines (OpenCV's swscale errors on interlaced input)."""
    sys.stderr.flush()
    saved = os.dup(2)
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, 2)
        yield
    finally:
        os.dup2(saved, 2)
        os.close(saved)
        os.close(devnull)


def _opencv_frames(path: Path) -> Iterator[NDArray[Any]]:
    import cv2

    frames = []
    with _quiet_stderr():
        capture = cv2.VideoCapture(str(path))  # ASCII temp paths only: cv2 crashes on others
        try:
            while capture.isOpened():
                ok, bgr = capture.read()
                if not ok:
                    break
                frames.append(np.ascontiguousarray(bgr[..., ::-1]))
        finally:
            capture.release()
    yield from frames


def _cell(errors: list[float]) -> str:
    if not errors or any(np.isnan(errors)):
        return "n/a"
    return f"{np.mean(errors):.2f} / {np.max(errors):.2f}"


def _row(truth: PatchTruth) -> tuple[str, ...]:
    colors = truth.colors
    decoded = [np.array(d) for d in truth.decoded_colors()]
    floor = [_delta_e(c, d) for c, d in zip(colors, decoded, strict=True)]
    naive_means = _patch_means(truth, _pyav_frames(truth.path))
    naive = [_delta_e(c, m) for c, m in zip(colors, naive_means, strict=True)]
    opencv_means = _patch_means(truth, _opencv_frames(truth.path))
    opencv = [_delta_e(c, m) for c, m in zip(colors, opencv_means, strict=True)]
    analysis = scenepal.analyze(truth.path)
    if len(analysis.scenes) == len(colors):
        after = [
            _delta_e(c, np.array(s.palette.swatches[0].rgb, dtype=np.float64))
            for c, s in zip(colors, analysis.scenes, strict=True)
        ]
    else:
        after = [float("nan")]
    scenes = f"{len(analysis.scenes)}/{len(colors)}"
    name = f"({truth.case.key}) {truth.case.title}"
    return name, _cell(floor), _cell(naive), _cell(opencv), _cell(after), scenes


def main(argv: list[str] | None = None) -> int:
    """Write the films, measure, print the table."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--keep", type=Path, help="write the films here and keep them")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="scenepal-patches-") as scratch:
        folder: Path = args.keep or Path(scratch)
        started = time.perf_counter()
        rows = [_row(write_patch_film(folder / c.filename, c)) for c in CASES.values()]
        elapsed = time.perf_counter() - started
    print("CIEDE2000 of each patch's colour vs truth, mean / max over the patches")
    print()
    print(
        "| case | floor: exact decode of the codes | before: PyAV rgb24 (naive) "
        "| before: OpenCV VideoCapture | after: scenepal dominant swatch | scenes found |"
    )
    print("|---|---|---|---|---|---|")
    for row in rows:
        print("| " + " | ".join(row) + " |")
    print()
    print(f"({len(rows)} films written and measured in {elapsed:.1f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
