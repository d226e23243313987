"""What meltano.yml's real-time and billing extractors cost: calls a run and a day, and time.

    uv run python benchmarks/realtime_cost.py

Each extractor's selection is read from meltano.yml and run by the `tap-wolkvox` CLI
against the emulator (with 100 ms per answer, as a distant server would add). The calls are
counted by the emulator, not by the tap; a day is 288 real-time runs (every 5 minutes) and
one billing run. The floor is the token's daily allowance per licence (1,000 calls).
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

from tap_wolkvox.tap import TapWolkvox
from wolkvox_emulator import Dataset, Emulator, EmulatorState

ROOT = Path(__file__).resolve().parent.parent
TAP = str(Path(sys.executable).with_name("tap-wolkvox"))
TOKEN = "benchmark-token"  # noqa: S105 - the emulator's, not a secret
RUNS_A_DAY = {"tap-wolkvox--realtime": 24 * 60 // 5, "tap-wolkvox--billing": 1}
CALLS_PER_LICENCE = 1000


def selection(extractor: str) -> list[str]:
    """The streams an extractor of meltano.yml selects."""
    project = yaml.safe_load((ROOT / "meltano.yml").read_text(encoding="utf-8"))
    (plugin,) = [p for p in project["plugins"]["extractors"] if p["name"] == extractor]
    return [entry.removesuffix(".*") for entry in plugin["select"]]


def run(extractor: str, workdir: Path) -> tuple[int, int, float]:
    """Calls, records and seconds of one run of the extractor's selection."""
    emulator = Emulator(
        EmulatorState(dataset=Dataset(), tokens=frozenset({TOKEN}), latency=0.1)
    ).start()
    try:
        config = {"api_token": TOKEN, "api_url": emulator.url, "start_date": "2025-03-01"}
        catalog = TapWolkvox(config=config).catalog_dict
        chosen = set(selection(extractor))
        for stream in catalog["streams"]:
            for entry in stream["metadata"]:
                if not entry["breadcrumb"]:
                    entry["metadata"]["selected"] = stream["tap_stream_id"] in chosen
        (workdir / "config.json").write_text(json.dumps(config))
        (workdir / "catalog.json").write_text(json.dumps(catalog))
        started = time.monotonic()
        done = subprocess.run(
            [
                TAP,
                "--config",
                str(workdir / "config.json"),
                "--catalog",
                str(workdir / "catalog.json"),
            ],
            capture_output=True,
            text=True,
            check=True,
        )
        seconds = time.monotonic() - started
        records = sum(
            '"type":"RECORD"' in line.replace(" ", "") for line in done.stdout.splitlines()
        )
        return len(emulator.state.stats()["calls"]), records, seconds
    finally:
        emulator.stop()


def main() -> None:
    """Print one row per extractor."""
    print(
        "| extractor | streams | calls a run | runs a day | calls a day | "
        "licences of quota it takes | records a run | seconds a run |"
    )
    print("|---|---|---|---|---|---|---|---|")
    with tempfile.TemporaryDirectory() as tmp:
        for extractor, runs in RUNS_A_DAY.items():
            calls, records, seconds = run(extractor, Path(tmp))
            day = calls * runs
            print(
                f"| {extractor} | {len(selection(extractor))} | {calls} | {runs} | {day:,} | "
                f"{day / CALLS_PER_LICENCE:.2f} (1 licence = {CALLS_PER_LICENCE:,} calls a day) | "
                f"{records} | {seconds:.2f} |",
                flush=True,
            )


if __name__ == "__main__":
    main()
