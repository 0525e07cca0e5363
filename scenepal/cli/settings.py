"""The analysis settings as command-line options, shared by the commands that analyse
(``analyze``, ``batch``): one declaration of each option, and the config built from them."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import fields
from typing import Annotated, Any

import typer

from scenepal.config import COLOR_SPACES, HDR_MODES, AnalysisConfig
from scenepal.scenes import DETECTORS

DEFAULTS = AnalysisConfig()
"""The settings' defaults, which the options show."""

ColorsOption = Annotated[
    int, typer.Option("--colors", "-k", min=1, max=32, help="Colours per palette.")
]
DetectorOption = Annotated[
    str, typer.Option("--detector", "-d", help=f"Scene detector: {', '.join(DETECTORS)}.")
]
ThresholdOption = Annotated[
    float | None, typer.Option(help="Detector threshold (default: the detector's own).")
]
MinSceneLenOption = Annotated[int, typer.Option(min=1, help="Shortest scene, in frames.")]
SeedOption = Annotated[int, typer.Option(min=0, help="Clustering seed.")]
ColorSpaceOption = Annotated[
    str, typer.Option(help=f"Space to cluster in: {', '.join(COLOR_SPACES)}.")
]
HdrOption = Annotated[str, typer.Option(help=f"HDR handling: {', '.join(HDR_MODES)}.")]
PreviewOption = Annotated[
    bool,
    typer.Option(
        "--preview", help="Keyframes only: many times faster, approximate scene boundaries."
    ),
]


def config_from(values: Mapping[str, Any]) -> AnalysisConfig:
    """The config of a command's settings options: the values (a command's ``locals()``)
    named like :class:`AnalysisConfig` fields; the fields without an option keep their
    defaults.

    >>> config_from({"colors": 7, "output": "elsewhere"}).colors
    7

    Raises:
        ConfigError: a value is out of range.
    """
    names = {f.name for f in fields(AnalysisConfig)}
    return AnalysisConfig(**{k: v for k, v in values.items() if k in names})
