"""scenepal's benchmark: every method timed in a fresh process on the same realistic film.

    python -m bench                            # 240 s 1080p film in bench/films/, made if missing
    python -m bench --seconds 60 --repeat 3    # best of three walls per method
    python -m bench --memory-seconds 60,1200   # also peak memory on a short and a long film

Methods, in this order (decode-only and scenepal analyze one after the other):

    decode       PyAV decode-only (thread_type AUTO, frames discarded): the reference
    analyze      scenepal.analyze(film) + scenepal.write_outputs(...) to a temporary folder
    decode_threads  PyAV decode-only with scenepal's frame-thread count (6 on 2 cores)
    ffmpeg       ffmpeg -v error -threads 0 -i FILM -f null -   (when an ffmpeg binary exists)
    scenedetect  scenedetect.detect(film, ContentDetector())   (PySceneDetect's OpenCV path)
    seed         scenedetect.detect, re-open with cv2.VideoCapture, seek to each scene's middle
                 frame, scale it to 256 px wide, KMeans k=5 (n_init=1) on its RGB pixels
    preview      scenepal.analyze(film, preview=True) + write_outputs

then decode and analyze again on a shorter film (``--steady-seconds``), which tells the one-off
costs (scikit-learn's import, writing the outputs) apart from the cost per second of film, the
ratio a feature film sees; then two extra children: ``kmeans`` (clustering settings compared on
sampled scene pixels) and the preview's closeness to the full run. Walls are timed inside each
child after its imports; the child's whole life (interpreter start and imports included) is timed
here; peak RSS and CPU time come from ``os.wait4``. The machine may be shared and noisy: compare
ratios within one run, use ``--repeat`` and look at the load averages printed before and after.

Progress goes to stderr; the report goes to stdout.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
FILMS = ROOT / "bench" / "films"
ORDER = ("decode", "analyze", "decode_threads", "ffmpeg", "scenedetect", "seed", "preview")
EXTRAS = ("kmeans", "closeness")
LABELS = {
    "decode": "PyAV decode-only (threads AUTO)",
    "analyze": "scenepal analyze (all outputs)",
    "decode_threads": "PyAV decode-only, as many frame threads as scenepal",
    "ffmpeg": "FFmpeg CLI decode-only (-threads 0)",
    "scenedetect": "scenedetect.detect (ContentDetector)",
    "seed": "seed method (detect + middle frames @256 px + KMeans RGB)",
    "preview": "scenepal analyze --preview (all outputs)",
}
TIMEOUT_S = 30 * 60
MB = 1024.0  # ru_maxrss is in KiB on Linux


@dataclass
class Run:
    """One child's figures."""

    wall: float  # seconds of work, timed inside the child after its imports
    total: float  # the child's whole life, interpreter start and imports included
    peak_mb: float  # peak resident set size (wait4 ru_maxrss)
    cpu: float  # (user + system) / wall over the timed work: 2.0 = both cores busy
    cpu_total: float  # (user + system) / total over the whole child
    extra: dict[str, Any] = field(default_factory=dict)


class ChildError(RuntimeError):
    """A child failed, timed out or printed no result."""


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def loadavg() -> str:
    one, five, fifteen = os.getloadavg()
    return f"{one:.2f} {five:.2f} {fifteen:.2f}"


