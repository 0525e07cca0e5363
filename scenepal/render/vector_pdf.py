"""A :class:`~scenepal.render.vector.Drawing` as a one-page PDF: filled rectangles (``re``) and
wedges (cubic Bézier arcs, at most a quarter turn each), no raster, written with the standard
library (PDF 1.4, one compressed content stream)."""

from __future__ import annotations

import zlib

from scenepal.render.vector import Drawing, Wedge, bezier_arc, number

POINTS_PER_INCH = 72.0


def _fill(rgb: tuple[int, int, int]) -> str:
    return " ".join(number(c / 255) for c in rgb) + " rg"


def _arc(wedge: Wedge, radius: float, *, reverse: bool) -> list[str]:
    """Bézier segments along the wedge's arc at ``radius`` (the current point is its start)."""
    return [
        " ".join(number(v) for v in (*c1, *c2, *end)) + " c"
        for c1, c2, end in bezier_arc(wedge, radius, reverse=reverse)
    ]


def wedge_ops(wedge: Wedge) -> list[str]:
    """PDF path operators filling an annular wedge (a pie slice when its inner radius is 0)."""
    outer = wedge.arc(wedge.outer)
    ops = [
        f"{number(outer[0][0])} {number(outer[0][1])} m",
        *_arc(wedge, wedge.outer, reverse=False),
    ]
    if wedge.inner > 0:
        x, y = wedge.point(wedge.inner, wedge.end)
        ops.append(f"{number(x)} {number(y)} l")
        ops += _arc(wedge, wedge.inner, reverse=True)
    else:
        ops.append(f"{number(wedge.cx)} {number(wedge.cy)} l")
    ops.append("h f")
    return ops


def pdf_document(drawing: Drawing, page: tuple[float, float], *, title: str | None = None) -> bytes:
    """The drawing filling a page of ``page`` (width, height) in points, as PDF bytes."""
    page_w, page_h = page
    sx, sy = page_w / drawing.width, page_h / drawing.height
    # Picture units, y down, onto the page (y up).
    ops = [f"{number(sx)} 0 0 {number(-sy)} 0 {number(page_h)} cm"]
    for b in drawing.boxes:
        ops.append(_fill(b.fill))
        ops.append(f"{number(b.x)} {number(b.y)} {number(b.width)} {number(b.height)} re f")
    for w in drawing.wedges:
        ops.append(_fill(w.fill))
        ops += wedge_ops(w)
    content = zlib.compress("\n".join(ops).encode("ascii"), 6)
    info = f"<< /Producer (scenepal) /Title {_text(title or '')} >>"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        (
            f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {number(page_w)} {number(page_h)}] "
            "/Resources << >> /Contents 4 0 R >>"
        ).encode("ascii"),
        f"<< /Length {len(content)} /Filter /FlateDecode >>\nstream\n".encode("ascii")
        + content
        + b"\nendstream",
        info.encode("latin-1"),
    ]
    return assemble(objects, info=5)


def assemble(objects: list[bytes], *, info: int | None = None) -> bytes:
    """A PDF file of ``objects`` (numbered from 1; the first is the catalog), with its
    cross-reference table."""
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number_, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number_} 0 obj\n".encode("ascii") + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode("ascii")
    for offset in offsets:
        out += f"{offset:010d} 00000 n \n".encode("ascii")
    trailer = f"<< /Size {len(objects) + 1} /Root 1 0 R"
    if info is not None:
        trailer += f" /Info {info} 0 R"
    out += f"trailer\n{trailer} >>\nstartxref\n{xref}\n%%EOF\n".encode("ascii")
    return bytes(out)


def _text(value: str) -> str:
    """A PDF text string: UTF-16BE with its byte order mark, as hex."""
    return "<FEFF" + value.encode("utf-16-be").hex().upper() + ">"
