"""scenepal.render.sheet: pages of the palette sheet, their text, and their PNGs."""

from __future__ import annotations

import dataclasses
import io

import pytest
from analyses import make_analysis, solid_scenes
from hypothesis import given, settings
from hypothesis import strategies as st
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle
from PIL import Image

from scenepal.models import Analysis, Excluded
from scenepal.render.sheet import _percent, excluded_mark, page_names, sheets

RED, BLUE, WHITE, GREEN = (200, 30, 30), (20, 20, 120), (250, 250, 250), (30, 160, 60)
COLORS = 32  # no film palette clustering: fast


def _texts(fig: Figure) -> list[str]:
    return [t.get_text() for t in fig.texts]


def _png(fig: Figure) -> Image.Image:
    buf = io.BytesIO()
    fig.savefig(buf, format="png")
    buf.seek(0)
    image = Image.open(buf)
    image.load()
    return image


@pytest.fixture(scope="module")
def small() -> Analysis:
    return make_analysis(
        [
            (3.0, [(RED, 0.75), (BLUE, 0.25)]),
            (61.5, [(WHITE, 1.0)]),
            (2.0, [(GREEN, 0.5), (RED, 0.496), (BLUE, 0.004)]),
        ],
        path="/films/Night Train.mkv",
        colors=5,
    )


@pytest.mark.parametrize(("scenes", "pages"), [(1, 1), (60, 1), (61, 2), (120, 2), (121, 3)])
def test_one_figure_per_sixty_scenes(scenes: int, pages: int) -> None:
    a = make_analysis(solid_scenes(scenes, [RED, BLUE]), colors=COLORS)
    figures = sheets(a)
    assert len(figures) == pages
    assert all(isinstance(f, Figure) for f in figures)
    # Each scene has its label row once, on exactly one page.
    labels = [t for f in figures for t in _texts(f) if t.endswith(" s")]
    assert [int(t.split()[0]) for t in labels] == list(range(1, scenes + 1))


def test_page_names() -> None:
    assert page_names(1) == ["palettes.png"]
    assert page_names(3) == ["palettes.png", "palettes-002.png", "palettes-003.png"]
    assert page_names(0) == []
    assert page_names(2, stem="sheet") == ["sheet.png", "sheet-002.png"]
    assert page_names(1000)[-1] == "palettes-1000.png"


def test_hex_codes_and_percentages_are_written(small: Analysis) -> None:
    (fig,) = sheets(small)
    texts = _texts(fig)
    for r in small.scenes:
        for s in r.palette.swatches:
            assert any(t.startswith(s.hex) for t in texts), s.hex
    assert "#c81e1e  75%" in texts
    assert "#141478  25%" in texts
    assert "#fafafa  100%" in texts
    assert "#141478  <1%" in texts  # a 0.4% share
    for s in small.palette.swatches:
        assert any(t.startswith(s.hex) for t in texts)


def test_header_and_scene_labels(small: Analysis) -> None:
    (fig,) = sheets(small)
    texts = _texts(fig)
    assert texts[0] == "Night Train.mkv · palettes"
    summary = texts[1]
    assert summary.startswith("00:01:06.500 · 3 scenes · 1596 frames · content detector")
    assert "5 colours in LAB" in summary
    assert "seed 0" in summary
    assert summary.endswith("scenepal 0.0.test")
    assert "film palette" in texts
    assert "   1  00:00:00.0     3.0 s" in texts
    assert "   2  00:00:03.0    61.5 s" in texts
    assert "   3  00:01:04.5     2.0 s" in texts


def test_later_pages_are_numbered_and_carry_no_header() -> None:
    a = make_analysis(solid_scenes(61, [RED, BLUE]), colors=COLORS, path="film.mp4")
    first, second = sheets(a)
    assert _texts(first)[0] == "film.mp4 · palettes (page 1 of 2)"
    assert _texts(second)[0] == "film.mp4 · palettes (page 2 of 2)"
    assert "film palette" in _texts(first)
    assert "film palette" not in _texts(second)
    assert [t for t in _texts(second) if t.endswith(" s")] == ["  61  00:01:00.0     1.0 s"]