def own_peak_mb() -> float:
    """This process's peak RSS: a floor under every child's ru_maxrss (Linux counts the
    parent's RSS at spawn in the child's peak)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / MB
    except (OSError, ValueError):
        pass
    return float("nan")


def film_path(films: Path, seconds: float, width: int, height: int) -> Path:
    return films / f"bench_{width}x{height}_{seconds:g}s.mp4"


def make_film(seconds: float, width: int, height: int, films: Path) -> tuple[Path, float]:
    """The realistic sample film of this size and length, made once and reused afterwards
    (samples/make_sample.py reuses a film whose truth.json has the same settings)."""
    films.mkdir(parents=True, exist_ok=True)
    film = film_path(films, seconds, width, height).resolve()
    cmd = [
        sys.executable, str(ROOT / "samples" / "make_sample.py"), "--width", str(width),
        "--height", str(height), "--seconds", f"{seconds:g}", "--out", str(film),
    ]  # fmt: skip
    log(f"film {film.name}: making or reusing it (about 21 frames/s to generate at 1080p)")
    start = time.perf_counter()
    subprocess.run(cmd, check=True, cwd=ROOT, stdout=sys.stderr)
    return film, time.perf_counter() - start


def spawn(cmd: list[str], timeout: float) -> tuple[str, float, Any]:
    """Run ``cmd``; its stdout, whole wall and ``wait4`` resource usage."""
    env = dict(os.environ)
    env.setdefault("MPLBACKEND", "Agg")
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=out, stderr=err, cwd=ROOT, env=env)
        killed = False
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            if not killed and time.perf_counter() - start > timeout:
                proc.kill()
                killed = True
            time.sleep(0.02)
        total = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        stdout = out.read().decode(errors="replace")
        stderr = err.read().decode(errors="replace")
    if killed:
        raise ChildError(f"timed out after {timeout:.0f} s")
    if proc.returncode != 0:
        tail = stderr.strip().splitlines()[-1:] or ["no message"]
        raise ChildError(f"exit code {proc.returncode}: {tail[0][:300]}")
    return stdout, total, usage


def child(step: str, *args: str, timeout: float) -> Run:
    """Run one step of bench/_child.py in a fresh interpreter."""
    cmd = [sys.executable, "-m", "bench._child", step, *args]
    stdout, total, usage = spawn(cmd, timeout)
    lines = stdout.strip().splitlines()
    try:
        doc = json.loads(lines[-1])
    except (IndexError, ValueError) as exc:
        raise ChildError(f"no JSON result line: {stdout[-300:]!r}") from exc
    wall = float(doc.pop("wall", 0.0))
    cpu = float(doc.pop("cpu", 0.0))
    busy = usage.ru_utime + usage.ru_stime
    return Run(
        wall=wall,
        total=total,
        peak_mb=usage.ru_maxrss / MB,
        cpu=cpu / wall if wall > 0 else float("nan"),
        cpu_total=busy / total,
        extra=doc,
    )


def run_method(method: str, film: Path, out: Path, timeout: float) -> Run | None:
    """Run one method in a fresh process; None when it cannot run here (no ffmpeg)."""
    if method == "ffmpeg":
        binary = shutil.which("ffmpeg")
        if binary is None:
            return None
        cmd = [binary, "-v", "error", "-threads", "0", "-i", str(film), "-f", "null", "-"]
        _, total, usage = spawn(cmd, timeout)
        busy = (usage.ru_utime + usage.ru_stime) / total
        return Run(total, total, usage.ru_maxrss / MB, busy, busy)
    if method in ("analyze", "preview"):
        return child(method, str(film), str(out), timeout=timeout)
    return child(method, str(film), timeout=timeout)


def ffmpeg_version() -> str:
    binary = shutil.which("ffmpeg")
    if binary is None:
        return "no ffmpeg binary on PATH"
    try:
        first = subprocess.run(
            [binary, "-version"], capture_output=True, text=True, timeout=30, check=False
        ).stdout.splitlines()
    except (OSError, subprocess.SubprocessError):
        return f"{binary} (version unknown)"
    return first[0] if first else binary


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m bench",
        description=(__doc__ or "").split("\n")[0],
        formatter_class=argparse.ArgumentDefaultsHelpFormatter,
    )
    parser.add_argument("--seconds", type=float, default=240.0, help="film length in seconds")
    parser.add_argument("--width", type=int, default=1920, help="film width")
    parser.add_argument("--height", type=int, default=1080, help="film height")
    parser.add_argument("--films", type=Path, default=FILMS, help="folder films are kept in")
    parser.add_argument("--repeat", type=int, default=1, help="runs per method; the best wall")
    parser.add_argument(
        "--skip",
        default="",
        help=f"comma-separated steps to skip: {','.join(ORDER + EXTRAS)}",
    )
    parser.add_argument(
        "--steady-seconds",
        type=float,
        default=60.0,
        help="length of the second, shorter film that separates one-off from per-frame costs "
        "(0 to skip)",
    )
    parser.add_argument(
        "--memory-seconds",
        default="",
        metavar="A,B",
        help="also compare scenepal analyze's peak RSS on an A- and a B-second film "
        "(60,1200 makes a 20-minute film: about 25 minutes the first time)",
    )
    parser.add_argument(
        "--timeout", type=float, default=TIMEOUT_S, help="seconds before a child is killed"
    )
    args = parser.parse_args(argv)
    args.skip = {s.strip() for s in args.skip.split(",") if s.strip()}
    unknown = args.skip - set(ORDER + EXTRAS)
    if unknown:
        parser.error(f"unknown --skip name(s): {', '.join(sorted(unknown))}")
    if args.repeat < 1:
        parser.error("--repeat must be >= 1")
    if args.memory_seconds:
        try:
            short, long = (float(x) for x in args.memory_seconds.split(","))
        except ValueError:
            parser.error("--memory-seconds takes two lengths, e.g. 60,1200")
        args.memory_seconds = (short, long)
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    began = time.perf_counter()
    load_before = loadavg()

    film, made_s = make_film(args.seconds, args.width, args.height, args.films)
    short_film: Path | None = None
    if args.steady_seconds and args.steady_seconds < args.seconds:
        short_film, spent = make_film(args.steady_seconds, args.width, args.height, args.films)
        made_s += spent
    memory_films: list[tuple[float, Path]] = []
    for seconds in args.memory_seconds or ():
        path, spent = make_film(seconds, args.width, args.height, args.films)
        memory_films.append((seconds, path))
        made_s += spent
    films_ready = time.perf_counter()

    log("reading the machine and the film")
    about = child("info", str(film), timeout=args.timeout).extra
    frames = int(about["film"]["frames"])

    runs: dict[str, Run] = {}
    failures: dict[str, str] = {}
    skipped: dict[str, str] = {m: "skipped (--skip)" for m in ORDER if m in args.skip}
    extras: dict[str, Run] = {}
    memory: list[tuple[float, Run]] = []
    with tempfile.TemporaryDirectory(prefix="scenepal-bench-") as tmp:
        outs: dict[str, Path] = {}
        for round_ in range(1, args.repeat + 1):
            for method in ORDER:
                if method in skipped or method in failures:
                    continue
                log(f"[{round_}/{args.repeat}] {LABELS[method]} ... (load {loadavg()})")
                out = Path(tmp) / f"{method}-{round_}"
                try:
                    run = run_method(method, film, out, args.timeout)
                except ChildError as exc:
                    failures[method] = str(exc)
                    log(f"  failed: {exc}")
                    continue
                if run is None:
                    skipped[method] = "skipped (no ffmpeg binary)"
                    continue
                log(f"  wall {run.wall:.1f} s, peak {run.peak_mb:.0f} MB")
                if method not in runs or run.wall < runs[method].wall:
                    runs[method] = run
                    outs[method] = out
        short: dict[str, Run] = {}
        if short_film is not None and {"decode", "analyze"} <= runs.keys():
            for round_ in range(1, args.repeat + 1):
                for method in ("decode", "analyze"):
                    log(f"[{round_}/{args.repeat}] {args.steady_seconds:g} s film: {method} ...")
                    try:
                        run = run_method(method, short_film, Path(tmp) / f"short-{method}-{round_}",
                                         args.timeout)  # fmt: skip
                    except ChildError as exc:
                        failures[f"{method} on the short film"] = str(exc)
                        continue
                    if run is not None and (method not in short or run.wall < short[method].wall):
                        short[method] = run
        if "kmeans" not in args.skip:
            log("KMeans comparison ...")
            try:
                extras["kmeans"] = child("kmeans", str(film), timeout=args.timeout)
            except ChildError as exc:
                failures["kmeans"] = str(exc)
        if "closeness" not in args.skip and {"analyze", "preview"} <= outs.keys():
            log("preview closeness ...")
            try:
                extras["closeness"] = child(
                    "closeness", str(outs["analyze"]), str(outs["preview"]), timeout=args.timeout
                )
            except ChildError as exc:
                failures["closeness"] = str(exc)
        for seconds, path in memory_films:
            log(f"memory: scenepal analyze on the {seconds:g} s film ...")
            try:
                memory.append(
                    (seconds, child("analyze", str(path), str(Path(tmp) / f"mem-{seconds:g}"),
                                    timeout=args.timeout)),
                )  # fmt: skip
            except ChildError as exc:
                failures[f"memory {seconds:g} s"] = str(exc)

    report(args, film, about, frames, runs, skipped, failures, extras, memory, short)
    ended = time.perf_counter()
    print(
        f"\nbench took {ended - began:.0f} s ({ended - films_ready:.0f} s of runs, "
        f"{made_s:.0f} s making or checking films); bench process peak RSS "
        f"{own_peak_mb():.0f} MB (a floor under the children's peaks)"
    )
    print(f"load average (1/5/15 min): before {load_before}, after {loadavg()}")
    return 1 if failures else 0


FEATURE_S = 7200.0
"""A feature film's length, for the projected ratio."""


