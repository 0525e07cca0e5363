"""The public API: ``import scenepal`` is cheap, every public name resolves, palettes read like
sequences, and ``scenepal.analyze`` takes typed keyword options."""

from __future__ import annotations

import inspect
import subprocess
import sys
import typing

import numpy as np
from analyses import make_analysis

import scenepal
from scenepal.config import AnalysisOptions


def test_every_public_name_resolves() -> None:
    for name in scenepal.__all__:
        assert getattr(scenepal, name) is not None, name
    assert sorted(scenepal.__all__) == scenepal.__all__


def test_importing_scenepal_loads_no_heavy_library() -> None:
    code = (
        "import sys, scenepal; "
        "print(sorted({'av', 'cv2', 'sklearn', 'matplotlib', 'typer'} & set(sys.modules)))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_renderers_and_palettes_are_public() -> None:
    a = make_analysis([(1.0, [((200, 30, 30), 0.75), ((20, 20, 120), 0.25)])])
    image = scenepal.barcode(a, (40, 20))
    assert image.shape == (20, 40, 3) and image.dtype == np.uint8
    assert len(scenepal.sheets(a)) == 1
    pixels = np.array([[10, 20, 30]] * 3 + [[200, 100, 0]], np.uint8)
    palette = scenepal.extract_palette(pixels, colors=5, seed=0)
    assert [s.hex for s in palette] == ["#0a141e", "#c86400"]  # iterable
    assert palette[0].weight == 0.75 and palette[-1].hex == "#c86400"  # indexable
    assert palette[:1] == palette.swatches[:1]


def test_analyze_keyword_options_are_typed() -> None:
    signature = inspect.signature(scenepal.analyze)
    options = signature.parameters["options"]
    assert options.kind is inspect.Parameter.VAR_KEYWORD
    hints = typing.get_type_hints(scenepal.analyze, include_extras=True)
    assert hints["options"] == typing.Unpack[AnalysisOptions]
    assert hints["decoder_threads"] == int | None
