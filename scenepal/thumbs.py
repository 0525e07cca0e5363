"""Representative frames: the frame that stands for each scene, and its thumbnail.

A scene's palette exists only once the scene has closed, so the choice is made then, among a
few candidate frames held while the scene was open, all in the one decoding pass:

    video.py      every frame whose number is a multiple of about :data:`SHARP_EVERY_S` of
                  film also comes :data:`SOURCE_WIDTH` wide (``Frame.sharp``)
    sampling.py   each open scene holds up to :data:`POOL_SIZE` of those, evenly spread over it
                  whatever its length (:class:`CandidatePool`)
    results.py    in the palette worker, once the palette is known: :func:`representative`
                  picks, of the pooled frames the scene kept (no black, fade, dip or dissolve
                  frame), the one whose pixels lie closest to the palette (the smallest mean
                  CIELAB distance from each pixel to its nearest swatch), crops the scene's
                  bars off and encodes it :data:`THUMB_WIDTH` wide as JPEG

The analysis frames (256 px wide by default) are too small for a 320 px thumbnail and the
decoded full-size frame is gone by the time the scene closes, hence the larger copy of a few
frames; it is made by swscale inside FFmpeg, from the frame already decoded.

The output folder holds the thumbnails as ``thumbs/0001.jpg`` (:func:`thumb_name`), named in
analysis.json as ``scenes[i].representative.file``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Generic, TypeVar

import cv2
import numpy as np
from numpy.typing import NDArray

from scenepal.bars import inside_box
from scenepal.models import Frame, Palette, Rect, Representative, Scene
from scenepal.palette import pixels_to_space

SOURCE_WIDTH = 480
"""Width of the larger copy of candidate frames: a picture area down to two thirds of the
frame's width (4:3 inside 16:9 pillarbox bars is three quarters) still gives 320 px."""

THUMB_WIDTH = 320
"""Width of a thumbnail, in pixels (narrower when the film's picture is)."""

SHARP_EVERY_S = 0.5
"""Seconds of film between two candidate frames (every keyframe in a preview)."""

POOL_SIZE = 8
"""Candidate frames an open scene holds at most."""

JPEG_QUALITY = 85
"""Quality of the thumbnails' JPEG encoding."""

SCORE_WIDTH = 64
"""Width candidates are shrunk to before their pixels are compared with the palette."""

THUMBS_FOLDER = "thumbs"
"""The output folder's sub-folder of thumbnails."""

THUMB_FILE = re.compile(r"thumbs/[0-9]{4,}\.jpg")
"""What a thumbnail's file name in analysis.json looks like (anything else is not read)."""

T = TypeVar("T")


class CandidatePool(Generic[T]):
    """Up to ``size`` of the items offered, evenly spread over all offered so far.

    Every ``stride``-th offer is held; once more than ``size`` are held, every other one is
    dropped and the stride doubles. Bounded and deterministic whatever the number of offers,
    and each item is looked at once, when offered.

    >>> pool = CandidatePool[int](4)
    >>> for i in range(10):
    ...     pool.offer(i)
    >>> pool.items
    (0, 4, 8)
    """

    def __init__(self, size: int) -> None:
        self._size = size
        self._stride = 1
        self._offered = 0
        self._items: list[T] = []

    def offer(self, item: T) -> None:
        """Offer the next item."""
        if self._offered % self._stride == 0:
            self._items.append(item)
            if len(self._items) > self._size:
                del self._items[1::2]
                self._stride *= 2
        self._offered += 1

    @property
    def items(self) -> tuple[T, ...]:
        """The items held, in the order offered."""
        return tuple(self._items)


def thumb_name(index: int) -> str:
    """The output folder's file of scene ``index``'s thumbnail (numbered from 1, as on the
    palette sheet).

    >>> thumb_name(0), thumb_name(11999)
    ('thumbs/0001.jpg', 'thumbs/12000.jpg')
    """
    return f"{THUMBS_FOLDER}/{index + 1:04d}.jpg"


def palette_error(rgb: NDArray[np.uint8], palette: Palette) -> float:
    """Mean CIELAB distance from each pixel of ``rgb`` (uint8 (..., 3) sRGB) to its nearest
    swatch of ``palette``.

    >>> from scenepal.models import Swatch
    >>> grey = Palette((Swatch((119, 119, 119), (50.0, 0.0, 0.0), 1.0),))
    >>> round(palette_error(np.full((2, 2, 3), 119, np.uint8), grey), 1)
    0.0
    """
    lab = pixels_to_space(rgb.reshape(-1, 3), "lab")
    swatches = np.array([s.lab for s in palette.swatches], dtype=np.float64)
    gaps = np.linalg.norm(lab[:, None, :] - swatches[None, :, :], axis=2)
    return float(gaps.min(axis=1).mean())


