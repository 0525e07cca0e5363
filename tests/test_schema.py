"""The JSON Schema of analysis.json: shipped, complete, in step with the code, and enforced.

Every analysis document the tests produce is validated against it (``tests/conftest.py``).
"""

from __future__ import annotations

import dataclasses
import importlib.resources
from collections.abc import Iterator
from typing import Any

import jsonschema
import pytest
from analyses import make_analysis
from conftest import VALIDATED

from scenepal import colorspace
from scenepal.config import COLOR_SPACES, HDR_MODES, AnalysisConfig
from scenepal.export import analysis_schema, analysis_to_dict
from scenepal.models import Palette
from scenepal.scenes import DETECTORS

SCHEMA = analysis_schema()


def _resolve(node: dict[str, Any]) -> dict[str, Any]:
    ref = node.get("$ref")
    if ref is None:
        return node
    target: dict[str, Any] = SCHEMA
    for part in ref.removeprefix("#/").split("/"):
        target = target[part]
    return target


def _objects(node: Any, where: str = "") -> Iterator[tuple[str, dict[str, Any]]]:
    """Every object schema with properties, with a path for messages."""
    if isinstance(node, dict):
        if "properties" in node:
            yield where, node
        for key, value in node.items():
            yield from _objects(value, f"{where}/{key}")
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _objects(value, f"{where}/{i}")


def test_the_schema_is_a_valid_draft_2020_12_schema_shipped_in_the_package() -> None:
    shipped = importlib.resources.files("scenepal") / "schema" / "analysis.schema.json"
    assert shipped.is_file()
    assert SCHEMA["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    jsonschema.Draft202012Validator.check_schema(SCHEMA)


def test_every_field_is_described_and_required() -> None:
    objects = list(_objects(SCHEMA))
    assert len(objects) >= 7  # the document, video, color, rect, settings, scene, swatch
    for where, node in objects:
        assert node.get("additionalProperties") is False, where
        # The writer writes every field, so a reader of this version may count on each.
        assert sorted(node["required"]) == sorted(node["properties"]), where
        for name, prop in node["properties"].items():
            described = prop.get("description") or _resolve(prop).get("description")
            assert described, f"{where}/{name} has no description"


def test_the_schema_follows_the_code() -> None:
    defs = SCHEMA["$defs"]
    settings = defs["settings"]["properties"]
    assert list(settings) == [f.name for f in dataclasses.fields(AnalysisConfig)]
    assert settings["detector"]["enum"] == list(DETECTORS)
    assert settings["color_space"]["enum"] == list(COLOR_SPACES)
    assert settings["hdr"]["enum"] == list(HDR_MODES)
    color = defs["color"]["properties"]
    assert set(color["matrix"]["enum"]) == {*colorspace._MATRICES.values(), "rgb"}
    assert set(color["transfer"]["enum"]) == set(colorspace._TRANSFERS.values())
    assert set(color["primaries"]["enum"]) == set(colorspace._PRIMARIES.values())
    assert [m for m in HDR_MODES if m != "refuse"] == color["hdr_handling"]["enum"][:-1]


def test_documents_that_break_the_schema_are_caught() -> None:
    good = make_analysis([(1.0, [((200, 30, 30), 1.0)]), (2.0, [((20, 20, 120), 1.0)])])
    before = VALIDATED[0]
    analysis_to_dict(good)
    assert VALIDATED[0] == before + 1  # the conftest hook is in place
    for bad in (
        dataclasses.replace(good, coverage=1.5),
        dataclasses.replace(good, frame_count=0),
        dataclasses.replace(good, scenes=()),
        dataclasses.replace(good, palette=Palette(())),
        dataclasses.replace(good, video=dataclasses.replace(good.video, rotation=45)),
    ):
        with pytest.raises(jsonschema.ValidationError):
            analysis_to_dict(bad)
