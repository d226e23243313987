"""meltano.yml declares exactly the tap's settings, with matching kinds, defaults and secrecy."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from tap_wolkvox.settings import CONFIG_SCHEMA
from tests.helpers import kind_fits


def extractor() -> dict[str, Any]:
    project = yaml.safe_load((Path(__file__).parent.parent / "meltano.yml").read_text())
    (tap,) = [p for p in project["plugins"]["extractors"] if p["name"] == "tap-wolkvox"]
    return tap


def test_settings_match_config_jsonschema() -> None:
    settings = {s["name"]: s for s in extractor()["settings"]}
    properties = CONFIG_SCHEMA["properties"]
    assert list(settings) == list(properties)
    for name, setting in settings.items():
        prop = properties[name]
        assert kind_fits(setting["kind"], prop), name
        assert setting.get("sensitive", False) == prop.get("secret", False), name
        assert setting.get("value") == prop.get("default"), name
        assert setting.get("label") == prop.get("title"), name


def test_group_validation_covers_the_required_settings() -> None:
    groups = extractor()["settings_group_validation"]
    for group in groups:
        assert set(CONFIG_SCHEMA["required"]) <= set(group)
    assert {"server", "api_url"} == {name for group in groups for name in group} - set(
        CONFIG_SCHEMA["required"]
    )


def test_capabilities() -> None:
    assert set(extractor()["capabilities"]) == {
        "state",
        "catalog",
        "discover",
        "about",
        "stream-maps",
        "structured-logging",
    }
