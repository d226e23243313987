"""The set-up on a machine whose python3 is "externally managed" (PEP 668) and that has no uv.

The README's commands run in a copy of the project, with such a python3 first on PATH: the
set-up must install uv privately, leave that python3 untouched, and every command must work.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import sysconfig
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from tests.checkout import clone_of_checkout
from wolkvox_emulator import Dataset

if TYPE_CHECKING:
    from collections.abc import Mapping

pytestmark = pytest.mark.integration

ROOT = Path(__file__).resolve().parent.parent
SYSTEM_PATH = "/usr/local/bin:/usr/bin:/bin"  # bash, git, coreutils; no uv there


@pytest.fixture(scope="module")
def system_python(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A Python installation (not a venv: pip ignores the marker in a venv) that has pip and an
    EXTERNALLY-MANAGED marker, like Debian's /usr/bin/python3. Its stdlib is linked, not copied."""
    prefix = tmp_path_factory.mktemp("system-python")
    version = f"python{sys.version_info.major}.{sys.version_info.minor}"
    (prefix / "bin").mkdir()
    shutil.copy2(Path(sys.base_prefix) / "bin" / version, prefix / "bin/python3")
    lib = prefix / "lib" / version
    (lib / "site-packages").mkdir(parents=True)
    for entry in Path(sysconfig.get_path("stdlib")).iterdir():
        if entry.name != "site-packages":
            (lib / entry.name).symlink_to(entry)
    python = prefix / "bin/python3"
    run([python, "-m", "ensurepip"], cwd=prefix, env=os.environ)
    (lib / "EXTERNALLY-MANAGED").write_text("[externally-managed]\nError=managed by the test\n")
    return python


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """This checkout's files (committed or not, without ignored ones) as a fresh git clone."""
    return clone_of_checkout(tmp_path_factory.mktemp("clone"))


def run(
    command: list[str | Path], cwd: Path, env: Mapping[str, str]
) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(
        command, cwd=cwd, env=env, capture_output=True, text=True, timeout=900, check=False
    )
    assert done.returncode == 0, f"{command} failed:\n{done.stdout}\n{done.stderr}"
    return done


def user_env(system_python: Path, home: Path) -> dict[str, str]:
    """A shell whose python3 is the externally managed one, with no uv and no virtualenv.

    Its home is empty, and uv's download cache is this project's (not downloaded again).
    """
    cache = subprocess.run(
        [ROOT / ".tools/bin/uv", "cache", "dir"], capture_output=True, text=True, check=True
    ).stdout.strip()
    dropped = (
        "UV",
        "VIRTUAL_ENV",
        "PYENV",
        "PYTHON",
        "MELTANO",
        "TAP_",
        "TARGET_",
        "XDG_",
        "BOOTSTRAP",
    )
    inherited = {k: v for k, v in os.environ.items() if not k.startswith(dropped)}
    path = f"{system_python.parent}:{SYSTEM_PATH}"
    assert shutil.which("uv", path=path) is None
    assert shutil.which("python3", path=path) == str(system_python)
    return {
        **inherited,
        "PATH": path,
        "HOME": str(home),
        "UV_CACHE_DIR": cache,
        "PIP_DISABLE_PIP_VERSION_CHECK": "1",  # pip would note its check in ~/.cache
    }


def packages(python: Path, env: Mapping[str, str]) -> list[str]:
    listed = run([python, "-m", "pip", "list", "--format", "freeze"], python.parent, env)
    return listed.stdout.split()


def free_port() -> str:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return str(probe.getsockname()[1])


def test_readme_commands_work_with_an_externally_managed_python_and_no_uv(
    system_python: Path, project: Path, tmp_path: Path
) -> None:
    home = tmp_path / "home"
    home.mkdir()
    env = user_env(system_python, home)
    refused = subprocess.run(
        [system_python, "-m", "pip", "install", "--dry-run", "uv"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert "externally-managed-environment" in refused.stderr  # what the old set-up ran into

    before = packages(system_python, env)
    demo = run(["bash", "scripts/demo.sh"], project, {**env, "WOLKVOX_DEMO_PORT": free_port()})
    # the KPIs are the emulator's truth: dials and answers of campaign 101 over the demo's range
    counts = Dataset().counts("101", "20250301000000", "20250315115959")
    row = next(line for line in demo.stdout.splitlines() if line.startswith("| Campaña 101"))
    assert [int(cell) for cell in row.split("|")[2:4]] == [sum(counts.values()), counts["answer"]]
    assert "Service level per skill" in demo.stdout
    assert "0 keys loaded twice" in demo.stdout
    assert (project / "output/demo.duckdb").is_file()
    assert not (project / "output/wolkvox.duckdb").exists()
    # the demo installs what it runs, not the lint, type and test tools
    assert not list((project / ".venv/bin").glob("pytest")) + list(
        (project / ".venv/bin").glob("mypy")
    )
    # nothing written outside the project (uv's cache aside, which the test shares on purpose)
    assert [str(p.relative_to(home)) for p in home.rglob("*")] == []
    assert (project / ".tools/uv-venv/bin/uv").is_file()
    assert (project / ".tools/bin/meltano").is_file()
    assert packages(system_python, env) == before

    about = run(["scripts/uv", "run", "tap-wolkvox", "--about"], project, env)
    assert "Name: tap-wolkvox" in about.stdout
    assert "4.4.1" in run(["scripts/meltano", "--version"], project, env).stdout
    state = run(["scripts/meltano", "state", "list"], project, env)
    assert "demo:tap-wolkvox-to-target-duckdb" in state.stdout

    tested = run(["bash", "scripts/test.sh", "tests/test_windows.py"], project, env)
    assert " passed" in tested.stdout
