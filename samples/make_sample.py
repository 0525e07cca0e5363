"""Generate a realistic sample film, with its ground truth, for scenepal.

The film is built from real photographs shipped inside scikit-image's wheel (no network). Each
shot is a slow camera move (pan, tilt, push-in, pull-out, drift, some with a little handheld
shake) over one photograph, with its own colour grade, film grain, a vignette and mild flicker.
Shots are joined by hard cuts, a few fades through black and a few dissolves; the film opens with
a fade-in and ends with a fade-out. An optional letterbox puts black bars around the picture.

The film is H.264 (libx264, yuv420p, CRF 20) in MP4 at 24 fps, tagged BT.709 limited range.
A sidecar ``<out>.truth.json`` records what was generated: cuts, fades, dissolves, the letterbox
crop and the photograph, grade and camera move of every shot. The same ``--seed`` always gives
the same shots at any resolution, and the same frames (before encoding) at a given resolution.

Frames are streamed to the encoder, so memory stays flat whatever the length. The film is encoded
under a temporary name in the output folder and renamed at the end, so an interrupted run never
leaves a half-written film under the final name. An existing film made with the same settings is
reused unless ``--force`` is given.

Usage::

    python samples/make_sample.py                      # demo film: samples/sample.mp4, 60 s 720p
    python samples/make_sample.py --width 1920 --height 1080 --seconds 1200 \\
        --out /tmp/bench_20min.mp4                      # benchmark film
    python samples/make_sample.py --no-letterbox --seed 7 --out /tmp/other.mp4
"""

from __future__ import annotations

import argparse
import json
import math
import os
import queue
import sys
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, TypeVar

import av
import cv2
import numpy as np
import skimage.data
from av.video.reformatter import ColorPrimaries, ColorRange, Colorspace, ColorTrc
from numpy.typing import NDArray

TRUTH_FORMAT = "scenepal-sample-truth"
TRUTH_VERSION = 1

DEFAULT_OUT = Path(__file__).resolve().parent / "sample.mp4"
DEFAULT_WIDTH = 1280
DEFAULT_HEIGHT = 720
DEFAULT_SECONDS = 60.0
DEFAULT_FPS = 24
DEFAULT_SEED = 2024
DEFAULT_LETTERBOX = 2.39
DEFAULT_CRF = 20
DEFAULT_PRESET = "veryfast"

#: Peak bitrate at 1920x1080 (scaled by pixel count for other sizes): a film-like VBV cap.
MAXRATE_1080P = 12_000_000

MIN_SHOT_SECONDS = 1.5
MAX_SHOT_SECONDS = 8.0
MEDIAN_SHOT_SECONDS = 3.5
FADE_OUT_SECONDS = 1.0
BLACK_SECONDS = 0.5
FADE_IN_SECONDS = 1.0
DISSOLVE_SECONDS = 1.0
HOLD_SECONDS = 0.5  # minimum part of a shot untouched by its transitions
P_FADE = 0.07  # probability that a shot boundary is a fade through black
P_DISSOLVE = 0.08  # probability that a shot boundary is a dissolve

GRAIN_FIELDS = 4  # precomputed grain fields, cycled and shifted per frame
GRAIN_MARGIN = 32  # extra pixels around each grain field, for per-frame shifts
GRAIN_SIGMA = 3.2  # grain strength, in 8-bit levels
FLICKER_SIGMA = 0.006  # per-frame exposure flicker (relative)
VIGNETTE_STRENGTH = 0.2  # corner darkening (relative)
PROGRESS_SECONDS = 3.0

T = TypeVar("T")

LUMA_709 = np.array([0.2126, 0.7152, 0.0722], dtype=np.float32)

Image = NDArray[np.uint8]
"""uint8 (H, W, 3) RGB image."""


# --------------------------------------------------------------------------------------------
# Photographs


@dataclass(frozen=True)
class Photo:
    """A photograph from scikit-image's bundled data.

    Attributes:
        name: Name in the truth file.
        loader: Returns the image as uint8 (H, W, 3) RGB or (H, W) grey.
        group: Photos of one group never follow each other (e.g. a stereo pair).
        safe: Normalised (left, top, right, bottom) region the camera may show.
        weight: Relative chance of being picked for a shot.
    """

    name: str
    loader: Callable[[], NDArray[np.uint8]]
    group: str
    safe: tuple[float, float, float, float] = (0.0, 0.0, 1.0, 1.0)
    weight: float = 1.0


def _motorcycle(side: int) -> Callable[[], NDArray[np.uint8]]:
    def load() -> NDArray[np.uint8]:
        pair = skimage.data.stereo_motorcycle()  # type: ignore[no-untyped-call]
        image: NDArray[np.uint8] = pair[side]
        return image

    return load


#: Photographs that load offline from the installed scikit-image (no pooch download).
PHOTOS: tuple[Photo, ...] = (
    Photo("astronaut", skimage.data.astronaut, "astronaut", weight=3.0),
    Photo("chelsea", skimage.data.chelsea, "chelsea", weight=3.0),
    Photo("coffee", skimage.data.coffee, "coffee", weight=3.0),
    Photo("rocket", skimage.data.rocket, "rocket", weight=3.0),
    Photo("motorcycle_left", _motorcycle(0), "motorcycle", weight=2.0),
    Photo("motorcycle_right", _motorcycle(1), "motorcycle", weight=2.0),
    Photo("hubble_deep_field", skimage.data.hubble_deep_field, "hubble", weight=2.0),
    Photo("immunohistochemistry", skimage.data.immunohistochemistry, "ihc", weight=2.0),
    Photo("retina", skimage.data.retina, "retina", safe=(0.2, 0.2, 0.8, 0.8), weight=2.0),
    Photo("camera", skimage.data.camera, "camera"),
    Photo("coins", skimage.data.coins, "coins"),
    Photo("moon", skimage.data.moon, "moon"),
    Photo("grass", skimage.data.grass, "grass"),
    Photo("gravel", skimage.data.gravel, "gravel"),
    Photo("brick", skimage.data.brick, "brick"),
)
PHOTOS_BY_NAME = {photo.name: photo for photo in PHOTOS}


