"""plugins/extractors/tap-wolkvox.yml says what `tap-wolkvox --about` says; Meltano can use it."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import yaml

from tests.helpers import TAP

ROOT = Path(__file__).resolve().parent.parent
DEFINITION = ROOT / "plugins/extractors/tap-wolkvox.yml"
KIND_TO_TYPE = {
    "string": "string",
    "date_iso8601": "string",
    "integer": "integer",
    "decimal": "number",
    "boolean": "boolean",
    "array": "array",
    "object": "object",
}


def about() -> dict[str, Any]:
    done = subprocess.run(
        [TAP, "--about", "--format", "json"], capture_output=True, text=True, check=True
    )
    return dict(json.loads(done.stdout))


def definition() -> dict[str, Any]:
    return dict(yaml.safe_load(DEFINITION.read_text()))


def test_the_committed_file_is_what_the_script_writes() -> None:
    done = subprocess.run(
        [sys.executable, ROOT / "scripts/plugin_definition.py", "--check"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr


def test_every_setting_matches_about() -> None:
    tap = about()
    properties = tap["settings"]["properties"]
    settings = {s["name"]: s for s in definition()["settings"]}
    assert list(settings) == list(properties)
    for name, setting in settings.items():
        prop = properties[name]
        assert KIND_TO_TYPE[setting["kind"]] in prop["type"], name
        assert setting["label"] == prop["title"], name
        assert setting["description"] == prop.get("description", ""), name
        assert setting.get("value") == prop.get("default"), name
        assert setting.get("sensitive", False) == prop.get("secret", False), name


def test_identity_capabilities_and_groups_match_about() -> None:
    tap = about()
    plugin = definition()
    assert (plugin["name"], plugin["namespace"], plugin["executable"]) == (
        "tap-wolkvox",
        "tap_wolkvox",
        "tap-wolkvox",
    )
    assert plugin["description"] == tap["description"]
    assert plugin["capabilities"] == sorted(tap["capabilities"])
    required = set(tap["settings"]["required"])
    for group in plugin["settings_group_validation"]:
        assert required <= set(group)
        assert set(group) <= set(tap["settings"]["properties"])
    assert "turbo_dial_machine_codes.*" in plugin["select"]
