"""Colour space of a stream: its tags resolved once, and the plan that turns its frames into sRGB.

Colour conversion never relies on a library default: the Y'CbCr matrix and range are resolved
from the stream's tags (or guessed by the usual rules, and reported as guessed), swscale only
scales, and the Y'CbCr -> R'G'B' conversion is done here with the resolved matrix and range.
Sources deeper than 8 bits and HDR sources go through 16-bit codes and are finished in numpy
(``scenepal.color``).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

import cv2
import numpy as np
from av.video.reformatter import ColorRange, VideoReformatter

from scenepal import color, hdr
from scenepal.errors import HdrRefusedError
from scenepal.models import ColorInfo, VideoInfo

_MATRICES = {
    1: "bt709",
    5: "bt601",
    6: "bt601",
    9: "bt2020",
    10: "bt2020",
    4: "fcc",
    7: "smpte240m",
}
_TRANSFERS = {
    1: "bt709",
    4: "gamma22",
    5: "gamma28",
    6: "bt601",
    7: "smpte240m",
    8: "linear",
    13: "srgb",
    14: "bt709",
    15: "bt709",
    16: "pq",
    18: "hlg",
}
_PRIMARIES = {
    1: "bt709",
    5: "bt601",
    6: "bt601",
    7: "smpte240m",
    9: "bt2020",
    11: "dci-p3",
    12: "display-p3",
}

ColorTags = tuple[int, int, int, int]
"""(matrix, range, transfer, primaries) as FFmpeg enum values."""


def resolve_color(
    *,
    colorspace: int,
    color_range: int,
    transfer: int,
    primaries: int,
    pixel_format: str,
    bit_depth: int,
    is_rgb: bool,
    height: int,
) -> ColorInfo:
    """Resolve a stream's colour tags into the colour pipeline scenepal will apply.

    Untagged values are guessed by the common rules: matrix BT.709 when the picture is at least
    720 lines tall (BT.2020 when the primaries or transfer say BT.2020), else BT.601; range limited
    unless tagged full or the pixel format is ``yuvj*``. Guessed fields are listed in ``assumed``.

    >>> c = resolve_color(colorspace=2, color_range=0, transfer=2, primaries=2,
    ...                   pixel_format="yuv420p", bit_depth=8, is_rgb=False, height=1080)
    >>> (c.matrix, c.range, c.assumed)
    ('bt709', 'limited', ('matrix', 'range', 'transfer', 'primaries'))
    """
    assumed: list[str] = []
    trc = _TRANSFERS.get(transfer)
    prim = _PRIMARIES.get(primaries)
    if is_rgb:
        matrix, rng = "rgb", "full"
    else:
        matrix_tag = _MATRICES.get(colorspace)
        if matrix_tag is None:
            assumed.append("matrix")
            if prim == "bt2020" or trc in ("pq", "hlg"):
                matrix_tag = "bt2020"
            else:
                matrix_tag = "bt709" if height >= 720 else "bt601"
        matrix = matrix_tag
        if color_range == 2 or pixel_format.startswith("yuvj"):
            rng = "full"
        elif color_range == 1:
            rng = "limited"
        else:
            assumed.append("range")
            rng = "limited"
    if trc is None:
        assumed.append("transfer")
        trc = "bt709"
    if prim is None:
        assumed.append("primaries")
        prim = "bt2020" if matrix == "bt2020" else ("bt709" if height >= 720 else "bt601")
    hdr = trc if trc in ("pq", "hlg") else None
    return ColorInfo(
        matrix=matrix,
        range=rng,
        transfer=trc,
        primaries=prim,
        bit_depth=bit_depth,
        pixel_format=pixel_format,
        hdr=hdr,
        assumed=tuple(assumed),
    )


def color_tags(cc: Any) -> ColorTags:
    """A codec context's colour tags as FFmpeg enum values; 2 (0 for range) = unset."""
    return (int(cc.colorspace), int(cc.color_range), int(cc.color_trc), int(cc.color_primaries))


