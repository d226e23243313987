"""Run the demo pipeline against the local emulator, say what the run did, print the table."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
# the `demo` environment in meltano.yml points api_url at 18765; WOLKVOX_DEMO_PORT moves both
PORT = int(os.environ.get("WOLKVOX_DEMO_PORT", "18765"))
DEMO_TOKEN = "demo-token"  # noqa: S105 - the emulator's public demo token
BIN = Path(sys.executable).parent
STATE_ID = "demo:tap-wolkvox-to-target-duckdb"  # Meltano's state ID for `meltano run` in `demo`
STREAM = "turbo_dial_machine_codes"


def demo_end() -> str:
    """The `demo` environment's end_date, from meltano.yml."""
    project = yaml.safe_load((ROOT / "meltano.yml").read_text())
    (demo,) = [e for e in project["environments"] if e["name"] == "demo"]
    (tap,) = demo["config"]["plugins"]["extractors"]
    return str(tap["config"]["end_date"])


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


def meltano(*args: str, capture: bool = False) -> str:
    """Run a meltano command in the `demo` environment, failing loudly; its output if captured."""
    done = subprocess.run(
        ["meltano", *args], cwd=ROOT, env=demo_env(), check=True, capture_output=capture, text=True
    )
    return done.stdout if capture else ""


def run_pipeline(*options: str) -> str:
    """`meltano run` with its log shown as it goes; the tap's last progress line."""
    env = demo_env()
    command = ["meltano", "run", *options, "tap-wolkvox", "target-duckdb"]
    progress = ""
    with subprocess.Popen(command, cwd=ROOT, env=env, stderr=subprocess.PIPE, text=True) as run:
        assert run.stderr is not None  # noqa: S101 - piped just above
        for line in run.stderr:
            sys.stderr.write(line)
            if f"Progress of {STREAM}:" in line:
                progress = line.split(f"Progress of {STREAM}:", 1)[1].split(" cmd_type=")[0]
    if run.returncode:
        sys.exit(f"meltano run failed with exit code {run.returncode}")
    return progress.strip()


def resume_points() -> dict[str, str]:
    """Where each campaign's next run starts (its bookmark), from Meltano's state."""
    listed = meltano("state", "list", capture=True)
    if STATE_ID not in listed:
        return {}
    state = json.loads(meltano("state", "get", STATE_ID, capture=True))
    partitions = state["singer_state"]["bookmarks"].get(STREAM, {}).get("partitions", [])
    return {p["context"]["campaign_id"]: p["replication_key_value"] for p in partitions}


def emulator_calls() -> list[dict[str, object]]:
    """The calls the emulator answered during the run (it keeps them until it stops)."""
    with urllib.request.urlopen(f"http://127.0.0.1:{PORT}/_emulator/stats", timeout=10) as answer:
        calls: list[dict[str, object]] = json.load(answer)["calls"]
    return calls


def say_what_the_run_did(
    resumed: dict[str, str], calls: list[dict[str, object]], progress: str
) -> None:
    """Calls made, records, empty windows, and where the run resumed."""
    reports = [c for c in calls if "date_ini" in c]  # not the campaigns list, nor token_info
    empty = sum(1 for c in reports if c["status"] == 404)
    print("\nWhat this run did:")
    if resumed:
        starts = ", ".join(f"{c} from {b}" for c, b in sorted(resumed.items()))
        print(f"- resumed from the last state: {starts} (windows not final yet are fetched again)")
    else:
        print("- first run: extracted from start_date (no state yet)")
    print(
        f"- {len(calls)} Wolkvox API calls: {len(reports)} report windows "
        f"({empty} of them empty, HTTP 404 'Validate dates entered'), "
        f"{len(calls) - len(reports)} lists (campaigns, token_info)"
    )
    print(f"- {STREAM}: {progress}")


def main() -> None:
    """Install the two plugins, run the pipeline with the emulator up, then show the table.

    Arguments go to `meltano run` (e.g. `--full-refresh`).
    """
    if not port_is_free(PORT):
        sys.exit(f"port {PORT} is taken: stop what listens there, then run the demo again")
    meltano("install", "tap-wolkvox", "target-duckdb")
    resumed = resume_points()
    emulator = subprocess.Popen([BIN / "wolkvox-emulator", "--port", str(PORT)])
    try:
        wait_for_port(PORT)
        progress = run_pipeline(*sys.argv[1:])
        calls = emulator_calls()
    finally:
        emulator.terminate()
        emulator.wait(timeout=10)
    say_what_the_run_did(resumed, calls, progress)
    duckdb_python = ROOT / ".meltano/loaders/target-duckdb/venv/bin/python"
    subprocess.run(
        [
            duckdb_python,
            ROOT / "scripts/show_duckdb.py",
            ROOT / "output/wolkvox_duckdb",
            demo_end(),
        ],
        check=True,
    )


if __name__ == "__main__":
    main()
