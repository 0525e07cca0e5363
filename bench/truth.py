"""Palette truth on takes with known light changes and transitions (issue 10's table).

    python bench/truth.py                  # the table for the scenepal found first on the path
    cd /tmp && PYTHONPATH=/path/to/old/checkout python /path/to/bench/truth.py --json before.json

For each take (a graded photograph with camera move, grain and flicker, from
``tests/takes.py``), the film is analysed and the scene that covers most of the take is
compared with a k-means reference (k = the palette size, n_init 10, CIELAB) fitted on every
frame of the take that truly shows its picture (fades, dips, dissolves and black left out):
the ratio is scenepal's mean pixel-to-swatch CIEDE2000 over those frames' pixels to the
reference's, scenepal's error being the median over ``--seeds`` clustering seeds (k-means has
close local minima: one seed's palette can be 15 % worse than another's on the same pixels);
the "worst seed" column is the worst of them, what one unlucky analysis gets.
The reference pixels are decoded by scenepal's own reader (``--decoder scenepal``, the
default), so that only the sampling and the clustering are judged: PyAV's ``rgb24`` conversion
(swscale, ``--decoder pyav``) is about one 8-bit level darker than the encoded truth, which alone
makes a near-black shot's palette look 1.5x to 2x worse than a reference fitted to those pixels.
The sampling ratio judges the sampling alone: scenepal's error over that of its own clustering
(same seeds) on a uniform sample of every kept frame's pixels.
``excluded`` is the frames scenepal left out of the take's scenes (older versions
do not report it: for them it is estimated from the sampled frames they dropped, times the
sampling period).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

import numpy as np  # noqa: E402
from takes import (  # noqa: E402
    Take,
    TakesTruth,
    brighten,
    dim,
    dip,
    fade_in,
    fade_out,
    flash,
    pixel_error,
    read_frames,
    reference_error,
    settle,
    shot_pixels,
    strobe,
    write_takes,
)

import scenepal  # noqa: E402

WIDTH, HEIGHT, FPS = 256, 144, 24


def films() -> dict[str, tuple[list[Take], list[int]]]:
    """Film name -> (takes, indices of the takes measured)."""
    sunset = tuple(1.0 - 0.6 * k / 143 for k in range(144))
    return {
        "ordinary": (
            [Take("coffee", "neutral", 96), Take("astronaut", "teal_orange", 96)],
            [0, 1],
        ),
        "dim": ([Take("coffee", "warm", 144, gains=dim(144))], [0]),
        "brighten": ([Take("chelsea", "neutral", 144, gains=brighten(144))], [0]),
        "exposure": ([Take("astronaut", "neutral", 120, gains=settle(120))], [0]),
        "sunset": ([Take("rocket", "warm", 144, gains=sunset)], [0]),
        "night_flash": ([Take("rocket", "night", 120, gains=flash(120, night=1.0))], [0]),
        "near_black_night": ([Take("rocket", "night", 120, gains=flash(120))], [0]),
        "strobe": ([Take("camera", "cool", 96, gains=strobe(96))], [0]),
        "fade_out_in": (
            [
                Take("coffee", "warm", 108, gains=fade_out(108, 24, 12), fade_out=36),
                Take("chelsea", "cool", 96, gains=fade_in(96, 24), fade_in=24),
            ],
            [0, 1],
        ),
        "dip": (
            [
                Take(
                    "astronaut",
                    "neutral",
                    144,
                    gains=dip(144, at=50, down=12, black=6, up=12),
                    dips=((50, 80),),
                )
            ],
            [0],
        ),
        "dissolve": (
            [Take("coffee", "neutral", 96, dissolve=24), Take("rocket", "cool", 96)],
            [0, 1],
        ),
        "dissolve_cut": (
            [Take("coffee", "warm", 96, dissolve=8), Take("camera", "bleach_bypass", 96)],
            [0, 1],
        ),
        "mixed_aspect": (  # letterbox, full frame, ...: as films with large-format sequences
            [
                Take("coffee", "warm", 72, letterbox=2.39),
                Take("grass", "neutral", 72),
                Take("chelsea", "teal_orange", 72, letterbox=2.39),
                Take("astronaut", "cool", 72),
                Take("rocket", "matte", 72, letterbox=2.39),
            ],
            [0, 1, 2, 3, 4],
        ),
        "letterboxed_night": (  # 2.39:1, the picture at the black level, a flash
            [Take("rocket", "night", 120, gains=flash(120), letterbox=2.39)],
            [0],
        ),
    }


def excluded_frames(analysis: Any, fps: int) -> tuple[int, str]:
    """Frames the analysis left out, and how they split by reason (or how it was estimated)."""
    total, reasons = 0, {}
    for r in analysis.scenes:
        counts = getattr(r, "excluded", None)
        if counts is not None:
            for key in ("black", "fade_in", "fade_out", "dip", "dissolve"):
                n = int(getattr(counts, key))
                total += n
                reasons[key] = reasons.get(key, 0) + n
        else:  # older scenepal: sampled frames dropped, times the sampling period
            period = max(1, min(round(fps / 4.0), 15 // 2))
            samples = -(-r.scene.frame_count // period)
            total += max(0, samples - r.sampled_frames) * period
    if not reasons:
        return total, "estimated"
    return total, " ".join(f"{k} {v}" for k, v in reasons.items() if v)


def decoded_frames(path: Path, decoder: str) -> list[np.ndarray]:
    """Every frame of a film as uint8 (H, W, 3) sRGB, from scenepal's reader or PyAV's rgb24."""
    if decoder == "pyav":
        return read_frames(path)
    from scenepal.video import open_video

    with open_video(path, width=WIDTH) as reader:
        return [frame.rgb for frame in reader.frames()]


def every_frame_error(pixels: np.ndarray, colors: int, seeds: int) -> float:
    """The error of scenepal's own clustering on a uniform 12,000-pixel sample of every kept
    frame (median over seeds): scenepal's error over this one is what its sampling costs."""
    from scenepal.palette import extract_palette

    errors = []
    for seed in range(seeds):
        drawn = pixels[np.random.default_rng(seed).choice(len(pixels), 12_000, replace=False)]
        palette = extract_palette(drawn, colors=colors, seed=seed)
        errors.append(pixel_error(pixels, np.array([s.lab for s in palette.swatches])))
    return float(np.median(errors))


