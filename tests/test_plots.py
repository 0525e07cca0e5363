"""The statistics plots (timeline, hue wheel, vectorscope), drawn from an analysis alone."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
from analyses import make_analysis
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.collections import PolyCollection
from matplotlib.figure import Figure
from matplotlib.image import AxesImage
from matplotlib.patches import Rectangle
from stats_analyses import with_stats

from scenepal import color
from scenepal.models import Analysis
from scenepal.render.huewheel import hue_color, huewheel
from scenepal.render.timeline import timeline
from scenepal.render.vectorscope import SKIN_LINE_DEG, vectorscope
from scenepal.stats_histograms import DENSITY_LIMIT

ORANGE, TEAL = (230, 140, 60), (40, 140, 150)


@pytest.fixture(scope="module")
def analysis() -> Analysis:
    return with_stats(
        make_analysis(
            [
                (4.0, [(ORANGE, 0.7), (TEAL, 0.3)]),
                (1.0, [((3, 3, 3), 1.0)]),
                (5.0, [((200, 200, 190), 0.6), ((40, 40, 60), 0.4)]),
            ],
            black=(1,),
        )
    )


def _png(fig: Figure) -> np.ndarray:
    canvas = FigureCanvasAgg(fig)
    canvas.draw()
    return np.asarray(canvas.buffer_rgba())[..., :3]


def test_timeline_plots_each_scene_lightness_over_its_time(analysis: Analysis) -> None:
    fig = timeline(analysis)
    light = fig.axes[0]
    median = light.get_lines()[0]
    x, y = median.get_xdata(), median.get_ydata()
    first = analysis.scenes[0].stats
    assert first is not None
    assert y[0] == pytest.approx(first.lightness.p50)
    assert x[0] == 0.0 and x[1] == pytest.approx(4.0)
    assert np.isnan(y[2])  # the black scene: no statistics, a gap
    band = [c for c in light.collections if isinstance(c, PolyCollection)]
    assert band, "the 5-95 % band is drawn"
    assert light.get_xlim() == pytest.approx((0.0, 10.0))
    strip = fig.axes[-1]
    images = [c for c in strip.get_children() if isinstance(c, AxesImage)]
    assert len(images) == 1 and images[0].get_extent() == pytest.approx([0.0, 10.0, 0.0, 1.0])
    assert _png(fig).shape[2] == 3


def test_timeline_warmth_follows_the_cct(analysis: Analysis) -> None:
    fig = timeline(analysis)
    warmth = fig.axes[2].get_lines()[0].get_ydata()
    third = analysis.scenes[2].stats
    assert third is not None and third.warmth.cct_k is not None
    assert warmth[-1] == pytest.approx(min(third.warmth.cct_k, 12000.0))


def _bars(fig: Figure) -> list[Rectangle]:
    return [p for p in fig.axes[0].patches if isinstance(p, Rectangle)]


def test_hue_wheel_bars_are_the_histogram_in_their_own_hue(analysis: Analysis) -> None:
    fig = huewheel(analysis)
    bars = _bars(fig)
    assert analysis.stats is not None
    assert [b.get_height() for b in bars] == pytest.approx(list(analysis.stats.hue.histogram))
    for k, bar in enumerate(bars):
        assert bar.get_facecolor()[:3] == pytest.approx(hue_color(30 * k + 15), abs=1e-6)


def test_hue_wheel_of_one_scene(analysis: Analysis) -> None:
    scene = analysis.scenes[0].stats
    assert scene is not None
    heights = [b.get_height() for b in _bars(huewheel(analysis, scene=0))]
    assert heights == pytest.approx(list(scene.hue.histogram))
    with pytest.raises(ValueError, match="no scene 4"):
        huewheel(analysis, scene=3)
    black = huewheel(analysis, scene=1)  # no statistics: an empty wheel that says so
    assert all(b.get_height() == 0 for b in _bars(black))
    assert any("no statistics" in t.get_text() for t in black.texts)


def test_hue_color_is_the_hue_it_stands_for() -> None:
    for hue in (15.0, 135.0, 255.0):
        rgb = np.array(hue_color(hue))
        lab = color.srgb_to_lab(rgb)
        assert np.degrees(np.arctan2(lab[2], lab[1])) % 360 == pytest.approx(hue, abs=3.0)


def test_vectorscope_shows_the_film_density(analysis: Analysis) -> None:
    fig = vectorscope(analysis)
    ax = fig.axes[0]
    images = [c for c in ax.get_children() if isinstance(c, AxesImage)]
    assert len(images) == 1
    assert images[0].get_extent() == [-DENSITY_LIMIT, DENSITY_LIMIT] * 2
    shown = np.asarray(images[0].get_array())
    assert analysis.stats is not None and analysis.stats.histograms is not None
    # the brightest cell is the most populated one (image rows are b*, columns a*)
    assert np.unravel_index(np.argmax(shown), shown.shape)[::-1] == np.unravel_index(
        np.argmax(analysis.stats.histograms.ab), analysis.stats.histograms.ab.shape
    )
    skin = [line for line in ax.get_lines() if line.get_linestyle() == "--"]
    assert len(skin) == 1
    x, y = skin[0].get_xdata(), skin[0].get_ydata()
    assert np.degrees(np.arctan2(y[1], x[1])) == pytest.approx(SKIN_LINE_DEG)
    assert 45 < SKIN_LINE_DEG < 56


def test_plots_of_an_analysis_without_statistics_say_so() -> None:
    bare = make_analysis([(2.0, [((120, 80, 40), 1.0)])])
    assert bare.stats is None
    assert any("no statistics" in t.get_text() for t in vectorscope(bare).axes[0].texts)
    assert timeline(bare).axes
    empty = dataclasses.replace(bare, stats=None)
    assert huewheel(empty).texts


def test_barcode_colours_under_the_timeline(analysis: Analysis) -> None:
    image = _png(timeline(analysis))
    assert image.dtype == np.uint8
    orange = np.array(ORANGE)
    near = np.abs(image.astype(int) - orange).sum(axis=2) < 12
    assert near.any(), "the first scene's orange swatch shows in the barcode strip"


def test_near_black_scenes_have_no_warmth_point() -> None:
    a = with_stats(make_analysis([(2.0, [((200, 150, 100), 1.0)]), (2.0, [((8, 6, 12), 1.0)])]))
    dark = a.scenes[1].stats
    assert dark is not None and dark.warmth.cct_k is None  # near-black: no white balance
    warmth = timeline(a).axes[2].get_lines()[0].get_ydata()
    assert np.isfinite(warmth[0]) and np.isnan(warmth[-1])
