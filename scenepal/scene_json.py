"""A scene's result as analysis.json and the checkpoint write it, and back: the one serialiser
of a scene (its palette, statistics, picture area, excluded frames and representative frame).

Readers fill defaults only for the fields older schema versions did not write (noted by the
version that added each).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from scenepal.models import Excluded, Palette, Rect, Representative, Scene, SceneResult, Swatch
from scenepal.stats_json import stats_from_dict, stats_to_dict
from scenepal.thumbs import THUMB_FILE, thumb_name


def _swatch_dict(s: Swatch) -> dict[str, Any]:
    return {"hex": s.hex, "rgb": list(s.rgb), "lab": list(s.lab), "weight": s.weight}


def palette_to_list(p: Palette) -> list[dict[str, Any]]:
    """A palette as the list of swatch objects analysis.json uses."""
    return [_swatch_dict(s) for s in p.swatches]


def scene_result_to_dict(r: SceneResult) -> dict[str, Any]:
    """A scene's result as analysis.json (and the checkpoint) holds it."""
    return {
        "index": r.scene.index,
        "start_frame": r.scene.start_frame,
        "end_frame": r.scene.end_frame,
        "start_s": r.scene.start_s,
        "end_s": r.scene.end_s,
        "black": r.black,
        "mean_rgb": list(r.mean_rgb),
        "sampled_frames": r.sampled_frames,
        "sampled_pixels": r.sampled_pixels,
        "palette": palette_to_list(r.palette),
        "stats": None if r.stats is None else stats_to_dict(r.stats),
        "crop": rect_to_dict(r.crop),
        "excluded": excluded_to_dict(r.excluded),
        "representative": _representative_to_dict(r),
    }


def _representative_to_dict(r: SceneResult) -> dict[str, Any] | None:
    rep = r.representative
    if rep is None:
        return None
    return {"frame": rep.frame, "time_s": rep.time_s, "file": thumb_name(r.scene.index)}


def _representative_from_dict(
    d: dict[str, Any] | None, folder: Path | None
) -> Representative | None:
    """The representative frame with its thumbnail read from ``folder``; None when there is
    none (before 1.4), no folder to read from, or its file is missing or oddly named."""
    if d is None or folder is None or not THUMB_FILE.fullmatch(str(d["file"])):
        return None
    try:
        jpeg = (folder / d["file"]).read_bytes()
    except OSError:
        return None
    return Representative(int(d["frame"]), float(d["time_s"]), jpeg)


EXCLUDED_KEYS = ("black", "fade_in", "fade_out", "dip", "dissolve")
"""The reasons a scene's frames are left out of its palette, in analysis.json's order."""


def excluded_to_dict(e: Excluded) -> dict[str, int]:
    """A scene's excluded frames by reason, as analysis.json writes them."""
    return {key: int(getattr(e, key)) for key in EXCLUDED_KEYS}


def excluded_from_dict(d: dict[str, Any] | None) -> Excluded:
    """Excluded frames from analysis.json; missing (before 1.3) reads as none."""
    if d is None:
        return Excluded()
    return Excluded(**{key: int(d[key]) for key in EXCLUDED_KEYS})


def rect_to_dict(r: Rect | None) -> dict[str, int] | None:
    """A picture area as analysis.json writes it (None: the whole frame)."""
    return None if r is None else {"x": r.x, "y": r.y, "width": r.width, "height": r.height}


def rgb_from_list(v: list[int]) -> tuple[int, int, int]:
    """An sRGB colour from its three-number list.

    Raises:
        ValueError: not three components.
    """
    if len(v) != 3:
        raise ValueError(f"an RGB colour has 3 components, got {v!r}")
    return (int(v[0]), int(v[1]), int(v[2]))


def palette_from_list(items: list[dict[str, Any]]) -> Palette:
    """A palette from its analysis.json form."""
    return Palette(
        tuple(
            Swatch(
                rgb=rgb_from_list(d["rgb"]),
                lab=(float(d["lab"][0]), float(d["lab"][1]), float(d["lab"][2])),
                weight=float(d["weight"]),
            )
            for d in items
        )
    )


def scene_result_from_dict(d: dict[str, Any], folder: Path | None = None) -> SceneResult:
    """A scene's result from its analysis.json (or checkpoint) form; its thumbnail is read
    from ``folder`` (the analysis.json's), when given."""
    return SceneResult(
        scene=Scene(
            int(d["index"]),
            int(d["start_frame"]),
            int(d["end_frame"]),
            float(d["start_s"]),
            float(d["end_s"]),
        ),
        palette=palette_from_list(d["palette"]),
        mean_rgb=rgb_from_list(d["mean_rgb"]),
        black=bool(d["black"]),
        sampled_frames=int(d["sampled_frames"]),
        sampled_pixels=int(d["sampled_pixels"]),
        stats=None if d.get("stats") is None else stats_from_dict(d["stats"]),  # since 1.2
        crop=rect_from_dict(d.get("crop")),  # since 1.3
        excluded=excluded_from_dict(d.get("excluded")),  # since 1.3
        representative=_representative_from_dict(d.get("representative"), folder),  # 1.4
    )


def rect_from_dict(d: dict[str, Any] | None) -> Rect | None:
    """A picture area from analysis.json (None: the whole frame)."""
    if d is None:
        return None
    return Rect(int(d["x"]), int(d["y"]), int(d["width"]), int(d["height"]))
