"""scenepal.config: AnalysisConfig defaults, validation, from_options, from_recorded, to_dict."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scenepal.config import HDR_MODES, AnalysisConfig, AnalysisOptions
from scenepal.errors import ConfigError, ScenepalError
from scenepal.scenes import DETECTORS

# (field, bad value): every validation branch of __post_init__, with its edges.
INVALID = [
    ("preview", "yes"),
    ("colors", 0),
    ("colors", 33),
    ("colors", -1),
    ("colors", 5.0),
    ("colors", "5"),
    ("colors", True),
    ("colors", None),
    ("detector", "nope"),
    ("detector", "Content"),
    ("threshold", 0),
    ("threshold", -1.5),
    ("threshold", float("nan")),
    ("min_scene_len", 0),
    ("min_scene_len", 100_001),
    ("min_scene_len", 1.5),
    ("seed", -1),
    ("seed", 2**32),
    ("seed", 1.0),
    ("color_space", "rgb"),
    ("color_space", "LAB"),
    ("analysis_width", 31),
    ("analysis_width", 4097),
    ("analysis_width", 256.0),
    ("sample_fps", 0.09),
    ("sample_fps", 240.5),
    ("sample_fps", 0),
    ("sample_fps", float("nan")),
    ("frames_per_scene", 0),
    ("frames_per_scene", 1001),
    ("frames_per_scene", False),
    ("pixels_per_scene", 99),
    ("pixels_per_scene", 10_000_001),
    ("black_level", -0.01),
    ("black_level", 0.5),
    ("black_level", float("nan")),
    ("hdr", "tone-map"),
    ("hdr", ""),
]

# (field, value at the edge of its valid range).
EDGES = [
    ("colors", 1),
    ("colors", 32),
    ("threshold", 1e-9),
    ("min_scene_len", 1),
    ("min_scene_len", 100_000),
    ("seed", 2**32 - 1),
    ("analysis_width", 32),
    ("analysis_width", 4096),
    ("sample_fps", 0.1),
    ("sample_fps", 240),
    ("frames_per_scene", 1000),
    ("pixels_per_scene", 100),
    ("pixels_per_scene", 10_000_000),
    ("black_level", 0.0),
    ("black_level", 0.499),
]


def _names_field(message: str, name: str) -> bool:
    """Whether the message names the field, as ``color_space`` or as words ("color space")."""
    return name in message or name.replace("_", " ") in message.lower()


def test_the_defaults_are_valid_and_every_field_goes_through_to_dict() -> None:
    cfg = AnalysisConfig(colors=7, threshold=12.5, seed=9, color_space="oklab", hdr="raw")
    d = cfg.to_dict()
    assert set(d) == {f.name for f in dataclasses.fields(AnalysisConfig)}
    assert (d["colors"], d["threshold"], d["seed"], d["color_space"]) == (7, 12.5, 9, "oklab")
    assert AnalysisConfig(**d) == cfg
    assert AnalysisConfig(**AnalysisConfig().to_dict()) == AnalysisConfig()


@pytest.mark.parametrize(("name", "value"), INVALID)
def test_every_invalid_value_raises_config_error_naming_the_field(name: str, value: Any) -> None:
    with pytest.raises(ConfigError) as info:
        AnalysisConfig(**{name: value})
    message = str(info.value)
    assert _names_field(message, name), message
    assert "\n" not in message


@pytest.mark.parametrize(("name", "value"), INVALID[:3])
def test_config_error_is_a_value_error_and_a_scenepal_error(name: str, value: Any) -> None:
    with pytest.raises(ValueError):
        AnalysisConfig(**{name: value})
    with pytest.raises(ScenepalError):
        AnalysisConfig(**{name: value})


def test_messages_tell_the_valid_choices_and_range() -> None:
    with pytest.raises(ConfigError, match="between 1 and 32, got 40"):
        AnalysisConfig(colors=40)
    with pytest.raises(ConfigError, match="whole number, got '3'"):
        AnalysisConfig(colors="3")  # type: ignore[arg-type]
    with pytest.raises(ConfigError) as info:
        AnalysisConfig(detector="magic")
    assert "'magic'" in str(info.value)
    assert all(name in str(info.value) for name in DETECTORS)
    with pytest.raises(ConfigError, match="lab, oklab"):
        AnalysisConfig(color_space="xyz")
    with pytest.raises(ConfigError, match="tonemap, raw, refuse"):
        AnalysisConfig(hdr="clip")


@pytest.mark.parametrize(("name", "value"), EDGES)
def test_edge_values_are_accepted(name: str, value: Any) -> None:
    assert getattr(AnalysisConfig(**{name: value}), name) == value


@pytest.mark.parametrize("detector", sorted(DETECTORS))
def test_every_detector_is_accepted(detector: str) -> None:
    assert AnalysisConfig(detector=detector).detector == detector


@pytest.mark.parametrize("mode", HDR_MODES)
def test_every_hdr_mode_is_accepted(mode: str) -> None:
    assert AnalysisConfig(hdr=mode).hdr == mode


@settings(max_examples=100, deadline=None)
@given(st.integers(-100, 100))
def test_colors_range(colors: int) -> None:
    if 1 <= colors <= 32:
        assert AnalysisConfig(colors=colors).colors == colors
    else:
        with pytest.raises(ConfigError, match="colors"):
            AnalysisConfig(colors=colors)


def test_from_options_builds_the_config() -> None:
    cfg = AnalysisConfig.from_options(colors=6, detector="adaptive", sample_fps=2.0)
    assert cfg == AnalysisConfig(colors=6, detector="adaptive", sample_fps=2.0)
    assert AnalysisConfig.from_options() == AnalysisConfig()


def test_from_options_rejects_an_unknown_option_by_name() -> None:
    with pytest.raises(ConfigError) as info:
        AnalysisConfig.from_options(colours=6)
    message = str(info.value)
    assert "'colours'" in message
    assert "colors" in message  # the valid options are listed
    assert "\n" not in message


def test_from_options_names_the_first_of_several_unknown_options() -> None:
    with pytest.raises(ConfigError, match="unknown option 'alpha'"):
        AnalysisConfig.from_options(zeta=1, alpha=2, colors=3)


def test_from_options_validates_values_too() -> None:
    with pytest.raises(ConfigError, match="colors"):
        AnalysisConfig.from_options(colors=0)


def test_replace_validates() -> None:
    cfg = AnalysisConfig()
    assert dataclasses.replace(cfg, colors=9).colors == 9
    with pytest.raises(ConfigError, match="colors"):
        dataclasses.replace(cfg, colors=99)


@pytest.mark.parametrize("name", ["threshold", "sample_fps", "black_level"])
def test_a_number_given_as_text_is_a_config_error(name: str) -> None:
    with pytest.raises(ConfigError, match=name):
        AnalysisConfig(**{name: "4"})  # type: ignore[arg-type]


def test_keyword_options_of_analyze_are_the_config_fields() -> None:
    # scenepal.analyze(**options) is typed by AnalysisOptions: it must list every setting.
    assert AnalysisOptions.__annotations__.keys() == {
        f.name for f in dataclasses.fields(AnalysisConfig)
    }


def test_recorded_settings_ignore_unknown_keys_and_default_missing_ones() -> None:
    recorded = {"colors": 7, "seed": 3, "decoder_threads": 0, "grain_filter": True}
    assert AnalysisConfig.from_recorded(recorded) == AnalysisConfig(colors=7, seed=3)


def test_recorded_settings_keep_a_name_this_version_does_not_know() -> None:
    cfg = AnalysisConfig.from_recorded({"detector": "transnet", "color_space": "cam16", "seed": 2})
    assert (cfg.detector, cfg.color_space, cfg.seed) == ("transnet", "cam16", 2)


@pytest.mark.parametrize(
    "recorded",
    [{"colors": 0}, {"colors": "5"}, {"detector": 7}, {"detector": "transnet", "colors": 99}],
)
def test_recorded_settings_are_still_checked(recorded: dict[str, Any]) -> None:
    with pytest.raises(ConfigError):
        AnalysisConfig.from_recorded(recorded)