def merge_tags(container: ColorTags, decoder: ColorTags) -> ColorTags:
    """The container's tags, with the bitstream's filling any the container left unset.

    Both are read because either may be missing: a ProRes decoder resets the tags that the
    MOV ``colr`` atom carried to "unspecified" once it has read its own frame header.

    >>> merge_tags((1, 1, 1, 1), (2, 1, 2, 2)), merge_tags((2, 0, 2, 2), (9, 1, 16, 9))
    ((1, 1, 1, 1), (9, 1, 16, 9))
    """
    unset = (2, 0, 2, 2)
    return tuple(  # type: ignore[return-value]
        c if c != u else d for c, d, u in zip(container, decoder, unset, strict=True)
    )


def stream_color(cc: Any, container_tags: ColorTags, *, hdr_mode: str, name: str) -> ColorInfo:
    """The resolved colour of a stream (codec context ``cc``), with its HDR handling.

    Raises:
        HdrRefusedError: the stream is HDR and ``hdr_mode`` is "refuse".
    """
    fmt = cc.format
    bit_depth = max(c.bits for c in fmt.components) if fmt.components else 8
    is_rgb = bool(fmt.is_rgb) or fmt.name.startswith(("gray", "ya", "pal"))
    tags = merge_tags(container_tags, color_tags(cc))
    info = resolve_color(
        colorspace=tags[0],
        color_range=tags[1],
        transfer=tags[2],
        primaries=tags[3],
        pixel_format=fmt.name,
        bit_depth=bit_depth,
        is_rgb=is_rgb,
        height=cc.height,
    )
    if info.hdr is None:
        return info
    if hdr_mode == "refuse":
        raise HdrRefusedError(
            f"{name} is HDR ({info.hdr.upper()}); refused (use --hdr tonemap or raw)"
        )
    return dataclasses.replace(info, hdr_handling=hdr_mode)


@dataclass(frozen=True)
class ConversionPlan:
    """How each decoded frame becomes sRGB at analysis size: resolved once per film."""

    width: int  # analysis size, stored orientation
    height: int
    rgb_format: str  # "rgb24" or "rgb48le": 8-bit or 16-bit working precision
    matrix: str  # Y'CbCr matrix name, "rgb" for RGB sources
    full_range_j: bool  # yuvj* source: keep the j format so swscale does not squeeze the range
    code_matrix: np.ndarray  # float32 (3, 3): rgb = codes @ code_matrix + code_offset, in [0, 1]
    code_offset: np.ndarray  # float32 (3,)
    wide_gamut: bool  # BT.2020 primaries: converted to BT.709 (sRGB) primaries
    code_affine8: np.ndarray  # float32 (3, 4): [A | b] x 255, for cv2.transform on 8-bit codes
    color_range: ColorRange | None
    hdr: str | None  # "pq" / "hlg" when tone mapping in numpy
    rotation: int  # clockwise degrees to display orientation


def _code_transform(matrix: str, *, full: bool, deep: bool) -> tuple[np.ndarray, np.ndarray]:
    """(A, b) with R'G'B' = A @ codes + b for the Y'CbCr codes swscale hands back.

    Deep sources come back as 16-bit codes (a 10-bit 64 is 4096 + 4); 8-bit as 8-bit codes.
    """
    if matrix not in color.YCBCR_COEFFICIENTS:
        return np.eye(3), np.zeros(3)
    top = 65535.0 if deep else 255.0
    if full:
        scale = np.full(3, 1.0 / top)
        shift = np.array([0.0, 0.5, 0.5]) * (1.0 + 1.0 / top)
    else:
        unit = 256.0 if deep else 1.0
        scale = 1.0 / (unit * np.array([219.0, 224.0, 224.0]))
        shift = np.array([16.0, 128.0, 128.0]) / np.array([219.0, 224.0, 224.0])
    m = color.ycbcr_matrix(matrix)
    return m * scale, -(m @ shift)


