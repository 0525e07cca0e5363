"""SVG and PDF barcodes and posters (scenepal.render.vector*, scenepal.rendering): true vector
shapes, one per band, stripe or column, read back by parsers written here."""

from __future__ import annotations

import dataclasses
import io
import re
import xml.etree.ElementTree as ET
import zlib

import numpy as np
import pytest
from analyses import make_analysis
from PIL import Image

import scenepal
from scenepal.errors import ConfigError
from scenepal.frametimeline import FrameTimeline
from scenepal.models import Analysis
from scenepal.render import vector
from scenepal.render.barcode import draw
from scenepal.render.barcodes import BarcodeOptions, get_mode

SVG = "{http://www.w3.org/2000/svg}"
RED, BLUE, WHITE, GREEN = (200, 30, 30), (20, 20, 120), (255, 255, 255), (30, 160, 60)
COLORS = 32


def _hex(rgb: tuple[int, int, int]) -> str:
    return "#{:02x}{:02x}{:02x}".format(*rgb)


def _analysis() -> Analysis:
    return make_analysis(
        [
            (3.0, [(RED, 0.6), (BLUE, 0.4)]),
            (1.0, [(WHITE, 1.0)]),
            (2.0, [(GREEN, 0.5), (BLUE, 0.5)]),
        ],
        colors=COLORS,
        path="films/Vertigo.mkv",
    )


def _svg(data: bytes) -> ET.Element:
    return ET.fromstring(data)


def _pdf_media_box(data: bytes) -> list[float]:
    match = re.search(rb"/MediaBox\s*\[\s*([-0-9. ]+?)\s*\]", data)
    assert match is not None
    return [float(v) for v in match[1].split()]


def _pdf_content(data: bytes) -> str:
    """The page's (one) content stream, inflated."""
    match = re.search(rb"stream\n(.*?)\nendstream", data, re.S)
    assert match is not None
    return zlib.decompress(match[1]).decode("ascii")


def test_scenes_svg_is_one_rect_per_stripe_with_the_palette_fills() -> None:
    files = scenepal.render(_analysis(), "scenes", size=(600, 100), formats="svg")
    root = _svg(files["barcode-scenes.svg"])
    assert root.tag == f"{SVG}svg" and root.get("viewBox") == "0 0 600 100"
    rects = root.findall(f"{SVG}rect")
    assert [r.get("fill") for r in rects] == [_hex(c) for c in (RED, BLUE, WHITE, GREEN, BLUE)]
    assert [float(r.get("x", "nan")) for r in rects] == [0, 0, 300, 400, 400]
    # Bands reach one unit under the next band (and stripes under the next stripe) so that no
    # background shows between them; the last ones stop at the edge.
    assert [float(r.get("width", "nan")) for r in rects] == [301, 301, 101, 200, 200]
    assert [float(r.get("height", "nan")) for r in rects] == [61, 40, 100, 51, 50]
    assert root.find(f".//{SVG}image") is None


def test_frames_svg_at_as_many_columns_as_frames_is_one_rect_per_frame() -> None:
    a = make_analysis([(120 / 24, [(RED, 1.0)])], colors=COLORS)
    rng = np.random.default_rng(5)
    timeline = FrameTimeline(
        np.arange(120) / 24, rng.integers(0, 65536, (120, 3)).astype(np.uint16)
    )
    a = dataclasses.replace(a, timeline=timeline)
    root = _svg(scenepal.render(a, "frames", size=(120, 40), formats="svg")["barcode-frames.svg"])
    rects = root.findall(f"{SVG}rect")
    assert len(rects) == 120
    assert [r.get("fill") for r in rects] == [_hex(tuple(c)) for c in timeline.srgb().tolist()]
    assert [float(r.get("x", "nan")) for r in rects] == list(range(120))


def test_ring_svg_is_one_path_per_wedge() -> None:
    files = scenepal.render(_analysis(), "circular-scenes", size=(300, 300), formats="svg")
    root = _svg(files["barcode-circular-scenes.svg"])
    paths = root.findall(f"{SVG}path")
    assert [p.get("fill") for p in paths] == [_hex(c) for c in (RED, BLUE, WHITE, GREEN, BLUE)]
    d = paths[0].get("d", "")
    assert d.startswith("M") and " 0 0 1 " in d and d.endswith("Z")  # arcs, not polygons
    # The first wedge starts (a unit under the last) at 12 o'clock, on the outer radius 150.
    x, y = (float(v) for v in d[1:].split("A")[0].split())
    assert abs(x - 150) < 1.1 and abs(y - 0) < 0.01
    assert root.find(f".//{SVG}image") is None


