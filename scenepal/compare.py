"""Comparing two analyses of the same film (two grades, two transfers): align, then measure.

Alignment is by the cut structure, which a re-grade leaves alone (:mod:`scenepal.alignment`):
matched spans, and unmatched footage of A or of B, reported and never forced.

For each matched span, B minus A: the CIEDE2000 between the mean colours (averaged in linear
light over the span's scenes, by time), a matched-swatch palette distance (below), and the
differences in mean lightness, mean chroma, CCT (of the mean colour) and teal-orange balance.

Palette distance: the span's palette in each analysis is the swatches of its scenes, each
weighted by its weight x the time its scene overlaps the span; each swatch of A is matched to
its nearest swatch of B (CIEDE2000) and the other way round, and the distance is the mean of
the two weighted means of those nearest distances (a symmetric, weighted Chamfer distance).
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from scenepal import color
from scenepal.alignment import Stretch, align, gaps
from scenepal.cct import cct_duv
from scenepal.export import display_path
from scenepal.models import Analysis, SceneResult
from scenepal.stats import balance


@dataclass(frozen=True)
class SpanDifference:
    """A stretch of A matched to a stretch of B, and how B differs from A there (B minus A).

    Attributes:
        a_start_s: start in A, seconds.
        a_end_s: end in A.
        b_start_s: start in B.
        b_end_s: end in B.
        mean_de00: CIEDE2000 between the mean colours.
        palette_de00: matched-swatch CIEDE2000 between the palettes.
        d_lightness: mean L* of B minus that of A; None without statistics.
        d_chroma: mean C*ab difference; None without statistics.
        d_cct_k: CCT difference in kelvin (negative: B is warmer); None without statistics.
        d_balance: teal-orange balance difference (positive: B leans more to orange).
        a_scenes: indices of A's scenes overlapping the span.
        b_scenes: indices of B's scenes overlapping the span.
    """

    a_start_s: float
    a_end_s: float
    b_start_s: float
    b_end_s: float
    mean_de00: float
    palette_de00: float
    d_lightness: float | None
    d_chroma: float | None
    d_cct_k: float | None
    d_balance: float | None
    a_scenes: tuple[int, ...]
    b_scenes: tuple[int, ...]

    @property
    def offset_s(self) -> float:
        """B time minus A time over the span."""
        return self.b_start_s - self.a_start_s


@dataclass(frozen=True)
class Comparison:
    """Two analyses aligned and compared.

    Attributes:
        a_path: A's video path.
        b_path: B's video path.
        a_duration_s: A's duration.
        b_duration_s: B's duration.
        offsets_s: the offsets (B time minus A time) the alignment found, by support.
        spans: the matched spans, in A's order.
        unmatched_a: stretches of A with no counterpart in B.
        unmatched_b: stretches of B with no counterpart in A.
    """

    a_path: str
    b_path: str
    a_duration_s: float
    b_duration_s: float
    offsets_s: tuple[float, ...]
    spans: tuple[SpanDifference, ...]
    unmatched_a: tuple[Stretch, ...]
    unmatched_b: tuple[Stretch, ...]

    @property
    def matched_share_a(self) -> float:
        """Share of A's duration inside matched spans."""
        total = sum(s.a_end_s - s.a_start_s for s in self.spans)
        return total / self.a_duration_s if self.a_duration_s > 0 else 0.0

    @property
    def matched_share_b(self) -> float:
        """Share of B's duration inside matched spans."""
        total = sum(s.b_end_s - s.b_start_s for s in self.spans)
        return total / self.b_duration_s if self.b_duration_s > 0 else 0.0


@dataclass(frozen=True)
class _SpanColor:
    """What a span of one analysis looks like: its scenes' values weighted by overlap."""

    scenes: tuple[int, ...]
    mean_lab: np.ndarray
    swatch_labs: np.ndarray
    swatch_weights: np.ndarray
    lightness: float | None
    chroma: float | None
    cct_k: float | None
    balance: float | None


def _overlaps(results: Sequence[SceneResult], start: float, end: float) -> list[tuple[int, float]]:
    out = []
    for i, r in enumerate(results):
        overlap = min(end, r.scene.end_s) - max(start, r.scene.start_s)
        if overlap > 1e-9:
            out.append((i, overlap))
    return out


