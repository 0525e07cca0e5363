"""The data that flows between scenepal's stages: frozen dataclasses, no I/O, no drawing.

Stage boundaries, in pipeline order::

    VideoInfo + Frame        (probing.py, video.py) what the film is, its frames at analysis size
    Scene                    (scenes.py)    a [start, end) run of frames between two cuts
    SceneSample              (sampling.py)  the pixels that stand for one scene
    Palette of Swatch        (palette.py)   the colours of a scene, or of the film
    SceneResult, Analysis    (pipeline.py)  everything a render or an export needs

The colour statistics' dataclasses live in :mod:`scenepal.stats_models` and are imported here.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, overload

import numpy as np

from scenepal.color import hex_code

# The statistics' dataclasses (scenepal.stats_models), importable from here too.
from scenepal.stats_models import ChromaStats, ColorStats, HueStats, LightnessStats, Tint

# isort: split
from scenepal.stats_models import OpponentStats, PixelHistograms, SplitTone, TealOrange

# isort: split
from scenepal.stats_models import WarmthStats

if TYPE_CHECKING:
    from scenepal.config import AnalysisConfig
    from scenepal.frametimeline import FrameTimeline

__all__ = [
    "SCHEMA_MAJOR",
    "SCHEMA_VERSION",
    "Analysis",
    "ChromaStats",
    "ColorInfo",
    "ColorStats",
    "Excluded",
    "Frame",
    "HueStats",
    "LightnessStats",
    "OpponentStats",
    "Palette",
    "PixelHistograms",
    "Rect",
    "Representative",
    "Scene",
    "SceneResult",
    "SplitTone",
    "Swatch",
    "TealOrange",
    "Tint",
    "VideoInfo",
    "WarmthStats",
]

SCHEMA_VERSION = "1.5"
"""Version of the analysis.json document, "major.minor": a change that older readers can read
(a new field, a new setting) bumps the minor, any other change the major. The changes are
listed under "Schema changes" in the README."""

SCHEMA_MAJOR = int(SCHEMA_VERSION.split(".", maxsplit=1)[0])
"""The major version this scenepal reads (any minor of it)."""


@dataclass(frozen=True)
class Rect:
    """A rectangle of pixels: columns [x, right) and rows [y, bottom).

    The one rectangle type of scenepal: the picture area inside letterbox or pillarbox bars
    (in display pixels of the source), and any other region of a frame.

    >>> r = Rect(10, 20, 100, 50)
    >>> (r.right, r.bottom), Rect.from_edges(left=10, top=20, right=110, bottom=70) == r
    ((110, 70), True)
    >>> r.union(Rect(0, 30, 20, 80))
    Rect(x=0, y=20, width=110, height=90)
    """

    x: int
    y: int
    width: int
    height: int

    @property
    def right(self) -> int:
        """The column just past the rectangle's right edge."""
        return self.x + self.width

    @property
    def bottom(self) -> int:
        """The row just below the rectangle's bottom edge."""
        return self.y + self.height

    @classmethod
    def from_edges(cls, *, left: int, top: int, right: int, bottom: int) -> Rect:
        """The rectangle of columns [left, right) and rows [top, bottom)."""
        return cls(left, top, right - left, bottom - top)

    def union(self, other: Rect) -> Rect:
        """The smallest rectangle holding both."""
        return Rect.from_edges(
            left=min(self.x, other.x),
            top=min(self.y, other.y),
            right=max(self.right, other.right),
            bottom=max(self.bottom, other.bottom),
        )


@dataclass(frozen=True)
class ColorInfo:
    """How the film's pixel values were turned into sRGB, and which parts of that were guessed.

    Attributes:
        matrix: YCbCr matrix used ("bt709", "bt601", "bt2020", or "rgb" for RGB sources).
        range: "limited" (16-235) or "full" (0-255), scaled to the bit depth.
        transfer: transfer characteristic of the source ("bt709", "pq", "hlg", ...).
        primaries: colour primaries of the source ("bt709", "bt2020", ...).
        bit_depth: bits per component of the decoded pixel format.
        pixel_format: FFmpeg name of the decoded pixel format.
        hdr: "pq" or "hlg" for HDR sources, None for SDR.
        hdr_handling: what was done with HDR: "tonemap", "raw", or None for SDR.
        assumed: names of the fields above that were not tagged and were guessed.
    """

    matrix: str
    range: str
    transfer: str
    primaries: str
    bit_depth: int
    pixel_format: str
    hdr: str | None = None
    hdr_handling: str | None = None
    assumed: tuple[str, ...] = ()