def _picture(frame: Frame, crop: Rect | None) -> NDArray[np.uint8]:
    """The frame's largest copy, inside the scene's picture area."""
    image = frame.sharp if frame.sharp is not None else frame.rgb
    width, height = len(frame.cols), len(frame.rows)  # full-resolution display size
    return inside_box(image, crop, width, height)


def _shrink(image: NDArray[np.uint8], width: int) -> NDArray[np.uint8]:
    h, w = image.shape[:2]
    height = max(1, round(h * width / w))
    interpolation = cv2.INTER_AREA if width <= w else cv2.INTER_CUBIC
    return np.asarray(cv2.resize(image, (width, height), interpolation=interpolation), np.uint8)


def encode_jpeg(rgb: NDArray[np.uint8], *, quality: int = JPEG_QUALITY) -> bytes:
    """uint8 (h, w, 3) sRGB -> JPEG bytes (deterministic for the same pixels)."""
    ok, data = cv2.imencode(
        ".jpg", cv2.cvtColor(rgb, cv2.COLOR_RGB2BGR), [cv2.IMWRITE_JPEG_QUALITY, quality]
    )
    if not ok:
        raise ValueError("the thumbnail could not be encoded")
    return bytes(data.tobytes())


def decode_jpeg(data: bytes) -> NDArray[np.uint8]:
    """JPEG bytes -> uint8 (h, w, 3) sRGB.

    Raises:
        ValueError: the bytes are not a picture.
    """
    image = cv2.imdecode(np.frombuffer(data, dtype=np.uint8), cv2.IMREAD_COLOR)
    if image is None:
        raise ValueError("not a picture")
    return np.asarray(cv2.cvtColor(image, cv2.COLOR_BGR2RGB), np.uint8)


def representative(
    frames: Sequence[Frame],
    palette: Palette,
    *,
    crop: Rect | None,
    scene: Scene,
    shown: Scene,
) -> Representative | None:
    """The frame of ``frames`` closest to ``palette``, with its thumbnail.

    Args:
        frames: the candidates, in order (the scene's kept pooled frames); ties go to the
            earliest.
        palette: the scene's palette.
        crop: the scene's picture area in source display pixels, or None without bars.
        scene: the scene as decoded (the frames' ``index`` counts decoded frames).
        shown: the same scene as reported (its frames in the film).

    Returns:
        None when there is no candidate.
    """
    if not frames or not len(palette):
        return None
    pictures = [_picture(f, crop) for f in frames]
    errors = [palette_error(_shrink(p, min(SCORE_WIDTH, p.shape[1])), palette) for p in pictures]
    best = int(np.argmin(errors))
    frame, picture = frames[best], pictures[best]
    source_width = crop.width if crop is not None else len(frame.cols)
    thumb = _shrink(picture, min(THUMB_WIDTH, source_width))
    return Representative(
        frame=_film_frame(frame, scene, shown), time_s=frame.time_s, jpeg=encode_jpeg(thumb)
    )


def _film_frame(frame: Frame, scene: Scene, shown: Scene) -> int:
    """The film frame number of a decoded frame: counted in a full analysis, estimated from
    its time in a preview (which decodes keyframes only)."""
    if shown.frame_count == scene.frame_count:
        return shown.start_frame + frame.index - scene.start_frame
    share = (frame.time_s - shown.start_s) / max(shown.duration_s, 1e-9)
    estimate = shown.start_frame + int(share * shown.frame_count)
    return min(max(estimate, shown.start_frame), shown.end_frame - 1)


def small_jpeg(data: bytes, *, width: int, quality: int) -> tuple[bytes, int, int]:
    """A smaller copy of a JPEG thumbnail, at most ``width`` pixels wide (for pages that inline
    many): its bytes, width and height.

    Raises:
        ValueError: the bytes are not a picture.
    """
    image = decode_jpeg(data)
    small = _shrink(image, min(width, image.shape[1]))
    return encode_jpeg(small, quality=quality), small.shape[1], small.shape[0]
