"""The data that flows between scenepal's stages: frozen dataclasses, no I/O, no drawing.

Stage boundaries, in pipeline order::

    VideoInfo + Frame        (probing.py, video.py) what the film is, its frames at analysis size
    Scene                    (scenes.py)    a [start, end) run of frames between two cuts
    SceneSample              (sampling.py)  the pixels that stand for one scene
    Palette of Swatch        (palette.py)   the colours of a scene, or of the film
    SceneResult, Analysis    (pipeline.py)  everything a render or an export needs
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from scenepal.config import AnalysisConfig

SCHEMA_VERSION = "1.3"
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
    """

    index: int
    time_s: float
    rgb: np.ndarray
    rows: np.ndarray
    cols: np.ndarray


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
        r, g, b = self.rgb
        return f"#{r:02x}{g:02x}{b:02x}"


@dataclass(frozen=True)
class Palette:
    """Swatches sorted by weight, heaviest first; weights are positive and sum to 1."""

    swatches: tuple[Swatch, ...]

    def __len__(self) -> int:
        return len(self.swatches)

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


# --- Colour statistics (scenepal.stats computes them; docs/statistics.md defines each) ---


@dataclass(frozen=True)
class LightnessStats:
    """CIELAB L* of the pixels (0 black, 100 white).

    Attributes:
        mean: mean L*.
        p5: 5th percentile.
        p50: median.
        p95: 95th percentile.
        contrast: ``p95 - p5``.
        key: "low" (p50 < 35), "high" (p50 > 65) or "mid".
    """

    mean: float
    p5: float
    p50: float
    p95: float
    contrast: float
    key: str


@dataclass(frozen=True)
class ChromaStats:
    """CIELAB chroma C*ab = sqrt(a*^2 + b*^2) of the pixels.

    Attributes:
        mean: mean chroma.
        p95: 95th percentile.
    """

    mean: float
    p95: float


@dataclass(frozen=True)
class OpponentStats:
    """Hasler and Suesstrunk's opponent channels on sRGB 0-255: rg = R - G,
    yb = (R + G) / 2 - B; means and (population) standard deviations."""

    rg_mean: float
    rg_std: float
    yb_mean: float
    yb_std: float


@dataclass(frozen=True)
class HueStats:
    """CIELAB hue angle h = atan2(b*, a*), each pixel weighted by its chroma.

    Attributes:
        mean_deg: chroma-weighted circular mean hue in [0, 360), or None without chroma.
        histogram: 12 shares of the total chroma, 30-degree bins from 0 degrees; sum 1 (all 0
            without chroma).
        mean_ab: the mean (a*, b*) of the pixels (the colour cast); its angle is ``mean_deg``.
        concentration: |mean (a*, b*)| / mean chroma, in [0, 1]: 1 when every pixel has the
            same hue, near 0 when hues cancel out (then ``mean_deg`` says little).
    """

    mean_deg: float | None
    histogram: tuple[float, ...]
    mean_ab: tuple[float, float]
    concentration: float


@dataclass(frozen=True)
class WarmthStats:
    """Correlated colour temperature of the mean colour (averaged in linear light).

    Attributes:
        cct_k: CCT in kelvin, clamped to [1000, 15000]; None for a colour without light.
        duv: signed distance from the Planckian locus in CIE 1960 uv (positive above it,
            towards green); None with ``cct_k``.
        label: "warm" below 4500 K, "cool" above 7000 K, else "neutral".
        xyz: CIE XYZ of the mean colour (Y of sRGB white = 1).
    """

    cct_k: float | None
    duv: float | None
    label: str
    xyz: tuple[float, float, float]


@dataclass(frozen=True)
class TealOrange:
    """Chroma-weighted shares of the orange/skin sector (hue in [30, 90) degrees) and the teal
    sector ([170, 250)); ``balance = (orange - teal) / (orange + teal)``, 0 when both are 0."""

    orange_share: float
    teal_share: float
    balance: float


@dataclass(frozen=True)
class Tint:
    """The mean a*, b* of a tonal range, with the hue angle (None when a* = b* = 0) and chroma
    of that mean."""

    a: float
    b: float
    hue_deg: float | None
    chroma: float


@dataclass(frozen=True)
class SplitTone:
    """Tints of the shadows (L* at or below the 25th percentile) and highlights (at or above
    the 75th)."""

    shadows: Tint
    highlights: Tint


@dataclass(frozen=True)
class ColorStats:
    """The colour statistics of a scene, or of a film (its scenes weighted by duration).

    Attributes:
        lightness: L* statistics.
        chroma: C*ab statistics.
        colorfulness: Hasler and Suesstrunk's (2003) M on sRGB 0-255.
        hue: chroma-weighted hue.
        warmth: CCT of the mean colour.
        teal_orange: orange and teal shares.
        split_tone: shadow and highlight tints.
        opponent: the opponent-channel moments M is computed from.
        pixels: how many pixels the statistics were computed from (for a film: the sum).
        histograms: the pixel histograms the film's statistics are built from; a scene's hold
            counts and live in memory and in checkpoints only (None for a scene read back from
            analysis.json); the film's hold shares, and its a*b* density is written out.
    """

    lightness: LightnessStats
    chroma: ChromaStats
    colorfulness: float
    hue: HueStats
    warmth: WarmthStats
    teal_orange: TealOrange
    split_tone: SplitTone
    opponent: OpponentStats
    pixels: int
    histograms: PixelHistograms | None = field(default=None, compare=False, repr=False)


@dataclass(frozen=True, eq=False)
class PixelHistograms:
    """Histograms of a scene's pixels (counts) or of a film's (shares summing to 1).

    Attributes:
        lightness: (400,) L* in bins of 0.25 from 0 (L* = 100 in the last).
        chroma: (800,) C*ab in bins of 0.25 from 0 (200 and over in the last).
        ab: (64, 64) a*, b* in cells of 4 x 4 over [-128, 128), indexed [a, b] (pixels
            outside are left out): the vectorscope's density.
    """

    lightness: np.ndarray
    chroma: np.ndarray
    ab: np.ndarray