def _span_color(a: Analysis, start: float, end: float) -> _SpanColor:
    parts = _overlaps(a.scenes, start, end)
    if not parts:  # a span narrower than rounding: take the scene at its start
        index = min(range(len(a.scenes)), key=lambda i: abs(a.scenes[i].scene.start_s - start))
        parts = [(index, 1.0)]
    w = np.array([t for _, t in parts])
    w = w / w.sum()
    results = [a.scenes[i] for i, _ in parts]
    linear = np.array([color.srgb_to_linear(np.array(r.mean_rgb) / 255.0) for r in results])
    mean_lab = color.linear_to_lab(w @ linear)
    labs, weights = [], []
    for r, share in zip(results, w, strict=True):
        for s in r.palette.swatches:
            labs.append(s.lab)
            weights.append(s.weight * share)
    stats = [r.stats for r in results]
    lightness = chroma = cct = tilt = None
    if all(s is not None for s in stats):
        sv = [s for s in stats if s is not None]
        lightness = float(w @ [s.lightness.mean for s in sv])
        chroma = float(w @ [s.chroma.mean for s in sv])
        cct = cct_duv(w @ np.array([s.warmth.xyz for s in sv]))[0]
        cw = w * np.array([s.chroma.mean for s in sv])
        cw = cw / cw.sum() if cw.sum() > 0 else cw
        orange = float(cw @ [s.teal_orange.orange_share for s in sv])
        teal = float(cw @ [s.teal_orange.teal_share for s in sv])
        tilt = balance(orange, teal)
    return _SpanColor(
        scenes=tuple(i for i, _ in parts),
        mean_lab=mean_lab,
        swatch_labs=np.array(labs),
        swatch_weights=np.array(weights) / sum(weights),
        lightness=lightness,
        chroma=chroma,
        cct_k=cct,
        balance=tilt,
    )


def palette_distance(
    labs_a: np.ndarray, weights_a: np.ndarray, labs_b: np.ndarray, weights_b: np.ndarray
) -> float:
    """Symmetric weighted nearest-swatch CIEDE2000 between two palettes (CIELAB (N, 3) and
    weights summing to 1).

    >>> one = np.array([[50.0, 10.0, 10.0]])
    >>> palette_distance(one, np.ones(1), one, np.ones(1))
    0.0
    """
    d = color.delta_e_2000(labs_a[:, None, :], labs_b[None, :, :])
    return float((weights_a @ d.min(axis=1) + weights_b @ d.min(axis=0)) / 2)


def _difference(x: float | None, y: float | None, digits: int) -> float | None:
    return None if x is None or y is None else round(y - x, digits)


def compare(a: Analysis, b: Analysis, *, offset_s: float | None = None) -> Comparison:
    """Align two analyses of the same film and measure how B differs from A in each matched
    span (see the module's docstring for the method).

    Args:
        a: the reference analysis.
        b: the other one.
        offset_s: B time minus A time, when known; None finds it (and any others) from cuts.
    """
    stretches, offsets = align(a, b, offset_s=offset_s)
    spans = []
    for a0, a1, b0, b1 in stretches:
        ca, cb = _span_color(a, a0, a1), _span_color(b, b0, b1)
        spans.append(
            SpanDifference(
                a_start_s=a0,
                a_end_s=a1,
                b_start_s=b0,
                b_end_s=b1,
                mean_de00=round(float(color.delta_e_2000(ca.mean_lab, cb.mean_lab)), 3),
                palette_de00=round(
                    palette_distance(
                        ca.swatch_labs, ca.swatch_weights, cb.swatch_labs, cb.swatch_weights
                    ),
                    3,
                ),
                d_lightness=_difference(ca.lightness, cb.lightness, 3),
                d_chroma=_difference(ca.chroma, cb.chroma, 3),
                d_cct_k=_difference(ca.cct_k, cb.cct_k, 1),
                d_balance=_difference(ca.balance, cb.balance, 4),
                a_scenes=ca.scenes,
                b_scenes=cb.scenes,
            )
        )
    end_a, end_b = a.scenes[-1].scene.end_s, b.scenes[-1].scene.end_s
    return Comparison(
        a_path=a.video.path,
        b_path=b.video.path,
        a_duration_s=end_a - a.scenes[0].scene.start_s,
        b_duration_s=end_b - b.scenes[0].scene.start_s,
        offsets_s=tuple(round(o, 4) for o in offsets),
        spans=tuple(spans),
        unmatched_a=tuple(
            gaps([(s.a_start_s, s.a_end_s) for s in spans], a.scenes[0].scene.start_s, end_a)
        ),
        unmatched_b=tuple(
            gaps([(s.b_start_s, s.b_end_s) for s in spans], b.scenes[0].scene.start_s, end_b)
        ),
    )