def load_photo(photo: Photo) -> Image:
    """Load a photograph as RGB, cropped to its safe region.

    Args:
        photo: The photograph.

    Returns:
        uint8 (H, W, 3) RGB, C-contiguous.
    """
    image = np.asarray(photo.loader())
    if image.ndim == 2:
        image = np.repeat(image[:, :, None], 3, axis=2)
    image = image[:, :, :3].astype(np.uint8, copy=False)
    h, w = image.shape[:2]
    left, top, right, bottom = photo.safe
    crop = image[round(top * h) : round(bottom * h), round(left * w) : round(right * w)]
    return np.ascontiguousarray(crop)


# --------------------------------------------------------------------------------------------
# Colour grades


@dataclass(frozen=True)
class Grade:
    """A per-shot colour grade, applied in float to gamma-encoded RGB in [0, 1].

    Attributes:
        name: Name in the truth file.
        exposure: Overall gain.
        white_balance: Per-channel RGB gains.
        saturation: 0 is grey, 1 unchanged.
        contrast: S-curve strength around mid-grey (1 unchanged).
        gamma: Power applied after the curve (> 1 darkens mid-tones).
        shadow_tint: RGB offset added in the shadows.
        highlight_tint: RGB offset added in the highlights.
        lift: Black level (a matte look lifts it).
        ceiling: White level.
    """

    name: str
    exposure: float = 1.0
    white_balance: tuple[float, float, float] = (1.0, 1.0, 1.0)
    saturation: float = 1.0
    contrast: float = 1.0
    gamma: float = 1.0
    shadow_tint: tuple[float, float, float] = (0.0, 0.0, 0.0)
    highlight_tint: tuple[float, float, float] = (0.0, 0.0, 0.0)
    lift: float = 0.0
    ceiling: float = 1.0


GRADES: tuple[Grade, ...] = (
    Grade("neutral", contrast=1.08, saturation=1.05),
    Grade(
        "teal_orange",
        saturation=1.15,
        contrast=1.2,
        shadow_tint=(-0.05, 0.03, 0.07),
        highlight_tint=(0.08, 0.02, -0.07),
    ),
    Grade("warm", white_balance=(1.12, 1.0, 0.82), saturation=1.08, lift=0.02, contrast=1.05),
    Grade("cool", white_balance=(0.86, 0.97, 1.14), saturation=0.9, contrast=1.08),
    Grade("bleach_bypass", saturation=0.4, contrast=1.35, exposure=0.95),
    Grade("high_contrast", saturation=1.12, contrast=1.55, gamma=1.1),
    Grade(
        "night",
        exposure=0.5,
        white_balance=(0.72, 0.9, 1.25),
        saturation=0.55,
        contrast=1.15,
        gamma=1.35,
    ),
    Grade(
        "matte",
        white_balance=(1.04, 1.0, 0.94),
        saturation=0.8,
        contrast=0.9,
        lift=0.08,
        ceiling=0.92,
    ),
    Grade(
        "sepia",
        saturation=0.0,
        contrast=1.1,
        shadow_tint=(0.03, 0.0, -0.04),
        highlight_tint=(0.1, 0.04, -0.08),
        lift=0.03,
    ),
)
GRADES_BY_NAME = {grade.name: grade for grade in GRADES}


def apply_grade(image: Image, grade: Grade) -> Image:
    """Apply a colour grade.

    Args:
        image: uint8 (H, W, 3) RGB.
        grade: The grade.

    Returns:
        uint8 (H, W, 3) RGB, graded.
    """
    x = image.astype(np.float32) * np.float32(1.0 / 255.0)
    x *= np.float32(grade.exposure) * np.asarray(grade.white_balance, dtype=np.float32)
    luma = x @ LUMA_709
    x = luma[..., None] + np.float32(grade.saturation) * (x - luma[..., None])
    # Split toning: tints weighted by a smooth shadow/highlight mask on luma.
    highlight = np.clip(luma, 0.0, 1.0)
    highlight = highlight * highlight * (3.0 - 2.0 * highlight)
    x += (1.0 - highlight)[..., None] * np.asarray(grade.shadow_tint, dtype=np.float32)
    x += highlight[..., None] * np.asarray(grade.highlight_tint, dtype=np.float32)
    # Contrast: move each value towards (contrast > 1) or away from (contrast < 1) a fixed
    # logistic S-curve around mid-grey that maps 0 -> 0 and 1 -> 1.
    np.clip(x, 0.0, 1.0, out=x)
    if grade.contrast != 1.0:
        k = 6.0
        lo, hi = 1.0 / (1.0 + math.exp(k * 0.5)), 1.0 / (1.0 + math.exp(-k * 0.5))
        curved = 1.0 / (1.0 + np.exp(np.float32(-k) * (x - np.float32(0.5))))
        curved = (curved - np.float32(lo)) * np.float32(1.0 / (hi - lo))
        x += np.float32(grade.contrast - 1.0) * (curved - x)
        np.clip(x, 0.0, 1.0, out=x)
    if grade.gamma != 1.0:
        np.power(x, np.float32(grade.gamma), out=x)
    x = np.float32(grade.lift) + np.float32(grade.ceiling - grade.lift) * x
    graded: Image = np.clip(x * 255.0 + 0.5, 0.0, 255.0).astype(np.uint8)
    return graded


