"""The notes an analysis carries: guessed colour tags, HDR handling, damaged packets, gaps, and
how much of the film was decoded (coverage, and whether that makes the result partial)."""

from __future__ import annotations

from scenepal.export import timecode
from scenepal.models import ColorInfo, VideoInfo

_FIELD_WORDS = {
    "matrix": "colour matrix",
    "range": "colour range",
    "transfer": "transfer characteristic",
    "primaries": "colour primaries",
}


def color_warnings(c: ColorInfo) -> list[str]:
    """One line per guessed colour field, and one for HDR handling."""
    lines = [
        f"{_FIELD_WORDS[name]} not tagged; assumed {getattr(c, name)}"
        for name in c.assumed
        if name in _FIELD_WORDS
    ]
    if c.hdr is not None and c.hdr_handling == "tonemap":
        lines.append(f"HDR ({c.hdr.upper()}) tone-mapped to SDR BT.709 for palettes and images")
    elif c.hdr is not None:
        lines.append(f"HDR ({c.hdr.upper()}) analysed raw, without tone mapping: colours are off")
    return lines


PARTIAL_TOLERANCE_FRAMES = 3
"""An analysis whose decoded time ends more than this many frames before the container's
duration is partial. An absolute tolerance, not a share: a 2-hour film missing 2.4 minutes still
covers 98 % of itself. Three frames absorb container rounding (Matroska keeps milliseconds) and
encoder priming."""


def coverage(info: VideoInfo, end_s: float) -> tuple[float, bool]:
    """Share of the film decoded, and whether that makes the analysis partial.

    >>> from scenepal.models import ColorInfo
    >>> c = ColorInfo("bt709", "limited", "bt709", "bt709", 8, "yuv420p")
    >>> info = VideoInfo("f", 8, 8, 25.0, None, 7200.0, "h264", 0, False, c)
    >>> coverage(info, 7056.0), coverage(info, 7199.9)
    ((0.98, True), (1.0, False))
    """
    if not info.duration_s or info.duration_s <= 0:
        return 1.0, False
    share = min(1.0, end_s / info.duration_s)
    partial = end_s < info.duration_s - PARTIAL_TOLERANCE_FRAMES / info.fps
    return round(share, 4), partial


def analysis_warnings(
    info: VideoInfo, end_s: float, skipped: int, gaps: list[tuple[float, float]]
) -> tuple[str, ...]:
    """Every note for an analysis of ``info`` that decoded up to ``end_s``, having skipped
    ``skipped`` damaged packets and lost the ``gaps``."""
    lines = color_warnings(info.color)
    if skipped:
        lines.append(f"{skipped} damaged packet(s) could not be decoded and were skipped")
    if gaps:
        where = ", ".join(f"{timecode(a)[:10]}-{timecode(b)[:10]}" for a, b in gaps[:5])
        more = f" and {len(gaps) - 5} more" if len(gaps) > 5 else ""
        lost = sum(b - a for a, b in gaps)
        lines.append(
            f"{lost:.1f} s of the film is damaged and could not be decoded: gaps at {where}{more}"
        )
    share, partial = coverage(info, end_s)
    if partial and info.duration_s:
        lines.append(
            f"the file ends at {timecode(end_s)[:10]} of {timecode(info.duration_s)[:10]}; "
            f"analysed the first {share:.0%}"
        )
    return tuple(lines)
