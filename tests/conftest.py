"""Shared fixtures: films written once per test session by the film factory (tests/films.py).

Every analysis.json document the tests produce (through ``scenepal.export.analysis_to_dict``,
which ``analysis_to_json``, ``write_outputs`` and the command use) is validated against the
JSON Schema shipped in the package: see :func:`_validated_analysis_to_dict`.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jsonschema
import numpy as np
import pytest
from films import FilmTruth, Region, Shot, write_film

import scenepal
from scenepal import color, export
from scenepal.models import Analysis, Palette

ROOT = Path(__file__).resolve().parent.parent

SCHEMA_VALIDATOR = jsonschema.Draft202012Validator(export.analysis_schema())
_analysis_to_dict = export.analysis_to_dict
VALIDATED = [0]
"""How many analysis documents this test process has validated."""


def _validated_analysis_to_dict(a: Analysis) -> dict[str, Any]:
    """``analysis_to_dict``, with its document validated against the shipped schema.

    Installed in place of ``scenepal.export.analysis_to_dict`` when the tests start (this
    conftest is imported before any test module), so test modules that import the name, and
    ``analysis_to_json`` (which looks it up when called), all get the validating version.

    Raises:
        jsonschema.ValidationError: the document does not follow the schema.
    """
    doc = _analysis_to_dict(a)
    SCHEMA_VALIDATOR.validate(doc)
    VALIDATED[0] += 1
    return doc


export.analysis_to_dict = _validated_analysis_to_dict

# Shots differ in brightness or saturation, not only in hue: PySceneDetect's ContentDetector
# does not see a pure hue change (shared/FACTS.md).
CUT_SHOTS = (
    Shot.stripes((200, 40, 40), (30, 30, 120), frames=30),
    Shot((Region((240, 220, 90), 0.6), Region((20, 90, 30), 0.4)), frames=36),
    Shot.solid((90, 90, 90), frames=24),
    Shot(
        (Region((250, 250, 250), 0.5), Region((140, 70, 160), 0.3), Region((10, 10, 10), 0.2)),
        frames=40,
    ),
    Shot.stripes((60, 150, 200), (230, 140, 30), frames=30),
)

# No dark colour in these, so any dark swatch could only come from bars or fades.
BRIGHT_SHOTS = (
    Shot.stripes((220, 60, 50), (240, 200, 120), frames=40),
    Shot((Region((90, 160, 220), 0.7), Region((250, 250, 240), 0.3)), frames=40),
    Shot.solid((120, 200, 90), frames=40),
    Shot.stripes((200, 120, 200), (150, 150, 150), frames=40),
)


@pytest.fixture(scope="session")
def film_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder shared by the session's films."""
    return tmp_path_factory.mktemp("films")


@pytest.fixture(scope="session")
def make_film(film_dir: Path) -> Callable[..., FilmTruth]:
    """Write a film once per session for each distinct name; later calls reuse it."""
    cache: dict[str, FilmTruth] = {}

    def make(name: str, shots: tuple[Shot, ...], **kwargs: Any) -> FilmTruth:
        if name not in cache:
            cache[name] = write_film(film_dir / name, list(shots), **kwargs)
        return cache[name]

    return make


@pytest.fixture(scope="session")
def analyzed() -> Callable[..., Analysis]:
    """Analyse a film once per session for each distinct (path, options)."""
    cache: dict[tuple[Any, ...], Analysis] = {}

    def run(path: Path, **options: Any) -> Analysis:
        key = (str(path), *sorted(options.items()))
        if key not in cache:
            cache[key] = scenepal.analyze(path, **options)
        return cache[key]

    return run


@dataclass(frozen=True)
class SampleFilm:
    """A realistic film from samples/make_sample.py and its ground truth (sample.mp4.truth.json):
    photographs with camera moves, grain, colour grades, fades, a dissolve, letterbox bars."""

    path: Path
    truth: dict[str, Any]


@pytest.fixture(scope="session")
def realistic_film(film_dir: Path) -> SampleFilm:
    """30 s of the realistic sample film at 320x180 (about 10 s to make)."""
    film = film_dir / "realistic.mp4"
    made = subprocess.run(
        [sys.executable, str(ROOT / "samples" / "make_sample.py"), "--out", str(film),
         "--width", "320", "--height", "180", "--seconds", "30", "--preset", "ultrafast"],
        capture_output=True, text=True, timeout=600, check=False,
    )  # fmt: skip
    assert made.returncode == 0, made.stderr
    truth = json.loads(film.with_name(film.name + ".truth.json").read_text(encoding="utf-8"))
    return SampleFilm(film, truth)


@pytest.fixture(scope="session")
def cut_film_h264(make_film: Callable[..., FilmTruth]) -> FilmTruth:
    """Five hard cuts' worth of flat shots, H.264."""
    return make_film("cuts.mp4", CUT_SHOTS, codec="h264")


@pytest.fixture(scope="session")
def cut_film_ffv1(make_film: Callable[..., FilmTruth]) -> FilmTruth:
    """The same shots, lossless FFV1."""
    return make_film("cuts.mkv", CUT_SHOTS, codec="ffv1")


def nearest(palette: Palette, rgb: tuple[int, int, int]) -> tuple[float, float]:
    """CIEDE2000 from ``rgb`` to the palette's nearest swatch, and that swatch's weight."""
    lab = color.srgb_to_lab(np.array(rgb) / 255.0)
    distances = [float(color.delta_e_2000(lab, np.array(s.lab))) for s in palette.swatches]
    i = int(np.argmin(distances))
    return distances[i], palette.swatches[i].weight
