"""The sdist and the wheel build, carry the right metadata, and run from a clean environment."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tarfile
import zipfile
from email.parser import Parser
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FALLBACK_VERSION = "0.1.0.dev0"  # pyproject's fallback: only without git metadata


def uv_bin() -> str:
    found = os.environ.get("UV") or shutil.which("uv")
    if not found:
        pytest.fail("uv is not on PATH: run the tests through scripts/test.sh or scripts/uv run")
    return found


def run(*command: str | Path, cwd: Path = ROOT) -> str:
    done = subprocess.run(
        command, cwd=cwd, capture_output=True, text=True, timeout=300, check=False
    )
    assert done.returncode == 0, f"{command} failed:\n{done.stdout}\n{done.stderr}"
    return done.stdout


def build(source: Path, out: Path, *args: str) -> Path:
    run(uv_bin(), "build", "--quiet", "--out-dir", out, *args, source)
    return out


@pytest.fixture(scope="module")
def dist(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """`uv build` of this checkout: the sdist, and the wheel built from that sdist."""
    return build(ROOT, tmp_path_factory.mktemp("dist"))


@pytest.fixture(scope="module")
def wheel(dist: Path) -> Path:
    (found,) = dist.glob("*.whl")
    return found


@pytest.fixture(scope="module")
def venv(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A new virtual environment, on this test's Python, with only the wheel and its deps."""
    path = tmp_path_factory.mktemp("clean") / "venv"
    run(uv_bin(), "venv", "--quiet", "--python", sys.executable, path)
    run(uv_bin(), "pip", "install", "--quiet", "--python", path / "bin/python", wheel)
    return path


def metadata(wheel: Path) -> tuple[dict[str, str], str]:
    """The wheel's METADATA headers and its entry_points.txt."""
    with zipfile.ZipFile(wheel) as archive:
        info = next(n for n in archive.namelist() if n.endswith(".dist-info/METADATA"))
        headers = Parser().parsestr(archive.read(info).decode())
        entry_points = archive.read(info.replace("METADATA", "entry_points.txt")).decode()
    return dict(headers.items()), entry_points


def exact_tag() -> str | None:
    """The release tag on the checked-out commit, if any."""
    done = subprocess.run(
        ["git", "describe", "--tags", "--exact-match", "--match", "v[0-9]*"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    return done.stdout.strip() or None


def test_the_sdist_holds_the_sources_and_the_wheel_only_the_package(
    dist: Path, wheel: Path
) -> None:
    (sdist,) = dist.glob("*.tar.gz")
    with tarfile.open(sdist) as archive:
        names = {name.split("/", 1)[1] for name in archive.getnames() if "/" in name}
    assert {"pyproject.toml", "README.md", "CHANGELOG.md", "LICENSE", "tap_wolkvox/tap.py"} <= names
    with zipfile.ZipFile(wheel) as archive:
        tops = {name.split("/", 1)[0] for name in archive.namelist()}
    assert "tap_wolkvox" in tops
    assert not tops & {"tests", "scripts", "benchmarks"}


def test_wheel_metadata(wheel: Path) -> None:
    headers, entry_points = metadata(wheel)
    assert headers["Name"] == "tap-wolkvox"
    assert "Reports Manager" in headers["Summary"]
    assert headers["Requires-Python"] == ">=3.10"
    assert headers["License-Expression"] == "Apache-2.0"
    version = headers["Version"]
    tag = exact_tag()
    if tag:
        assert version == tag.removeprefix("v")
    else:  # between releases: a dev version read from git, never the fallback
        assert version != FALLBACK_VERSION
        assert ".dev" in version
    assert "tap-wolkvox = tap_wolkvox.tap:TapWolkvox.cli" in entry_points
    assert "wolkvox-emulator = tap_wolkvox.emulator.server:main" in entry_points


def test_the_installed_wheel_runs(venv: Path, wheel: Path) -> None:
    about = json.loads(run(venv / "bin/tap-wolkvox", "--about", "--format", "json"))
    assert about["name"] == "tap-wolkvox"
    assert about["version"] == metadata(wheel)[0]["Version"]
    assert {"api_token", "server", "start_date"} <= set(about["settings"]["properties"])
    assert "--port" in run(venv / "bin/wolkvox-emulator", "--help")


def test_a_release_tag_gives_its_version(tmp_path: Path) -> None:
    clone = tmp_path / "clone"
    run("git", "clone", "--quiet", ROOT, clone)
    run("git", "tag", "--force", "v0.2.0", cwd=clone)
    (wheel,) = build(clone, tmp_path / "dist", "--wheel").glob("*.whl")
    assert wheel.name == "tap_wolkvox-0.2.0-py3-none-any.whl"


def test_every_release_tag_has_a_changelog_section() -> None:
    sections = re.findall(r"^## (\S+)", (ROOT / "CHANGELOG.md").read_text(), re.MULTILINE)
    assert sections[0] == "Unreleased"
    tags = run("git", "tag", "--list", "v[0-9]*").split()
    assert {tag.removeprefix("v") for tag in tags} <= set(sections)
    assert "0.2.0" in sections
