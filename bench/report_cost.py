"""How heavy report.html is for a long film: ``python -m bench.report_cost [--rounds N]``.

Builds the report of a 2,000-scene analysis (hand-made scenes with statistics, as
``tests/test_report.py`` makes them; the barcode and plots drawn as ``scenepal report`` draws
them) and of a 20-scene one, and opens each in Debian's headless Chromium (``tests/chromium.py``,
over the DevTools pipe), alternately, ``--rounds`` times. For each page: its size, the time to
its load event (parsing, style, layout, decoding the inlined pictures), a screenshot of the first
screen (what a reader sees on opening it) and one of the whole page (everything painted).
(Headless Chromium records no first-contentful-paint entry before something asks for a frame.) The
small page is the reference on a shared, noisy machine: the ratios say what 2,000 scenes cost.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from analyses import make_analysis  # noqa: E402
from chromium import CHROMIUM, Browser  # noqa: E402
from stats_analyses import with_stats  # noqa: E402

from scenepal.models import Analysis  # noqa: E402
from scenepal.outputs import report_page  # noqa: E402

COLORS = [(200, 80, 40), (30, 60, 90), (220, 210, 190), (90, 150, 60), (60, 50, 45)]

SIZE_JS = "[document.documentElement.scrollWidth, document.documentElement.scrollHeight]"


def analysis_of(scenes: int) -> Analysis:
    """An analysis of ``scenes`` scenes of one to three seconds, three swatches each."""
    specs = [
        (
            1.0 + (i % 7) / 3,
            [(COLORS[i % 5], 0.5), (COLORS[(i + 2) % 5], 0.3), (COLORS[(i + 3) % 5], 0.2)],
        )
        for i in range(scenes)
    ]
    return with_stats(make_analysis(specs, colors=5), pixels=300)


def open_page(path: Path) -> dict[str, float]:
    """Load the page in a fresh browser: load event, the first screen painted, and the whole
    page painted (a screenshot at a quarter scale)."""
    with Browser() as browser:
        visit = browser.visit(path.as_uri())
        start = time.perf_counter()
        browser.call("Page.captureScreenshot", session=True)  # the first screen, as opened
        first = (time.perf_counter() - start) * 1000
        width, height = browser.evaluate(SIZE_JS)
        start = time.perf_counter()
        browser.call(
            "Page.captureScreenshot",
            session=True,
            captureBeyondViewport=True,
            clip={"x": 0, "y": 0, "width": width, "height": height, "scale": 0.25},
        )
        shot = (time.perf_counter() - start) * 1000
    return {
        "load_ms": visit.load_ms,
        "first_screen_ms": first,
        "screenshot_ms": shot,
        "height": height,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5, help="page loads of each, alternating")
    parser.add_argument("--scenes", type=int, default=2000, help="scenes of the big report")
    parser.add_argument("--small", type=int, default=20, help="scenes of the reference report")
    args = parser.parse_args(argv)
    if CHROMIUM is None:
        print("no chromium on PATH (make browser installs Debian's)", file=sys.stderr)
        return 1
    with tempfile.TemporaryDirectory(prefix="scenepal-report-") as tmp:
        pages = {}
        for n in (args.small, args.scenes):
            start = time.perf_counter()
            data = report_page(analysis_of(n))
            print(f"{n} scenes: report.html {len(data) / 1e6:.2f} MB, written in "
                  f"{time.perf_counter() - start:.2f} s (plots and barcode included)")  # fmt: skip
            pages[n] = Path(tmp) / f"report-{n}.html"
            pages[n].write_bytes(data)
        runs: dict[int, list[dict[str, float]]] = {n: [] for n in pages}
        for k in range(args.rounds):
            order = list(pages) if k % 2 == 0 else list(pages)[::-1]
            for n in order:
                run = open_page(pages[n])
                runs[n].append(run)
                print(f"round {k + 1}: {n} scenes: load {run['load_ms']:.0f} ms, first screen "
                      f"{run['first_screen_ms']:.0f} ms, whole page {run['screenshot_ms']:.0f} ms "
                      f"(page {run['height']:.0f} px tall); load {os.getloadavg()[0]:.2f}",
                      flush=True)  # fmt: skip
    for key in ("load_ms", "first_screen_ms", "screenshot_ms"):
        big = statistics.median(r[key] for r in runs[args.scenes])
        small = statistics.median(r[key] for r in runs[args.small])
        print(f"median {key}: {args.scenes} scenes {big:.0f} ms, {args.small} scenes "
              f"{small:.0f} ms ({big / small:.1f}x)")  # fmt: skip
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
