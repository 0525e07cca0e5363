"""The palette sheet with each scene's representative frame, and palettes.pdf."""

from __future__ import annotations

import io
import re
import shutil
from pathlib import Path

import numpy as np
import pytest
from analyses import make_analysis, solid_scenes, with_representatives
from films import FilmTruth
from matplotlib.patches import Rectangle
from PIL import Image
from typer.testing import CliRunner

from scenepal.cli import app
from scenepal.models import Analysis
from scenepal.outputs import figures_pdf, render_files
from scenepal.render.sheet import sheets

RED, BLUE, WHITE, GREEN = (200, 30, 30), (20, 20, 120), (250, 250, 250), (30, 160, 60)
DPI = 100


@pytest.fixture(scope="module")
def small() -> Analysis:
    plain = make_analysis(
        [
            (3.0, [(RED, 0.75), (BLUE, 0.25)]),
            (61.5, [(WHITE, 1.0)]),
            (2.0, [(GREEN, 0.5), (RED, 0.5)]),
        ],
        colors=5,
    )
    return with_representatives(plain, skip=(1,))  # 320 x 134 pictures, but for scene 2


def _png(analysis: Analysis) -> np.ndarray:
    (fig,) = sheets(analysis, dpi=DPI)
    buf = io.BytesIO()
    fig.savefig(buf, format="png")
    with Image.open(buf) as image:
        return np.asarray(image.convert("RGB")).astype(np.int16)


def test_each_row_shows_its_scenes_picture_beside_its_swatches(small: Analysis) -> None:
    page = _png(small)

    # 0.5 in rows below the 1.5 in header; the picture 0.03 in inside its row, from x = 2.55 in
    # (3 px at 100 dpi), 0.44 in high (44 px) and 105 px wide at 320:134.
    def picture(row: int) -> np.ndarray:
        top = 150 + 50 * row + 3
        return page[top : top + 44, 255 : 255 + 105]

    first, second, third = picture(0), picture(1), picture(2)
    # with_representatives draws the palette as stripes by weight, with a white corner square
    assert np.abs(first[30:40, 20:60] - RED).max() <= 8
    assert np.abs(first[30:40, 85:100] - BLUE).max() <= 8
    assert (first[1:9, 1:9] >= 245).all()
    assert np.abs(third[30:40, 60:100] - RED).max() <= 8
    assert (second == 255).all(), "no picture: the row shows its colours alone"
    # the picture ends where its column does: white between it and the first swatch cell
    assert (page[150:300, 255 + 106 : 255 + 128] == 255).all()


def test_pictures_widen_the_page_but_not_the_swatch_cells(small: Analysis) -> None:
    plain = make_analysis([(3.0, [(RED, 0.75), (BLUE, 0.25)])] * 3, colors=5)
    (with_pictures,), (without,) = sheets(small), sheets(plain)
    assert without.get_size_inches()[0] == pytest.approx(11.0)
    assert with_pictures.get_size_inches()[0] == pytest.approx(11.0 + 1.3)

    def cell_inches(fig: object) -> float:
        rects = [p for p in fig.patches if isinstance(p, Rectangle)]  # type: ignore[attr-defined]
        return float(rects[0].get_width() * fig.get_size_inches()[0])  # type: ignore[attr-defined]

    assert cell_inches(with_pictures) == pytest.approx(cell_inches(without))


def test_an_unreadable_thumbnail_leaves_that_row_without_a_picture(small: Analysis) -> None:
    import dataclasses

    first = small.scenes[0]
    assert first.representative is not None
    broken = dataclasses.replace(first.representative, jpeg=b"not a picture")
    bad = dataclasses.replace(
        small, scenes=(dataclasses.replace(first, representative=broken), *small.scenes[1:])
    )
    page = _png(bad)
    assert (page[153:197, 255:360] == 255).all()
    assert np.abs(page[150 + 100 + 33 : 150 + 100 + 43, 255 + 60 : 255 + 100] - RED).max() <= 8


def _pdf_pages(data: bytes) -> list[bytes]:
    """Each page object of a PDF (matplotlib writes them uncompressed)."""
    assert data.startswith(b"%PDF-")
    return [m.group(0) for m in re.finditer(rb"<< /Type /Page\b.*?>>", data, re.S)]


def test_palettes_pdf_has_one_page_per_sheet_page_with_its_pictures() -> None:
    long = with_representatives(make_analysis(solid_scenes(130, [RED, BLUE]), colors=32))
    figures = sheets(long)
    data = figures_pdf(figures, "0.0.test")
    pages = _pdf_pages(data)
    assert len(pages) == len(figures) == 3
    sizes = [re.search(rb"/MediaBox \[ ?0 0 ([0-9.]+) ([0-9.]+) ?\]", p) for p in pages]
    widths = {round(float(m.group(1)), 1) for m in sizes if m is not None}
    assert widths == {round(12.3 * 72, 1)}
    # each page's thumbnails are one picture (one image XObject a page), at 150 dpi
    assert len(re.findall(rb"/I[0-9]+ [0-9]+ 0 R", data)) == 3
    heights = [int(h) for h in re.findall(rb"/Subtype /Image /Width 159 /Height ([0-9]+)", data)]
    assert sorted(set(heights)) == [750, 4500]  # 60 rows of 0.5 in at 150 dpi, then 10
    assert data == figures_pdf(sheets(long), "0.0.test"), "not deterministic"


def test_render_files_writes_the_pdf_with_or_without_pictures(small: Analysis) -> None:
    plain = make_analysis([(3.0, [(RED, 1.0)])], colors=5)
    for analysis in (small, plain):
        files = render_files(analysis, report=False)
        assert len(_pdf_pages(files["palettes.pdf"])) == 1
    assert "thumbs/0001.jpg" in render_files(small, report=False)


def test_render_after_the_film_is_deleted_draws_the_pictures(
    cut_film_h264: FilmTruth, tmp_path: Path
) -> None:
    film = tmp_path / "film.mp4"
    shutil.copy(cut_film_h264.path, film)
    out = tmp_path / "out"
    runner = CliRunner()
    assert runner.invoke(app, ["analyze", str(film), "-o", str(out), "--quiet"]).exit_code == 0
    mine = ["palettes.png", "palettes.pdf", *(f"thumbs/{i:04d}.jpg" for i in range(1, 6))]
    before = {name: (out / name).read_bytes() for name in mine}
    film.unlink()
    (out / "palettes.png").unlink()
    (out / "palettes.pdf").unlink()
    redrawn = runner.invoke(app, ["render", str(out)])
    assert redrawn.exit_code == 0, redrawn.output
    assert "thumbs/ (5 files)" in redrawn.output
    after = {name: (out / name).read_bytes() for name in mine}
    assert after == before  # the same sheet, PDF and thumbnails, drawn without the film
    with Image.open(out / "palettes.png") as sheet:
        assert sheet.size[0] > 11 * 150  # the picture column
