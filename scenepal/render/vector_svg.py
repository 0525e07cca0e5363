"""A :class:`~scenepal.render.vector.Drawing` as an SVG document: one ``<rect>`` per box, one
``<path>`` per wedge (arcs, no raster), in a ``viewBox`` of the picture's units."""

from __future__ import annotations

from xml.sax.saxutils import quoteattr

from scenepal.render.vector import Drawing, Wedge, number


def _hex(rgb: tuple[int, int, int]) -> str:
    return f"#{rgb[0]:02x}{rgb[1]:02x}{rgb[2]:02x}"


def wedge_path(wedge: Wedge) -> str:
    """The SVG path data of an annular wedge (a pie slice when its inner radius is 0)."""
    outer = wedge.arc(wedge.outer)
    parts = [f"M{number(outer[0][0])} {number(outer[0][1])}"]
    r = number(wedge.outer)
    parts += [f"A{r} {r} 0 0 1 {number(x)} {number(y)}" for x, y, _ in outer[1:]]
    if wedge.inner > 0:
        inner = wedge.arc(wedge.inner, reverse=True)
        parts.append(f"L{number(inner[0][0])} {number(inner[0][1])}")
        ri = number(wedge.inner)
        parts += [f"A{ri} {ri} 0 0 0 {number(x)} {number(y)}" for x, y, _ in inner[1:]]
    else:
        parts.append(f"L{number(wedge.cx)} {number(wedge.cy)}")
    return "".join(parts) + "Z"


def svg_document(
    drawing: Drawing, *, physical: tuple[str, str] | None = None, title: str | None = None
) -> bytes:
    """The drawing as SVG bytes (UTF-8).

    Args:
        drawing: the shapes.
        physical: the document's printed width and height with their units (``("40cm",
            "10cm")``); by default its size in pixels.
        title: a ``<title>`` for the document.
    """
    width, height = physical or (number(drawing.width), number(drawing.height))
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        f'<svg xmlns="http://www.w3.org/2000/svg" version="1.1" width="{width}" '
        f'height="{height}" viewBox="0 0 {number(drawing.width)} {number(drawing.height)}">',
    ]
    if title:
        lines.append(f"<title>{_escape(title)}</title>")
    for b in drawing.boxes:
        lines.append(
            f'<rect x="{number(b.x)}" y="{number(b.y)}" width="{number(b.width)}" '
            f'height="{number(b.height)}" fill="{_hex(b.fill)}"/>'
        )
    for w in drawing.wedges:
        lines.append(f'<path d="{wedge_path(w)}" fill="{_hex(w.fill)}"/>')
    lines.append("</svg>")
    return ("\n".join(lines) + "\n").encode("utf-8")


def _escape(text: str) -> str:
    return quoteattr(text)[1:-1]
