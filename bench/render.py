"""What redrawing a feature film's pictures costs: ``python -m bench.render [--scenes N]``.

Builds a synthetic analysis of a two-hour film (1,500 scenes by default, lengths drawn from a
log-normal, five-colour palettes, statistics from each palette's pixels, a frame timeline of
172,800 frames at 24 fps), writes it with ``write_outputs`` and then times, best of
``--rounds``: reading it back (analysis.json and timeline.bin), each default picture of the
output folder, and every barcode mode in every format at its default size through
``scenepal.render``. Nothing here opens a film.
"""

from __future__ import annotations

import argparse
import dataclasses
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

import scenepal
from scenepal import color
from scenepal.config import AnalysisConfig
from scenepal.frametimeline import FrameTimeline
from scenepal.models import Analysis, Palette, Scene, SceneResult, Swatch, VideoInfo
from scenepal.outputs import figure_png, render_files
from scenepal.render.barcodes import MODES
from scenepal.render.plots import PLOTS
from scenepal.render.sheet import sheets
from scenepal.rendering import FORMATS
from scenepal.results import film_palette_of, film_stats_of
from scenepal.stats import scene_stats

FPS = 24.0


def synthetic_film(scenes: int, seconds: float, seed: int) -> Analysis:
    """A two-hour analysis with ``scenes`` scenes, statistics and a frame timeline."""
    rng = np.random.default_rng(seed)
    lengths = rng.lognormal(0.0, 0.9, scenes)
    frames = np.maximum(1, np.round(lengths / lengths.sum() * seconds * FPS)).astype(int)
    edges = np.concatenate([[0], np.cumsum(frames)])
    results = []
    for i in range(scenes):
        rgb = rng.integers(0, 256, (5, 3))
        weights = np.sort(rng.dirichlet(np.ones(5)))[::-1]
        lab = color.srgb_to_lab(rgb / 255.0)
        palette = Palette(
            tuple(
                Swatch(tuple(int(c) for c in rgb[k]), tuple(float(v) for v in lab[k]), float(w))  # type: ignore[arg-type]
                for k, w in enumerate(weights)
            )
        )
        pixels = rgb[rng.choice(5, size=2000, p=weights)].astype(np.uint8)
        start, end = int(edges[i]), int(edges[i + 1])
        results.append(
            SceneResult(
                Scene(i, start, end, start / FPS, end / FPS),
                palette,
                tuple(int(c) for c in color.to_uint8(color.mean_srgb(pixels / 255.0))),  # type: ignore[arg-type]
                False,
                10,
                2000,
                stats=scene_stats(pixels),
            )
        )
    total = int(edges[-1])
    walk = np.cumsum(rng.normal(0, 900, (total, 3)), axis=0) % 131070
    linear = np.abs(walk - 65535).astype(np.uint16)
    settings = AnalysisConfig()
    video = VideoInfo(
        "feature.mkv", 1920, 1080, FPS, total, total / FPS, "h264", 0, False,
        scenepal.ColorInfo("bt709", "limited", "bt709", "bt709", 8, "yuv420p"),
    )  # fmt: skip
    return Analysis(
        video=video,
        frame_count=total,
        duration_s=total / FPS,
        crop=None,
        settings=settings,
        scenes=tuple(results),
        palette=film_palette_of(results, settings),
        scenepal_version=scenepal.__version__,
        stats=film_stats_of(results),
        timeline=FrameTimeline(np.arange(total) / FPS, linear),
    )


def best(work: Callable[[], object], rounds: int) -> float:
    """The fastest of ``rounds`` runs of ``work``, in seconds."""
    walls = []
    for _ in range(rounds):
        start = time.perf_counter()
        work()
        walls.append(time.perf_counter() - start)
    return min(walls)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scenes", type=int, default=1500)
    parser.add_argument("--seconds", type=float, default=7200.0)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    start = time.perf_counter()
    film = synthetic_film(args.scenes, args.seconds, args.seed)
    made = time.perf_counter() - start
    print(f"synthetic film: {len(film.scenes)} scenes, {film.frame_count} frames ({made:.1f} s)")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "feature.scenepal"
        wall = best(lambda: scenepal.write_outputs(film, folder), 1)
        count = len(list(folder.iterdir()))
        size = (folder / "timeline.bin").stat().st_size / 1e6
        print(f"write_outputs, all {count} files: {wall:.2f} s; timeline.bin {size:.1f} MB")
        loaded = scenepal.load_analysis(folder)
        if dataclasses.replace(loaded, scenepal_version=film.scenepal_version) != film:
            raise SystemExit("the analysis did not read back equal")
        rows = _timings(loaded, folder, args.rounds)
    width = max(len(name) for name, _ in rows)
    for name, seconds in rows:
        print(f"{name:<{width}}  {seconds:7.3f} s")
    return 0


def _timings(film: Analysis, folder: Path, rounds: int) -> list[tuple[str, float]]:
    """(what, best seconds) of reading the analysis back and of each picture."""
    version = film.scenepal_version
    pages = len(sheets(film))
    jobs: list[tuple[str, Callable[[], object], int]] = [
        ("read analysis.json + timeline.bin", lambda: scenepal.load_analysis(folder), rounds),
        ("barcode.png (scenes, 2400x800)", lambda: scenepal.render(film, "scenes"), rounds),
        (
            f"palettes pages ({pages}), all",
            lambda: [figure_png(f, version) for f in sheets(film)],
            1,
        ),
    ]
    for name, plot in PLOTS.items():
        jobs.append((f"{name}.png", lambda plot=plot: figure_png(plot(film), version), rounds))
    jobs.append(("all default outputs (render_files)", lambda: render_files(film), 1))
    for mode in MODES:
        for kind in FORMATS:
            draw = lambda m=mode, k=kind: scenepal.render(film, m, formats=k)  # noqa: E731
            jobs.append((f"barcode-{mode}.{kind} (default size)", draw, rounds))
    return [(name, best(work, n)) for name, work, n in jobs]


if __name__ == "__main__":
    raise SystemExit(main())
