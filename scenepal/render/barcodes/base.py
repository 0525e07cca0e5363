"""What every barcode mode shares: the bands it draws, its protocol, the options it takes.

A mode turns an analysis into :class:`Bands`: coloured bands along the film, each cut into
stripes across it. The same bands are drawn as a strip (left to right, stripes top to bottom)
or as a ring (clockwise from 12 o'clock, stripes from the outer edge in), as pixels
(:mod:`scenepal.render.barcode`) or as vector shapes (:mod:`scenepal.render.vector`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

import numpy as np
from numpy.typing import NDArray

from scenepal.errors import ConfigError
from scenepal.models import Analysis

Shape = Literal["strip", "ring"]


@dataclass(frozen=True, eq=False)
class Bands:
    """Coloured bands along the film.

    Attributes:
        edges: float64 (n + 1,) band edges as shares of the film, from 0 to 1, non-decreasing:
            band i covers [edges[i], edges[i + 1]).
        bounds: float64 (n, k + 1) stripe edges across each band, shares of its height from
            0 (the top, or a ring's outer edge) to 1; a band with fewer than k stripes repeats
            its last bound (empty stripes).
        linear: float64 (n, k, 3) each stripe's colour in linear light, 0 to 1.
    """

    edges: NDArray[np.float64]
    bounds: NDArray[np.float64]
    linear: NDArray[np.float64]

    def __post_init__(self) -> None:
        n = len(self.edges) - 1
        if n < 1 or self.bounds.shape[0] != n or self.linear.shape[:1] != (n,):
            raise ValueError("bands need n + 1 edges and n rows of bounds and colours")
        if self.linear.shape != (n, self.bounds.shape[1] - 1, 3):
            raise ValueError("each stripe needs one colour")

    @classmethod
    def solid(cls, edges: NDArray[np.float64], linear: NDArray[np.float64]) -> Bands:
        """Bands of one colour each: ``linear`` float64 (n, 3)."""
        n = len(linear)
        bounds = np.tile(np.array([0.0, 1.0]), (n, 1))
        return cls(np.asarray(edges, np.float64), bounds, np.asarray(linear, np.float64)[:, None])

    @property
    def is_solid(self) -> bool:
        """True when every band is one stripe from top to bottom."""
        return bool(self.bounds.shape[1] == 2)


@dataclass(frozen=True)
class BarcodeOptions:
    """Options of one mode or another; None means not given.

    Attributes:
        smooth: frames modes: average each column with its neighbours, over this many
            columns (in linear light).
        inner: ring modes: the hole's radius as a share of the ring's outer radius, in [0, 1).
    """

    smooth: int | None = None
    inner: float | None = None

    def given(self) -> tuple[str, ...]:
        """Names of the options given."""
        return tuple(name for name in ("smooth", "inner") if getattr(self, name) is not None)


OPTION_FLAGS = {"smooth": "--smooth", "inner": "--inner"}
"""Each mode option's command-line flag, for messages."""


@dataclass(frozen=True)
class BarcodeMode:
    """One kind of barcode, an entry of :data:`scenepal.render.barcodes.MODES`.

    Attributes:
        name: the mode's name on the command line (``frames``, ``circular-scenes``).
        description: one line for ``--help``.
        shape: drawn as a ``"strip"`` or a ``"ring"``.
        options: the names of the :class:`BarcodeOptions` it takes.
        default_size: (width, height) in pixels when no size is given.
        draw: (analysis, columns, options) -> the bands to draw, for a picture ``columns``
            pixels along the film.
    """

    name: str
    description: str
    shape: Shape
    options: frozenset[str]
    default_size: tuple[int, int]
    draw: Callable[[Analysis, int, BarcodeOptions], Bands]

    def bands(self, analysis: Analysis, columns: int, options: BarcodeOptions) -> Bands:
        """The bands to draw, for a picture ``columns`` pixels along the film."""
        return self.draw(analysis, columns, options)


STRIP_SIZE = (2400, 800)
"""Default (width, height) of a strip barcode."""

RING_SIZE = (1600, 1600)
"""Default (width, height) of a ring barcode."""


def check_options(mode: BarcodeMode, options: BarcodeOptions) -> None:
    """Refuse options the mode does not take, and values out of range.

    Raises:
        ConfigError: an option is not one of the mode's, or out of range.
    """
    for name in options.given():
        if name not in mode.options:
            takes = ", ".join(OPTION_FLAGS[o] for o in sorted(mode.options)) or "no options"
            raise ConfigError(
                f"{OPTION_FLAGS[name]} does not apply to the {mode.name} barcode (it takes {takes})"
            )
    if options.smooth is not None and not 1 <= options.smooth <= 10_000:
        raise ConfigError(f"--smooth must be from 1 to 10000 columns, got {options.smooth}")
    if options.inner is not None and not 0 <= options.inner < 1:
        raise ConfigError(f"--inner must be at least 0 and less than 1, got {options.inner}")


def scene_edges(analysis: Analysis) -> NDArray[np.float64]:
    """The scenes' edges as shares of the film: each scene as wide as it is long (all equal
    when the film has no duration)."""
    durations = np.array([max(r.scene.duration_s, 0.0) for r in analysis.scenes], np.float64)
    total = float(durations.sum())
    if total <= 0:
        durations = np.ones(len(durations))
        total = float(len(durations))
    edges = np.concatenate([[0.0], np.cumsum(durations) / total])
    edges[-1] = 1.0
    return edges
