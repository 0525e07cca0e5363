"""scenepal: read a film and tell its colour story.

>>> import scenepal
>>> analysis = scenepal.analyze("movie.mp4", colors=6)          # doctest: +SKIP
>>> analysis.scenes[0].palette.hex_codes                          # doctest: +SKIP
('#1d2633', '#c9a27e', ...)
>>> scenepal.load_analysis("movie.scenepal/analysis.json")      # doctest: +SKIP
"""

from scenepal._version import __version__
from scenepal.config import AnalysisConfig
from scenepal.errors import (
    AnalysisFileError,
    ConfigError,
    HdrRefusedError,
    InputNotFoundError,
    OutputError,
    ScenepalError,
    VideoOpenError,
)
from scenepal.export import analysis_to_dict, analysis_to_json, load_analysis
from scenepal.models import (
    Analysis,
    ColorInfo,
    Crop,
    Palette,
    Scene,
    SceneResult,
    Swatch,
    VideoInfo,
)
from scenepal.outputs import write_outputs
from scenepal.pipeline import Progress, analyze
from scenepal.video import probe

__all__ = [
    "Analysis",
    "AnalysisConfig",
    "AnalysisFileError",
    "ColorInfo",
    "ConfigError",
    "Crop",
    "HdrRefusedError",
    "InputNotFoundError",
    "OutputError",
    "Palette",
    "Progress",
    "Scene",
    "SceneResult",
    "ScenepalError",
    "Swatch",
    "VideoInfo",
    "VideoOpenError",
    "__version__",
    "analysis_to_dict",
    "analysis_to_json",
    "analyze",
    "load_analysis",
    "probe",
    "write_outputs",
]
