"""AnalysisConfig: every parameter that shapes an analysis, validated once, with defaults."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass, fields
from typing import Any, TypedDict

from scenepal.errors import ConfigError
from scenepal.scenes import detector_spec

COLOR_SPACES = ("lab", "oklab")
HDR_MODES = ("tonemap", "raw", "refuse")


@dataclass(frozen=True, kw_only=True)
class AnalysisConfig:
    """Tuning parameters of an analysis. Every field is recorded in analysis.json.

    Only what can change the result belongs here: how a run is carried out (decoder threads,
    checkpoints, progress) is given to :func:`scenepal.analyze` directly.

    Attributes:
        colors: swatches per scene palette (and in the film palette).
        detector: scene detector name, one of ``scenepal.scenes.DETECTORS``.
        threshold: detector threshold; None uses the detector's own default.
        min_scene_len: shortest scene in frames; shorter ones are merged by the detector.
        seed: seed for clustering; the same film and seed give the same palettes.
        color_space: space the pixels are clustered in: "lab" (CIELAB) or "oklab".
        analysis_width: width in pixels frames are scaled to, inside the decoder.
        sample_fps: frames per second of film sampled for palettes.
        frames_per_scene: frames kept per scene: every frame at sample_fps up to 4 times this;
            a longer take keeps that many, drawn uniformly over the whole take.
        pixels_per_scene: pixels clustered for a scene of up to frames_per_scene / sample_fps
            seconds; more for longer scenes, up to 4 times this.
        black_level: normalised luma (0 black, 1 white) under which a frame or a bar is black.
        hdr: HDR handling: "tonemap" to SDR, "raw" (no mapping), or "refuse".
        preview: decode keyframes only: many times faster, scene boundaries on keyframes.
    """

    colors: int = 5
    detector: str = "content"
    threshold: float | None = None
    min_scene_len: int = 15
    seed: int = 0
    color_space: str = "lab"
    analysis_width: int = 256
    sample_fps: float = 4.0
    frames_per_scene: int = 24
    pixels_per_scene: int = 12_000
    black_level: float = 0.015
    hdr: str = "tonemap"
    preview: bool = False

    def __post_init__(self) -> None:
        for name in ("threshold", "sample_fps", "black_level"):
            value = getattr(self, name)
            if value is None and name == "threshold":
                continue
            if isinstance(value, bool) or not isinstance(value, int | float):
                raise ConfigError(f"{name} must be a number, got {value!r}")
        _check_range("colors", self.colors, 1, 32)
        detector_spec(self.detector)
        if self.threshold is not None and not self.threshold > 0:
            raise ConfigError(f"threshold must be positive, got {self.threshold}")
        _check_range("min_scene_len", self.min_scene_len, 1, 100_000)
        _check_range("seed", self.seed, 0, 2**32 - 1)
        if self.color_space not in COLOR_SPACES:
            raise ConfigError(
                f"unknown color space {self.color_space!r}; choose one of: "
                f"{', '.join(COLOR_SPACES)}"
            )
        _check_range("analysis_width", self.analysis_width, 32, 4096)
        if not 0.1 <= self.sample_fps <= 240:
            raise ConfigError(f"sample_fps must be between 0.1 and 240, got {self.sample_fps}")
        _check_range("frames_per_scene", self.frames_per_scene, 1, 1000)
        _check_range("pixels_per_scene", self.pixels_per_scene, 100, 10_000_000)
        if not 0 <= self.black_level < 0.5:
            raise ConfigError(f"black_level must be in [0, 0.5), got {self.black_level}")
        if self.hdr not in HDR_MODES:
            raise ConfigError(
                f"unknown HDR mode {self.hdr!r}; choose one of: {', '.join(HDR_MODES)}"
            )
        if not isinstance(self.preview, bool):
            raise ConfigError(f"preview must be true or false, got {self.preview!r}")

    @classmethod
    def from_options(cls, **options: Any) -> AnalysisConfig:
        """Build a config from keyword options, naming any unknown option in the error.

        >>> AnalysisConfig.from_options(colors=6).colors
        6
        """
        known = {f.name for f in fields(cls)}
        unknown = sorted(set(options) - known)
        if unknown:
            raise ConfigError(
                f"unknown option {unknown[0]!r}; valid options: {', '.join(sorted(known))}"
            )
        return cls(**options)

    @classmethod
    def from_recorded(cls, settings: Mapping[str, Any]) -> AnalysisConfig:
        """The settings recorded in an analysis.json, read tolerantly.

        Keys this version does not know (written by a newer minor version) are ignored; keys
        missing (settings an older version did not have) take their defaults. A value this
        version does not know for a setting chosen by name (say a detector added later) is kept
        as recorded, unchecked: it describes how a past analysis was made. Every other value
        is checked as usual.

        >>> AnalysisConfig.from_recorded({"colors": 6, "grain": 0.3}).colors
        6
        >>> AnalysisConfig.from_recorded({"detector": "transnet"}).detector
        'transnet'

        Raises:
            ConfigError: a recorded value is out of range or of the wrong type.
        """
        known = {f.name: settings[f.name] for f in fields(cls) if f.name in settings}
        try:
            return cls(**known)
        except ConfigError:
            names = {k: v for k, v in known.items() if isinstance(getattr(cls, k, None), str)}
            if not names or not all(isinstance(v, str) for v in names.values()):
                raise
        # Only names were refused: check the rest, then keep the names as recorded.
        config = cls(**{k: v for k, v in known.items() if k not in names})
        for name, value in names.items():
            object.__setattr__(config, name, value)
        return config

    def to_dict(self) -> dict[str, Any]:
        """All settings as a plain dict, for analysis.json."""
        return asdict(self)


def _check_range(name: str, value: object, low: int, high: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ConfigError(f"{name} must be a whole number, got {value!r}")
    if not low <= value <= high:
        raise ConfigError(f"{name} must be between {low} and {high}, got {value}")


class AnalysisOptions(TypedDict, total=False):
    """The fields of :class:`AnalysisConfig` as keyword options of :func:`scenepal.analyze`."""

    colors: int
    detector: str
    threshold: float | None
    min_scene_len: int
    seed: int
    color_space: str
    analysis_width: int
    sample_fps: float
    frames_per_scene: int
    pixels_per_scene: int
    black_level: float
    hdr: str
    preview: bool
