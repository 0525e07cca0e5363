"""One benchmark method, run in a fresh process: ``python -m bench._child METHOD FILM OUT``.

Prints one JSON line: the wall time measured after imports, the frames handled, and extras.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path
from typing import Any


def decode(film: str, out: Path) -> dict[str, Any]:
    import av

    start = time.perf_counter()
    with av.open(film) as container:
        stream = container.streams.video[0]
        stream.thread_type = "AUTO"
        frames = sum(1 for _ in container.decode(stream))
    return {"wall": time.perf_counter() - start, "frames": frames}


def scenedetect_detect(film: str, out: Path) -> dict[str, Any]:
    import scenedetect

    start = time.perf_counter()
    scenes = scenedetect.detect(film, scenedetect.ContentDetector())
    wall = time.perf_counter() - start
    return {"wall": wall, "scenes": len(scenes)}


def seed_method(film: str, out: Path) -> dict[str, Any]:
    """The seed method: detect, then re-open and read each scene's middle frame, KMeans k=5
    in RGB on that frame scaled to 256 px wide."""
    import cv2
    import numpy as np
    import scenedetect
    from sklearn.cluster import KMeans

    start = time.perf_counter()
    scenes = scenedetect.detect(film, scenedetect.ContentDetector())
    capture = cv2.VideoCapture(film)
    total = int(capture.get(cv2.CAP_PROP_FRAME_COUNT))
    spans = [(s.get_frames(), e.get_frames()) for s, e in scenes] or [(0, total)]
    palettes = 0
    for first, end in spans:
        capture.set(cv2.CAP_PROP_POS_FRAMES, (first + end) // 2)
        ok, frame = capture.read()
        if not ok:
            continue
        h, w = frame.shape[:2]
        small = cv2.resize(frame, (256, max(1, round(256 * h / w))), interpolation=cv2.INTER_AREA)
        pixels = small.reshape(-1, 3)[:, ::-1].astype(np.float64)
        KMeans(n_clusters=5, n_init=1, random_state=0).fit(pixels)
        palettes += 1
    capture.release()
    return {"wall": time.perf_counter() - start, "scenes": len(spans), "palettes": palettes}


def _analyze(film: str, out: Path, *, preview: bool) -> dict[str, Any]:
    import scenepal
    from scenepal import pipeline

    clustering = [0.0]
    original = pipeline._palette_of

    def timed(*args: Any, **kwargs: Any) -> Any:
        t = time.perf_counter()
        try:
            return original(*args, **kwargs)
        finally:
            clustering[0] += time.perf_counter() - t

    pipeline._palette_of = timed  # type: ignore[assignment]
    start = time.perf_counter()
    analysis = scenepal.analyze(film, preview=preview)
    scenepal.write_outputs(analysis, out)
    wall = time.perf_counter() - start
    return {
        "wall": wall,
        "frames": analysis.frame_count,
        "scenes": len(analysis.scenes),
        "clustering_s": clustering[0],
    }


def analyze(film: str, out: Path) -> dict[str, Any]:
    return _analyze(film, out, preview=False)


def preview(film: str, out: Path) -> dict[str, Any]:
    return _analyze(film, out, preview=True)


def kmeans(film: str, out: Path) -> dict[str, Any]:
    """Per-scene clustering settings compared on the same sampled pixels: time and quality."""
    import numpy as np
    from sklearn.cluster import KMeans, MiniBatchKMeans
    from threadpoolctl import threadpool_limits

    import scenepal
    from scenepal import color, pipeline
    from scenepal.palette import extract_palette, pixels_to_space

    samples: list[np.ndarray] = []
    original = pipeline._palette_of

    def keep(sample: Any, cfg: Any) -> Any:
        if len(sample.pixels) and len(samples) < 40:
            samples.append(sample.pixels.copy())
        return original(sample, cfg)

    pipeline._palette_of = keep  # type: ignore[assignment]
    scenepal.analyze(film)

    def quality(points: np.ndarray, centers: np.ndarray) -> float:
        d = ((points[:, None, :] - centers[None]) ** 2).sum(-1)
        return float(color.delta_e_2000(points, centers[d.argmin(1)]).mean())

    def scenepal_current(px: np.ndarray) -> np.ndarray:
        return np.array([s.lab for s in extract_palette(px, colors=5, seed=0).swatches])

    def sk(model: Any) -> Any:
        def run(px: np.ndarray) -> np.ndarray:
            return np.asarray(model().fit(pixels_to_space(px, "lab")).cluster_centers_)

        return run

    methods = {
        "scenepal (MiniBatchKMeans n_init=3, batch 1024, early stop 5)": scenepal_current,
        "MiniBatchKMeans sklearn defaults": sk(lambda: MiniBatchKMeans(5, random_state=0)),
        "KMeans lloyd n_init=1": sk(lambda: KMeans(5, n_init=1, random_state=0)),
        "KMeans lloyd n_init=3": sk(lambda: KMeans(5, n_init=3, random_state=0)),
    }
    rows = {}
    with threadpool_limits(1):
        for name, method in methods.items():
            t = time.perf_counter()
            scores = [quality(pixels_to_space(px, "lab"), method(px)) for px in samples]
            ms = (time.perf_counter() - t) / max(1, len(samples)) * 1000
            rows[name] = {"ms_per_scene": ms, "mean_delta_e": float(np.mean(scores))}
    return {"wall": 0.0, "scenes": len(samples), "kmeans": rows}


METHODS = {
    "decode": decode,
    "scenedetect": scenedetect_detect,
    "seed": seed_method,
    "analyze": analyze,
    "preview": preview,
    "kmeans": kmeans,
}

if __name__ == "__main__":
    method, film, out = sys.argv[1], sys.argv[2], Path(sys.argv[3])
    result = METHODS[method](film, out)
    print(json.dumps(result))
