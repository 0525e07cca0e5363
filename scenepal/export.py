"""analysis.json and scenes.csv: an Analysis to text and back.

The JSON document is versioned (``schema_version``); :func:`load_analysis` reads any document of
a version it knows and refuses others with a clear message. Serialisation is deterministic: the
same analysis gives the same bytes.
"""

from __future__ import annotations

import csv
import io
import json
import os
from pathlib import Path
from typing import Any

from scenepal._callable import make_callable
from scenepal.config import AnalysisConfig
from scenepal.errors import AnalysisFileError, ConfigError
from scenepal.models import (
    SCHEMA_VERSION,
    Analysis,
    ColorInfo,
    Excluded,
    Palette,
    Rect,
    Scene,
    SceneResult,
    Swatch,
    VideoInfo,
)


def display_path(path: str) -> str:
    r"""A path fit for UTF-8 text: bytes that are not UTF-8 (kept by Python as surrogates)
    become U+FFFD.

    >>> display_path("caf\udce9.mp4") == "caf\ufffd.mp4"
    True
    """
    return path.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


def timecode(seconds: float) -> str:
    """``HH:MM:SS.mmm`` for a time in seconds.

    >>> timecode(3723.5)
    '01:02:03.500'
    """
    ms = round(seconds * 1000)
    h, rest = divmod(ms, 3_600_000)
    m, rest = divmod(rest, 60_000)
    s, ms = divmod(rest, 1000)
    return f"{h:02d}:{m:02d}:{s:02d}.{ms:03d}"


def _swatch_dict(s: Swatch) -> dict[str, Any]:
    return {"hex": s.hex, "rgb": list(s.rgb), "lab": list(s.lab), "weight": s.weight}


def rect_to_dict(r: Rect | None) -> dict[str, int] | None:
    """A rectangle (a crop) as analysis.json writes it, or None."""
    return None if r is None else {"x": r.x, "y": r.y, "width": r.width, "height": r.height}


def rect_from_dict(d: dict[str, Any] | None) -> Rect | None:
    """A rectangle from its analysis.json form (None stays None)."""
    if d is None:
        return None
    return Rect(int(d["x"]), int(d["y"]), int(d["width"]), int(d["height"]))


EXCLUDED_KEYS = ("black", "fade_in", "fade_out", "dip", "dissolve")
"""The reasons a scene's frames are left out of its palette, in analysis.json's order."""


def excluded_to_dict(e: Excluded) -> dict[str, int]:
    """A scene's excluded frames by reason, as analysis.json writes them."""
    return {key: int(getattr(e, key)) for key in EXCLUDED_KEYS}


def excluded_from_dict(d: dict[str, Any] | None) -> Excluded:
    """Excluded frames from analysis.json; missing (older files) reads as none."""
    if not d:
        return Excluded()
    return Excluded(**{key: int(d.get(key, 0)) for key in EXCLUDED_KEYS})


def palette_to_list(p: Palette) -> list[dict[str, Any]]:
    """A palette as the list of swatch objects analysis.json uses."""
    return [_swatch_dict(s) for s in p.swatches]


def analysis_to_dict(a: Analysis) -> dict[str, Any]:
    """The analysis.json document as plain data."""
    v = a.video
    c = v.color
    return {
        "schema_version": a.schema_version,
        "scenepal_version": a.scenepal_version,
        "video": {
            "path": display_path(v.path),
            "width": v.width,
            "height": v.height,
            "fps": v.fps,
            "frame_count": a.frame_count,
            "duration_s": a.duration_s,
            "container_frame_count": v.container_frame_count,
            "container_duration_s": v.duration_s,
            "codec": v.codec,
            "rotation": v.rotation,
            "interlaced": v.interlaced,
            "crop": None
            if a.crop is None
            else {"x": a.crop.x, "y": a.crop.y, "width": a.crop.width, "height": a.crop.height},
            "color": {
                "matrix": c.matrix,
                "range": c.range,
                "transfer": c.transfer,
                "primaries": c.primaries,
                "bit_depth": c.bit_depth,
                "pixel_format": c.pixel_format,
                "hdr": c.hdr,
                "hdr_handling": c.hdr_handling,
                "assumed": list(c.assumed),
            },
        },
        "settings": a.settings.to_dict(),
        "scenes": [
            {
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
                "crop": rect_to_dict(r.crop),
                "excluded": excluded_to_dict(r.excluded),
            }
            for r in a.scenes
        ],
        "palette": palette_to_list(a.palette),
        "coverage": a.coverage,
        "partial": a.partial,
        "gaps": [[start, end] for start, end in a.gaps],
        "warnings": list(a.warnings),
    }


def analysis_to_json(a: Analysis) -> str:
    """The analysis.json text (UTF-8, indented, newline-terminated)."""
    return json.dumps(analysis_to_dict(a), indent=2, ensure_ascii=False) + "\n"


