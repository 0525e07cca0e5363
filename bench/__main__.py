"""scenepal's benchmark: every method timed in a fresh process on the same realistic film.

    python -m bench                      # 240 s 1080p film in bench/films/, made if missing
    python -m bench --seconds 60 --repeat 3
    python -m bench --memory-seconds 60,1200   # also peak memory on a short and a long film

Methods: PyAV decode-only (threads on, frames discarded), FFmpeg CLI decode-only (when an
``ffmpeg`` binary exists), ``scenedetect.detect`` with ContentDetector (PySceneDetect's OpenCV
path), the seed method (detect, re-open, each scene's middle frame, KMeans k=5 in RGB),
``scenepal analyze`` and ``scenepal analyze --preview`` (analysis plus all outputs). Walls are
timed inside each child after its imports; peak memory and CPU time come from ``wait4``. The
machine is shared and noisy: compare ratios within one run, and use ``--repeat``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
FILMS = ROOT / "bench" / "films"
ORDER = ("decode", "analyze", "ffmpeg", "scenedetect", "seed", "preview")
LABELS = {
    "decode": "PyAV decode-only (threads on)",
    "ffmpeg": "FFmpeg CLI decode-only",
    "scenedetect": "scenedetect.detect (ContentDetector)",
    "seed": "seed method (detect + middle frames + KMeans RGB)",
    "analyze": "scenepal analyze (all outputs)",
    "preview": "scenepal analyze --preview",
}


@dataclass
class Run:
    """One method's figures."""

    wall: float  # timed inside the child, after imports
    total: float  # the child's whole life, interpreter start and imports included
    peak_mb: float
    cpu: float  # (user + system) / total wall: 2.0 is both cores busy
    extra: dict[str, Any]


def make_film(seconds: float, width: int, height: int, films: Path) -> Path:
    """The realistic sample film of this size and length, made once and reused."""
    films.mkdir(parents=True, exist_ok=True)
    film = films / f"bench_{width}x{height}_{int(seconds)}s.mp4"
    cmd = [
        sys.executable, str(ROOT / "samples" / "make_sample.py"), "--width", str(width),
        "--height", str(height), "--seconds", str(seconds), "--out", str(film),
    ]  # fmt: skip
    subprocess.run(cmd, check=True)
    return film


def _child(cmd: list[str]) -> tuple[str, Run]:
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=ROOT)
    _, status, usage = os.wait4(proc.pid, 0)
    total = time.perf_counter() - start
    stdout = proc.stdout.read().decode() if proc.stdout else ""
    stderr = proc.stderr.read().decode() if proc.stderr else ""
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd[:4])} failed ({proc.returncode}): {stderr[-800:]}")
    cpu = (usage.ru_utime + usage.ru_stime) / total
    return stdout, Run(0.0, total, usage.ru_maxrss / 1024, cpu, {})


def run_method(method: str, film: Path, out: Path) -> Run | None:
    """Run one method in a fresh process; None when it cannot run here."""
    if method == "ffmpeg":
        binary = shutil.which("ffmpeg")
        if binary is None:
            return None
        _, run = _child(
            [binary, "-v", "error", "-threads", "0", "-i", str(film), "-f", "null", "-"]
        )
        run.wall = run.total
        return run
    stdout, run = _child([sys.executable, "-m", "bench._child", method, str(film), str(out)])
    doc = json.loads(stdout.strip().splitlines()[-1])
    run.wall = float(doc.pop("wall"))
    run.extra = doc
    return run


def machine() -> str:
    """One line about the machine and the libraries."""
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        mem_kb = int(Path("/proc/meminfo").read_text().split()[1])
    except (OSError, ValueError, IndexError):
        mem_kb = 0
    import av
    import scenedetect
    import sklearn

    return (
        f"{cpu}, {os.cpu_count()} cores, {mem_kb / 2**20:.0f} GB RAM, Python "
        f"{platform.python_version()}, PyAV {av.__version__} (FFmpeg "
        f"{av.library_versions['libavcodec']}), scenedetect {scenedetect.__version__}, "
        f"scikit-learn {sklearn.__version__}"
    )