@dataclass(frozen=True)
class VideoInfo:
    """What the container says about the film, before decoding.

    Attributes:
        path: the path as given by the user.
        width: display width in pixels (after rotation).
        height: display height in pixels (after rotation).
        fps: average frame rate from the stream (frames per second).
        container_frame_count: frame count the container claims, or None; not trusted for
            timing (the frames actually decoded are ``Analysis.frame_count``).
        duration_s: container duration in seconds, or None (raw streams have none).
        codec: decoder name, e.g. "h264".
        rotation: clockwise rotation in degrees applied for display (0, 90, 180, 270).
        interlaced: whether the stream is coded as interlaced.
        color: the resolved colour pipeline.
    """

    path: str
    width: int
    height: int
    fps: float
    container_frame_count: int | None
    duration_s: float | None
    codec: str
    rotation: int
    interlaced: bool
    color: ColorInfo


@dataclass(frozen=True, eq=False)
class Frame:
    """One decoded frame, scaled down for analysis, in display orientation.

    Attributes:
        index: 0-based index among decoded frames.
        time_s: presentation time in seconds from the first frame (from PTS, not from index).
        rgb: uint8 (h, w, 3) sRGB at analysis size.
        rows: float32 (H,) mean normalised luma of each full-resolution display row
            (0 = black level, 1 = white), for bar detection.
        cols: float32 (W,) the same for each full-resolution display column.
        sharp: uint8 (h, w, 3) sRGB at the larger thumbnail-source size
            (:data:`scenepal.thumbs.SOURCE_WIDTH`), for every few frames only; else None.
    """

    index: int
    time_s: float
    rgb: np.ndarray
    rows: np.ndarray
    cols: np.ndarray
    sharp: np.ndarray | None = None


@dataclass(frozen=True)
class Scene:
    """A run of frames between two cuts; ``end_frame`` is exclusive."""

    index: int
    start_frame: int
    end_frame: int
    start_s: float
    end_s: float

    @property
    def frame_count(self) -> int:
        """Number of frames in the scene."""
        return self.end_frame - self.start_frame

    @property
    def duration_s(self) -> float:
        """Duration in seconds."""
        return self.end_s - self.start_s


@dataclass(frozen=True)
class Swatch:
    """One palette colour.

    Attributes:
        rgb: sRGB components 0-255.
        lab: CIELAB (D65) of ``rgb``.
        weight: share of the sampled pixels this colour stands for, in (0, 1].
    """

    rgb: tuple[int, int, int]
    lab: tuple[float, float, float]
    weight: float

    @property
    def hex(self) -> str:
        """The colour as ``#rrggbb``."""
        return hex_code(self.rgb)


@dataclass(frozen=True)
class Palette:
    """Swatches sorted by weight, heaviest first; weights are positive and sum to 1.

    Iterable and indexable like its swatches:

    >>> p = Palette((Swatch((200, 30, 30), (43.2, 63.0, 45.2), 0.75),
    ...              Swatch((20, 20, 120), (13.9, 35.4, -56.9), 0.25)))
    >>> [s.hex for s in p], p[0].weight, len(p[1:])
    (['#c81e1e', '#141478'], 0.75, 1)
    """

    swatches: tuple[Swatch, ...]

    def __len__(self) -> int:
        return len(self.swatches)

    def __iter__(self) -> Iterator[Swatch]:
        """The swatches, heaviest first: ``for swatch in palette``."""
        return iter(self.swatches)

    @overload
    def __getitem__(self, index: int) -> Swatch: ...
    @overload
    def __getitem__(self, index: slice) -> tuple[Swatch, ...]: ...
    def __getitem__(self, index: int | slice) -> Swatch | tuple[Swatch, ...]:
        """``palette[0]`` is the heaviest swatch; a slice gives a tuple of swatches."""
        return self.swatches[index]

    @property
    def hex_codes(self) -> tuple[str, ...]:
        """The swatches' ``#rrggbb`` codes, heaviest first."""
        return tuple(s.hex for s in self.swatches)