# --------------------------------------------------------------------------------------------
# The plan: shots, camera moves and transitions, independent of the output size


@dataclass(frozen=True)
class Move:
    """A camera move over a photograph, in normalised units.

    ``zoom`` is the size of the visible window relative to the largest window of the picture's
    aspect ratio that fits the photograph (1 shows as much as possible, smaller is closer).
    ``x`` and ``y`` place the window within the slack left around it (0 left/top, 1 right/bottom).

    Attributes:
        kind: push_in, pull_out, pan, tilt or drift.
        zoom_start: Window size at the first frame.
        zoom_end: Window size at the last frame.
        x_start: Horizontal place at the first frame.
        x_end: Horizontal place at the last frame.
        y_start: Vertical place at the first frame.
        y_end: Vertical place at the last frame.
        shake: Handheld shake amplitude as a fraction of the picture width (0 for none).
        shake_phase: Phases of the shake oscillators, in radians.
    """

    kind: str
    zoom_start: float
    zoom_end: float
    x_start: float
    x_end: float
    y_start: float
    y_end: float
    shake: float
    shake_phase: tuple[float, float, float, float]


@dataclass(frozen=True)
class Shot:
    """One shot of the film.

    Attributes:
        index: Position in the film, from 0.
        photo: Name of the photograph.
        grade: Name of the colour grade.
        move: The camera move.
        start: First frame.
        end: One past the last frame (overlaps the next shot during a dissolve).
        transition_in: How the shot begins: cut, fade (from black) or dissolve.
        transition_out: How the shot ends: cut, fade (to black) or dissolve.
    """

    index: int
    photo: str
    grade: str
    move: Move
    start: int
    end: int
    transition_in: str
    transition_out: str


@dataclass(frozen=True)
class Transition:
    """A gradual transition or black gap; frames ``start <= f < end``.

    Attributes:
        kind: fade_in, fade_out, black or dissolve.
        start: First frame.
        end: One past the last frame.
        shot_from: Shot before (None at the film's start).
        shot_to: Shot after (None at the film's end).
    """

    kind: str
    start: int
    end: int
    shot_from: int | None
    shot_to: int | None


@dataclass(frozen=True)
class Plan:
    """Everything the film shows, frame by frame, independent of the output size.

    Attributes:
        fps: Frames per second.
        frame_count: Number of frames.
        shots: Shots in order of start.
        transitions: Fades, black gaps and dissolves in order of start.
    """

    fps: int
    frame_count: int
    shots: tuple[Shot, ...]
    transitions: tuple[Transition, ...]

    @property
    def cuts(self) -> list[int]:
        """First frames of the shots that begin with a hard cut (frame 0 excluded)."""
        return [shot.start for shot in self.shots if shot.transition_in == "cut"]


@dataclass(frozen=True)
class _Draft:
    photo: str
    grade: str
    seconds: float
    move_seed: int


def _pick_photo(rng: np.random.Generator, recent_groups: Sequence[str]) -> Photo:
    candidates = [p for p in PHOTOS if p.group not in recent_groups]
    weights = np.array([p.weight for p in candidates])
    return candidates[int(rng.choice(len(candidates), p=weights / weights.sum()))]


def _sample_move(rng: np.random.Generator, seconds: float) -> Move:
    kind = str(
        rng.choice(["push_in", "pull_out", "pan", "tilt", "drift"], p=[0.2, 0.2, 0.3, 0.1, 0.2])
    )
    zoom_speed = rng.uniform(0.02, 0.05)  # window size change per second
    place_speed = rng.uniform(0.06, 0.18)  # place change per second
    zoom_a = rng.uniform(0.75, 1.0)
    zoom_b = zoom_a
    x_a, y_a = rng.uniform(0.1, 0.9, size=2)
    x_b, y_b = x_a, y_a
    if kind in ("push_in", "pull_out"):
        zoom_b = max(0.55, zoom_a - zoom_speed * seconds)
        x_b = float(np.clip(x_a + rng.uniform(-0.1, 0.1), 0, 1))
        y_b = float(np.clip(y_a + rng.uniform(-0.1, 0.1), 0, 1))
        if kind == "pull_out":
            zoom_a, zoom_b, x_a, x_b, y_a, y_b = zoom_b, zoom_a, x_b, x_a, y_b, y_a
    elif kind in ("pan", "tilt"):  # along x or y, either way
        zoom_a = zoom_b = rng.uniform(0.6, 0.85)
        span = min(0.8, place_speed * seconds)
        a = rng.uniform(0.05, 0.95 - span)
        b = a + span
        if rng.random() < 0.5:
            a, b = b, a
        if kind == "pan":
            x_a, x_b = a, b
        else:
            y_a, y_b = a, b
    else:  # drift: a slow diagonal glide with a slight zoom
        zoom_b = float(np.clip(zoom_a + rng.uniform(-0.05, 0.05), 0.55, 1.0))
        x_b = float(np.clip(x_a + rng.uniform(-0.15, 0.15), 0, 1))
        y_b = float(np.clip(y_a + rng.uniform(-0.15, 0.15), 0, 1))
    shake = float(rng.uniform(0.001, 0.003)) if rng.random() < 0.3 else 0.0
    phases = rng.uniform(0.0, 2.0 * math.pi, size=4)
    return Move(
        kind=kind,
        zoom_start=round(float(zoom_a), 4),
        zoom_end=round(float(zoom_b), 4),
        x_start=round(float(x_a), 4),
        x_end=round(float(x_b), 4),
        y_start=round(float(y_a), 4),
        y_end=round(float(y_b), 4),
        shake=round(shake, 5),
        shake_phase=(
            round(float(phases[0]), 4),
            round(float(phases[1]), 4),
            round(float(phases[2]), 4),
            round(float(phases[3]), 4),
        ),
    )