def has_bar_black(result: Any, pixels: np.ndarray) -> bool:
    """True when the palette holds a swatch darker than the picture (the bars' black): under
    half the 5th percentile of the picture's L* (or of 20, for dark pictures)."""
    from scenepal import color

    lab = color.srgb_to_lab(pixels.astype(np.float64) / 255.0)
    p5 = float(np.percentile(lab[:, 0], 5))
    darkest = min(s.lab[0] for s in result.palette.swatches)
    return bool(darkest <= min(p5, 20.0) / 2)


def crop_matches(crop: Any, area: tuple[int, int, int, int]) -> bool:
    """True when a scene's crop is the shot's picture area to within 2 pixels."""
    if crop is None:
        return False
    got = (crop.x, crop.y, crop.width, crop.height)
    return all(abs(g - t) <= 2 for g, t in zip(got, area, strict=True))


def measure(
    name: str, truth: TakesTruth, measured: list[int], colors: int, seeds: int, decoder: str
) -> dict[str, Any]:
    runs = [scenepal.analyze(truth.path, colors=colors, seed=seed) for seed in range(seeds)]
    analysis = runs[0]
    frames = decoded_frames(truth.path, decoder)
    transition = set().union(*(shot.transition for shot in truth.shots))
    excluded, reasons = excluded_frames(analysis, truth.fps)
    ratios, worst = [], []
    bar_black, crops = 0, []
    same: list[float] = []
    for n in measured:
        shot = truth.shots[n]
        kept = set(shot.kept)
        pixels = shot_pixels(frames, shot)
        errors = []
        for run in runs:  # the median over clustering seeds: k-means has close local minima
            best = max(
                run.scenes,
                key=lambda r: len(kept & set(range(r.scene.start_frame, r.scene.end_frame))),
            )
            errors.append(pixel_error(pixels, np.array([s.lab for s in best.palette.swatches])))
        ours = float(np.median(errors))
        ref = reference_error(pixels, k=colors)
        ratios.append((round(ours, 3), round(ref, 3), round(ours / ref, 3)))
        worst.append(round(max(errors) / ref, 3))
        same.append(round(ours / every_frame_error(pixels, colors, seeds), 3))
        scene = max(
            analysis.scenes,
            key=lambda r: len(kept & set(range(r.scene.start_frame, r.scene.end_frame))),
        )
        if has_bar_black(scene, pixels):
            bar_black += 1
        if shot.area[:2] != (0, 0):  # letterboxed or pillarboxed: the crop the scene reports
            crops.append(crop_matches(getattr(scene, "crop", None), shot.area))
    return {
        "film": name,
        "frames": truth.frame_count,
        "true_transition": len(transition),
        "excluded": excluded,
        "reasons": reasons,
        "scenes": len(analysis.scenes),
        "takes": ratios,
        "worst_seed": worst,
        "sampling": same,
        "bar_black": bar_black,
        "crops": "" if not crops else f"{sum(crops)}/{len(crops)}",
        "crop": None
        if analysis.crop is None
        else [analysis.crop.x, analysis.crop.y, analysis.crop.width, analysis.crop.height],
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--films", type=Path, default=Path("/tmp/scenepal-truth-films"))
    parser.add_argument("--json", type=Path, help="also write the rows here")
    parser.add_argument("--colors", type=int, default=5)
    parser.add_argument("--only", help="comma-separated film names")
    parser.add_argument("--seeds", type=int, default=3, help="analyses per film (seeds 0, 1, ..)")
    parser.add_argument(
        "--decoder",
        choices=("scenepal", "pyav"),
        default="scenepal",
        help="what decodes the reference's pixels",
    )
    args = parser.parse_args(argv)
    wanted = set(args.only.split(",")) if args.only else None
    rows: list[dict[str, Any]] = []
    started = time.perf_counter()
    for name, (takes, measured) in films().items():
        if wanted and name not in wanted:
            continue
        path = args.films / f"{name}.mp4"
        truth = write_takes(path, takes, width=WIDTH, height=HEIGHT, fps=FPS)
        rows.append(measure(name, truth, measured, args.colors, args.seeds, args.decoder))
        print(f"{name}: done", file=sys.stderr, flush=True)
    print(
        f"scenepal {scenepal.__version__} from {Path(scenepal.__file__).parent}; "
        f"reference pixels decoded by {args.decoder}"
    )
    print(
        "| film | frames | true transition | excluded (by reason) | scenes | ratio per take "
        "| worst seed | sampling ratio | takes with bar black | boxed takes with their crop |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|")
    for r in rows:
        ratios = ", ".join(f"{ratio:.2f} ({ours:.2f}/{ref:.2f})" for ours, ref, ratio in r["takes"])
        print(
            f"| {r['film']} | {r['frames']} | {r['true_transition']} | {r['excluded']} "
            f"({r['reasons']}) | {r['scenes']} | {ratios} | "
            f"{', '.join(f'{x:.2f}' for x in r.get('worst_seed', []))} | "
            f"{', '.join(f'{x:.2f}' for x in r['sampling'])} | {r['bar_black']} | {r['crops']} |"
        )
    print(f"({time.perf_counter() - started:.0f} s)", file=sys.stderr)
    if args.json:
        args.json.write_text(json.dumps(rows, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