@dataclass(frozen=True)
class Excluded:
    """Frames of a scene left out of its palette, by reason (see :mod:`scenepal.fades`).

    Attributes:
        black: frames at the black level, wherever they are.
        fade_in: frames of a fade from black at the scene's start (black ones not counted).
        fade_out: frames of a fade to black at the scene's end (black ones not counted).
        dip: frames of a dip to black inside the scene (black ones not counted).
        dissolve: frames of a cross-fade with the neighbouring scene.
    """

    black: int = 0
    fade_in: int = 0
    fade_out: int = 0
    dip: int = 0
    dissolve: int = 0

    @property
    def total(self) -> int:
        """Frames left out, for any reason."""
        return self.black + self.fade_in + self.fade_out + self.dip + self.dissolve


@dataclass(frozen=True)
class Representative:
    """The frame that stands for a scene: of its kept frames looked at, the one whose own
    colours are closest to the scene's palette (:mod:`scenepal.thumbs`).

    Attributes:
        frame: its frame number in the film.
        time_s: its time in seconds.
        jpeg: its thumbnail (about 320 px wide, bars cropped), JPEG-encoded; kept encoded, at
            a few kB a scene, so that a film of thousands of scenes holds them all.
    """

    frame: int
    time_s: float
    jpeg: bytes = field(repr=False)


@dataclass(frozen=True)
class SceneResult:
    """A scene with its palette.

    Attributes:
        scene: the frame range.
        palette: the scene's colours.
        mean_rgb: sRGB 0-255 of the scene's average colour, averaged in linear light.
        black: True when every sampled frame was black (the palette is then that black).
        sampled_frames: how many frames contributed pixels.
        sampled_pixels: how many pixels were clustered.
        stats: the scene's colour statistics (:mod:`scenepal.stats`); None for a black scene,
            or in an analysis made before statistics existed.
        crop: the scene's picture area inside bars (display pixels of the source), or None
            when it has no bars.
        excluded: the scene's frames left out of its palette, by reason.
        representative: the frame that stands for the scene, with its thumbnail; None in an
            analysis made before thumbnails existed or whose thumbnail file is missing.
    """

    scene: Scene
    palette: Palette
    mean_rgb: tuple[int, int, int]
    black: bool
    sampled_frames: int
    sampled_pixels: int
    stats: ColorStats | None = None
    crop: Rect | None = None
    excluded: Excluded = Excluded()
    representative: Representative | None = None


@dataclass(frozen=True)
class Analysis:
    """The result of analysing one film: what every render and export is drawn from.

    Attributes:
        video: what the container said, with the resolved colour pipeline.
        frame_count: frames actually decoded.
        duration_s: time actually covered by the decoded frames.
        crop: picture area inside bars, or None when there are no bars: the most common of the
            scenes' crops (by frames).
        settings: every parameter that shaped the result.
        scenes: scenes in order, contiguous, covering every decoded frame.
        palette: the film's palette, from the scene palettes weighted by scene duration.
        scenepal_version: version of scenepal that made the analysis.
        schema_version: schema version of the analysis.json it was read from ("major.minor"),
            the current :data:`SCHEMA_VERSION` for a new analysis; analysis.json is always
            written at the current version.
        warnings: one-line notes about guesses and oddities met on the way.
        coverage: share of the container's duration that was decoded, in [0, 1]; 1 when the
            container gives no duration.
        partial: True when decoding stopped well before the container's end (a damaged or
            truncated file): the analysis covers only ``coverage`` of the film.
        gaps: (start, end) times in seconds of damaged stretches that could not be decoded
            and were skipped; the scenes around them span the gap.
        stats: the film's colour statistics, the scenes' weighted by their duration; None when
            no scene has statistics.
        timeline: every decoded frame's mean colour inside its scene's picture area, with its
            time (:mod:`scenepal.frametimeline`); None for an analysis made before it existed
            (schema 1.5) or read without its ``timeline.bin``.
    """

    video: VideoInfo
    frame_count: int
    duration_s: float
    crop: Rect | None
    settings: AnalysisConfig
    scenes: tuple[SceneResult, ...]
    palette: Palette
    scenepal_version: str
    schema_version: str = SCHEMA_VERSION
    warnings: tuple[str, ...] = field(default=())
    coverage: float = 1.0
    partial: bool = False
    gaps: tuple[tuple[float, float], ...] = ()
    stats: ColorStats | None = None
    timeline: FrameTimeline | None = None
