"""report.html in a real browser: Debian's Chromium, headless, driven over the DevTools
protocol (tests/chromium.py), renders the page from the file alone. The test reads what is on
the page (scene rows, the swatches' computed colours) and every request the page made.

`make test` installs Chromium when it is missing; without it these tests are skipped with
that reason.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from analyses import make_analysis, with_representatives
from chromium import CHROMIUM, Browser
from stats_analyses import with_stats

from scenepal.outputs import report_page

pytestmark = pytest.mark.skipif(
    CHROMIUM is None, reason="Chromium is not installed (make test installs it)"
)

SCENES = [
    (4.0, [((230, 140, 60), 0.7), ((40, 140, 150), 0.3)]),
    (1.0, [((3, 3, 3), 1.0)]),
    (5.0, [((200, 200, 190), 0.6), ((40, 40, 60), 0.4)]),
    (2.0, [((90, 60, 150), 1.0)]),
]

SWATCHES_JS = """[...document.querySelectorAll('tr[id^=s] .sw')].map(
    e => [e.textContent.trim(), getComputedStyle(e).backgroundColor])"""


def network(requests: list[str], page: str) -> list[str]:
    """Requests other than the page itself and inline (data:) pictures."""
    return [r for r in requests if r != page and not r.startswith("data:")]


THUMBS_JS = """[...document.querySelectorAll('img.tn')].map(
    i => [i.closest('tr').id, i.complete, i.naturalWidth, i.naturalHeight])"""


def test_chromium_renders_the_report_without_the_network(tmp_path: Path) -> None:
    # Scene 3 has no representative frame: it shows its colours instead.
    analysis = with_representatives(with_stats(make_analysis(SCENES, black=(1,))), skip=(2,))
    page = tmp_path / "report.html"
    page.write_bytes(report_page(analysis))
    with Browser() as browser:
        visit = browser.visit(page.as_uri())
        rows = browser.evaluate("[...document.querySelectorAll('tr[id^=s]')].map(r => r.id)")
        swatches = browser.evaluate(SWATCHES_JS)
        # The scenes' pictures are decoded once scrolled to (loading="lazy").
        browser.evaluate("document.querySelector('table').scrollIntoView()")
        thumbs = browser.wait_for(THUMBS_JS, lambda found: all(t[1] and t[2] for t in found))
        strips = browser.evaluate("document.querySelectorAll('tr[id^=s] span.th').length")
        images = browser.evaluate("[...document.images].map(i => i.complete && i.naturalWidth > 0)")
        text = browser.evaluate("document.body.innerText")
    assert rows == ["s1", "s2", "s3", "s4"]
    expected = [h for r in analysis.scenes if not r.black for h in r.palette.hex_codes]
    assert [label for label, _ in swatches] == expected
    for label, background in swatches:
        r, g, b = (int(label[i : i + 2], 16) for i in (1, 3, 5))
        assert background == f"rgb({r}, {g}, {b})"
    assert thumbs == [[row, True, 96, 40] for row in ("s1", "s2", "s4")]
    assert strips == 1
    assert images == [True] * 7  # barcode, three plots and three scene pictures, all decoded
    assert "black (no picture)" in text and "Film statistics" in text
    assert network(visit.requests, page.as_uri()) == []


def test_the_browser_does_record_a_page_that_fetches(tmp_path: Path) -> None:
    """The control: a page that reaches for the network is caught."""
    page = tmp_path / "fetches.html"
    page.write_text(
        '<link rel="stylesheet" href="https://scenepal.invalid/a.css">'
        '<img src="http://scenepal.invalid/x.png"><p>hello</p>'
    )
    with Browser() as browser:
        visit = browser.visit(page.as_uri())
    assert set(network(visit.requests, page.as_uri())) == {
        "https://scenepal.invalid/a.css",
        "http://scenepal.invalid/x.png",
    }