def test_black_scenes_show_a_note_instead_of_swatches() -> None:
    a = make_analysis([(1.0, [((2, 2, 2), 1.0)]), (1.0, [(RED, 1.0)])], black=(0,), colors=COLORS)
    (fig,) = sheets(a)
    texts = _texts(fig)
    assert texts.count("black (no picture)") == 1
    # The black scene's swatch is drawn nowhere: not as a scene row, and (as in the pipeline)
    # not in the film palette either.
    assert not any(t.startswith("#020202") for t in texts)
    assert sum(t.startswith("#c81e1e") for t in texts) == 2


def test_swatch_cells_and_weight_strip_use_the_swatch_colours(small: Analysis) -> None:
    (fig,) = sheets(small)
    rects = [p for p in fig.patches if isinstance(p, Rectangle)]
    # One cell and one strip segment per swatch, for the film palette and every scene.
    swatches = len(small.palette) + sum(len(r.palette) for r in small.scenes)
    assert len(rects) == 2 * swatches
    faces = {tuple(round(c * 255) for c in p.get_facecolor()[:3]) for p in rects}
    assert {RED, BLUE, WHITE, GREEN} <= faces


def test_text_colour_reads_on_the_swatch(small: Analysis) -> None:
    (fig,) = sheets(small)
    by_text = {t.get_text(): t.get_color() for t in fig.texts}
    assert by_text["#fafafa  100%"] == "#000000"  # dark text on white
    assert by_text["#141478  25%"] == "#ffffff"  # light text on dark blue


def test_figure_saves_to_a_png_of_the_expected_size(small: Analysis) -> None:
    (fig,) = sheets(small, dpi=100)
    image = _png(fig)
    assert image.format == "PNG"
    # 11 in wide; header 1.5 in + 3 rows of 0.34 in + 0.25 in padding, at 100 dpi.
    assert image.size == (1100, pytest.approx(277, abs=1))
    # Not blank: a white background with coloured swatches on it.
    colors = image.convert("RGB").getcolors(maxcolors=1_000_000)
    assert colors is not None
    assert len(colors) > 10
    assert max(colors)[1] == (255, 255, 255)


def test_percent() -> None:
    weights = (0.001, 0.005, 0.0099, 0.01, 0.256, 0.5, 0.994, 1.0)
    assert [_percent(w) for w in weights] == [
        "<1%",
        "<1%",
        "<1%",
        "1%",
        "26%",
        "50%",
        "99%",
        "100%",
    ]


@settings(max_examples=100, deadline=None)
@given(st.floats(1e-9, 1.0))
def test_a_positive_share_never_reads_zero_percent(weight: float) -> None:
    text = _percent(weight)
    assert text != "0%"
    if weight < 0.01:
        assert text == "<1%"
    else:
        assert abs(int(text.rstrip("%")) - weight * 100) <= 0.5 + 1e-9


def test_scenes_with_more_than_a_quarter_left_out_are_marked(small: Analysis) -> None:
    first, second, third = small.scenes
    frames = [r.scene.frame_count for r in small.scenes]
    marked = dataclasses.replace(
        small,
        scenes=(
            dataclasses.replace(first, excluded=Excluded(fade_out=frames[0] // 4)),  # a quarter
            dataclasses.replace(second, excluded=Excluded(black=frames[1] // 2, dip=1)),
            third,
        ),
    )
    (fig,) = sheets(marked)
    marks = [t for t in _texts(fig) if t.endswith("left out")]
    share = (frames[1] // 2 + 1) / frames[1]
    assert marks == [f"{share:.0%} left out"]
    assert excluded_mark(marked.scenes[0]) is None