def plan_conversion(info: VideoInfo, *, width: int) -> ConversionPlan:
    """The conversion of ``info``'s frames to ``width`` display pixels (never scaled up)."""
    c = info.color
    disp_w = min(width, info.width)
    disp_h = max(2, round(disp_w * info.height / info.width))
    w, h = (disp_h, disp_w) if info.rotation in (90, 270) else (disp_w, disp_h)
    deep = c.bit_depth > 8 or c.hdr is not None
    yuv = c.matrix != "rgb"
    matrix, offset = _code_transform(c.matrix, full=c.range == "full", deep=deep)
    return ConversionPlan(
        width=w,
        height=h,
        rgb_format="rgb48le" if deep else "rgb24",
        matrix=c.matrix,
        full_range_j=c.pixel_format.startswith("yuvj"),
        code_matrix=matrix.T.astype(np.float32),
        code_offset=offset.astype(np.float32),
        code_affine8=np.hstack([matrix * 255.0, offset[:, None] * 255.0]).astype(np.float32),
        # Raw HDR is shown as it is coded: no tone mapping, and no gamut conversion either.
        wide_gamut=c.primaries == "bt2020" and (c.hdr is None or c.hdr_handling == "tonemap"),
        color_range=(ColorRange.JPEG if c.range == "full" else ColorRange.MPEG) if yuv else None,
        hdr=c.hdr if c.hdr_handling == "tonemap" else None,
        rotation=info.rotation,
    )


def plane_array(plane: Any, dtype: np.dtype[Any]) -> np.ndarray:
    """One plane of a frame (``frame.planes[i]``) as a (height, width) array, padding dropped."""
    stride = plane.line_size // dtype.itemsize
    data = np.frombuffer(plane, dtype=dtype, count=stride * plane.height)
    return data.reshape(plane.height, stride)[:, : plane.width]


def to_rgb(frame: Any, plan: ConversionPlan, scaler: VideoReformatter) -> np.ndarray:
    """Decoded frame -> uint8 (h, w, 3) sRGB at analysis size, stored orientation.

    swscale only scales (and, for RGB sources, packs); the Y'CbCr -> R'G'B' conversion is done
    here with the resolved matrix and range, because swscale's own conversion is up to 2-3
    levels off and follows whatever range and matrix the frame happens to carry. ``scaler`` is
    shared by every frame of a film: ``frame.reformat`` would build a new swscale context for
    each frame, which costs more (about 2.5 ms at 1080p) than the scaling itself.
    """
    if plan.matrix == "rgb":  # RGB or grey source: scaling only
        packed: np.ndarray = scaler.reformat(
            frame,
            width=plan.width,
            height=plan.height,
            format=plan.rgb_format,
            interpolation="AREA",
        ).to_ndarray()[..., :3]
        signal = packed.astype(np.float32) / (65535.0 if plan.rgb_format == "rgb48le" else 255.0)
        return _finish(signal, plan)
    deep = plan.rgb_format == "rgb48le"
    fmt = "yuv444p16le" if deep else ("yuvj444p" if plan.full_range_j else "yuv444p")
    small = scaler.reformat(
        frame,
        width=plan.width,
        height=plan.height,
        format=fmt,
        src_color_range=plan.color_range,
        dst_color_range=plan.color_range,
        interpolation="AREA",
    )
    dtype = np.dtype("<u2") if deep else np.dtype(np.uint8)
    codes = cv2.merge([plane_array(p, dtype) for p in small.planes])  # 8x faster than np.stack
    if plan.hdr is None and not plan.wide_gamut and not deep:
        # The common case, in one SIMD pass: 8-bit codes -> rounded, saturated 8-bit RGB.
        out: np.ndarray = cv2.transform(codes, plan.code_affine8)
        return out
    flat = codes.reshape(-1, 3).astype(np.float32)  # 2-D matmul is ~10x faster than 3-D
    rgb = (flat @ plan.code_matrix + plan.code_offset).reshape(codes.shape)
    if plan.hdr is None and not plan.wide_gamut:
        deep_out: np.ndarray = np.clip(rgb * 255.0 + 0.5, 0.0, 255.0).astype(np.uint8)
        return deep_out
    return _finish(np.clip(rgb, 0.0, 1.0), plan)


def _finish(signal: np.ndarray, plan: ConversionPlan) -> np.ndarray:
    """R'G'B' signal in [0, 1] -> uint8 sRGB: tone mapped, gamut converted or just encoded."""
    if plan.hdr is not None:
        return hdr.hdr_to_srgb8(signal, plan.hdr, bt2020=plan.wide_gamut)
    if plan.wide_gamut:
        return hdr.bt2020_sdr_to_srgb8(signal)
    return color.to_uint8(signal)
