"""report.html: one self-contained page about an analysis (no network: styles and pictures are
inlined), light enough for a film of thousands of scenes.

The page holds the film's facts, the barcode, the film palette, the three statistics plots,
the film's statistics and a table of every scene (its representative frame, or its colours
without one; timecode, palette swatches with hex codes, and statistics). Rows are grouped in
blocks the browser lays out only when scrolled to (``content-visibility: auto``), and the
scenes' pictures, small JPEGs inlined as data URIs (about 1.6 kB a scene), are decoded only when
scrolled to (``loading="lazy"``), so a 2,000-scene page opens quickly.
"""

from __future__ import annotations

import base64
import html
from collections.abc import Mapping
from pathlib import Path

from scenepal import color
from scenepal.export import display_path, timecode
from scenepal.models import Analysis, ColorStats, Palette, SceneResult, Tint
from scenepal.thumbs import small_jpeg

ROWS_PER_BLOCK = 50
"""Scene rows per lazily laid-out block of the table."""

THUMB_WIDTH = 96
"""Width of a scene's picture in the table (its thumbnail shrunk, so that a page of 2,000
scenes stays a few MB)."""

THUMB_QUALITY = 60
"""JPEG quality of the table's pictures."""

PLOTS = (
    ("timeline.png", "Lightness, chroma and warmth over time"),
    ("huewheel.png", "Hue, weighted by chroma"),
    ("vectorscope.png", "Vectorscope (CIELAB a*b*)"),
)
"""The statistics plots the page shows when they are given, with their captions."""

_CSS = """
:root{--ink:#1d232a;--dim:#5d6873;--line:#e3e6ea;font:14px/1.45 system-ui,-apple-system,
"Segoe UI",Roboto,sans-serif;color:var(--ink);background:#fafbfc}
body{margin:0 auto;max-width:1200px;padding:24px}
h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;margin:28px 0 10px}
.facts{color:var(--dim);margin:0 0 8px}.warn{color:#9a4d00}
img{max-width:100%;display:block}.bar{width:100%;height:90px;image-rendering:pixelated;
border-radius:3px}
.plots{display:grid;grid-template-columns:1fr 1fr;gap:16px}.plots figure{margin:0;
background:#fff;border:1px solid var(--line);padding:8px;border-radius:4px}
.plots figure.wide{grid-column:1/-1}figcaption{color:var(--dim);font-size:12px}
.pal{display:flex;gap:4px;flex-wrap:wrap}.sw{display:inline-block;min-width:74px;
padding:3px 5px;border-radius:3px;font:11px ui-monospace,Menlo,monospace;text-align:center}
.film .sw{min-width:110px;padding:14px 6px}
table{border-collapse:collapse;width:100%;background:#fff}
th,td{border-bottom:1px solid var(--line);padding:4px 6px;text-align:left;vertical-align:middle}
th{font-size:12px;color:var(--dim);position:sticky;top:0;background:#fff}
td.n{font-variant-numeric:tabular-nums;white-space:nowrap}
tbody.b{content-visibility:auto;contain-intrinsic-size:auto 2200px}
.th{display:flex;width:96px;height:40px;border-radius:3px;overflow:hidden}
.tn{display:block;border-radius:3px}
.tt{display:inline-block;width:14px;height:14px;border-radius:50%;vertical-align:middle;
border:1px solid #0002}
dl.st{display:grid;grid-template-columns:max-content 1fr;gap:4px 16px;margin:0}
dl.st dt{color:var(--dim)}dl.st dd{margin:0}
.black{color:var(--dim);font-style:italic}
"""


def _ink(rgb: tuple[int, int, int]) -> str:
    r, g, b = (c / 255.0 for c in rgb)
    return "#000" if 0.2126 * r**2.2 + 0.7152 * g**2.2 + 0.0722 * b**2.2 > 0.18 else "#fff"


def _swatch(rgb: tuple[int, int, int], hex_code: str, weight: float | None = None) -> str:
    share = "" if weight is None else f" {weight:.0%}"
    return (
        f'<span class="sw" style="background:{hex_code};color:{_ink(rgb)}">{hex_code}{share}</span>'
    )


def _palette(p: Palette, *, weights: bool = False) -> str:
    return "".join(_swatch(s.rgb, s.hex, s.weight if weights else None) for s in p.swatches)


