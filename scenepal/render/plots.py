"""The statistics plots by name: ``timeline``, ``huewheel`` and ``vectorscope``."""

from __future__ import annotations

from collections.abc import Callable

from matplotlib.figure import Figure

from scenepal.errors import ConfigError
from scenepal.models import Analysis
from scenepal.render.huewheel import huewheel
from scenepal.render.timeline import timeline
from scenepal.render.vectorscope import vectorscope

PLOTS: dict[str, Callable[[Analysis], Figure]] = {
    "timeline": timeline,
    "huewheel": huewheel,
    "vectorscope": vectorscope,
}
"""Each plot's function; each is written as ``<name>.png``."""


def plot(name: str, analysis: Analysis, *, scene: int | None = None) -> Figure:
    """The plot called ``name``; ``scene`` (0-based) picks one scene, for the hue wheel only.

    Raises:
        ConfigError: the name is not a plot's, or ``scene`` is given for another plot or is
            not a scene of the analysis.

    >>> try:
    ...     plot("histogram", None)  # type: ignore[arg-type]
    ... except ConfigError as exc:
    ...     print(exc)
    unknown plot 'histogram'; choose one of: timeline, huewheel, vectorscope
    """
    if name not in PLOTS:
        raise ConfigError(f"unknown plot {name!r}; choose one of: {', '.join(PLOTS)}")
    if scene is None:
        return PLOTS[name](analysis)
    if name != "huewheel":
        raise ConfigError("--scene is for the huewheel plot only")
    if not 0 <= scene < len(analysis.scenes):
        raise ConfigError(f"no scene {scene + 1}: the film has {len(analysis.scenes)} scenes")
    return huewheel(analysis, scene=scene)
