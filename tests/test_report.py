"""report.html: what the page holds, that it is self-contained, and that it stays light."""

from __future__ import annotations

import base64
import dataclasses
import re
from html.parser import HTMLParser

import pytest
from analyses import make_analysis, with_representatives
from stats_analyses import with_stats

from scenepal.models import Analysis
from scenepal.outputs import render_files, report_page
from scenepal.report import report_html
from scenepal.thumbs import decode_jpeg

SCENES = [
    (4.0, [((230, 140, 60), 0.7), ((40, 140, 150), 0.3)]),
    (1.0, [((3, 3, 3), 1.0)]),
    (5.0, [((200, 200, 190), 0.6), ((40, 40, 60), 0.4)]),
]


class Page(HTMLParser):
    """Rows, swatches and every URL a page refers to."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[str] = []
        self.swatches: list[tuple[str, str]] = []  # (background, text)
        self.urls: list[str] = []
        self._swatch: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "tr" and (a.get("id") or "").startswith("s"):
            self.rows.append(a["id"] or "")
        if tag == "span" and a.get("class") == "sw":
            match = re.search(r"background:(#[0-9a-f]{6})", a.get("style") or "")
            self._swatch = match.group(1) if match else ""
        for key in ("src", "href", "action", "poster", "data"):
            if a.get(key):
                self.urls.append(a[key] or "")

    def handle_data(self, data: str) -> None:
        if self._swatch is not None:
            self.swatches.append((self._swatch, data))
            self._swatch = None


def parse(text: str) -> Page:
    page = Page()
    page.feed(text)
    return page


@pytest.fixture(scope="module")
def analysis() -> Analysis:
    return with_stats(make_analysis(SCENES, black=(1,)))


def test_the_page_lists_every_scene_with_its_swatches(analysis: Analysis) -> None:
    page = parse(report_page(analysis).decode("utf-8"))
    assert page.rows == ["s1", "s2", "s3"]
    shown = {background for background, _ in page.swatches}
    for r in analysis.scenes:
        if not r.black:
            assert set(r.palette.hex_codes) <= shown
    # the swatch's text is its own hex code, in its own colour
    assert all(text.startswith(background) for background, text in page.swatches)


def test_the_page_is_self_contained(analysis: Analysis) -> None:
    text = report_page(analysis).decode("utf-8")
    page = parse(text)
    assert page.urls, "the barcode and plots are images"
    assert all(u.startswith("data:image/png;base64,") for u in page.urls)
    assert len(page.urls) == 4  # barcode, timeline, hue wheel, vectorscope
    assert "http://" not in text and "https://" not in text
    assert "<script" not in text and "@import" not in text and "url(" not in text


def test_film_statistics_are_summarised(analysis: Analysis) -> None:
    text = report_page(analysis).decode("utf-8")
    assert analysis.stats is not None
    assert f"median {analysis.stats.lightness.p50:.1f}" in text
    assert f"balance {analysis.stats.teal_orange.balance:+.2f}" in text
    assert "black (no picture)" in text


def test_an_analysis_without_statistics_still_has_a_page() -> None:
    bare = make_analysis(SCENES)
    text = report_html(bare, {})
    assert len(parse(text).rows) == 3
    assert "Film statistics" not in text


def test_names_and_warnings_are_escaped() -> None:
    a = make_analysis(SCENES, path="<i>film&co.mp4", warnings=("a < b & c",))
    text = report_html(a, {})
    assert "<i>film" not in text and "&lt;i&gt;film&amp;co.mp4" in text
    assert "a &lt; b &amp; c" in text


def test_representative_frames_replace_the_colours(analysis: Analysis) -> None:
    pictured = with_representatives(analysis, skip=(2,))
    text = report_html(pictured, {})
    page = parse(text)
    assert len(page.urls) == 2 and all(u.startswith("data:image/jpeg;base64,") for u in page.urls)
    for url, first in zip(page.urls, [(230, 140, 60), (3, 3, 3)], strict=True):
        small = decode_jpeg(base64.b64decode(url.split(",", 1)[1]))
        assert small.shape[:2] == (40, 96)  # 320 x 134 shrunk to the table's 96 px
        # the palette's first stripe, as drawn by with_representatives (JPEG: within a few levels)
        assert small[30:, 30:36].reshape(-1, 3).mean(axis=0) == pytest.approx(first, abs=6)
    assert text.count('class="th"') == 1  # the scene without a frame shows its colours
    # a thumbnail that is not a picture: that scene shows its colours too
    broken = dataclasses.replace(
        pictured.scenes[0],
        representative=dataclasses.replace(pictured.scenes[0].representative, jpeg=b"junk"),
    )
    text = report_html(dataclasses.replace(pictured, scenes=(broken, *pictured.scenes[1:])), {})
    assert text.count('class="th"') == 2


def test_the_report_is_in_the_outputs_unless_asked_not_to(analysis: Analysis) -> None:
    assert "report.html" in render_files(analysis)
    assert "report.html" not in render_files(analysis, report=False)
    assert {"timeline.png", "huewheel.png", "vectorscope.png"} <= set(render_files(analysis))


@pytest.mark.slow
def test_a_2000_scene_report_stays_light() -> None:
    colors = [(200, 80, 40), (30, 60, 90), (220, 210, 190), (90, 150, 60), (60, 50, 45)]
    specs = [
        (
            1.0 + (i % 7) / 3,
            [(colors[i % 5], 0.5), (colors[(i + 2) % 5], 0.3), (colors[(i + 3) % 5], 0.2)],
        )
        for i in range(2000)
    ]
    big = with_stats(make_analysis(specs, colors=5), pixels=300)
    text = report_html(big, {})  # its time and Chromium's: bench/report_cost.py, not a test
    assert len(parse(text).rows) == 2000
    assert len(text.encode("utf-8")) < 2_500_000
