"""Palettes of real footage against k-means on every frame of each scene.

    python bench/footage.py FILM [FILM ...]
    cd /tmp && PYTHONPATH=/path/to/old/checkout python /path/to/bench/footage.py FILM

For each scene scenepal finds, every frame of the scene is decoded at the analysis width and
inside the scene's crop (the film's crop for versions without per-scene crops), a k-means
reference (k = the palette size, n_init 10, CIELAB) is fitted on a uniform sample of their
pixels, and scenepal's palette is scored on the same pixels: the ratio of the mean
pixel-to-swatch CIEDE2000, scenepal's taken as the median over three clustering seeds. With no
truth about transitions, every frame counts (a scene that fades out scores its fade too).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

import av
import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from takes import pixel_error, reference_error  # noqa: E402

import scenepal  # noqa: E402


def frames_at(path: Path, width: int, decoder: str = "scenepal") -> list[np.ndarray]:
    """Every frame at the analysis width: from scenepal's reader (the pixels its palettes see),
    or from PyAV's rgb24 conversion (swscale: about one 8-bit level darker)."""
    if decoder == "scenepal":
        from scenepal.video import open_video

        with open_video(path, width=width) as reader:
            return [frame.rgb for frame in reader.frames()]
    out = []
    with av.open(str(path)) as container:
        stream = container.streams.video[0]
        w = min(width, stream.codec_context.width)
        h = round(w * stream.codec_context.height / stream.codec_context.width)
        for frame in container.decode(stream):
            out.append(frame.reformat(width=w, height=h, format="rgb24").to_ndarray())
    return out


def measure(path: Path, seeds: int, decoder: str) -> list[dict[str, Any]]:
    runs = [scenepal.analyze(path, seed=seed) for seed in range(seeds)]
    first = runs[0]
    frames = frames_at(path, first.settings.analysis_width, decoder)
    sy = frames[0].shape[0] / first.video.height
    sx = frames[0].shape[1] / first.video.width
    rows = []
    rng = np.random.default_rng(0)
    for n, result in enumerate(first.scenes):
        crop = getattr(result, "crop", None) or first.crop
        picked = frames[result.scene.start_frame : result.scene.end_frame]
        if crop is not None:
            top, left = round(crop.y * sy) + 1, round(crop.x * sx) + 1
            bottom = round((crop.y + crop.height) * sy) - 1
            right = round((crop.x + crop.width) * sx) - 1
            picked = [f[top:bottom, left:right] for f in picked]
        pixels = np.concatenate([f.reshape(-1, 3) for f in picked])
        if len(pixels) > 40_000:
            pixels = pixels[rng.choice(len(pixels), 40_000, replace=False)]
        errors = [
            pixel_error(pixels, np.array([s.lab for s in run.scenes[n].palette.swatches]))
            for run in runs
        ]
        ref = reference_error(pixels, k=first.settings.colors)
        excluded = getattr(result, "excluded", None)
        rows.append(
            {
                "film": path.name,
                "scene": n,
                "frames": result.scene.frame_count,
                "excluded": "n/a" if excluded is None else excluded,
                "crop": crop,
                "ratio": float(np.median(errors)) / ref,
                "error": float(np.median(errors)),
                "reference": ref,
            }
        )
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("films", type=Path, nargs="+")
    parser.add_argument("--seeds", type=int, default=3)
    parser.add_argument("--decoder", choices=("scenepal", "pyav"), default="scenepal")
    args = parser.parse_args(argv)
    print(f"scenepal from {Path(scenepal.__file__).parent}; reference decoded by {args.decoder}")
    print("| film | scene | frames | excluded | crop | ratio (error/ref) |")
    print("|---|---|---|---|---|---|")
    for film in args.films:
        for r in measure(film, args.seeds, args.decoder):
            print(
                f"| {r['film']} | {r['scene']} | {r['frames']} | {r['excluded']} | {r['crop']} | "
                f"{r['ratio']:.2f} ({r['error']:.2f}/{r['reference']:.2f}) |"
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
