"""Draw the README's example barcodes (docs/barcodes/*.png) from an analysis.

    make demo                                  # the sample film and its analysis
    .venv/bin/python docs/barcodes/make_pictures.py [samples/sample.scenepal]

Small pictures, one per mode and one poster, drawn by ``scenepal.render`` from analysis.json
and timeline.bin alone.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import scenepal
from scenepal.render.barcodes import MODES

HERE = Path(__file__).resolve().parent
STRIP = (720, 160)
RING = (320, 320)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "analysis",
        nargs="?",
        type=Path,
        default=Path("samples/sample.scenepal"),
        help="an analysis folder (default: the sample film's, from make demo)",
    )
    args = parser.parse_args(argv)
    analysis = scenepal.load_analysis(args.analysis)
    for name, mode in MODES.items():
        size = RING if mode.shape == "ring" else STRIP
        files = scenepal.render(analysis, name, size=size)
        (HERE / f"{name}.png").write_bytes(files[f"barcode-{name}.png"])
    poster = scenepal.render(
        analysis,
        "scenes",
        poster=True,
        title="sample film",
        year=2024,
        print_size="60x30cm",
        dpi=40,
    )
    (HERE / "poster-scenes.png").write_bytes(poster["poster-scenes.png"])
    print(f"wrote {HERE}/: {', '.join(sorted(p.name for p in HERE.glob('*.png')))}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