def preview_closeness(full_dir: Path, preview_dir: Path) -> dict[str, float]:
    """How far the preview's barcode and film palette are from the full run's, in CIEDE2000."""
    import numpy as np

    import scenepal
    from scenepal import color
    from scenepal.render.barcode import barcode

    full = scenepal.load_analysis(full_dir)
    prev = scenepal.load_analysis(preview_dir)
    a = barcode(full, (1200, 200)) / 255.0
    b = barcode(prev, (1200, 200)) / 255.0
    pixel = color.delta_e_2000(color.srgb_to_lab(a), color.srgb_to_lab(b))

    def column_means(img: Any) -> Any:
        return color.srgb_to_lab(color.linear_to_srgb(color.srgb_to_linear(img).mean(axis=0)))

    column = color.delta_e_2000(column_means(a), column_means(b))
    labs = np.array([s.lab for s in full.palette.swatches])
    nearest = [
        min(float(color.delta_e_2000(np.array(s.lab), lab)) for lab in labs)
        for s in prev.palette.swatches
    ]
    weights = [s.weight for s in prev.palette.swatches]
    return {
        "barcode_pixel_mean": float(pixel.mean()),
        "barcode_pixel_p90": float(np.percentile(pixel, 90)),
        "column_colour_median": float(np.median(column)),
        "column_colour_mean": float(column.mean()),
        "film_palette": float(np.average(nearest, weights=weights)),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=240.0, help="film length (240)")
    parser.add_argument("--width", type=int, default=1920)
    parser.add_argument("--height", type=int, default=1080)
    parser.add_argument("--films", type=Path, default=FILMS, help="where films are kept")
    parser.add_argument("--repeat", type=int, default=1, help="runs per method; best is kept")
    parser.add_argument("--skip", default="", help="comma-separated methods to skip")
    parser.add_argument("--memory-seconds", default="", help="e.g. 60,1200: peak memory check")
    args = parser.parse_args(argv)

    film = make_film(args.seconds, args.width, args.height, args.films)
    skip = {s for s in args.skip.split(",") if s}
    print(f"machine: {machine()}")
    import av

    with av.open(str(film)) as c:
        s = c.streams.video[0]
        frames = s.frames
        print(
            f"film: {film.name}, {s.width}x{s.height}, {frames} frames, "
            f"{film.stat().st_size / 2**20:.0f} MB, load before: {os.getloadavg()[0]:.2f}"
        )

    runs: dict[str, Run] = {}
    with tempfile.TemporaryDirectory(prefix="scenepal-bench-") as tmp:
        outs = {m: Path(tmp) / m for m in ORDER}
        for method in ORDER:
            if method in skip:
                continue
            best: Run | None = None
            for _ in range(args.repeat):
                run = run_method(method, film, outs[method])
                if run is not None and (best is None or run.wall < best.wall):
                    best = run
            if best is None:
                print(f"{LABELS[method]}: skipped (no ffmpeg binary)")
                continue
            runs[method] = best
        closeness = (
            preview_closeness(outs["analyze"], outs["preview"])
            if {"analyze", "preview"} <= runs.keys()
            else None
        )
        kmeans = None if "kmeans" in skip else run_method("kmeans", film, Path(tmp) / "k")

    reference = runs["decode"].wall if "decode" in runs else None
    print()
    print("| method | wall s | frames/s | ratio to decode | peak MB | CPU (2.0 = both cores) |")
    print("|---|---|---|---|---|---|")
    for method, run in runs.items():
        ratio = f"{run.wall / reference:.2f}" if reference else "-"
        print(
            f"| {LABELS[method]} | {run.wall:.1f} | {frames / run.wall:.0f} | {ratio} | "
            f"{run.peak_mb:.0f} | {run.cpu:.2f} |"
        )
    print(
        "(walls are timed after imports; whole-process walls: "
        + ", ".join(f"{m} {r.total:.1f} s" for m, r in runs.items())
        + ")"
    )
    if "analyze" in runs:
        a = runs["analyze"]
        share = a.extra["clustering_s"] / a.wall
        print(
            f"\nclustering: {a.extra['clustering_s']:.1f} s over {a.extra['scenes']} scenes, "
            f"{share:.0%} of the analysis wall (in a worker thread, overlapping decoding)"
        )
    if kmeans is not None:
        print(
            f"\nper-scene clustering on {kmeans.extra['scenes']} scenes' sampled pixels, k=5, "
            "CIELAB, one thread:"
        )
        print("| method | ms per scene | mean CIEDE2000 pixel -> swatch |")
        print("|---|---|---|")
        for name, row in kmeans.extra["kmeans"].items():
            print(f"| {name} | {row['ms_per_scene']:.1f} | {row['mean_delta_e']:.3f} |")
    if closeness is not None:
        print(
            "\npreview vs full (CIEDE2000): barcode pixels mean "
            f"{closeness['barcode_pixel_mean']:.1f} (p90 {closeness['barcode_pixel_p90']:.1f}); "
            f"barcode column colour median {closeness['column_colour_median']:.2f} (mean "
            f"{closeness['column_colour_mean']:.2f}); film palette "
            f"{closeness['film_palette']:.2f}"
        )

    print("\ntargets:")
    if reference and "analyze" in runs:
        ratio = runs["analyze"].wall / reference
        print(
            f"  analyze / decode = {ratio:.2f} (target <= 1.15): "
            f"{'met' if ratio <= 1.15 else 'NOT met'}"
        )
    if "analyze" in runs and "scenedetect" in runs:
        ok = runs["analyze"].wall <= runs["scenedetect"].wall
        print(
            f"  analyze {runs['analyze'].wall:.1f} s vs scenedetect.detect "
            f"{runs['scenedetect'].wall:.1f} s (target: no slower): "
            f"{'met' if ok else 'NOT met'}"
        )
    if "analyze" in runs and "preview" in runs:
        speed = runs["analyze"].wall / runs["preview"].wall
        print(
            f"  preview speed-up = {speed:.1f}x (target >= 5): {'met' if speed >= 5 else 'NOT met'}"
        )
    if args.memory_seconds:
        short, long = (float(x) for x in args.memory_seconds.split(","))
        peaks = []
        for seconds in (short, long):
            f = make_film(seconds, args.width, args.height, args.films)
            with tempfile.TemporaryDirectory(prefix="scenepal-bench-") as tmp:
                run = run_method("analyze", f, Path(tmp) / "o")
                assert run is not None
                peaks.append(run.peak_mb)
        growth = peaks[1] / peaks[0] - 1
        print(
            f"  memory: {peaks[0]:.0f} MB ({short:.0f} s) vs {peaks[1]:.0f} MB ({long:.0f} s): "
            f"{growth:+.0%} (target < 20 %, both < 1 GB): "
            f"{'met' if abs(growth) < 0.2 and max(peaks) < 1024 else 'NOT met'}"
        )
    print(f"load after: {os.getloadavg()[0]:.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
