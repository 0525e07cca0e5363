"""What the colour statistics cost: ``python -m bench.stats_cost [--rounds N] [--film F]``.

Runs scenepal analyze on the bench film in fresh processes, alternating with and without the
statistics (``bench._child analyze`` and ``analyze_without_stats``), so that a busy, noisy
machine weighs on both alike; prints each run and the medians: the analysis wall (decoding
pass, statistics included), the outputs wall (the plots and report.html are drawn only with
statistics), the analysis's CPU time (all threads: what a busy machine disturbs least) and the
extra share of each.
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
from pathlib import Path

from bench.__main__ import FILMS, child, make_film


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3, help="runs of each, alternating")
    parser.add_argument("--seconds", type=float, default=240.0, help="bench film length")
    parser.add_argument("--width", type=int, default=1920)
    parser.add_argument("--height", type=int, default=1080)
    parser.add_argument("--films", type=Path, default=FILMS)
    parser.add_argument("--film", type=Path, help="an existing film instead of the bench film")
    args = parser.parse_args(argv)
    if args.film is not None:
        film = args.film.resolve()
    else:
        film, _ = make_film(args.seconds, args.width, args.height, args.films)
    runs: dict[str, list[tuple[float, float]]] = {"analyze": [], "analyze_without_stats": []}
    cpus: dict[str, list[float]] = {step: [] for step in runs}
    for round_ in range(args.rounds):
        order = list(runs) if round_ % 2 == 0 else list(runs)[::-1]
        for step in order:
            with tempfile.TemporaryDirectory() as out:
                run = child(step, str(film), str(Path(out) / "o"), timeout=1800)
            outputs = float(run.extra.get("outputs_s", 0.0))
            runs[step].append((run.wall - outputs, outputs))
            cpus[step].append(float(run.extra.get("analysis_cpu_s", float("nan"))))
            print(
                f"round {round_ + 1} {step:22s} analysis {run.wall - outputs:6.2f} s "
                f"(CPU {cpus[step][-1]:6.2f} s)  outputs {outputs:5.2f} s  "
                f"load {os.getloadavg()[0]:.2f}",
                flush=True,
            )
    with_s = [a for a, _ in runs["analyze"]]
    without = [a for a, _ in runs["analyze_without_stats"]]
    out_with = [o for _, o in runs["analyze"]]
    out_without = [o for _, o in runs["analyze_without_stats"]]
    a, b = statistics.median(with_s), statistics.median(without)
    c, d = statistics.median(out_with), statistics.median(out_without)
    print(f"median analysis: with statistics {a:.2f} s, without {b:.2f} s: {a / b - 1:+.1%}")
    print(f"median outputs: with statistics (plots, report) {c:.2f} s, without {d:.2f} s")
    print(f"median total: {a + c:.2f} s against {b + d:.2f} s: {(a + c) / (b + d) - 1:+.1%}")
    e, f = statistics.median(cpus["analyze"]), statistics.median(cpus["analyze_without_stats"])
    print(
        f"median analysis CPU time: with statistics {e:.2f} s, without {f:.2f} s: {e / f - 1:+.1%}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
