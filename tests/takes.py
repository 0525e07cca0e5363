"""Realistic takes with known light changes and transitions, for the sampling tests and bench.

Each take is a graded photograph seen through a slowly moving camera, with grain, vignette and
flicker: the realistic sample generator's material (``samples/make_sample.py``), small and short.
A take's light is a gain per frame (the picture's gamma-encoded values times the gain, as a
video-level fade or an exposure change does), and a take may dissolve into the next one::

    from takes import Take, dim, write_takes

    truth = write_takes(tmp_path / "dim.mp4", [Take("coffee", "warm", 96, gains=dim(96))])
    truth.shots[0].transition      # frames of the take that are truly a transition (none here)

What the truth calls a transition: frames whose gain is 0 (black), the frames of a fade from or
to black (``fade_in`` / ``fade_out``), of a dip to black inside a take and of a dissolve. Frames
that only get darker or lighter are the take's light.
"""

from __future__ import annotations

import importlib.util
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType

import numpy as np
from numpy.typing import NDArray

ROOT = Path(__file__).resolve().parent.parent


def _make_sample() -> ModuleType:
    name = "make_sample"
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, ROOT / "samples" / "make_sample.py")
    if spec is None or spec.loader is None:
        raise ImportError("samples/make_sample.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


ms = _make_sample()


@dataclass(frozen=True)
class Take:
    """One shot: a photograph, a grade, a length and a light curve.

    Attributes:
        photo: a photograph name of ``make_sample.PHOTOS``.
        grade: a grade name of ``make_sample.GRADES``.
        frames: length in frames (a dissolve into the next take overlaps it by ``dissolve``).
        gains: gain of every frame (1 = as graded, 0 = black); empty means all 1.
        letterbox: picture aspect ratio inside the frame (2.39, 4/3, ...), or None.
        dissolve: frames of cross-fade into the next take (0: a cut).
        fade_in: frames of ``gains`` at the start that are a fade from black (truth only).
        fade_out: frames of ``gains`` at the end that are a fade to black (truth only).
        dips: (start, end) frame ranges of ``gains`` that dip to black (truth only).
    """

    photo: str
    grade: str
    frames: int
    gains: tuple[float, ...] = ()
    letterbox: float | None = None
    dissolve: int = 0
    fade_in: int = 0
    fade_out: int = 0
    dips: tuple[tuple[int, int], ...] = ()

    def gain(self, local: int) -> float:
        return self.gains[local] if self.gains else 1.0


@dataclass(frozen=True)
class ShotTruth:
    """Where a take landed in the film and which of its frames are transitions.

    Attributes:
        start: first frame in the film.
        end: one past its last frame (a dissolve's frames belong to both takes).
        transition: film frames of the take that are black, fade, dip or dissolve.
        kind: truth name of each transition frame ("black", "fade_in", ...).
        area: (x, y, w, h) of the picture in the frame.
    """

    start: int
    end: int
    transition: frozenset[int]
    kind: dict[int, str] = field(default_factory=dict)
    area: tuple[int, int, int, int] = (0, 0, 0, 0)

    @property
    def kept(self) -> list[int]:
        """The take's frames that show its picture."""
        return [f for f in range(self.start, self.end) if f not in self.transition]


@dataclass(frozen=True)
class TakesTruth:
    path: Path
    width: int
    height: int
    fps: int
    frame_count: int
    cuts: tuple[int, ...]
    shots: tuple[ShotTruth, ...]


def ramp(a: float, b: float, n: int) -> list[float]:
    """n gains from a to b, both included, eased like a lamp or an iris (smoothstep)."""
    if n == 1:
        return [b]
    return [a + (b - a) * (3 * t * t - 2 * t * t * t) for t in np.linspace(0.0, 1.0, n)]


def dim(frames: int, *, low: float = 0.35, start: int = 24, length: int = 36) -> tuple[float, ...]:
    """A lamp going off: full light, a gradual fall to ``low``, then ``low`` to the end."""
    return tuple([1.0] * start + ramp(1.0, low, length) + [low] * (frames - start - length))


def brighten(
    frames: int, *, low: float = 0.35, start: int = 24, length: int = 36
) -> tuple[float, ...]:
    """A lamp coming on: ``low``, a gradual rise to full light, then full light."""
    return tuple([low] * start + ramp(low, 1.0, length) + [1.0] * (frames - start - length))


def settle(frames: int, *, low: float = 0.45, length: int = 30) -> tuple[float, ...]:
    """Auto exposure settling over the first ``length`` frames."""
    return tuple(ramp(low, 1.0, length) + [1.0] * (frames - length))


def flash(frames: int, *, night: float = 0.3, at: int = 40, length: int = 3) -> tuple[float, ...]:
    """A night scene (``night`` gain) lit by a flash of a few frames (up to 2.2x)."""
    gains = [night] * frames
    for k in range(length):
        gains[at + k] = min(2.2, night * (6.0 - 1.5 * k))
    return tuple(gains)


def strobe(frames: int, *, night: float = 0.2, every: int = 4) -> tuple[float, ...]:
    """A dark room lit by a strobe every ``every`` frames (the dark majority is not black)."""
    return tuple(1.6 if k % every == 0 else night for k in range(frames))


def linear(a: float, b: float, n: int) -> list[float]:
    """A video fade's n gains from a towards b (b excluded), linear as an editor makes them."""
    return [a + (b - a) * k / n for k in range(n)]


def fade_out(frames: int, length: int, black: int = 0) -> tuple[float, ...]:
    return tuple(
        [1.0] * (frames - length - black) + linear(1.0, 0.0, length + 1)[1:] + [0.0] * black
    )


def fade_in(frames: int, length: int, black: int = 0) -> tuple[float, ...]:
    return tuple(
        [0.0] * black + linear(0.0, 1.0, length + 1)[1:] + [1.0] * (frames - length - black)
    )


def dip(frames: int, *, at: int, down: int, black: int, up: int) -> tuple[float, ...]:
    gains = [1.0] * frames
    seq = linear(1.0, 0.0, down + 1)[1:] + [0.0] * black + linear(0.0, 1.0, up + 1)[1:]
    gains[at : at + len(seq)] = seq
    return tuple(gains)


def _move(seed: int, seconds: float) -> object:
    rng = np.random.default_rng(seed)
    return ms._sample_move(rng, seconds)


def _frames(
    takes: Sequence[Take], width: int, height: int, fps: int, seed: int
) -> Iterator[tuple[NDArray[np.uint8], int]]:
    """Every frame of the film, with the index of the take that starts it."""
    photos: dict[str, NDArray[np.uint8]] = {}
    looks: dict[tuple[int, int, int, int], object] = {}
    rng = np.random.default_rng(seed)
    renderers = []
    areas = []
    for n, take in enumerate(takes):
        if take.photo not in photos:
            photos[take.photo] = ms.load_photo(ms.PHOTOS_BY_NAME[take.photo])
        area = ms.picture_area(width, height, take.letterbox)
        areas.append(area)
        shot = ms.Shot(
            index=n,
            photo=take.photo,
            grade=take.grade,
            move=_move(seed * 101 + n, take.frames / fps),
            start=0,
            end=take.frames,
            transition_in="cut",
            transition_out="cut",
        )
        renderers.append(ms.ShotRenderer(shot, photos[take.photo], (area[2], area[3]), fps))
        if area not in looks:
            looks[area] = ms.FilmLook(
                (area[2], area[3]), np.random.default_rng(rng.integers(2**32))
            )
    for n, take in enumerate(takes):
        lead = takes[n - 1].dissolve if n else 0
        tail = take.dissolve if n + 1 < len(takes) else 0
        for local in range(lead, take.frames - tail):
            yield _render(take, renderers[n], looks[areas[n]], areas[n], local, width, height), n
        for k in range(tail):
            w = (k + 1) / (tail + 1)
            nxt = takes[n + 1]
            a = _picture(take, renderers[n], take.frames - tail + k)
            b = _picture(nxt, renderers[n + 1], k)
            mixed = (a.astype(np.float32) * (1 - w) + b.astype(np.float32) * w + 0.5).astype(
                np.uint8
            )
            frame = np.zeros((height, width, 3), np.uint8)
            x, y, w_, h_ = areas[n]
            look = looks[areas[n]]
            look.apply(mixed, 1.0, frame[y : y + h_, x : x + w_])  # type: ignore[attr-defined]
            yield frame, n


def _picture(take: Take, renderer: object, local: int) -> NDArray[np.uint8]:
    picture: NDArray[np.uint8] = renderer.render(local)  # type: ignore[attr-defined]
    gain = take.gain(local)
    if gain == 1.0:
        return picture
    return np.clip(picture.astype(np.float32) * gain + 0.5, 0, 255).astype(np.uint8)


def _render(
    take: Take,
    renderer: object,
    look: object,
    area: tuple[int, int, int, int],
    local: int,
    width: int,
    height: int,
) -> NDArray[np.uint8]:
    frame = np.zeros((height, width, 3), np.uint8)
    x, y, w, h = area
    gain = take.gain(local)
    picture = renderer.render(local)  # type: ignore[attr-defined]
    if gain > 1.0:  # brighter than graded: scale the picture, the look stays at gain 1
        picture = np.clip(picture.astype(np.float32) * gain + 0.5, 0, 255).astype(np.uint8)
        gain = 1.0
    look.apply(picture if gain > 0 else None, gain, frame[y : y + h, x : x + w])  # type: ignore[attr-defined]
    return frame


def render_frames(
    takes: Sequence[Take], *, width: int = 160, height: int = 90, fps: int = 24, seed: int = 7
) -> list[NDArray[np.uint8]]:
    """The takes' frames as uint8 (H, W, 3) sRGB, unencoded: what :func:`write_takes` encodes."""
    return [frame for frame, _ in _frames(takes, width, height, fps, seed)]


def write_takes(
    path: Path,
    takes: Sequence[Take],
    *,
    width: int = 160,
    height: int = 90,
    fps: int = 24,
    seed: int = 7,
    crf: int = 18,
) -> TakesTruth:
    """Encode the takes as one H.264 film (BT.709, limited range) and return its truth."""
    frames = sum(t.frames for t in takes) - sum(t.dissolve for t in takes[:-1])
    settings = ms.Settings(
        width=width,
        height=height,
        fps=fps,
        frame_count=frames,
        seed=seed,
        letterbox=None,
        crf=crf,
        preset="veryfast",
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    count = ms.encode(
        (f for f, _ in _frames(takes, width, height, fps, seed)), path, settings=settings
    )
    if count != frames:
        raise RuntimeError(f"encoded {count} frames, expected {frames}")
    shots = []
    cuts = []
    start = 0
    for n, take in enumerate(takes):
        lead = takes[n - 1].dissolve if n else 0
        begin = start - lead
        kinds: dict[int, str] = {}
        for local in range(take.frames):
            f = begin + local
            if take.gain(local) == 0.0:
                kinds[f] = "black"
            elif local < take.fade_in:
                kinds[f] = "fade_in"
            elif local >= take.frames - take.fade_out:
                kinds[f] = "fade_out"
            elif any(a <= local < b for a, b in take.dips):
                kinds[f] = "dip"
            elif local < lead or (n + 1 < len(takes) and local >= take.frames - take.dissolve):
                kinds[f] = "dissolve"
        area = ms.picture_area(width, height, take.letterbox)
        shots.append(ShotTruth(begin, begin + take.frames, frozenset(kinds), kinds, area))
        if n:
            cuts.append(begin + lead // 2 if lead else begin)
        start = begin + take.frames
    return TakesTruth(path, width, height, fps, frames, tuple(cuts), tuple(shots))


def read_frames(path: Path) -> list[NDArray[np.uint8]]:
    """Every frame of a film as uint8 (H, W, 3) sRGB, decoded with the stream's BT.709 tags."""
    import av

    out = []
    with av.open(str(path)) as container:
        for frame in container.decode(video=0):
            out.append(frame.to_ndarray(format="rgb24"))
    return out


def pixel_error(pixels: NDArray[np.uint8], swatches_lab: NDArray[np.float64]) -> float:
    """Mean CIEDE2000 from each pixel to its nearest swatch."""
    from scenepal import color

    lab = color.srgb_to_lab(pixels.astype(np.float64) / 255.0)
    best = np.full(len(lab), np.inf)
    for s in swatches_lab:
        best = np.minimum(best, color.delta_e_2000(lab, np.broadcast_to(s, lab.shape)))
    return float(best.mean())


def reference_error(pixels: NDArray[np.uint8], *, k: int, seed: int = 0) -> float:
    """Mean CIEDE2000 of the pixels to a k-means (in CIELAB) fitted on the pixels themselves."""
    from sklearn.cluster import KMeans

    from scenepal import color

    lab = color.srgb_to_lab(pixels.astype(np.float64) / 255.0)
    model = KMeans(n_clusters=k, n_init=10, random_state=seed).fit(lab)
    return pixel_error(pixels, np.asarray(model.cluster_centers_, dtype=np.float64))


def shot_pixels(
    frames: Sequence[NDArray[np.uint8]],
    shot: ShotTruth,
    *,
    count: int = 40_000,
    seed: int = 0,
) -> NDArray[np.uint8]:
    """A uniform sample of the pixels of the shot's kept frames, inside its picture area
    (two pixels in from the bars)."""
    x, y, w, h = shot.area
    margin = 2
    stack = np.concatenate(
        [
            frames[f][
                y + (margin if y else 0) : y + h - (margin if y else 0),
                x + (margin if x else 0) : x + w - (margin if x else 0),
            ].reshape(-1, 3)
            for f in shot.kept
        ]
    )
    rng = np.random.default_rng(seed)
    if len(stack) > count:
        stack = stack[rng.choice(len(stack), count, replace=False)]
    return stack
