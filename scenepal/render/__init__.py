"""Pictures of an analysis: barcodes (:mod:`scenepal.render.barcodes` modes, drawn as pixels or
vector shapes), posters, the palette sheet and the statistics plots. No file I/O here.

The package is also the API's ``scenepal.render(...)``: :func:`scenepal.rendering.render`.
"""

from __future__ import annotations

from typing import Any

from scenepal._callable import make_callable


def render(*args: Any, **kwargs: Any) -> dict[str, bytes]:
    """Barcodes of an analysis without the film (:func:`scenepal.rendering.render`)."""
    from scenepal.rendering import render as draw_files  # imported on use: pictures are heavy

    return draw_files(*args, **kwargs)


make_callable(__name__, render)
