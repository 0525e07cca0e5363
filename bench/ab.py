"""A/B timing of scenepal.analyze from two source trees, alternately, on one film.

    python bench/ab.py FILM /path/to/tree/a /path/to/tree/b --rounds 4

Each run is a fresh interpreter with the tree first on ``sys.path`` (a checkout, or a
``git archive`` of one); the wall is timed inside the child, after the imports, around
``scenepal.analyze`` alone. On a shared, noisy machine only the ratio of runs taken one after the
other means something: the report gives each round's ratio and their median, for the wall and
for the CPU time (user + system, all threads), which a busy machine disturbs much less.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
from pathlib import Path

CHILD = """
import json, sys, time
sys.path.insert(0, sys.argv[1])
import scenepal
from scenepal import pipeline  # noqa: F401  (imported before the clock starts)
import sklearn.cluster  # noqa: F401  (both trees import it; not what is compared)
start, cpu = time.perf_counter(), time.process_time()
analysis = scenepal.analyze(sys.argv[2])
wall, cpu = time.perf_counter() - start, time.process_time() - cpu
print(json.dumps({"wall": wall, "cpu": cpu, "scenes": len(analysis.scenes)}))
"""


def run(tree: Path, film: Path) -> dict[str, float]:
    """One analysis in a fresh interpreter: its wall, CPU time and scene count."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    out = subprocess.run(
        [sys.executable, "-c", CHILD, str(tree), str(film)],
        capture_output=True,
        text=True,
        check=True,
        env=env,
        cwd="/",
    )
    result: dict[str, float] = json.loads(out.stdout.strip().splitlines()[-1])
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("film", type=Path)
    parser.add_argument("a", type=Path, help="source tree A (the reference)")
    parser.add_argument("b", type=Path, help="source tree B")
    parser.add_argument("--rounds", type=int, default=4)
    args = parser.parse_args(argv)
    ratios: list[float] = []
    cpu_ratios: list[float] = []
    loads: list[float] = []
    for k in range(args.rounds):
        first, second = (args.a, args.b) if k % 2 == 0 else (args.b, args.a)
        film = args.film.resolve()
        walls = {first: run(first, film), second: run(second, film)}
        a, b = walls[args.a], walls[args.b]
        ratios.append(b["wall"] / a["wall"])
        cpu_ratios.append(b["cpu"] / a["cpu"])
        load = os.getloadavg()[0]
        loads.append(load)
        print(
            f"round {k + 1}: A {a['wall']:.2f} s ({a['scenes']} scenes), "
            f"B {b['wall']:.2f} s ({b['scenes']} scenes), B/A {ratios[-1]:.3f}; "
            f"CPU A {a['cpu']:.1f} s, B {b['cpu']:.1f} s, B/A {cpu_ratios[-1]:.3f}; "
            f"load {load:.2f}",
            flush=True,
        )
    for label, values in (("wall", ratios), ("CPU time", cpu_ratios)):
        q = statistics.quantiles(values, n=4) if len(values) > 1 else [values[0]] * 3
        print(
            f"{label}: median B/A {statistics.median(values):.3f} over {len(values)} rounds "
            f"(quartiles {q[0]:.3f}-{q[2]:.3f}, range {min(values):.3f}-{max(values):.3f})"
        )
    print(f"1-minute load average {min(loads):.2f}-{max(loads):.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
