"""What the frame timeline costs the pass: ``python -m bench.timeline_cost FILM [--rounds N]``.

Two measurements, because on a shared machine the second alone cannot resolve a percent:

1. Inside one analysis: the time spent in ``FrameRecorder.add`` (the decoding thread's share
   of the timeline) and in ``scene_timeline`` (the palette worker's), against the wall.
2. Alternating whole analyses in fresh processes (``bench/ab.py``) of this tree and of a copy
   whose pass does not record the timeline (``--ab``).
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import scenepal
from scenepal import frametimeline, pipeline

ROOT = Path(__file__).resolve().parent.parent


def inside(film: Path) -> dict[str, float]:
    """Seconds in the recorder and in scene_timeline during one analysis, and the wall."""
    spent = {"record": 0.0, "reduce": 0.0}
    add, reduce = frametimeline.FrameRecorder.add, frametimeline.scene_timeline

    def timed_add(self: frametimeline.FrameRecorder, frame: object) -> None:
        start = time.perf_counter()
        add(self, frame)  # type: ignore[arg-type]
        spent["record"] += time.perf_counter() - start

    def timed_reduce(*args: object) -> frametimeline.FrameTimeline:
        start = time.perf_counter()
        out = reduce(*args)  # type: ignore[arg-type]
        spent["reduce"] += time.perf_counter() - start
        return out

    frametimeline.FrameRecorder.add = timed_add  # type: ignore[method-assign]
    pipeline.frametimeline.scene_timeline = timed_reduce  # type: ignore[assignment]
    try:
        start = time.perf_counter()
        analysis = scenepal.analyze(film)
        wall = time.perf_counter() - start
    finally:
        frametimeline.FrameRecorder.add = add  # type: ignore[method-assign]
        pipeline.frametimeline.scene_timeline = reduce
    return {**spent, "wall": wall, "frames": float(analysis.frame_count)}


def without_timeline(tree: Path) -> None:
    """A copy of this tree whose pass measures no frame for the timeline."""
    shutil.copytree(ROOT / "scenepal", tree / "scenepal")
    path = tree / "scenepal" / "pipeline.py"
    text = path.read_text(encoding="utf-8")
    if "            self._recorder.add(frame)\n" not in text:
        raise SystemExit("pipeline.py no longer records the timeline where expected")
    path.write_text(text.replace("            self._recorder.add(frame)\n", ""), encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("film", type=Path)
    parser.add_argument("--rounds", type=int, default=3, help="A/B rounds (with --ab)")
    parser.add_argument("--ab", action="store_true", help="also alternate whole analyses")
    args = parser.parse_args(argv)
    got = inside(args.film)
    frames = got["frames"]
    print(
        f"{frames:.0f} frames in {got['wall']:.1f} s: recorder {got['record']:.2f} s "
        f"({got['record'] / frames * 1e6:.0f} us a frame, {got['record'] / got['wall']:.1%} of "
        f"the wall), scene_timeline {got['reduce']:.2f} s (palette worker)"
    )
    if args.ab:
        with tempfile.TemporaryDirectory() as tmp:
            without_timeline(Path(tmp))
            subprocess.run(
                [sys.executable, str(ROOT / "bench" / "ab.py"), str(args.film), tmp, str(ROOT),
                 "--rounds", str(args.rounds)],
                check=True,
            )  # fmt: skip
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