def _steady(
    args: argparse.Namespace, runs: dict[str, Run], short: dict[str, Run]
) -> dict[str, float] | None:
    """Per-second and one-off costs from two film lengths, and the ratio a 2-hour film sees."""
    if not {"decode", "analyze"} <= runs.keys() or not {"decode", "analyze"} <= short.keys():
        return None
    span = args.seconds - args.steady_seconds
    rate = {m: (runs[m].wall - short[m].wall) / span for m in ("decode", "analyze")}
    if rate["decode"] <= 0:
        return None
    fixed = {m: runs[m].wall - rate[m] * args.seconds for m in ("decode", "analyze")}
    feature = (fixed["analyze"] + rate["analyze"] * FEATURE_S) / (
        fixed["decode"] + rate["decode"] * FEATURE_S
    )
    return {
        "marginal": rate["analyze"] / rate["decode"],
        "fixed_s": fixed["analyze"] - fixed["decode"],
        "feature": feature,
    }


def report(
    args: argparse.Namespace,
    film: Path,
    about: dict[str, Any],
    frames: int,
    runs: dict[str, Run],
    skipped: dict[str, str],
    failures: dict[str, str],
    extras: dict[str, Run],
    memory: list[tuple[float, Run]],
    short: dict[str, Run],
) -> None:
    """Print the report: header, table, extra figures and targets."""
    f = about["film"]
    print(
        f"machine: {about['cpu_model']}, {about['cores']} cores, {about['ram_gb']:.0f} GB RAM, "
        f"Python {about['python']}, PyAV {about['pyav']} (FFmpeg {about['ffmpeg_libs']}), "
        f"ffmpeg CLI: {ffmpeg_version()}, scenedetect {about['scenedetect']}, "
        f"scikit-learn {about['sklearn']}, OpenCV {about['opencv']}, NumPy {about['numpy']}"
    )
    print(
        f"film: {film.name}, {f['width']}x{f['height']} {f['codec']}, {frames} frames at "
        f"{f['fps']:g} fps ({f['duration_s']:.0f} s), {film.stat().st_size / 2**20:.0f} MB; "
        f"best of {args.repeat} run(s) per method"
    )
    print()
    reference = runs["decode"].wall if "decode" in runs else None
    print(
        "| method | wall s | child total s | frames/s | x decode-only | peak RSS MB "
        "| CPU (2.0 = both cores) |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|")
    for method in ORDER:
        if method in runs:
            r = runs[method]
            ratio = f"{r.wall / reference:.2f}" if reference else "-"
            print(
                f"| {LABELS[method]} | {r.wall:.1f} | {r.total:.1f} | {frames / r.wall:.0f} | "
                f"{ratio} | {r.peak_mb:.0f} | {r.cpu:.2f} |"
            )
        else:
            why = skipped.get(method) or f"FAILED: {failures.get(method, '?')}"
            print(f"| {LABELS[method]} | {why} | | | | | |")
    print(
        "wall: timed in the child after its imports; child total: interpreter start, imports "
        "and exit included; frames/s: the film's frames / wall (the preview decodes only "
        "keyframes); CPU: (user + system) / wall over the timed work (whole child for ffmpeg)."
    )
    if "seed" in runs:
        s = runs["seed"].extra
        print(
            f"seed method: {s['scenes']} scenes, {s['palettes']} middle frames read, each scaled "
            "to 256 px wide (INTER_AREA) before KMeans(k=5, n_init=1) on RGB; full-size frames "
            "would cluster 2 million pixels each."
        )

    if "analyze" in runs:
        a = runs["analyze"]
        share = a.extra["clustering_s"] / a.wall
        print(
            f"\nclustering share: scenepal.results._palette_of took "
            f"{a.extra['clustering_s']:.1f} s summed over {a.extra['clustered']} scenes "
            f"({a.extra['scenes']} in the analysis), "
            f"{share:.0%} of the {a.wall:.1f} s analysis wall; of it, "
            f"{a.extra['importing_call_s']:.1f} s is the first clustered scene, which also "
            "imports scikit-learn. It runs in a worker thread while decoding goes on, so it is "
            "time competing with the decoder for the CPU, not wall time added end to end."
        )
    if "analyze" in runs and "outputs_s" in runs["analyze"].extra:
        print(
            f"writing the outputs (barcode, palette sheet, JSON, CSV) took "
            f"{runs['analyze'].extra['outputs_s']:.1f} s of the analysis wall, after decoding."
        )
    steady = _steady(args, runs, short)
    if steady is not None:
        print(
            f"\nper second of film, from this film and the {args.steady_seconds:g} s one "
            f"(decode {short['decode'].wall:.1f} s, analyze {short['analyze'].wall:.1f} s there): "
            f"analyze costs {steady['marginal']:.2f}x what decoding does; its one-off costs "
            f"come to {steady['fixed_s']:.1f} s more than decoding's. A 2-hour film at these "
            f"rates: analyze / decode-only = {steady['feature']:.2f}."
        )
    if "kmeans" in extras:
        k = extras["kmeans"].extra
        print(
            f"\nper-scene clustering on the sampled pixels of the first {k['scenes']} non-black "
            f"scenes (mean {k['pixels']} pixels, {k['distinct']} distinct colours a scene), k=5, "
            "CIELAB, one thread; every method clusters the distinct colours weighted by count, "
            "as scenepal does. Quality: mean CIEDE2000 from each pixel to its nearest swatch. "
            f"(sklearn's n_init='auto' means {k['defaults_n_init']} run(s) for MiniBatchKMeans.)"
        )
        print("| method | ms per scene | mean CIEDE2000 pixel -> swatch |")
        print("|---|---:|---:|")
        for name, row in k["kmeans"].items():
            print(f"| {name} | {row['ms_per_scene']:.1f} | {row['mean_delta_e']:.3f} |")
    if "closeness" in extras:
        c = extras["closeness"].extra
        print(
            f"\npreview vs full ({c['preview_scenes']} vs {c['full_scenes']} scenes), CIEDE2000: "
            f"barcode 1200x200 per pixel mean {c['pixel_mean']:.2f}, p90 {c['pixel_p90']:.2f}; "
            f"barcode column mean colour median {c['column_median']:.2f}, mean "
            f"{c['column_mean']:.2f}; film palette (each preview swatch to the nearest full "
            f"swatch, weight-averaged) {c['film_palette']:.2f}"
        )
    if "analyze" in runs and "preview" in runs:
        print(
            f"preview speed-up: {runs['analyze'].wall / runs['preview'].wall:.1f}x "
            f"({runs['preview'].wall:.1f} s vs {runs['analyze'].wall:.1f} s)"
        )
    if memory:
        print("\nmemory, scenepal analyze (fresh process each):")
        for seconds, run in memory:
            print(f"  {seconds:g} s film: peak RSS {run.peak_mb:.0f} MB, wall {run.wall:.1f} s")

    print("\ntargets:")

    def verdict(ok: bool) -> str:
        return "met" if ok else "NOT met"

    if reference and "analyze" in runs:
        slower = runs["analyze"].wall / reference
        print(f"  analyze / decode-only = {slower:.2f} (target <= 1.15): {verdict(slower <= 1.15)}")
    if steady is not None:
        feature = steady["feature"]
        print(
            f"  per second of film: {steady['marginal']:.2f}; projected 2-hour film: "
            f"{feature:.2f} (target <= 1.15): {verdict(feature <= 1.15)}"
        )
    if "analyze" in runs and "scenedetect" in runs:
        ours, theirs = runs["analyze"].wall, runs["scenedetect"].wall
        print(
            f"  analyze {ours:.1f} s vs scenedetect.detect {theirs:.1f} s = {ours / theirs:.2f} "
            f"(target: no slower): {verdict(ours <= theirs)}"
        )
    if "analyze" in runs and "preview" in runs:
        speed = runs["analyze"].wall / runs["preview"].wall
        print(f"  preview speed-up = {speed:.1f}x (target >= 5x): {verdict(speed >= 5)}")
    if len(memory) == 2:
        (s0, r0), (s1, r1) = memory
        growth = r1.peak_mb / r0.peak_mb - 1
        ok = abs(growth) < 0.2 and max(r0.peak_mb, r1.peak_mb) < 1024
        print(
            f"  memory: {r0.peak_mb:.0f} MB ({s0:g} s) vs {r1.peak_mb:.0f} MB ({s1:g} s), "
            f"{growth:+.0%} (target: within 20 %, both < 1 GB): {verdict(ok)}"
        )
    else:
        print("  memory: not measured (--memory-seconds A,B)")
    for name, why in failures.items():
        print(f"  FAILED {name}: {why}")


if __name__ == "__main__":
    raise SystemExit(main())
