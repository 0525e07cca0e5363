"""scenepal: read a film and tell its colour story.

>>> import scenepal
>>> analysis = scenepal.analyze("movie.mp4", colors=6)          # doctest: +SKIP
>>> analysis.scenes[0].palette.hex_codes                          # doctest: +SKIP
('#1d2633', '#c9a27e', ...)
>>> scenepal.load_analysis("movie.scenepal/analysis.json")      # doctest: +SKIP
>>> scenepal.export("movie.scenepal", "ase", all_scenes=True)   # doctest: +SKIP
>>> image = scenepal.barcode(analysis)   # uint8 (height, width, 3) sRGB   # doctest: +SKIP
>>> figures = scenepal.sheets(analysis)  # matplotlib Figures, one per page  # doctest: +SKIP
>>> scenepal.extract_palette(pixels, colors=5, seed=0)          # doctest: +SKIP

The names below are imported on first use, so that ``import scenepal`` (and the command's
start, ``--help`` and error messages) do not pay for PyAV, OpenCV, matplotlib and
scikit-learn until they are needed.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from scenepal._version import __version__

if TYPE_CHECKING:
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
        Palette,
        Rect,
        Scene,
        SceneResult,
        Swatch,
        VideoInfo,
    )
    from scenepal.outputs import write_outputs
    from scenepal.palette import extract_palette
    from scenepal.pipeline import Progress, analyze
    from scenepal.probing import probe
    from scenepal.render.barcode import barcode
    from scenepal.render.sheet import sheets

_HOMES = {
    "AnalysisConfig": "scenepal.config",
    "AnalysisFileError": "scenepal.errors",
    "ConfigError": "scenepal.errors",
    "HdrRefusedError": "scenepal.errors",
    "InputNotFoundError": "scenepal.errors",
    "OutputError": "scenepal.errors",
    "ScenepalError": "scenepal.errors",
    "VideoOpenError": "scenepal.errors",
    "analysis_to_dict": "scenepal.export",
    "analysis_to_json": "scenepal.export",
    "load_analysis": "scenepal.export",
    "Analysis": "scenepal.models",
    "ColorInfo": "scenepal.models",
    "Rect": "scenepal.models",
    "Palette": "scenepal.models",
    "Scene": "scenepal.models",
    "SceneResult": "scenepal.models",
    "Swatch": "scenepal.models",
    "VideoInfo": "scenepal.models",
    "write_outputs": "scenepal.outputs",
    "extract_palette": "scenepal.palette",
    "Progress": "scenepal.pipeline",
    "analyze": "scenepal.pipeline",
    "probe": "scenepal.probing",
    "barcode": "scenepal.render.barcode",
    "sheets": "scenepal.render.sheet",
}


_CALLABLE_MODULES = ("export", "render")
"""Modules that are also the API's functions: ``scenepal.export(...)``, ``scenepal.render(...)``."""


def __getattr__(name: str) -> Any:
    if name in _CALLABLE_MODULES:
        return importlib.import_module(f"scenepal.{name}")
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module 'scenepal' has no attribute {name!r}")
    value = getattr(importlib.import_module(home), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *_HOMES, *_CALLABLE_MODULES])


__all__ = [
    "Analysis",
    "AnalysisConfig",
    "AnalysisFileError",
    "ColorInfo",
    "ConfigError",
    "HdrRefusedError",
    "InputNotFoundError",
    "OutputError",
    "Palette",
    "Progress",
    "Rect",
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
    "barcode",
    "export",
    "extract_palette",
    "load_analysis",
    "probe",
    "sheets",
    "write_outputs",
]