def _colors_strip(p: Palette) -> str:
    """The scene's colours side by side, as wide as their weights (the picture's stand-in)."""
    cells = "".join(f'<i style="flex:{s.weight:.3f};background:{s.hex}"></i>' for s in p.swatches)
    return f'<span class="th">{cells}</span>'


def _tint_hex(t: Tint, lightness: float) -> str:
    """A tint shown at a given L*, its a*b* tripled so that faint tints can be seen."""
    rgb = color.to_uint8(color.lab_to_srgb([lightness, 3 * t.a, 3 * t.b]))
    return "#{:02x}{:02x}{:02x}".format(*(int(v) for v in rgb))


def _tint(t: Tint, lightness: float, label: str) -> str:
    hue = "no hue" if t.hue_deg is None else f"hue {t.hue_deg:.0f}°"
    title = f"{label}: a* {t.a:+.1f}, b* {t.b:+.1f}, chroma {t.chroma:.1f}, {hue}"
    return (
        f'<span class="tt" title="{html.escape(title)}" '
        f'style="background:{_tint_hex(t, lightness)}"></span>'
    )


def _cct(s: ColorStats) -> str:
    if s.warmth.cct_k is None:
        return "–"
    return f"{s.warmth.cct_k:.0f} K {s.warmth.label}"


def _thumbnail(r: SceneResult) -> str | None:
    """The scene's representative frame, small and inlined; None without one."""
    if r.representative is None:
        return None
    try:
        data, width, height = small_jpeg(
            r.representative.jpeg, width=THUMB_WIDTH, quality=THUMB_QUALITY
        )
    except ValueError:
        return None
    alt = f"frame {r.representative.frame} at {timecode(r.representative.time_s)[:-4]}"
    return (
        f'<img class="tn" width="{width}" height="{height}" alt="{alt}" loading="lazy" '
        f'decoding="async" src="data:image/jpeg;base64,{base64.b64encode(data).decode("ascii")}">'
    )


def _scene_row(r: SceneResult) -> str:
    sc = r.scene
    picture = _thumbnail(r) or _colors_strip(r.palette)
    head = (
        f'<tr id="s{sc.index + 1}"><td class="n">{sc.index + 1}</td><td>{picture}</td>'
        f'<td class="n">{timecode(sc.start_s)[:-4]}<br>{sc.duration_s:.1f} s</td>'
    )
    if r.black:
        return head + '<td colspan="7" class="black">black (no picture)</td></tr>'
    s = r.stats
    stats = (
        '<td colspan="6">–</td>'
        if s is None
        else (
            f'<td class="n">{s.lightness.p50:.0f} <small>({s.lightness.p5:.0f}–'
            f"{s.lightness.p95:.0f}) {s.lightness.key}</small></td>"
            f'<td class="n">{s.chroma.mean:.1f}</td><td class="n">{s.colorfulness:.0f}</td>'
            f'<td class="n">{_cct(s)}</td><td class="n">{s.teal_orange.balance:+.2f}</td>'
            f"<td>{_tint(s.split_tone.shadows, 30.0, 'shadows')} "
            f"{_tint(s.split_tone.highlights, 80.0, 'highlights')}</td>"
        )
    )
    return f'{head}<td><div class="pal">{_palette(r.palette)}</div></td>{stats}</tr>'


def _film_stats(s: ColorStats) -> str:
    light, to, st = s.lightness, s.teal_orange, s.split_tone
    hue = "none (grey)" if s.hue.mean_deg is None else f"{s.hue.mean_deg:.0f}°"
    duv = "" if s.warmth.duv is None else f", Duv {s.warmth.duv:+.4f}"
    rows = [
        (
            "Lightness L*",
            f"mean {light.mean:.1f} · median {light.p50:.1f} · 5–95 % "
            f"{light.p5:.1f}–{light.p95:.1f} · contrast {light.contrast:.1f} · {light.key} key",
        ),
        ("Chroma C*ab", f"mean {s.chroma.mean:.1f} · 95th percentile {s.chroma.p95:.1f}"),
        ("Colourfulness", f"{s.colorfulness:.1f} (Hasler–Süsstrunk M)"),
        ("Mean hue", f"{hue} (concentration {s.hue.concentration:.2f})"),
        ("Warmth", f"{_cct(s)}{duv}"),
        (
            "Teal / orange",
            f"orange {to.orange_share:.0%} · teal {to.teal_share:.0%} · balance {to.balance:+.2f}",
        ),
        (
            "Split tone",
            f"shadows {_tint(st.shadows, 30.0, 'shadows')} a* {st.shadows.a:+.1f} "
            f"b* {st.shadows.b:+.1f} · highlights {_tint(st.highlights, 80.0, 'highlights')} "
            f"a* {st.highlights.a:+.1f} b* {st.highlights.b:+.1f}",
        ),
    ]
    return '<dl class="st">' + "".join(f"<dt>{k}</dt><dd>{v}</dd>" for k, v in rows) + "</dl>"