def make_plan(frame_count: int, *, fps: int, rng: np.random.Generator) -> Plan:
    """Lay out shots and transitions for a film.

    Shot lengths follow a log-normal law clipped to 1.5-8 s; consecutive shots use different
    photographs and grades. The film opens with a fade-in and closes with a fade-out; between
    shots, most boundaries are hard cuts, some fades through black and some dissolves, with at
    least one of each when the film has room for them.

    Args:
        frame_count: Length of the film in frames.
        fps: Frames per second.
        rng: Source of randomness.

    Returns:
        The plan.
    """
    fade_out = round(FADE_OUT_SECONDS * fps)
    black = round(BLACK_SECONDS * fps)
    fade_in = round(FADE_IN_SECONDS * fps)
    dissolve = round(DISSOLVE_SECONDS * fps)
    hold = round(HOLD_SECONDS * fps)
    longest_out = max(fade_out, dissolve)
    shortest_next = black + fade_in + fade_out + hold  # what a last shot needs after a fade

    drafts: list[_Draft] = []
    kinds: list[str] = []  # kinds[j]: boundary between shot j and shot j + 1
    recent: list[str] = []
    previous_grade = ""

    def draft_more() -> None:
        nonlocal previous_grade
        photo = _pick_photo(rng, recent[-3:])
        recent.append(photo.group)
        grades = [g.name for g in GRADES if g.name != previous_grade]
        grade = str(rng.choice(grades))
        previous_grade = grade
        seconds = float(np.exp(rng.normal(math.log(MEDIAN_SHOT_SECONDS), 0.5)))
        seconds = float(np.clip(seconds, MIN_SHOT_SECONDS, MAX_SHOT_SECONDS))
        drafts.append(_Draft(photo.name, grade, seconds, int(rng.integers(2**31))))
        kinds.append(
            str(
                rng.choice(
                    ["cut", "fade", "dissolve"], p=[1 - P_FADE - P_DISSOLVE, P_FADE, P_DISSOLVE]
                )
            )
        )

    while sum(d.seconds for d in drafts) < 0.85 * frame_count / fps or len(drafts) < 3:
        draft_more()
    # Make sure a fade and a dissolve happen well inside the film.
    inner = max(1, len(drafts) - 2)
    for kind in ("fade", "dissolve"):
        if kind not in kinds[:inner] and inner >= 2:
            free = [j for j in range(inner) if kinds[j] == "cut"]
            if free:
                kinds[int(rng.choice(free))] = kind

    shots: list[Shot] = []
    transitions: list[Transition] = []
    start = 0
    j = 0
    while True:
        if j == len(drafts):
            draft_more()
        draft = drafts[j]
        kind_in = "fade" if j == 0 else kinds[j - 1]
        if j > 0:
            previous_end = shots[-1].end
            start = previous_end + (black if kind_in == "fade" else 0)
            start -= dissolve if kind_in == "dissolve" else 0
        length_in = {"cut": 0, "fade": fade_in, "dissolve": dissolve}[kind_in]
        length = max(round(draft.seconds * fps), length_in + longest_out + hold)
        end = start + length
        last = frame_count - end < shortest_next
        if last:
            end = frame_count
        kind_out = "fade" if last else kinds[j]
        move = _sample_move(np.random.default_rng(draft.move_seed), (end - start) / fps)
        shots.append(Shot(j, draft.photo, draft.grade, move, start, end, kind_in, kind_out))
        if kind_in == "fade":
            if j > 0:
                transitions.append(Transition("black", start - black, start, j - 1, j))
            transitions.append(
                Transition("fade_in", start, start + fade_in, j - 1 if j else None, j)
            )
        if kind_in == "dissolve":
            transitions.append(Transition("dissolve", start, start + dissolve, j - 1, j))
        if kind_out == "fade":
            transitions.append(
                Transition("fade_out", end - fade_out, end, j, None if last else j + 1)
            )
        if last:
            break
        j += 1
    transitions.sort(key=lambda t: (t.start, t.end))
    return Plan(
        fps=fps, frame_count=frame_count, shots=tuple(shots), transitions=tuple(transitions)
    )


# --------------------------------------------------------------------------------------------
# Rendering


@dataclass(frozen=True)
class Layer:
    """One shot's contribution to a frame.

    Attributes:
        shot: Shot index.
        local: Frame number within the shot.
        weight: Blend weight (1 except during a dissolve).
    """

    shot: int
    local: int
    weight: float


@dataclass(frozen=True)
class FrameSpec:
    """What one frame shows.

    Attributes:
        index: Frame number.
        layers: Shots to blend (none in a black gap, two in a dissolve).
        gain: Fade gain (1 except in a fade, 0 in black).
    """

    index: int
    layers: tuple[Layer, ...]
    gain: float


