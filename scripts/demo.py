"""Run the demo pipeline against the local emulator and print machine-code totals per day."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# the `demo` environment in meltano.yml points api_url at 18765; WOLKVOX_DEMO_PORT moves both
PORT = int(os.environ.get("WOLKVOX_DEMO_PORT", "18765"))
DEMO_TOKEN = "demo-token"  # noqa: S105 - the emulator's public demo token
BIN = Path(sys.executable).parent


def wait_for_port(port: int, seconds: float = 15.0) -> None:
    """Return once something listens on 127.0.0.1:port."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    sys.exit(f"the emulator did not start on port {port}")


def port_is_free(port: int) -> bool:
    """Whether nothing listens on 127.0.0.1:port yet."""
    with socket.socket() as probe:
        return probe.connect_ex(("127.0.0.1", port)) != 0


def meltano(*args: str) -> None:
    """Run a meltano command in the `demo` environment, failing loudly."""
    env = {
        **os.environ,
        "MELTANO_ENVIRONMENT": "demo",
        "TAP_WOLKVOX_API_TOKEN": DEMO_TOKEN,
        "TAP_WOLKVOX_API_URL": f"http://127.0.0.1:{PORT}",
    }
    subprocess.run(["meltano", *args], cwd=ROOT, env=env, check=True)


def main() -> None:
    """Install the two plugins, run the pipeline with the emulator up, then show the table.

    Arguments go to `meltano run` (e.g. `--full-refresh`).
    """
    if not port_is_free(PORT):
        sys.exit(f"port {PORT} is taken: stop what listens there, then run the demo again")
    meltano("install", "tap-wolkvox", "target-duckdb")
    emulator = subprocess.Popen([BIN / "wolkvox-emulator", "--port", str(PORT)])
    try:
        wait_for_port(PORT)
        meltano("run", *sys.argv[1:], "tap-wolkvox", "target-duckdb")
    finally:
        emulator.terminate()
        emulator.wait(timeout=10)
    duckdb_python = ROOT / ".meltano/loaders/target-duckdb/venv/bin/python"
    subprocess.run(
        [duckdb_python, ROOT / "scripts/show_duckdb.py", ROOT / "output/wolkvox_duckdb"], check=True
    )


if __name__ == "__main__":
    main()
