"""analysis.json and scenes.csv: an Analysis to text and back.

The JSON document is versioned ``"major.minor"`` (``schema_version``; the schema is
``scenepal/schema/analysis.schema.json``). :func:`load_analysis` reads any document of its
major version, newer minors included: it ignores fields and settings it does not know, and
fills defaults only for the fields that older versions did not write. It refuses other majors
with a clear message. Serialisation is deterministic: the same analysis gives the same bytes.
"""

from __future__ import annotations

import csv
import importlib.resources
import io
import json
import os
import re
from pathlib import Path
from typing import Any

from scenepal import frametimeline
from scenepal._callable import make_callable
from scenepal.config import AnalysisConfig
from scenepal.errors import AnalysisFileError, ConfigError
from scenepal.frametimeline import TIMELINE_FILE, TIMELINE_FORMAT, FrameTimeline
from scenepal.models import (
    SCHEMA_MAJOR,
    SCHEMA_VERSION,
    Analysis,
    ColorInfo,
    VideoInfo,
)
from scenepal.scene_json import (
    palette_from_list,
    palette_to_list,
    rect_from_dict,
    rect_to_dict,
    scene_result_from_dict,
    scene_result_to_dict,
)
from scenepal.stats_json import stats_from_dict, stats_to_dict


def analysis_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of analysis.json, shipped with the package."""
    text = (importlib.resources.files("scenepal") / "schema" / "analysis.schema.json").read_text(
        encoding="utf-8"
    )
    schema: dict[str, Any] = json.loads(text)
    return schema


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


def analysis_to_dict(a: Analysis) -> dict[str, Any]:
    """The analysis.json document as plain data, at the current :data:`SCHEMA_VERSION`."""
    v = a.video
    c = v.color
    return {
        "schema_version": SCHEMA_VERSION,
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
            "crop": rect_to_dict(a.crop),
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
        "scenes": [scene_result_to_dict(r) for r in a.scenes],
        "palette": palette_to_list(a.palette),
        "coverage": a.coverage,
        "partial": a.partial,
        "gaps": [[start, end] for start, end in a.gaps],
        "warnings": list(a.warnings),
        "stats": None if a.stats is None else stats_to_dict(a.stats, film=True),
        "timeline": _timeline_ref(a.timeline),
    }


def _timeline_ref(timeline: FrameTimeline | None) -> dict[str, Any] | None:
    """Where analysis.json finds the frame timeline (written beside it by the outputs)."""
    if timeline is None:
        return None
    return {"file": TIMELINE_FILE, "format": TIMELINE_FORMAT, "frames": len(timeline)}


def _read_timeline(ref: Any, folder: Path | None) -> FrameTimeline | None:
    """The timeline analysis.json names, read from ``folder``; None when it names none, when
    no folder is known or when the file is missing.

    Raises:
        AnalysisFileError: the reference is malformed, or the file damaged.
    """
    if ref is None or folder is None:
        return None
    name, fmt, frames = ref["file"], ref["format"], int(ref["frames"])
    if fmt != TIMELINE_FORMAT:
        raise AnalysisFileError(
            f"unknown timeline format {fmt!r} (this scenepal reads {TIMELINE_FORMAT})"
        )
    if not isinstance(name, str) or Path(name).name != name or name in ("", ".", ".."):
        raise AnalysisFileError(
            f"the timeline file must be a name in the analysis's folder, got {name!r}"
        )
    try:
        data = (folder / name).read_bytes()
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise AnalysisFileError(f"cannot read {folder / name}: {exc.strerror or exc}") from exc
    return frametimeline.from_bytes(data, frames)


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


def schema_version_of(doc: object) -> tuple[int, int]:
    """(major, minor) of an analysis document; the integer 1 of the first files is 1.0.

    >>> schema_version_of({"schema_version": "1.12"}), schema_version_of({"schema_version": 1})
    ((1, 12), (1, 0))

    Raises:
        AnalysisFileError: the document has no readable schema version.
    """
    value = doc.get("schema_version") if isinstance(doc, dict) else None
    if isinstance(value, int) and not isinstance(value, bool) and value == 1:
        return (1, 0)
    match = re.fullmatch(r"([0-9]+)\.([0-9]+)", value) if isinstance(value, str) else None
    if match is None:
        raise AnalysisFileError(
            f"unsupported analysis schema_version {value!r} (this scenepal reads "
            f'{SCHEMA_MAJOR}.x, written as "{SCHEMA_VERSION}")'
        )
    return int(match[1]), int(match[2])


def _video_from_dict(v: dict[str, Any]) -> VideoInfo:
    c = v["color"]
    color = ColorInfo(
        matrix=c["matrix"],
        range=c["range"],
        transfer=c["transfer"],
        primaries=c["primaries"],
        bit_depth=int(c["bit_depth"]),
        pixel_format=c["pixel_format"],
        hdr=c["hdr"],
        hdr_handling=c["hdr_handling"],
        assumed=tuple(c["assumed"]),
    )
    return VideoInfo(
        path=v["path"],
        width=int(v["width"]),
        height=int(v["height"]),
        fps=float(v["fps"]),
        container_frame_count=v["container_frame_count"],
        duration_s=v["container_duration_s"],
        codec=v["codec"],
        rotation=int(v["rotation"]),
        interlaced=bool(v["interlaced"]),
        color=color,
    )


def analysis_from_dict(doc: dict[str, Any], folder: Path | None = None) -> Analysis:
    """Rebuild an Analysis from an analysis.json document of major version
    :data:`SCHEMA_MAJOR` (any minor); scene thumbnails are read from ``folder`` (where the
    document lies) when given, and are left out otherwise.

    Fields and settings it does not know are ignored. Defaults are filled only for what older
    versions did not write: ``coverage``, ``partial`` and ``gaps`` (missing in early 1.0
    files), the statistics (since 1.2), the frame timeline (since 1.5: read from ``folder``
    when given and the file is there) and settings added since (see
    ``AnalysisConfig.from_recorded``).

    Raises:
        AnalysisFileError: the document is of another major version or is malformed.
    """
    major, minor = schema_version_of(doc)
    if major != SCHEMA_MAJOR:
        raise AnalysisFileError(
            f"unsupported analysis schema_version {doc['schema_version']!r}: written by a "
            f"scenepal of another major version (this one reads {SCHEMA_MAJOR}.x)"
        )
    try:
        v = doc["video"]
        return Analysis(
            video=_video_from_dict(v),
            frame_count=int(v["frame_count"]),
            duration_s=float(v["duration_s"]),
            crop=rect_from_dict(v["crop"]),
            settings=AnalysisConfig.from_recorded(doc["settings"]),
            scenes=tuple(scene_result_from_dict(s, folder) for s in doc["scenes"]),
            palette=palette_from_list(doc["palette"]),
            scenepal_version=str(doc["scenepal_version"]),
            schema_version=f"{major}.{minor}",
            warnings=tuple(doc["warnings"]),
            coverage=float(doc.get("coverage", 1.0)),
            partial=bool(doc.get("partial", False)),
            gaps=tuple((float(a), float(b)) for a, b in doc.get("gaps", ())),
            stats=None if doc.get("stats") is None else stats_from_dict(doc["stats"]),  # 1.2
            timeline=_read_timeline(doc.get("timeline"), folder),  # since 1.5
        )
    except AnalysisFileError:
        raise
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
    return analysis_from_dict(doc, p.parent)


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
