"""scripts/release.sh builds the sdist and the wheel; they carry the right metadata and version,
and the wheel runs from a clean environment."""

from __future__ import annotations

import ast
import json
import os
import re
import shutil
import subprocess
import sys
import tarfile
import zipfile
from email.parser import Parser
from importlib.metadata import distributions
from pathlib import Path

import pytest

from tap_wolkvox import __version__

ROOT = Path(__file__).resolve().parent.parent
TAP_SCRIPT = "tap_wolkvox.tap:TapWolkvox.cli"


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


@pytest.fixture(scope="module")
def dist(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """`scripts/release.sh` of this checkout: the sdist, and the wheel built from that sdist."""
    out = tmp_path_factory.mktemp("dist")
    printed = run("bash", ROOT / "scripts/release.sh", out)
    assert f"tap-wolkvox {__version__}:" in printed
    return out


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
    # the emulator (emulator/, a workspace member of its own) stays out of the tap's wheel
    assert not tops & {"tests", "scripts", "benchmarks", "emulator", "wolkvox_emulator"}


def test_wheel_metadata(wheel: Path) -> None:
    headers, entry_points = metadata(wheel)
    assert headers["Name"] == "tap-wolkvox"
    assert "Reports Manager" in headers["Summary"]
    assert headers["Requires-Python"] == ">=3.10"
    assert headers["License-Expression"] == "Apache-2.0"
    assert headers["Version"] == __version__
    # the tap's one console script: the emulator's (wolkvox-emulator) is not in this wheel
    assert entry_points.split() == ["[console_scripts]", "tap-wolkvox", "=", TAP_SCRIPT]


def modules_to_distributions() -> dict[str, set[str]]:
    """Top-level module -> installed distributions providing it, read from their file lists
    (`packages_distributions` on Python 3.10 reads only top_level.txt, which some lack)."""
    providers: dict[str, set[str]] = {}
    for dist in distributions():
        for file in dist.files or []:
            top = file.parts[0]
            if len(file.parts) > 1 or top.endswith(".py"):
                providers.setdefault(top.removesuffix(".py"), set()).add(dist.metadata["Name"])
    return providers


def test_every_third_party_module_the_package_imports_is_a_declared_dependency(
    wheel: Path,
) -> None:
    with zipfile.ZipFile(wheel) as archive:
        info = next(n for n in archive.namelist() if n.endswith(".dist-info/METADATA"))
        requires = Parser().parsestr(archive.read(info).decode()).get_all("Requires-Dist") or []
        sources = [archive.read(n).decode() for n in archive.namelist() if n.endswith(".py")]
    declared = {re.split(r"[\s\[<>=~;]", r, maxsplit=1)[0].lower() for r in requires}
    imported = {
        m.split(".")[0]
        for source in sources
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.Import | ast.ImportFrom) and not getattr(node, "level", 0)
        for m in ([a.name for a in node.names] if isinstance(node, ast.Import) else [node.module])
        if m
    }
    assert "wolkvox_emulator" not in imported  # one direction: the emulator reads the tap
    third_party = imported - set(sys.stdlib_module_names) - {"tap_wolkvox"}
    providers = modules_to_distributions()
    needed = {d.lower() for m in third_party for d in providers[m]}
    assert "python-backoff" in needed  # backoff's module comes from the python-backoff fork
    assert needed <= declared, needed - declared


def test_the_installed_wheel_runs(venv: Path, wheel: Path) -> None:
    about = json.loads(run(venv / "bin/tap-wolkvox", "--about", "--format", "json"))
    assert about["name"] == "tap-wolkvox"
    assert about["version"] == metadata(wheel)[0]["Version"]
    assert {"api_token", "server", "start_date"} <= set(about["settings"]["properties"])
    assert not (venv / "bin/wolkvox-emulator").exists()
    probe = "import importlib.util as u; print(u.find_spec('wolkvox_emulator'))"
    assert run(venv / "bin/python", "-c", probe).strip() == "None"


def test_the_version_has_a_changelog_section_and_release_refuses_one_without(
    tmp_path: Path,
) -> None:
    sections = re.findall(r"^## (\S+)", (ROOT / "CHANGELOG.md").read_text(), re.MULTILINE)
    released = [name for name in sections if re.fullmatch(r"\d+\.\d+\.\d+", name)]
    assert released[0] == __version__, "the newest CHANGELOG release is the package's version"
    assert "0.2.0" in released
    copy = tmp_path / "copy"
    (copy / "scripts").mkdir(parents=True)
    (copy / "tap_wolkvox").mkdir()
    for name in ("scripts/release.sh", "tap_wolkvox/__init__.py", "CHANGELOG.md"):
        shutil.copy(ROOT / name, copy / name)
    changelog = copy / "CHANGELOG.md"
    changelog.write_text(changelog.read_text().replace(f"## {__version__}", "## 9.9.9"))
    done = subprocess.run(
        ["bash", copy / "scripts/release.sh", tmp_path / "dist"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 1
    assert f"CHANGELOG.md has no '## {__version__}' section" in done.stderr
    assert not (tmp_path / "dist").exists()