def frame_specs(plan: Plan) -> Iterator[FrameSpec]:
    """Say, frame by frame, which shots are visible, with blend weights and fade gains.

    Args:
        plan: The plan.

    Yields:
        One FrameSpec per frame, in order.
    """
    fades = [t for t in plan.transitions if t.kind in ("fade_in", "fade_out")]
    dissolves = {t.shot_to: t for t in plan.transitions if t.kind == "dissolve"}
    first = 0  # first shot that may still be visible
    for f in range(plan.frame_count):
        while first < len(plan.shots) and plan.shots[first].end <= f:
            first += 1
        layers: list[Layer] = []
        for shot in plan.shots[first : first + 2]:
            if shot.start <= f < shot.end:
                layers.append(Layer(shot.index, f - shot.start, 1.0))
        if len(layers) == 2:
            dissolve = dissolves[layers[1].shot]
            w = (f - dissolve.start + 1) / (dissolve.end - dissolve.start + 1)
            layers = [
                Layer(layers[0].shot, layers[0].local, 1.0 - w),
                Layer(layers[1].shot, layers[1].local, w),
            ]
        gain = 1.0 if layers else 0.0
        for fade in fades:
            if fade.start <= f < fade.end:
                n = fade.end - fade.start + 1
                gain = (f - fade.start + 1) / n if fade.kind == "fade_in" else (fade.end - f) / n
        yield FrameSpec(f, tuple(layers), gain)


