"""Colour statistics in analysis.json: ``scenes[i].stats`` and the film's ``stats``, to plain
data and back (the statistics themselves are :mod:`scenepal.stats`; docs/statistics.md)."""

from __future__ import annotations

import base64
import binascii
import dataclasses
import io
import zipfile
from typing import Any

import numpy as np

from scenepal import stats_histograms as sh
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


def _plain(group: Any) -> dict[str, Any]:
    """A statistics dataclass as a dict, tuples as lists and nested groups as dicts."""
    out: dict[str, Any] = {}
    for f in dataclasses.fields(group):
        value = getattr(group, f.name)
        if dataclasses.is_dataclass(value):
            value = _plain(value)
        elif isinstance(value, tuple):
            value = list(value)
        out[f.name] = value
    return out


def stats_to_dict(s: sm.ColorStats, *, film: bool = False) -> dict[str, Any]:
    """Colour statistics as analysis.json holds them; ``film`` adds the film's histograms
    (L*, chroma and the a*b* density, in parts per million)."""
    doc = {f.name: getattr(s, f.name) for f in dataclasses.fields(s) if f.name != "histograms"}
    doc = {k: _plain(v) if dataclasses.is_dataclass(v) else v for k, v in doc.items()}
    if film and s.histograms is not None:
        h = s.histograms
        doc["histograms"] = {
            "lightness_bin": sh.LIGHTNESS_BIN,
            "chroma_bin": sh.CHROMA_BIN,
            "ab_cell": 2 * sh.DENSITY_LIMIT / sh.DENSITY_BINS,
            "ab_limit": sh.DENSITY_LIMIT,
            "lightness_ppm": _ppm(h.lightness),
            "chroma_ppm": _ppm(h.chroma),
            "ab_ppm": _ppm(h.ab),
        }
    return doc


_READERS: dict[str, Any] = {
    "float": float,
    "int": int,
    "str": str,
    "float | None": lambda v: None if v is None else float(v),
    "tuple[float, ...]": lambda v: tuple(float(x) for x in v),
    "tuple[float, float]": lambda v: (float(v[0]), float(v[1])),
    "tuple[float, float, float]": lambda v: (float(v[0]), float(v[1]), float(v[2])),
}


def _group(cls: Any, d: dict[str, Any]) -> Any:
    """A statistics dataclass from its dict: each field read by its annotation, nested groups
    (sm.Tint in sm.SplitTone) by theirs."""
    values = {}
    for f in dataclasses.fields(cls):
        kind = str(f.type)
        nested = _NESTED.get(kind)
        values[f.name] = _group(nested, d[f.name]) if nested else _READERS[kind](d[f.name])
    return cls(**values)


_NESTED: dict[str, Any] = {"Tint": sm.Tint}


def stats_from_dict(d: dict[str, Any]) -> sm.ColorStats:
    """Colour statistics from their analysis.json form (a film's histograms included)."""
    histograms = None
    if "histograms" in d:
        h = d["histograms"]
        n = sh.DENSITY_BINS
        histograms = sm.PixelHistograms(
            lightness=_from_ppm(h["lightness_ppm"], sh.LIGHTNESS_BINS),
            chroma=_from_ppm(h["chroma_ppm"], sh.CHROMA_BINS),
            ab=_from_ppm(h["ab_ppm"], n * n).reshape(n, n),
        )
    return sm.ColorStats(
        lightness=_group(sm.LightnessStats, d["lightness"]),
        chroma=_group(sm.ChromaStats, d["chroma"]),
        colorfulness=float(d["colorfulness"]),
        hue=_group(sm.HueStats, d["hue"]),
        warmth=_group(sm.WarmthStats, d["warmth"]),
        teal_orange=_group(sm.TealOrange, d["teal_orange"]),
        split_tone=_group(sm.SplitTone, d["split_tone"]),
        opponent=_group(sm.OpponentStats, d["opponent"]),
        pixels=int(d["pixels"]),
        histograms=histograms,
    )


def histograms_to_text(h: sm.PixelHistograms) -> str:
    """A scene's histograms as compact text (base64 of a compressed .npz), for checkpoints."""
    buf = io.BytesIO()
    np.savez_compressed(buf, lightness=h.lightness, chroma=h.chroma, ab=h.ab)
    return base64.b64encode(buf.getvalue()).decode("ascii")


def histograms_from_text(text: str) -> sm.PixelHistograms:
    """The histograms :func:`histograms_to_text` wrote.

    >>> h = sh.pixel_histograms(np.array([[50.0, 10.0, -20.0]]))
    >>> back = histograms_from_text(histograms_to_text(h))
    >>> all(np.array_equal(getattr(h, k), getattr(back, k)) for k in ("lightness", "chroma", "ab"))
    True

    Raises:
        ValueError: the text is not such histograms.
    """
    try:
        with np.load(io.BytesIO(base64.b64decode(text)), allow_pickle=False) as data:
            return sm.PixelHistograms(
                lightness=data["lightness"], chroma=data["chroma"], ab=data["ab"]
            )
    except (OSError, KeyError, zipfile.BadZipFile, binascii.Error) as exc:
        raise ValueError(f"not scenepal histograms: {exc}") from exc
