"""plugins/extractors/tap-wolkvox.yml says what `tap-wolkvox --about` says; Meltano can use it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from tap_wolkvox import __version__
from tests.checkout import clone_of_checkout
from tests.helpers import TAP, kind_fits
from tests.test_meltano import meltano_bin

ROOT = Path(__file__).resolve().parent.parent
DEFINITION = ROOT / "plugins/extractors/tap-wolkvox.yml"


def run(*command: str | Path, cwd: Path = ROOT) -> str:
    env = {**os.environ, "MELTANO_SEND_ANONYMOUS_USAGE_STATS": "false"}
    done = subprocess.run(
        command, cwd=cwd, env=env, capture_output=True, text=True, timeout=600, check=False
    )
    assert done.returncode == 0, f"{command} failed:\n{done.stdout}\n{done.stderr}"
    return done.stdout


def about() -> dict[str, Any]:
    return dict(json.loads(run(TAP, "--about", "--format", "json")))


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
        assert kind_fits(setting["kind"], prop), name
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


def test_its_pip_url_is_where_the_user_says_the_tap_is() -> None:
    # no release tag and no package index has tap-wolkvox: a variable the user sets to a clone,
    # the wheel or a git URL with a commit (Meltano expands variables in pip_url)
    assert definition()["pip_url"] == "$WOLKVOX_TAP_SOURCE"


@pytest.mark.integration
def test_meltano_adds_and_installs_it_from_a_clone_in_a_new_project(tmp_path: Path) -> None:
    """The README's steps: a clone, `meltano add --from-ref` (which installs), then run it."""
    clone = clone_of_checkout(tmp_path / "tap-wolkvox")
    run(meltano_bin(), "init", "project", "--no-usage-stats", cwd=tmp_path)
    project = tmp_path / "project"
    (project / ".env").write_text(f"WOLKVOX_TAP_SOURCE={clone}\n")
    run(
        meltano_bin(),
        "add",
        "extractor",
        "tap-wolkvox",
        "--from-ref",
        clone / "plugins/extractors/tap-wolkvox.yml",
        cwd=project,
    )
    meltano_yml = yaml.safe_load((project / "meltano.yml").read_text())
    (extractor,) = meltano_yml["plugins"]["extractors"]
    assert extractor["pip_url"] == "$WOLKVOX_TAP_SOURCE"  # as written, nothing edited
    run(meltano_bin(), "install", cwd=project)
    installed = json.loads(
        run(meltano_bin(), "invoke", "tap-wolkvox", "--about", "--format", "json", cwd=project)
    )
    assert installed["version"] == __version__
    assert installed["settings"] == about()["settings"]