def scenes_csv(a: Analysis) -> str:
    """scenes.csv: one row per scene with its frames, times and palette hex codes."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    n = a.settings.colors
    writer.writerow(
        [
            "index",
            "start_frame",
            "end_frame",
            "start_s",
            "end_s",
            "start_timecode",
            "duration_s",
            "black",
            *[f"color_{i + 1}" for i in range(n)],
            *[f"weight_{i + 1}" for i in range(n)],
        ]
    )
    for r in a.scenes:
        s = r.scene
        hexes = list(r.palette.hex_codes) + [""] * (n - len(r.palette))
        weights = [f"{w.weight:.4f}" for w in r.palette.swatches] + [""] * (n - len(r.palette))
        writer.writerow(
            [
                s.index,
                s.start_frame,
                s.end_frame,
                f"{s.start_s:.3f}",
                f"{s.end_s:.3f}",
                timecode(s.start_s),
                f"{s.duration_s:.3f}",
                int(r.black),
                *hexes[:n],
                *weights[:n],
            ]
        )
    return out.getvalue()


def _rgb(v: list[int]) -> tuple[int, int, int]:
    return (int(v[0]), int(v[1]), int(v[2]))


def palette_from_list(items: list[dict[str, Any]]) -> Palette:
    """A palette from its analysis.json form."""
    return Palette(
        tuple(
            Swatch(
                rgb=_rgb(d["rgb"]),
                lab=(float(d["lab"][0]), float(d["lab"][1]), float(d["lab"][2])),
                weight=float(d["weight"]),
            )
            for d in items
        )
    )


def analysis_from_dict(doc: dict[str, Any]) -> Analysis:
    """Rebuild an Analysis from an analysis.json document.

    Raises:
        AnalysisFileError: the document is of another schema version or is malformed.
    """
    version = doc.get("schema_version") if isinstance(doc, dict) else None
    if version != SCHEMA_VERSION:
        raise AnalysisFileError(
            f"unsupported analysis schema_version {version!r} (this scenepal reads "
            f"{SCHEMA_VERSION})"
        )
    try:
        v, c = doc["video"], doc["video"]["color"]
        color = ColorInfo(
            matrix=c["matrix"],
            range=c["range"],
            transfer=c["transfer"],
            primaries=c["primaries"],
            bit_depth=int(c.get("bit_depth", 8)),
            pixel_format=c.get("pixel_format", ""),
            hdr=c.get("hdr"),
            hdr_handling=c.get("hdr_handling"),
            assumed=tuple(c.get("assumed", ())),
        )
        video = VideoInfo(
            path=v["path"],
            width=int(v["width"]),
            height=int(v["height"]),
            fps=float(v["fps"]),
            container_frame_count=v.get("container_frame_count"),
            duration_s=v.get("container_duration_s"),
            codec=v.get("codec", ""),
            rotation=int(v.get("rotation", 0)),
            interlaced=bool(v.get("interlaced", False)),
            color=color,
        )
        crop = None if v.get("crop") is None else Rect(**{k: int(x) for k, x in v["crop"].items()})
        scenes = tuple(
            SceneResult(
                scene=Scene(
                    int(s["index"]),
                    int(s["start_frame"]),
                    int(s["end_frame"]),
                    float(s["start_s"]),
                    float(s["end_s"]),
                ),
                palette=palette_from_list(s["palette"]),
                mean_rgb=_rgb(s.get("mean_rgb", s["palette"][0]["rgb"])),
                black=bool(s.get("black", False)),
                sampled_frames=int(s.get("sampled_frames", 0)),
                sampled_pixels=int(s.get("sampled_pixels", 0)),
                crop=rect_from_dict(s.get("crop")),
                excluded=excluded_from_dict(s.get("excluded")),
            )
            for s in doc["scenes"]
        )
        return Analysis(
            video=video,
            frame_count=int(v["frame_count"]),
            duration_s=float(v["duration_s"]),
            crop=crop,
            settings=AnalysisConfig.from_options(**doc["settings"]),
            scenes=scenes,
            palette=palette_from_list(doc["palette"]),
            scenepal_version=str(doc["scenepal_version"]),
            schema_version=int(version),
            warnings=tuple(doc.get("warnings", ())),
            coverage=float(doc.get("coverage", 1.0)),
            partial=bool(doc.get("partial", False)),
            gaps=tuple((float(a), float(b)) for a, b in doc.get("gaps", ())),
        )
    except (KeyError, TypeError, ValueError, IndexError, AttributeError, ConfigError) as exc:
        raise AnalysisFileError(f"malformed analysis document: {exc!s}") from exc


def load_analysis(path: str | os.PathLike[str]) -> Analysis:
    """Read an analysis.json back into an :class:`Analysis`, without decoding the film again.

    A folder is taken to hold ``analysis.json``.

    Raises:
        AnalysisFileError: the file is missing, not JSON, or not an analysis document.
    """
    p = Path(path)
    if p.is_dir():
        p = p / "analysis.json"
    try:
        text = p.read_text(encoding="utf-8")
    except OSError as exc:
        raise AnalysisFileError(f"cannot read {p}: {exc.strerror or exc}") from exc
    except UnicodeDecodeError as exc:
        raise AnalysisFileError(f"{p} is not a text file") from exc
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        raise AnalysisFileError(f"{p} is not valid JSON (line {exc.lineno})") from exc
    return analysis_from_dict(doc)


# --- scenepal.export(...): palette files (scenepal.palettes), called through this module ---


def export_palette(
    analysis: Analysis | str | os.PathLike[str],
    fmt: str = "ase",
    *,
    scene: int | None = None,
    all_scenes: bool = False,
    output: str | os.PathLike[str] | None = None,
) -> bytes:
    """A palette file (``scenepal.export(...)``): see :func:`scenepal.palettes.export_palette`.

    With ``output``, the file is also written there (atomically).
    """
    from scenepal.palettes import export_palette as palette_file

    data = palette_file(analysis, fmt, scene=scene, all_scenes=all_scenes)
    if output is not None:
        from scenepal.outputs import write_file

        write_file(output, data)
    return data


make_callable(__name__, export_palette)
