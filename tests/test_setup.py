"""The set-up keeps what it writes inside the project and trusts the system's certificates."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHOW = (
    "source scripts/bootstrap.sh; "
    'echo "${UV_SYSTEM_CERTS:-}${UV_NATIVE_TLS:-}|$XDG_CACHE_HOME|$XDG_STATE_HOME"'
)
OURS = ("UV_SYSTEM_CERTS", "UV_NATIVE_TLS", "XDG_CACHE_HOME", "XDG_STATE_HOME", "BOOTSTRAP_DEV")


def bootstrap_env(**overrides: str) -> list[str]:
    env = {k: v for k, v in os.environ.items() if k not in OURS}
    done = subprocess.run(
        ["bash", "-c", SHOW],
        cwd=ROOT,
        env={**env, "BOOTSTRAP_QUIET": "1", **overrides},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.strip().splitlines()[-1].split("|")


def test_caches_and_logs_stay_in_the_project_and_uv_uses_the_system_certificates() -> None:
    certs, cache, state = bootstrap_env()
    assert certs == "1"
    assert (cache, state) == (str(ROOT / ".tools/cache"), str(ROOT / ".tools/state"))


def test_the_users_own_choices_win(tmp_path: Path) -> None:
    certs, cache, state = bootstrap_env(
        XDG_CACHE_HOME=str(tmp_path / "cache"),
        XDG_STATE_HOME=str(tmp_path / "state"),
        UV_NATIVE_TLS="0",
    )
    assert (certs, cache, state) == ("0", str(tmp_path / "cache"), str(tmp_path / "state"))
