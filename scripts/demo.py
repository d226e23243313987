"""Run the demo pipeline against the local emulator, say what the run did, print the KPIs.

The `demo` environment in meltano.yml writes to output/demo.duckdb (schema wolkvox_demo), never
to output/wolkvox.duckdb, the file a real `meltano run tap-wolkvox target-duckdb` writes.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
# the `demo` environment in meltano.yml points api_url at 18765; WOLKVOX_DEMO_PORT moves both
PORT = int(os.environ.get("WOLKVOX_DEMO_PORT", "18765"))
DEMO_TOKEN = "demo-token"  # noqa: S105 - the emulator's public demo token
BIN = Path(sys.executable).parent
SUMMARY = "Run summary: "


def demo_settings() -> tuple[dict[str, str], dict[str, str]]:
    """The `demo` environment's tap config and target-duckdb config, from meltano.yml."""
    project = yaml.safe_load((ROOT / "meltano.yml").read_text())
    (demo,) = [e for e in project["environments"] if e["name"] == "demo"]
    plugins = demo["config"]["plugins"]
    (tap,) = plugins["extractors"]
    (target,) = plugins["loaders"]
    root = str(ROOT)
    duckdb = {
        k: str(v).replace("${MELTANO_PROJECT_ROOT}", root) for k, v in target["config"].items()
    }
    return {k: str(v) for k, v in tap["config"].items()}, duckdb


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


def demo_env() -> dict[str, str]:
    """The environment of every meltano command: the `demo` environment, the emulator's URL."""
    return {
        **os.environ,
        "MELTANO_ENVIRONMENT": "demo",
        "TAP_WOLKVOX_API_TOKEN": DEMO_TOKEN,
        "TAP_WOLKVOX_API_URL": f"http://127.0.0.1:{PORT}",
    }


def run_pipeline(*options: str) -> str:
    """`meltano run` with its log shown as it goes; the tap's run summary."""
    command = ["meltano", "run", *options, "tap-wolkvox", "target-duckdb"]
    summary = ""
    with subprocess.Popen(
        command, cwd=ROOT, env=demo_env(), stderr=subprocess.PIPE, text=True
    ) as run:
        assert run.stderr is not None  # noqa: S101 - piped just above
        for line in run.stderr:
            sys.stderr.write(line)
            if SUMMARY in line:
                summary = line.split(SUMMARY, 1)[1].split(" cmd_type=")[0].strip()
    if run.returncode:
        sys.exit(f"meltano run failed with exit code {run.returncode}")
    return summary


def main() -> None:
    """Install the two plugins, run the pipeline with the emulator up, then print the KPIs.

    Arguments go to `meltano run` (e.g. `--full-refresh`).
    """
    if not port_is_free(PORT):
        sys.exit(f"port {PORT} is taken: stop what listens there, then run the demo again")
    subprocess.run(
        ["meltano", "install", "tap-wolkvox", "target-duckdb"], cwd=ROOT, env=demo_env(), check=True
    )
    emulator = subprocess.Popen([BIN / "wolkvox-emulator", "--port", str(PORT)])
    try:
        wait_for_port(PORT)
        summary = run_pipeline(*sys.argv[1:])
    finally:
        emulator.terminate()
        emulator.wait(timeout=10)
    print("\nWhat this run did (the tap's summary):")
    for part in summary.split("; "):
        print(f"- {part}")
    tap, duckdb = demo_settings()
    subprocess.run(
        [
            ROOT / ".meltano/loaders/target-duckdb/venv/bin/python",
            ROOT / "scripts/demo_kpis.py",
            duckdb["filepath"],
            duckdb["default_target_schema"],
            tap.get("timezone", "America/Bogota"),
            tap["end_date"],
        ],
        check=True,
    )


if __name__ == "__main__":
    main()