def _weighted(spans: Sequence[SpanDifference], name: str) -> float | None:
    values = [(getattr(s, name), s.a_end_s - s.a_start_s) for s in spans]
    known = [(float(v), t) for v, t in values if v is not None]
    total = sum(t for _, t in known)
    if not known or total <= 0:
        return None
    return sum(v * t for v, t in known) / total


SPAN_FIELDS = (
    "a_start_s",
    "a_end_s",
    "b_start_s",
    "b_end_s",
    "mean_de00",
    "palette_de00",
    "d_lightness",
    "d_chroma",
    "d_cct_k",
    "d_balance",
)
"""The per-span fields of compare.json and compare.csv, in order."""


def comparison_to_dict(c: Comparison) -> dict[str, Any]:
    """compare.json as plain data: spans, unmatched stretches and a duration-weighted summary."""

    def rounded(value: float | None, digits: int) -> float | None:
        return None if value is None else round(value, digits)

    return {
        "a": display_path(c.a_path),
        "b": display_path(c.b_path),
        "offsets_s": list(c.offsets_s),
        "spans": [
            {
                **{name: getattr(s, name) for name in SPAN_FIELDS},
                "offset_s": round(s.offset_s, 4),
                "a_scenes": list(s.a_scenes),
                "b_scenes": list(s.b_scenes),
            }
            for s in c.spans
        ],
        "unmatched_a": [{"start_s": u.start_s, "end_s": u.end_s} for u in c.unmatched_a],
        "unmatched_b": [{"start_s": u.start_s, "end_s": u.end_s} for u in c.unmatched_b],
        "summary": {
            "matched_spans": len(c.spans),
            "matched_share_a": round(c.matched_share_a, 4),
            "matched_share_b": round(c.matched_share_b, 4),
            "unmatched_a_s": round(sum(u.end_s - u.start_s for u in c.unmatched_a), 3),
            "unmatched_b_s": round(sum(u.end_s - u.start_s for u in c.unmatched_b), 3),
            **{name: rounded(_weighted(c.spans, name), 4) for name in SPAN_FIELDS[4:]},
        },
    }


def comparison_csv(c: Comparison) -> str:
    """compare.csv: one row per matched span, then one per unmatched stretch (``status``)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["status", *SPAN_FIELDS])
    for s in c.spans:
        writer.writerow(
            ["matched", *("" if getattr(s, n) is None else getattr(s, n) for n in SPAN_FIELDS)]
        )
    empty = [""] * (len(SPAN_FIELDS) - 2)
    for u in c.unmatched_a:
        writer.writerow(["only_in_a", u.start_s, u.end_s, "", "", *empty[2:]])
    for u in c.unmatched_b:
        writer.writerow(["only_in_b", "", "", u.start_s, u.end_s, *empty[2:]])
    return out.getvalue()


def describe(c: Comparison) -> str:
    """A one-paragraph summary for people: how much matched, and how B differs."""
    doc = comparison_to_dict(c)["summary"]
    parts = [
        f"{doc['matched_spans']} matched spans covering {doc['matched_share_a']:.0%} of "
        f"{Path(display_path(c.a_path)).name} and {doc['matched_share_b']:.0%} of "
        f"{Path(display_path(c.b_path)).name}"
    ]
    if doc["mean_de00"] is not None:
        parts.append(f"mean colour CIEDE2000 {doc['mean_de00']:.1f}")
    for name, label, unit in (
        ("d_lightness", "lightness", " L*"),
        ("d_cct_k", "CCT", " K"),
    ):
        if doc[name] is not None and math.isfinite(doc[name]):
            parts.append(f"{label} {doc[name]:+.1f}{unit} (B minus A)")
    return "; ".join(parts)