def picture_area(width: int, height: int, letterbox: float | None) -> tuple[int, int, int, int]:
    """Where the picture sits inside the frame, after letterbox or pillarbox bars.

    Args:
        width: Frame width.
        height: Frame height.
        letterbox: Picture aspect ratio (e.g. 2.39), or None for the full frame.

    Returns:
        (x, y, w, h) of the picture, all even.

    >>> picture_area(1920, 1080, 2.39)
    (0, 138, 1920, 804)
    >>> picture_area(1920, 1080, None)
    (0, 0, 1920, 1080)
    """
    if letterbox is None or abs(letterbox - width / height) < 1e-3:
        return 0, 0, width, height
    if letterbox > width / height:
        h = min(height, 2 * round(width / letterbox / 2))
        return 0, 2 * ((height - h) // 4), width, h
    w = min(width, 2 * round(height * letterbox / 2))
    return 2 * ((width - w) // 4), 0, w, height


def _as_u8(array: Any) -> Image:
    """View an OpenCV result as uint8 (H, W, 3) RGB (no copy; it already is uint8)."""
    return np.asarray(array, dtype=np.uint8)


class ShotRenderer:
    """Renders the frames of one shot: a graded photograph seen through a moving window.

    Args:
        shot: The shot.
        source: uint8 (H, W, 3) RGB, the photograph cropped to its safe region.
        size: (width, height) of the picture area.
        fps: Frames per second (for the shake oscillators).
    """

    def __init__(self, shot: Shot, source: Image, size: tuple[int, int], fps: int) -> None:
        self.shot = shot
        self.width, self.height = size
        self.fps = fps
        self.frames = shot.end - shot.start
        move = shot.move
        graded = apply_grade(source, GRADES_BY_NAME[shot.grade])
        # Largest window of the picture's aspect that fits the photograph.
        sh, sw = graded.shape[:2]
        aspect = self.width / self.height
        max_w = min(sw, sh * aspect)
        # Resample once so that, at the closest zoom, a source pixel is about an output pixel:
        # bicubic upscaling now looks better than bilinear upscaling in every frame.
        scale = self.width / (min(move.zoom_start, move.zoom_end) * max_w)
        if scale > 1.0 or scale < 0.6:
            scale = min(scale, 4096 / max(sw, sh))
            interpolation = cv2.INTER_CUBIC if scale > 1.0 else cv2.INTER_AREA
            graded = _as_u8(
                cv2.resize(
                    graded, (round(sw * scale), round(sh * scale)), interpolation=interpolation
                )
            )
        self.source = graded
        self.source_h, self.source_w = graded.shape[:2]
        self.max_w = min(self.source_w, self.source_h * aspect)

    def render(self, local: int) -> Image:
        """Render one frame of the shot.

        Args:
            local: Frame number within the shot.

        Returns:
            uint8 (height, width, 3) RGB.
        """
        move = self.shot.move
        t = local / max(1, self.frames - 1)
        p = 0.7 * t + 0.3 * (0.5 - 0.5 * math.cos(math.pi * t))  # gentle ease in and out
        zoom = move.zoom_start + (move.zoom_end - move.zoom_start) * p
        fx = move.x_start + (move.x_end - move.x_start) * p
        fy = move.y_start + (move.y_end - move.y_start) * p
        win_w = zoom * self.max_w
        win_h = win_w * self.height / self.width
        x0 = fx * (self.source_w - win_w)
        y0 = fy * (self.source_h - win_h)
        if move.shake:
            s = local / self.fps * 2.0 * math.pi
            a, b, c, d = move.shake_phase
            amp = move.shake * win_w
            x0 += amp * (math.sin(0.7 * s + a) + 0.5 * math.sin(1.9 * s + b))
            y0 += amp * (math.sin(0.9 * s + c) + 0.5 * math.sin(2.3 * s + d))
        step = win_w / self.width  # source pixels per output pixel
        # Output pixel centre (u + 0.5) maps to source x0 + step * (u + 0.5), in pixel centres.
        matrix = np.array(
            [[step, 0.0, x0 + 0.5 * step - 0.5], [0.0, step, y0 + 0.5 * step - 0.5]],
            dtype=np.float64,
        )
        return _as_u8(
            cv2.warpAffine(
                self.source,
                matrix,
                (self.width, self.height),
                flags=cv2.INTER_LINEAR | cv2.WARP_INVERSE_MAP,
                borderMode=cv2.BORDER_REFLECT_101,
            )
        )


class FilmLook:
    """Screen-space effects: vignette, flicker and film grain.

    Grain is a handful of precomputed fields, cycled and shifted by a random offset per frame.
    Each field is split into its positive and negative parts so that adding it is two saturating
    uint8 operations.

    Args:
        size: (width, height) of the picture area.
        rng: Source of randomness for the grain fields and per-frame draws.
    """

    def __init__(self, size: tuple[int, int], rng: np.random.Generator) -> None:
        width, height = size
        self.width, self.height = width, height
        self.rng = rng
        y, x = np.mgrid[0:height, 0:width].astype(np.float32)
        r2 = ((x - width / 2) / (width / 2)) ** 2 + ((y - height / 2) / (width / 2)) ** 2
        vignette = 1.0 - VIGNETTE_STRENGTH * np.clip(r2 / 1.3, 0.0, 1.0) ** 1.5
        self.vignette: Image = np.repeat(
            np.round(vignette * 255.0).astype(np.uint8)[:, :, None], 3, axis=2
        )
        del x, y, r2, vignette
        self.positive: list[Image] = []
        self.negative: list[Image] = []
        gw, gh = width + 2 * GRAIN_MARGIN, height + 2 * GRAIN_MARGIN
        for _ in range(GRAIN_FIELDS):
            # Grain a little coarser than a pixel: noise at half size, upscaled; mostly luma
            # with a little colour.
            luma = rng.standard_normal((gh // 2 + 1, gw // 2 + 1), dtype=np.float32)
            chroma = rng.standard_normal((gh // 2 + 1, gw // 2 + 1, 3), dtype=np.float32)
            half = luma[:, :, None] + 0.35 * chroma
            field = np.asarray(
                cv2.resize(half, (gw, gh), interpolation=cv2.INTER_LINEAR), dtype=np.float32
            )
            field *= GRAIN_SIGMA / float(field.std())
            field = np.round(field)
            self.positive.append(np.clip(field, 0, 255).astype(np.uint8))
            self.negative.append(np.clip(-field, 0, 255).astype(np.uint8))
        self.flicker = 0.0

    def apply(self, picture: Image | None, gain: float, out: Image) -> None:
        """Apply vignette, flicker, fade gain and grain.

        Args:
            picture: uint8 (height, width, 3) RGB, or None for black.
            gain: Fade gain in [0, 1].
            out: uint8 (height, width, 3) RGB destination (may be a view into a larger frame).
        """
        # Draw the per-frame randomness every frame, whatever the content, so that the same seed
        # gives the same grain whichever frames are black.
        self.flicker = 0.8 * self.flicker + float(self.rng.normal(0.0, FLICKER_SIGMA))
        field = int(self.rng.integers(GRAIN_FIELDS))
        dx, dy = (int(v) for v in self.rng.integers(0, 2 * GRAIN_MARGIN + 1, size=2))
        if picture is None or gain <= 0.0:
            out[:] = 0
            return
        scale = (1.0 + self.flicker) * gain / 255.0
        cv2.multiply(picture, self.vignette, dst=out, scale=scale)
        positive = self.positive[field][dy : dy + self.height, dx : dx + self.width]
        negative = self.negative[field][dy : dy + self.height, dx : dx + self.width]
        if gain < 1.0:
            positive = _as_u8(cv2.convertScaleAbs(positive, alpha=gain))
            negative = _as_u8(cv2.convertScaleAbs(negative, alpha=gain))
        cv2.add(out, positive, dst=out)
        cv2.subtract(out, negative, dst=out)


def render_frames(
    plan: Plan,
    *,
    width: int,
    height: int,
    area: tuple[int, int, int, int],
    rng: np.random.Generator,
) -> Iterator[Image]:
    """Render the film frame by frame.

    The same buffer is yielded every time: use (or copy) each frame before asking for the next.

    Args:
        plan: The plan.
        width: Frame width.
        height: Frame height.
        area: (x, y, w, h) of the picture inside the frame; the rest stays black.
        rng: Source of randomness for grain and flicker.

    Yields:
        uint8 (height, width, 3) RGB frames.
    """
    x, y, w, h = area
    look = FilmLook((w, h), rng)
    photos: dict[str, Image] = {}
    renderers: dict[int, ShotRenderer] = {}
    frame: Image = np.zeros((height, width, 3), dtype=np.uint8)
    picture_view = frame[y : y + h, x : x + w]
    for spec in frame_specs(plan):
        visible = {layer.shot for layer in spec.layers}
        for index in [i for i in renderers if i not in visible]:
            del renderers[index]
        pictures: list[tuple[Image, float]] = []
        for layer in spec.layers:
            if layer.shot not in renderers:
                shot = plan.shots[layer.shot]
                if shot.photo not in photos:
                    photos[shot.photo] = load_photo(PHOTOS_BY_NAME[shot.photo])
                renderers[layer.shot] = ShotRenderer(shot, photos[shot.photo], (w, h), plan.fps)
            pictures.append((renderers[layer.shot].render(layer.local), layer.weight))
        picture: Image | None = None  # None: a black frame
        if len(pictures) == 2:
            (a, wa), (b, wb) = pictures
            picture = _as_u8(cv2.addWeighted(a, wa, b, wb, 0.0))
        elif pictures:
            picture = pictures[0][0]
        look.apply(picture, spec.gain, picture_view)
        yield frame


# --------------------------------------------------------------------------------------------
# Encoding and files


@dataclass(frozen=True)
class Settings:
    """What the user asked for; a film made with equal settings can be reused.

    Attributes:
        width: Frame width.
        height: Frame height.
        fps: Frames per second.
        frame_count: Number of frames.
        seed: Seed of all randomness.
        letterbox: Picture aspect ratio inside the frame, or None for none.
        crf: x264 constant rate factor.
        preset: x264 preset.
    """

    width: int
    height: int
    fps: int
    frame_count: int
    seed: int
    letterbox: float | None
    crf: int
    preset: str


def truth_document(
    plan: Plan, settings: Settings, area: tuple[int, int, int, int]
) -> dict[str, Any]:
    """Build the ground-truth document written beside the film.

    Frame ranges are half-open: ``start <= frame < end``.

    Args:
        plan: The plan.
        settings: The settings.
        area: (x, y, w, h) of the picture inside the frame.

    Returns:
        A JSON-ready dict.
    """
    x, y, w, h = area
    return {
        "format": TRUTH_FORMAT,
        "version": TRUTH_VERSION,
        "generator": "samples/make_sample.py",
        "settings": asdict(settings),
        "seed": settings.seed,
        "fps": plan.fps,
        "frame_count": plan.frame_count,
        "duration_s": plan.frame_count / plan.fps,
        "width": settings.width,
        "height": settings.height,
        "letterbox": {"ratio": settings.letterbox, "x": x, "y": y, "w": w, "h": h},
        "encoding": {
            "codec": "h264",
            "encoder": "libx264",
            "pix_fmt": "yuv420p",
            "crf": settings.crf,
            "preset": settings.preset,
            "colorspace": "bt709",
            "color_primaries": "bt709",
            "color_trc": "bt709",
            "color_range": "limited",
        },
        "cuts": plan.cuts,
        "shot_starts": [shot.start for shot in plan.shots],
        "transitions": [asdict(t) for t in plan.transitions],
        "shots": [
            {
                "index": shot.index,
                "start": shot.start,
                "end": shot.end,
                "photo": shot.photo,
                "grade": shot.grade,
                "transition_in": shot.transition_in,
                "transition_out": shot.transition_out,
                "move": asdict(shot.move),
            }
            for shot in plan.shots
        ],
    }


def truth_path(out: Path) -> Path:
    """Path of the ground-truth sidecar of a film (``<out>.truth.json``)."""
    return out.with_name(out.name + ".truth.json")


def _reusable(out: Path, settings: Settings) -> bool:
    truth = truth_path(out)
    if not (out.exists() and truth.exists()):
        return False
    try:
        previous = json.loads(truth.read_text(encoding="utf-8")).get("settings")
    except (OSError, ValueError):
        return False
    return bool(previous == asdict(settings))


def _write_atomic_text(path: Path, text: str) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        tmp.write_text(text, encoding="utf-8")
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def _to_yuv(rgb: Image) -> av.VideoFrame:
    """Convert a uint8 (H, W, 3) RGB frame to a yuv420p frame, BT.709 limited range (copies)."""
    frame = av.VideoFrame.from_ndarray(rgb, format="rgb24")
    yuv = frame.reformat(
        format="yuv420p",
        dst_colorspace=Colorspace.ITU709,
        src_color_range=ColorRange.JPEG,
        dst_color_range=ColorRange.MPEG,
    )
    return yuv


def _in_background(items: Iterator[T], *, depth: int) -> Iterator[T]:
    """Run an iterator in a worker thread, at most ``depth`` items ahead of the consumer.

    Errors raised by the iterator are raised again in the consumer. When the consumer stops
    early (an error, KeyboardInterrupt or ``close()``), the worker stops too.

    Args:
        items: The iterator to run; it must not share state with the consumer.
        depth: How many items may wait in the queue.

    Yields:
        The items, in order.
    """
    pending: queue.Queue[tuple[bool, Any]] = queue.Queue(maxsize=depth)
    stop = threading.Event()

    def put(done: bool, value: Any) -> bool:
        while not stop.is_set():
            try:
                pending.put((done, value), timeout=0.1)
                return True
            except queue.Full:
                continue
        return False

    def work() -> None:
        try:
            for item in items:
                if not put(False, item):
                    return
            put(True, None)
        except Exception as error:
            put(True, error)

    worker = threading.Thread(target=work, name="make_sample-render", daemon=True)
    worker.start()
    try:
        while True:
            done, value = pending.get()
            if done:
                if value is not None:
                    raise value
                return
            yield value
    finally:
        stop.set()
        worker.join()


def encode(
    frames: Iterator[Image],
    path: Path,
    *,
    settings: Settings,
    on_progress: Callable[[int], None] | None = None,
) -> int:
    """Encode RGB frames to H.264 in MP4, tagged BT.709 limited range.

    Args:
        frames: uint8 (height, width, 3) RGB frames.
        path: Output file (written in place; the caller handles atomicity).
        settings: Size, rate and encoder settings.
        on_progress: Called with the number of frames encoded so far.

    Returns:
        The number of frames encoded.
    """
    maxrate = round(MAXRATE_1080P * settings.width * settings.height / (1920 * 1080))
    count = 0
    with av.open(str(path), mode="w", format="mp4") as container:
        stream = container.add_stream("libx264", rate=settings.fps)
        stream.width = settings.width
        stream.height = settings.height
        stream.pix_fmt = "yuv420p"
        ctx = stream.codec_context
        ctx.colorspace = Colorspace.ITU709
        ctx.color_primaries = ColorPrimaries.BT709
        ctx.color_trc = ColorTrc.BT709
        ctx.color_range = ColorRange.MPEG
        ctx.options = {
            "crf": str(settings.crf),
            "preset": settings.preset,
            "tune": "film",
            "maxrate": str(maxrate),
            "bufsize": str(2 * maxrate),
        }
        container.metadata["title"] = "scenepal sample film"
        container.metadata["comment"] = f"made by samples/make_sample.py, seed {settings.seed}"
        # Render and convert in a worker thread, a few frames ahead: OpenCV, swscale and x264
        # release the GIL, so rendering overlaps with encoding.
        for yuv in _in_background((_to_yuv(rgb) for rgb in frames), depth=4):
            yuv.pts = count
            for packet in stream.encode(yuv):
                container.mux(packet)
            count += 1
            if on_progress is not None:
                on_progress(count)
        for packet in stream.encode(None):
            container.mux(packet)
    return count


def make_film(out: Path, settings: Settings, *, force: bool = False) -> bool:
    """Generate a film and its truth sidecar, unless an equal one exists.

    Args:
        out: Output film path (.mp4).
        settings: What to generate.
        force: Regenerate even if an equal film exists.

    Returns:
        True if a film was generated, False if an existing one was reused.
    """
    if not force and _reusable(out, settings):
        print(f"reused {out} (exists with the same settings; --force to regenerate)")
        return False
    if out.exists() and not force:
        print(f"{out} exists but was made with other settings (or lacks its truth): regenerating")
    out.parent.mkdir(parents=True, exist_ok=True)
    root = np.random.SeedSequence(settings.seed)
    plan_seed, look_seed = root.spawn(2)
    plan = make_plan(settings.frame_count, fps=settings.fps, rng=np.random.default_rng(plan_seed))
    area = picture_area(settings.width, settings.height, settings.letterbox)
    frames = render_frames(
        plan,
        width=settings.width,
        height=settings.height,
        area=area,
        rng=np.random.default_rng(look_seed),
    )

    started = time.monotonic()
    last_report = started

    def progress(done: int) -> None:
        nonlocal last_report
        now = time.monotonic()
        if now - last_report >= PROGRESS_SECONDS or done == settings.frame_count:
            last_report = now
            rate = done / max(now - started, 1e-9)
            eta = (settings.frame_count - done) / max(rate, 1e-9)
            print(
                f"make_sample: {done}/{settings.frame_count} frames "
                f"({100 * done / settings.frame_count:.1f}%), {rate:.1f} fps, eta {eta:.0f} s",
                file=sys.stderr,
                flush=True,
            )

    tmp = out.with_name(f".{out.stem}.{os.getpid()}.partial{out.suffix}")
    try:
        count = encode(frames, tmp, settings=settings, on_progress=progress)
        if count != settings.frame_count:
            raise RuntimeError(f"encoded {count} frames, expected {settings.frame_count}")
        text = json.dumps(truth_document(plan, settings, area), indent=1) + "\n"
        _write_atomic_text(truth_path(out), text)
        os.replace(tmp, out)
    finally:
        tmp.unlink(missing_ok=True)
    elapsed = time.monotonic() - started
    size_mb = out.stat().st_size / 1e6
    bitrate = out.stat().st_size * 8 / (settings.frame_count / settings.fps) / 1e6
    print(
        f"wrote {out}: {settings.frame_count} frames, {settings.width}x{settings.height}, "
        f"{len(plan.shots)} shots, {size_mb:.1f} MB ({bitrate:.1f} Mb/s), "
        f"{elapsed:.1f} s ({settings.frame_count / elapsed:.1f} fps)"
    )
    return True


# --------------------------------------------------------------------------------------------
# Command line


def _even_size(text: str) -> int:
    value = int(text)
    if value < 64 or value % 2:
        raise argparse.ArgumentTypeError(f"must be an even number >= 64, got {value}")
    return value


def _parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=(
            "Generate a realistic sample film (real photographs, camera moves, colour grades, "
            "grain, cuts, fades, dissolves, letterbox) plus <out>.truth.json with its ground "
            "truth. Deterministic for a given --seed."
        ),
    )
    valued: list[tuple[str, Callable[[str], Any], Any, str]] = [
        ("--out", Path, DEFAULT_OUT, "output film, .mp4"),
        ("--width", _even_size, DEFAULT_WIDTH, "frame width"),
        ("--height", _even_size, DEFAULT_HEIGHT, "frame height"),
        ("--seconds", float, DEFAULT_SECONDS, "film length"),
        ("--fps", int, DEFAULT_FPS, "frames per second"),
        ("--seed", int, DEFAULT_SEED, "seed of all randomness"),
    ]
    for flag, kind, default, what in valued:
        parser.add_argument(flag, type=kind, default=default, help=f"{what} (default: %(default)s)")
    parser.add_argument(
        "--letterbox",
        type=float,
        default=DEFAULT_LETTERBOX,
        metavar="RATIO",
        help="picture aspect ratio inside the frame, black bars around it (default: %(default)s)",
    )
    parser.add_argument(
        "--no-letterbox",
        dest="letterbox",
        action="store_const",
        const=None,
        help="fill the whole frame (no bars)",
    )
    parser.add_argument(
        "--crf",
        type=int,
        default=DEFAULT_CRF,
        help="x264 CRF, lower is better (default: %(default)s)",
    )
    parser.add_argument(
        "--preset", default=DEFAULT_PRESET, help="x264 preset (default: %(default)s)"
    )
    parser.add_argument(
        "--force", action="store_true", help="regenerate even if the film already exists"
    )
    args = parser.parse_args(argv)
    if args.fps < 1:
        parser.error("--fps must be >= 1")
    if args.seconds < 4.0:
        parser.error("--seconds must be >= 4 (room for a fade-in and a fade-out)")
    if args.letterbox is not None and not 0.5 <= args.letterbox <= 4.0:
        parser.error("--letterbox must be between 0.5 and 4.0")
    return args


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line.

    Args:
        argv: Arguments (default: sys.argv[1:]).

    Returns:
        The exit code.
    """
    args = _parse_args(argv)
    settings = Settings(
        width=args.width,
        height=args.height,
        fps=args.fps,
        frame_count=round(args.seconds * args.fps),
        seed=args.seed,
        letterbox=args.letterbox,
        crf=args.crf,
        preset=args.preset,
    )
    try:
        make_film(args.out, settings, force=args.force)
    except KeyboardInterrupt:
        print("interrupted; no film written", file=sys.stderr)
        return 130
    return 0


if __name__ == "__main__":
    sys.exit(main())