def test_pdf_page_is_the_print_size_and_holds_only_filled_shapes() -> None:
    files = scenepal.render(
        _analysis(), "scenes,circular-scenes", print_size="40x10cm", formats="pdf,svg"
    )
    pdf = files["barcode-scenes.pdf"]
    assert pdf.startswith(b"%PDF-1.4") and pdf.rstrip().endswith(b"%%EOF")
    width, height = 40 / 2.54 * 72, 10 / 2.54 * 72
    assert _pdf_media_box(pdf) == pytest.approx([0, 0, width, height], abs=1e-3)
    content = _pdf_content(pdf)
    assert content.count(" re f") == 5 and b"/Image" not in pdf
    fills = re.findall(r"^([0-9.]+) ([0-9.]+) ([0-9.]+) rg$", content, re.M)
    assert [tuple(round(float(v) * 255) for v in f) for f in fills] == [
        RED,
        BLUE,
        WHITE,
        GREEN,
        BLUE,
    ]
    ring = _pdf_content(files["barcode-circular-scenes.pdf"])
    assert ring.count("h f") == 5 and " c" in ring  # wedges of Bézier arcs
    svg = _svg(files["barcode-scenes.svg"])
    assert (svg.get("width"), svg.get("height")) == ("40cm", "10cm")
    assert svg.get("viewBox") == "0 0 4724 1181"  # 300 dpi


def test_pdf_xref_offsets_point_at_their_objects() -> None:
    pdf = scenepal.render(_analysis(), "dominant", size=(100, 20), formats="pdf")[
        "barcode-dominant.pdf"
    ]
    start = int(pdf.rsplit(b"startxref\n", 1)[1].split()[0])
    rows = pdf[start:].split(b"\n")[3:8]
    for number, row in enumerate(rows, start=1):
        offset = int(row.split()[0])
        assert pdf[offset:].startswith(f"{number} 0 obj".encode())


def test_posters_in_every_format() -> None:
    a = _analysis()
    files = scenepal.render(
        a, "scenes,circular-scenes", poster=True, title="Vertigo", year=1958,
        print_size="30x20cm", dpi=50, formats="png,svg,pdf",
    )  # fmt: skip
    assert sorted(files) == [
        f"poster-{m}.{k}" for m in ("circular-scenes", "scenes") for k in ("pdf", "png", "svg")
    ]
    png = Image.open(io.BytesIO(files["poster-scenes.png"]))
    assert png.size == (int(30 / 2.54 * 50), int(20 / 2.54 * 50))  # matplotlib truncates
    pdf = files["poster-scenes.pdf"]
    assert _pdf_media_box(pdf) == pytest.approx([0, 0, 30 / 2.54 * 72, 20 / 2.54 * 72], abs=0.01)
    assert b"/Subtype /Image" not in pdf
    svg = files["poster-circular-scenes.svg"].decode()
    assert "<image" not in svg and "Vertigo" in svg and "1958" in svg
    texts = "".join(_svg(files["poster-scenes.svg"]).itertext())
    for label in ("Vertigo", "1958", "0:00", "0:05", "#c81e1e"):
        assert label in texts


def test_a_poster_png_places_the_barcode_pixels_one_to_one() -> None:
    a = make_analysis([(1.0, [(RED, 1.0)]), (1.0, [(BLUE, 1.0)])], colors=COLORS)
    png = scenepal.render(a, "dominant", poster=True, size=(900, 450), dpi=100)[
        "poster-dominant.png"
    ]
    pixels = np.asarray(Image.open(io.BytesIO(png)).convert("RGB"))
    red = np.all(pixels == RED, axis=-1)
    blue = np.all(pixels == BLUE, axis=-1)
    either = red | blue
    rows = np.flatnonzero(either.sum(axis=1) == either.sum(axis=1).max())  # the barcode's
    cols = np.flatnonzero(either[rows[0]])
    box = pixels[rows[0] : rows[-1] + 1, cols[0] : cols[-1] + 1]
    # Exactly the mode's own pixels at that size: placed, not resampled.
    expected = draw(a, get_mode("dominant"), (box.shape[1], box.shape[0]), BarcodeOptions())
    assert box.shape[1] > 800 and np.array_equal(box, expected)


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"size": "600"}, "--size must be WIDTHxHEIGHT"),
        ({"print_size": "40x10"}, "--print must be WIDTHxHEIGHT with cm or in"),
        ({"size": "10x10", "print_size": "4x1in"}, "--size or --print, not both"),
        ({"formats": "png,gif"}, "unknown format 'gif'"),
        ({"title": "Vertigo"}, "--title and --year are for the poster"),
        ({"size": "30000x30000"}, "too large"),
        ({"smooth": 4}, "--smooth does not apply to the scenes barcode"),
    ],
)
def test_bad_requests_are_config_errors(options: dict[str, object], message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        scenepal.render(_analysis(), "scenes", **options)  # type: ignore[arg-type]


def test_numbers_are_short() -> None:
    assert vector.number(2400.0) == "2400" and vector.number(1 / 3) == "0.3333"
