"""Scene detection: PySceneDetect's detectors, fed frame by frame from scenepal's single decode.

A detector is chosen by name from :data:`DETECTORS`. Each entry builds a :class:`CutDetector`,
which takes frames one at a time (so detection rides along the same decoding pass as sampling)
and reports cut frame indices; the pipeline turns them into contiguous scenes (a film without a
cut is one scene).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

import cv2
import numpy as np
import scenedetect

from scenepal.errors import ConfigError


class CutDetector(Protocol):
    """Finds cuts in a stream of frames.

    ``process`` and ``finish`` return the 0-based indices of frames that start a new scene.
    """

    def process(self, index: int, bgr: np.ndarray) -> list[int]:
        """Take the next frame (uint8 BGR) and return any cuts now known."""
        ...

    def finish(self, last_index: int) -> list[int]:
        """Signal the end of the film and return any cuts still pending."""
        ...

    def settled(self, index: int) -> int:
        """Once frame ``index`` is processed, the last frame at or before which every cut has
        been reported (frames up to it can be sampled)."""
        ...


class _SceneDetectAdapter:
    """Wraps one of PySceneDetect's ``SceneDetector`` objects as a :class:`CutDetector`."""

    def __init__(self, detector: Any, fps: float, min_scene_len: int) -> None:
        self._detector = detector
        self._fps = float(fps)
        # How late a cut can be reported: a cut closer than min_scene_len to the last one is
        # held back by the flash filter until min_scene_len frames have passed (content), the
        # adaptive detector looks window_width frames ahead, and one frame of margin.
        self._lag = min_scene_len + int(getattr(detector, "window_width", 0)) + 1

    def _timecode(self, index: int) -> scenedetect.FrameTimecode:
        return scenedetect.FrameTimecode(index, fps=self._fps)

    def process(self, index: int, bgr: np.ndarray) -> list[int]:
        cuts = self._detector.process_frame(self._timecode(index), bgr)
        return [int(c.frame_num) for c in cuts]

    def finish(self, last_index: int) -> list[int]:
        cuts = self._detector.post_process(self._timecode(last_index))
        return [int(c.frame_num) for c in cuts]

    def settled(self, index: int) -> int:
        if isinstance(self._detector, scenedetect.ThresholdDetector):
            # A cut is reported when the picture fades back in, and placed inside the dark
            # run: while faded out, it may still land anywhere from the fade-out frame on.
            fade = getattr(self._detector, "last_fade", {})
            if fade.get("type") == "out" and fade.get("frame") is not None:
                return int(fade["frame"].frame_num) - 1
            return index
        return index - self._lag


@dataclass(frozen=True)
class DetectorSpec:
    """A named scene detector: one of PySceneDetect's, with the threshold it is given.

    Attributes:
        name: the name users pick it by.
        description: one line for help texts.
        default_threshold: the threshold used when none is given.
        detector_class: PySceneDetect's ``SceneDetector`` class.
        threshold_arg: the name of that class's threshold argument.
    """

    name: str
    description: str
    default_threshold: float
    detector_class: Callable[..., Any]
    threshold_arg: str = "threshold"

    def build(self, threshold: float | None, min_scene_len: int, fps: float) -> CutDetector:
        """A fresh detector; ``threshold=None`` uses :attr:`default_threshold`."""
        value = self.default_threshold if threshold is None else threshold
        options = {self.threshold_arg: value, "min_scene_len": min_scene_len}
        return _SceneDetectAdapter(self.detector_class(**options), fps, min_scene_len)


DETECTORS: dict[str, DetectorSpec] = {
    spec.name: spec
    for spec in (
        DetectorSpec(
            "content",
            "hue/saturation/brightness change between frames",
            27.0,
            scenedetect.ContentDetector,
        ),
        DetectorSpec(
            "adaptive",
            "content change relative to its neighbours",
            3.0,
            scenedetect.AdaptiveDetector,
            threshold_arg="adaptive_threshold",
        ),
        DetectorSpec("threshold", "fades in and out of black", 12.0, scenedetect.ThresholdDetector),
        DetectorSpec(
            "hash", "perceptual hash distance between frames", 0.35, scenedetect.HashDetector
        ),
        DetectorSpec(
            "histogram", "luma histogram change between frames", 0.2, scenedetect.HistogramDetector
        ),
    )
}
"""Scene detectors by name; ``content`` is the default."""


def make_detector(
    name: str, *, threshold: float | None, min_scene_len: int, fps: float
) -> CutDetector:
    """Build the detector called ``name``; ``threshold=None`` uses its default.

    Raises:
        ConfigError: no detector has that name (the message lists the valid ones).
    """
    return detector_spec(name).build(threshold, min_scene_len, fps)


def detector_spec(name: str) -> DetectorSpec:
    """The detector called ``name``.

    Raises:
        ConfigError: no detector has that name (the message lists the valid ones).
    """
    spec = DETECTORS.get(name)
    if spec is None:
        raise ConfigError(f"unknown detector {name!r}; choose one of: {', '.join(DETECTORS)}")
    return spec


class SceneFinder:
    """Feeds frames to a detector and collects the cuts it reports.

    >>> finder = SceneFinder(make_detector("content", threshold=None, min_scene_len=2, fps=24))
    >>> dark, light = np.zeros((8, 8, 3), np.uint8), np.full((8, 8, 3), 200, np.uint8)
    >>> for i in range(10):
    ...     _ = finder.add(i, dark if i < 5 else light)
    >>> finder.finish(9)
    [5]
    """

    def __init__(self, detector: CutDetector) -> None:
        self._detector = detector
        self._cuts: set[int] = set()

    def add(self, index: int, rgb: np.ndarray) -> list[int]:
        """Take frame ``index`` (uint8 RGB); return the cuts this frame revealed."""
        bgr = cv2.cvtColor(rgb, cv2.COLOR_RGB2BGR)
        new = self._detector.process(index, bgr)
        self._cuts.update(new)
        return new

    def settled(self, index: int) -> int:
        """After frame ``index``: the last frame at or before which every cut is known."""
        return self._detector.settled(index)

    def finish(self, last_index: int) -> list[int]:
        """End of film: every cut, sorted, each strictly inside the film."""
        self._cuts.update(self._detector.finish(last_index))
        return [c for c in sorted(self._cuts) if 0 < c <= last_index]
