"""Throughput of ``scenepal batch`` against ``scenepal analyze`` run film after film, and the
best split of worker processes x decoder threads per film on this machine.

    python -m bench.batch                       # 8 copies of a 30 s 1080p film, 2 rounds
    python -m bench.batch --films 8 --seconds 30 --rounds 2 --splits 1x2,2x1,1x6,2x3

Every run is the command a user types, in a fresh process: ``sequential`` runs
``scenepal analyze FILM -o OUT`` once per film, one after the other (each with its own start-up,
as a shell loop would); ``batch WxT`` runs ``scenepal batch FOLDER -o CORPUS --workers W
--threads-per-film T`` into a fresh corpus (its cluster's start-up included). The machine may be
shared: the configurations are alternated (the order reversed every other round), every run is
compared with the sequential run of its own round, and the load average is printed before and
after each run. CPU is the run's user+system time (its worker processes included) over its
wall; CPU s per film is that time over the films, which contention for the cores inflates less
than it inflates walls.

Progress goes to stderr; the report goes to stdout.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

import av

from bench.__main__ import FILMS, loadavg, log, make_film, spawn

TIMEOUT_S = 60 * 60


@dataclass(frozen=True)
class Timed:
    """One run: its configuration, wall time, CPU use and the load averages around it."""

    name: str
    round: int
    wall: float
    cpu: float
    load_before: str
    load_after: str


def library(film: Path, count: int, folder: Path) -> int:
    """``count`` copies of ``film`` in ``folder``; the frames of one film."""
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(count):
        shutil.copyfile(film, folder / f"film{i:02d}{film.suffix}")
    with av.open(str(film)) as container:
        stream = container.streams.video[0]
        return sum(1 for packet in container.demux(stream) if packet.size)


def scenepal_cmd(*args: str) -> list[str]:
    return [sys.executable, "-m", "scenepal", *args]


def run_sequential(films: list[Path], work: Path) -> tuple[float, float]:
    """Each film analysed by its own ``scenepal analyze``, one after the other."""
    wall = busy = 0.0
    for film in films:
        _, total, usage = spawn(
            scenepal_cmd("analyze", str(film), "-o", str(work / film.name), "-q"), TIMEOUT_S
        )
        wall += total
        busy += usage.ru_utime + usage.ru_stime
    return wall, busy


def run_batch(folder: Path, corpus: Path, workers: int, threads: int) -> tuple[float, float]:
    _, total, usage = spawn(
        scenepal_cmd(
            "batch", str(folder), "-o", str(corpus), "-q", "--dashboard", ":0",
            "--workers", str(workers), "--threads-per-film", str(threads),
        ),
        TIMEOUT_S,
    )  # fmt: skip
    return total, usage.ru_utime + usage.ru_stime


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m bench.batch", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--films", type=int, default=8, help="films in the library (copies)")
    parser.add_argument("--seconds", type=float, default=30, help="length of each film")
    parser.add_argument("--width", type=int, default=1920)
    parser.add_argument("--height", type=int, default=1080)
    parser.add_argument("--rounds", type=int, default=2, help="rounds of every configuration")
    parser.add_argument(
        "--splits", default="1x2,2x1,1x6,2x3", help="worker processes x decoder threads to try"
    )
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    splits = [tuple(int(x) for x in s.split("x")) for s in args.splits.split(",")]
    film, _ = make_film(args.seconds, args.width, args.height, FILMS)
    names = ["sequential", *(f"batch {w}x{t}" for w, t in splits)]
    runs: list[Timed] = []
    with tempfile.TemporaryDirectory(prefix="bench-batch-") as tmp:
        folder = Path(tmp) / "films"
        frames = library(film, args.films, folder)
        films = sorted(folder.iterdir())
        size = f"{args.width}x{args.height}, {args.seconds:g} s"
        log(f"{args.films} films of {frames} frames ({size})")
        for r in range(args.rounds):
            order = names if r % 2 == 0 else names[::-1]
            for name in order:
                work = Path(tmp) / f"out-{r}-{name.replace(' ', '-')}"
                before = loadavg()
                if name == "sequential":
                    wall, busy = run_sequential(films, work)
                else:
                    w, t = (int(x) for x in name.split()[1].split("x"))
                    wall, busy = run_batch(folder, work, w, t)
                runs.append(Timed(name, r, wall, busy / wall, before, loadavg()))
                load = f"load {before} -> {loadavg()}"
                log(f"round {r + 1} {name}: {wall:.1f} s, CPU {busy / wall:.2f} ({load})")
                shutil.rmtree(work, ignore_errors=True)
    report(runs, names, args.films, frames)
    return 0


def report(runs: list[Timed], names: list[str], films: int, frames: int) -> None:
    seq = {r.round: r.wall for r in runs if r.name == "sequential"}
    print(f"{films} films x {frames} frames; walls are medians over rounds, ratios per round")
    print(
        "| configuration | wall s | films/hour | frames/s | x sequential (per round) | CPU "
        "| CPU s per film |"
    )
    print("|---|---|---|---|---|---|---|")
    for name in names:
        mine = [r for r in runs if r.name == name]
        wall = statistics.median(r.wall for r in mine)
        ratios = [seq[r.round] / r.wall for r in mine]
        print(
            f"| {name} | {wall:.1f} | {films * 3600 / wall:.0f} | {films * frames / wall:.0f} "
            f"| {statistics.median(ratios):.2f} ({', '.join(f'{x:.2f}' for x in ratios)}) "
            f"| {statistics.median(r.cpu for r in mine):.2f} "
            f"| {statistics.median(r.cpu * r.wall for r in mine) / films:.1f} |"
        )
    loads = [r.load_before for r in runs] + [runs[-1].load_after]
    print(f"load averages (1/5/15 min) before each run: {'; '.join(loads)}")


if __name__ == "__main__":
    raise SystemExit(main())
