"""One benchmark step, run in a fresh process: ``python -m bench._child STEP ARG...``.

Each step imports what it needs, times its work after the imports and prints one JSON line
(the last line of stdout): ``wall`` (seconds of work, imports excluded), ``cpu`` (user + system
seconds of this process's threads over that work) and step-specific figures.

Steps: ``info FILM``, ``decode FILM``, ``scenedetect FILM``, ``seed FILM``, ``analyze FILM OUT``,
``preview FILM OUT``, ``kmeans FILM``, ``closeness FULL_DIR PREVIEW_DIR``.
"""

from __future__ import annotations

import json
import os
import platform
import resource
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

SEED_WIDTH = 256
"""The seed method scales each middle frame to this width before KMeans."""

KMEANS_SCENES = 40
"""Scenes whose sampled pixels the KMeans comparison clusters."""


def _cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)  # every thread of this process
    return usage.ru_utime + usage.ru_stime


@contextmanager
def _timed(result: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """Time the block: sets ``result["wall"]`` and ``result["cpu"]`` (seconds)."""
    cpu, start = _cpu_seconds(), time.perf_counter()
    try:
        yield result
    finally:
        result["wall"] = time.perf_counter() - start
        result["cpu"] = _cpu_seconds() - cpu


def info(film: str) -> dict[str, Any]:
    """The machine, the libraries and the film."""
    import av
    import cv2
    import numpy
    import scenedetect
    import sklearn

    cpu = "unknown CPU"
    mem_kb = 0
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                mem_kb = int(line.split()[1])
    except (OSError, ValueError, IndexError):
        pass
    with av.open(film) as container:
        stream = container.streams.video[0]
        frames = stream.frames
        if not frames:  # no count in the container: decode to count
            stream.thread_type = "AUTO"
            frames = sum(1 for _ in container.decode(stream))
        film_info = {
            "width": stream.width,
            "height": stream.height,
            "frames": frames,
            "fps": float(stream.average_rate or 0),
            "codec": stream.codec_context.name,
            "duration_s": float(container.duration or 0) / 1e6,
        }
    return {
        "cpu_model": cpu,
        "cores": os.cpu_count(),
        "ram_gb": mem_kb / 2**20,
        "python": platform.python_version(),
        "pyav": av.__version__,
        "ffmpeg_libs": str(getattr(av, "ffmpeg_version_info", "?")),
        "scenedetect": scenedetect.__version__,
        "sklearn": sklearn.__version__,
        "opencv": cv2.__version__,
        "numpy": numpy.__version__,
        "film": film_info,
    }


def decode(film: str, threads: str = "0") -> dict[str, Any]:
    """PyAV decode-only: frame threads on, frames discarded; ``threads`` frame threads, or
    FFmpeg's own choice (cores + 1) for 0."""
    import av

    result: dict[str, Any] = {}
    with _timed(result), av.open(film) as container:
        stream = container.streams.video[0]
        stream.thread_type = "AUTO"
        if int(threads):
            stream.thread_count = int(threads)
        result["frames"] = sum(1 for _ in container.decode(stream))
        result["threads"] = stream.thread_count
    return result


def decode_as_scenepal(film: str) -> dict[str, Any]:
    """PyAV decode-only with as many frame threads as scenepal's reader starts."""
    from scenepal.threads import default_decoder_threads

    return decode(film, str(default_decoder_threads()))


def scenedetect_detect(film: str) -> dict[str, Any]:
    """PySceneDetect's own path: ``scenedetect.detect`` with a ContentDetector (OpenCV)."""
    import scenedetect

    result: dict[str, Any] = {}
    with _timed(result):
        scenes = scenedetect.detect(film, scenedetect.ContentDetector())
    result["scenes"] = len(scenes)
    return result


def seed_method(film: str) -> dict[str, Any]:
    """The seed method: detect, re-open with OpenCV, seek to each scene's middle frame, read it,
    scale it to SEED_WIDTH px wide (INTER_AREA), KMeans k=5 (n_init=1) on its RGB pixels."""
    import cv2
    import numpy as np
    import scenedetect
    from sklearn.cluster import KMeans

    result: dict[str, Any] = {}
    palettes = 0
    with _timed(result):
        scenes = scenedetect.detect(film, scenedetect.ContentDetector())
        capture = cv2.VideoCapture(film)
        total = int(capture.get(cv2.CAP_PROP_FRAME_COUNT))
        spans = [(s.frame_num, e.frame_num) for s, e in scenes] or [(0, total)]
        for first, end in spans:
            capture.set(cv2.CAP_PROP_POS_FRAMES, (first + end) // 2)
            ok, frame = capture.read()
            if not ok:
                continue
            h, w = frame.shape[:2]
            size = (SEED_WIDTH, max(1, round(SEED_WIDTH * h / w)))
            small = cv2.resize(frame, size, interpolation=cv2.INTER_AREA)
            pixels = small.reshape(-1, 3)[:, ::-1].astype(np.float64)  # BGR -> RGB
            KMeans(n_clusters=5, n_init=1, random_state=0).fit(pixels)
            palettes += 1
        capture.release()
    result.update(scenes=len(spans), palettes=palettes)
    return result


def _analyze(film: str, out: str, *, preview: bool) -> dict[str, Any]:
    """``scenepal.analyze`` + ``write_outputs``, with the per-scene clustering timed.

    Imported before the clock starts, as the decode child imports ``av``: what the ``scenepal``
    command imports at start-up (``scenepal.cli`` imports the pipeline and the outputs, and so
    matplotlib). scikit-learn is not among them: the analysis imports it in its palette
    thread, inside the timed work, exactly as the command does.
    """
    import scenepal
    import scenepal.outputs
    from scenepal import results

    calls: list[float] = []
    importing = [0.0]  # the call that imported scikit-learn (palette._cluster imports lazily)
    original = results._palette_of

    def timed_palette_of(sample: Any, cfg: Any) -> Any:
        fresh = "sklearn.cluster" not in sys.modules
        start = time.perf_counter()
        try:
            return original(sample, cfg)
        finally:
            spent = time.perf_counter() - start
            calls.append(spent)
            if fresh and "sklearn.cluster" in sys.modules:
                importing[0] = spent

    results._palette_of = timed_palette_of  # looked up at call time by scene_result
    result: dict[str, Any] = {}
    with _timed(result):
        cpu = _cpu_seconds()
        analysis = scenepal.analyze(film, preview=preview)
        decoded = time.perf_counter()
        result["analysis_cpu_s"] = _cpu_seconds() - cpu
        scenepal.write_outputs(analysis, out)
        result["outputs_s"] = time.perf_counter() - decoded
    result.update(
        frames=analysis.frame_count,
        scenes=len(analysis.scenes),
        clustering_s=sum(calls),
        clustered=len(calls),
        importing_call_s=importing[0],
    )
    return result


def analyze(film: str, out: str) -> dict[str, Any]:
    return _analyze(film, out, preview=False)


def preview(film: str, out: str) -> dict[str, Any]:
    return _analyze(film, out, preview=True)


def analyze_without_stats(film: str, out: str) -> dict[str, Any]:
    """``analyze`` with the colour statistics switched off: the reference that measures what
    they cost (bench/stats_cost.py)."""
    from scenepal import results

    results.scene_stats = lambda pixels: None  # type: ignore[assignment]
    results.film_stats = lambda scenes, durations: None  # type: ignore[assignment]
    return _analyze(film, out, preview=False)


class _SampledEnoughError(Exception):
    """Raised from the progress callback once enough scenes are sampled."""


def _collect_samples(film: str, count: int) -> list[Any]:
    """Sampled pixels (uint8 RGB, (N, 3)) of the first ``count`` non-black scenes."""
    import scenepal
    from scenepal import results

    samples: list[Any] = []
    original = results._palette_of

    def keep(sample: Any, cfg: Any) -> Any:
        if not sample.black and len(sample.pixels) and len(samples) < count:
            samples.append(sample.pixels.copy())
        return original(sample, cfg)

    def enough(_: Any) -> None:
        if len(samples) >= count:
            raise _SampledEnoughError

    results._palette_of = keep
    try:
        scenepal.analyze(film, on_progress=enough)
    except _SampledEnoughError:
        pass
    finally:
        results._palette_of = original
    return samples


def kmeans(film: str) -> dict[str, Any]:
    """Per-scene clustering settings compared on the same sampled pixels: time and quality.

    Every method clusters, in CIELAB with k=5 on one thread, what scenepal's ``_cluster`` is
    given: the scene's distinct colours weighted by their counts. The first row is scenepal's
    ``extract_palette`` end to end (distinct colours, clustering, merging swatches closer than
    2.5, or half the scene's spread). Quality: mean CIEDE2000 from each sampled pixel to its
    nearest swatch.
    """
    import numpy as np
    from sklearn.cluster import KMeans, MiniBatchKMeans
    from threadpoolctl import threadpool_limits

    from scenepal import color
    from scenepal.palette import _cluster, extract_palette, pixels_to_space

    k = 5
    samples = _collect_samples(film, KMEANS_SCENES)

    def prepared(px: Any) -> tuple[Any, Any]:
        packed = px[:, 0].astype(np.uint32) << 16 | px[:, 1].astype(np.uint32) << 8 | px[:, 2]
        distinct, counts = np.unique(packed, return_counts=True)
        rgb = np.stack([(distinct >> 16) & 255, (distinct >> 8) & 255, distinct & 255], axis=1)
        return pixels_to_space(rgb.astype(np.uint8), "lab"), counts.astype(np.float64)

    def quality(lab: Any, centers: Any) -> float:
        d = ((lab[:, None, :] - centers[None]) ** 2).sum(-1)
        return float(color.delta_e_2000(lab, centers[d.argmin(1)]).mean())

    def sklearn_fit(make: Callable[[], Any]) -> Callable[[Any, Any, Any], Any]:
        def fit(_: Any, points: Any, weights: Any) -> Any:
            return make().fit(points, sample_weight=weights).cluster_centers_

        return fit

    methods: dict[str, Callable[[Any, Any, Any], Any]] = {
        "scenepal extract_palette (end to end, current settings)": lambda px, _p, _w: np.array(
            [s.lab for s in extract_palette(px, colors=k, seed=0).swatches]
        ),
        "scenepal _cluster (KMeans lloyd, n_init=5)": (
            lambda _px, p, w: _cluster(p, w, k=k, seed=0)[0]
        ),
        "MiniBatchKMeans as before issue 10 (n_init=3, batch 1024, stop 5, reassign 0)": (
            sklearn_fit(
                lambda: MiniBatchKMeans(
                    k,
                    random_state=0,
                    n_init=3,
                    batch_size=1024,
                    max_no_improvement=5,
                    reassignment_ratio=0.0,
                )
            )
        ),
        "MiniBatchKMeans sklearn defaults (n_init auto, batch 1024)": sklearn_fit(
            lambda: MiniBatchKMeans(k, random_state=0)
        ),
        "KMeans lloyd n_init=1": sklearn_fit(lambda: KMeans(k, n_init=1, random_state=0)),
        "KMeans lloyd n_init=3": sklearn_fit(lambda: KMeans(k, n_init=3, random_state=0)),
        "KMeans lloyd n_init=10": sklearn_fit(lambda: KMeans(k, n_init=10, random_state=0)),
    }
    inputs = [(px, *prepared(px)) for px in samples]
    labs = [pixels_to_space(px, "lab") for px in samples]
    rows: dict[str, dict[str, float]] = {}
    with threadpool_limits(1):
        for name, method in methods.items():
            seconds, scores = 0.0, []
            for (px, points, weights), lab in zip(inputs, labs, strict=True):
                start = time.perf_counter()
                centers = np.asarray(method(px, points, weights), dtype=np.float64)
                seconds += time.perf_counter() - start
                scores.append(quality(lab, centers))
            rows[name] = {
                "ms_per_scene": seconds / max(1, len(samples)) * 1000,
                "mean_delta_e": float(np.mean(scores)) if scores else float("nan"),
            }
    return {
        "scenes": len(samples),
        "pixels": int(np.mean([len(px) for px in samples])) if samples else 0,
        "distinct": int(np.mean([len(p) for _, p, _ in inputs])) if inputs else 0,
        "defaults_n_init": _effective_n_init(MiniBatchKMeans(k, random_state=0)),
        "kmeans": rows,
    }


def _effective_n_init(model: Any) -> str:
    """How many initialisations ``n_init="auto"`` means for this model (scikit-learn >= 1.4)."""
    import numpy as np

    model.fit(np.random.default_rng(0).random((64, 3)))
    return str(getattr(model, "_n_init", model.n_init))


def closeness(full_dir: str, preview_dir: str) -> dict[str, float]:
    """How far the preview's barcode and film palette are from the full run's, in CIEDE2000."""
    import numpy as np

    import scenepal
    from scenepal import color
    from scenepal.render.barcode import barcode

    full = scenepal.load_analysis(full_dir)
    prev = scenepal.load_analysis(preview_dir)
    a = barcode(full, size=(1200, 200)) / 255.0
    b = barcode(prev, size=(1200, 200)) / 255.0
    pixel = color.delta_e_2000(color.srgb_to_lab(a), color.srgb_to_lab(b))

    def column_lab(img: Any) -> Any:  # each column's mean colour, mixed in linear light
        return color.srgb_to_lab(color.linear_to_srgb(color.srgb_to_linear(img).mean(axis=0)))

    column = color.delta_e_2000(column_lab(a), column_lab(b))
    labs = np.array([s.lab for s in full.palette.swatches])
    nearest = [
        float(color.delta_e_2000(np.array(s.lab)[None], labs).min()) for s in prev.palette.swatches
    ]
    return {
        "pixel_mean": float(pixel.mean()),
        "pixel_p90": float(np.percentile(pixel, 90)),
        "column_median": float(np.median(column)),
        "column_mean": float(column.mean()),
        "film_palette": float(
            np.average(nearest, weights=[s.weight for s in prev.palette.swatches])
        ),
        "full_scenes": len(full.scenes),
        "preview_scenes": len(prev.scenes),
    }


STEPS: dict[str, Callable[..., dict[str, Any]]] = {
    "info": info,
    "decode": decode,
    "decode_threads": decode_as_scenepal,
    "scenedetect": scenedetect_detect,
    "seed": seed_method,
    "analyze": analyze,
    "preview": preview,
    "analyze_without_stats": analyze_without_stats,
    "kmeans": kmeans,
    "closeness": closeness,
}


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in STEPS:
        print(f"usage: python -m bench._child {{{','.join(STEPS)}}} ARG...", file=sys.stderr)
        return 2
    result = STEPS[argv[0]](*argv[1:])
    sys.stdout.flush()
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