def _img(data: bytes, alt: str, cls: str = "") -> str:
    b64 = base64.b64encode(data).decode("ascii")
    klass = f' class="{cls}"' if cls else ""
    return f'<img{klass} alt="{html.escape(alt)}" src="data:image/png;base64,{b64}">'


def report_html(analysis: Analysis, images: Mapping[str, bytes]) -> str:
    """The report page. Each scene shows its representative frame (its colours instead when
    it has none).

    Args:
        analysis: the analysis.
        images: PNG bytes by output name: ``barcode.png`` and the plots of :data:`PLOTS`
            (those missing are left out).
    """
    name = display_path(Path(analysis.video.path).name)
    v = analysis.video
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width,initial-scale=1">',
        f"<title>{html.escape(name)} · scenepal report</title>",
        f"<style>{_CSS}</style></head><body>",
        f"<h1>{html.escape(name)}</h1>",
        f'<p class="facts">{timecode(analysis.duration_s)[:-4]} · {len(analysis.scenes)} '
        f"scenes · {analysis.frame_count} frames · {v.width}×{v.height} at {v.fps:.3f} fps · "
        f"{html.escape(v.codec)} · {analysis.settings.detector} detector · "
        f"{analysis.settings.colors} colours · scenepal {html.escape(analysis.scenepal_version)}"
        "</p>",
    ]
    parts += [f'<p class="warn">⚠ {html.escape(w)}</p>' for w in analysis.warnings]
    if "barcode.png" in images:
        parts.append(_img(images["barcode.png"], "movie barcode", "bar"))
    parts.append('<h2>Film palette</h2><div class="pal film">')
    parts.append(_palette(analysis.palette, weights=True) + "</div>")
    plots = [(n, c) for n, c in PLOTS if n in images]
    if plots:
        parts.append('<h2>The grade</h2><div class="plots">')
        for i, (file, caption) in enumerate(plots):
            wide = ' class="wide"' if i == 0 else ""
            parts.append(
                f"<figure{wide}>{_img(images[file], caption)}"
                f"<figcaption>{caption}</figcaption></figure>"
            )
        parts.append("</div>")
    if analysis.stats is not None:
        parts.append("<h2>Film statistics</h2>" + _film_stats(analysis.stats))
        parts.append(
            '<p class="facts">Each scene weighted by its duration; formulas in '
            "docs/statistics.md of scenepal.</p>"
        )
    parts.append(
        "<h2>Scenes</h2><table><thead><tr><th>#</th><th>picture</th><th>start</th>"
        "<th>palette</th><th>L* median (5–95)</th><th>chroma</th><th>colourful</th>"
        "<th>CCT</th><th>teal–orange</th><th>split tone</th></tr></thead>"
    )
    rows = analysis.scenes
    for start in range(0, len(rows), ROWS_PER_BLOCK):
        block = rows[start : start + ROWS_PER_BLOCK]
        parts.append('<tbody class="b">')
        parts.extend(_scene_row(r) for r in block)
        parts.append("</tbody>")
    parts.append("</table></body></html>\n")
    return "\n".join(parts)


def tint_hexes(stats: ColorStats) -> tuple[str, str]:
    """The colours the page shows for a split tone (shadows, highlights).

    >>> import numpy as np
    >>> from scenepal.stats import scene_stats
    >>> tint_hexes(scene_stats(np.full((4, 3), 128, np.uint8)))
    ('#474747', '#c6c6c6')
    """
    return _tint_hex(stats.split_tone.shadows, 30.0), _tint_hex(stats.split_tone.highlights, 80.0)
