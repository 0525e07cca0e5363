"""Colour statistics in analysis.json: ``scenes[i].stats`` and the film's ``stats``, to plain
data and back (the statistics themselves are :mod:`scenepal.stats`; docs/statistics.md)."""

from __future__ import annotations

from typing import Any

import numpy as np

from scenepal import stats
from scenepal import stats_models as sm

_PPM = 1_000_000


def _ppm(shares: np.ndarray) -> list[Any]:
    """Shares as whole parts per million, trailing zero bins dropped (1-D) or kept (2-D)."""
    ints = np.rint(np.asarray(shares, dtype=np.float64) * _PPM).astype(np.int64)
    if ints.ndim == 1:
        nonzero = np.flatnonzero(ints)
        ints = ints[: nonzero[-1] + 1] if len(nonzero) else ints[:0]
    return ints.tolist()  # type: ignore[no-any-return]


def _from_ppm(values: list[Any], size: int) -> np.ndarray:
    out = np.zeros(size)
    got = np.asarray(values, dtype=np.float64).reshape(-1) / _PPM
    out[: len(got)] = got
    return out


def _tint_dict(t: sm.Tint) -> dict[str, Any]:
    return {"a": t.a, "b": t.b, "hue_deg": t.hue_deg, "chroma": t.chroma}


def stats_to_dict(s: sm.ColorStats, *, film: bool = False) -> dict[str, Any]:
    """Colour statistics as analysis.json holds them; ``film`` adds the film's histograms
    (L*, chroma and the a*b* density, in parts per million)."""
    doc: dict[str, Any] = {
        "lightness": {
            "mean": s.lightness.mean,
            "p5": s.lightness.p5,
            "p50": s.lightness.p50,
            "p95": s.lightness.p95,
            "contrast": s.lightness.contrast,
            "key": s.lightness.key,
        },
        "chroma": {"mean": s.chroma.mean, "p95": s.chroma.p95},
        "colorfulness": s.colorfulness,
        "hue": {
            "mean_deg": s.hue.mean_deg,
            "histogram": list(s.hue.histogram),
            "mean_ab": list(s.hue.mean_ab),
            "concentration": s.hue.concentration,
        },
        "warmth": {
            "cct_k": s.warmth.cct_k,
            "duv": s.warmth.duv,
            "label": s.warmth.label,
            "xyz": list(s.warmth.xyz),
        },
        "teal_orange": {
            "orange_share": s.teal_orange.orange_share,
            "teal_share": s.teal_orange.teal_share,
            "balance": s.teal_orange.balance,
        },
        "split_tone": {
            "shadows": _tint_dict(s.split_tone.shadows),
            "highlights": _tint_dict(s.split_tone.highlights),
        },
        "opponent": {
            "rg_mean": s.opponent.rg_mean,
            "rg_std": s.opponent.rg_std,
            "yb_mean": s.opponent.yb_mean,
            "yb_std": s.opponent.yb_std,
        },
        "pixels": s.pixels,
    }
    if film and s.histograms is not None:
        h = s.histograms
        doc["histograms"] = {
            "lightness_bin": stats.LIGHTNESS_BIN,
            "chroma_bin": stats.CHROMA_BIN,
            "ab_cell": 2 * stats.DENSITY_LIMIT / stats.DENSITY_BINS,
            "ab_limit": stats.DENSITY_LIMIT,
            "lightness_ppm": _ppm(h.lightness),
            "chroma_ppm": _ppm(h.chroma),
            "ab_ppm": _ppm(h.ab),
        }
    return doc


def _tint(d: dict[str, Any]) -> sm.Tint:
    hue = d.get("hue_deg")
    return sm.Tint(
        a=float(d["a"]),
        b=float(d["b"]),
        hue_deg=None if hue is None else float(hue),
        chroma=float(d["chroma"]),
    )


def _optional_float(value: Any) -> float | None:
    return None if value is None else float(value)


def stats_from_dict(d: dict[str, Any]) -> sm.ColorStats:
    """Colour statistics from their analysis.json form (a film's histograms included)."""
    light, hue, warmth, to, o = (
        d["lightness"],
        d["hue"],
        d["warmth"],
        d["teal_orange"],
        d["opponent"],
    )
    histograms = None
    if "histograms" in d:
        h = d["histograms"]
        n = stats.DENSITY_BINS
        histograms = sm.PixelHistograms(
            lightness=_from_ppm(h["lightness_ppm"], round(100 / stats.LIGHTNESS_BIN)),
            chroma=_from_ppm(h["chroma_ppm"], round(200 / stats.CHROMA_BIN)),
            ab=_from_ppm(h["ab_ppm"], n * n).reshape(n, n),
        )
    return sm.ColorStats(
        lightness=sm.LightnessStats(
            mean=float(light["mean"]),
            p5=float(light["p5"]),
            p50=float(light["p50"]),
            p95=float(light["p95"]),
            contrast=float(light["contrast"]),
            key=str(light["key"]),
        ),
        chroma=sm.ChromaStats(mean=float(d["chroma"]["mean"]), p95=float(d["chroma"]["p95"])),
        colorfulness=float(d["colorfulness"]),
        hue=sm.HueStats(
            mean_deg=_optional_float(hue["mean_deg"]),
            histogram=tuple(float(x) for x in hue["histogram"]),
            mean_ab=(float(hue["mean_ab"][0]), float(hue["mean_ab"][1])),
            concentration=float(hue["concentration"]),
        ),
        warmth=sm.WarmthStats(
            cct_k=_optional_float(warmth["cct_k"]),
            duv=_optional_float(warmth["duv"]),
            label=str(warmth["label"]),
            xyz=(float(warmth["xyz"][0]), float(warmth["xyz"][1]), float(warmth["xyz"][2])),
        ),
        teal_orange=sm.TealOrange(
            orange_share=float(to["orange_share"]),
            teal_share=float(to["teal_share"]),
            balance=float(to["balance"]),
        ),
        split_tone=sm.SplitTone(
            shadows=_tint(d["split_tone"]["shadows"]),
            highlights=_tint(d["split_tone"]["highlights"]),
        ),
        opponent=sm.OpponentStats(
            rg_mean=float(o["rg_mean"]),
            rg_std=float(o["rg_std"]),
            yb_mean=float(o["yb_mean"]),
            yb_std=float(o["yb_std"]),
        ),
        pixels=int(d["pixels"]),
        histograms=histograms,
    )
