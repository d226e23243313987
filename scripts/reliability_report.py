"""Run the fault matrix against the emulator and print what the tap did with each fault.

    uv run python scripts/reliability_report.py

Each row: one fault kind injected on one window (campaign `all`, 2025-07-03) of a 5-day,
2-campaign run; the retries the tap logged; how the run ended; and whether the records,
after a rerun from the last STATE where the run stopped, equal the emulator's truth.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path
from typing import Any

from tap_wolkvox.emulator.dataset import Dataset
from tap_wolkvox.emulator.server import Emulator, EmulatorState, Fault

TOKEN = "report-token"  # noqa: S105 - the emulator's throwaway token
TAP = str(Path(sys.executable).with_name("tap-wolkvox"))
CAMPAIGNS = ["101", "102"]
START, END = "2025-07-01", "2025-07-06"  # wall clock in America/Bogota, the default zone
FIRST_SECOND, LAST_SECOND = "20250701000000", "20250705235959"
TARGET = {"date_ini": "20250703", "campaign_id": "101"}
MATRIX: list[tuple[str, Fault | None, dict[str, Any]]] = [
    ("none", None, {}),
    ("500 x2", Fault("server_error", times=2), {}),
    ("502 x2", Fault("bad_gateway", times=2), {}),
    ("503 + Retry-After", Fault("unavailable", times=1, retry_after=0.2), {}),
    ("429 + Retry-After x2", Fault("rate_limit", times=2, retry_after=0.1), {}),
    ("HTML body x2", Fault("html", times=2), {}),
    ("truncated JSON x2", Fault("truncated", times=2), {}),
    ("connection reset x2", Fault("reset", times=2), {}),
    ("timeout x1", Fault("timeout", times=1, delay=1.5), {"request_timeout_seconds": 1}),
    ("403 simultaneous x1", Fault("concurrency", times=1), {}),
    ("403 simultaneous x3", Fault("concurrency", times=3), {}),
    ("403 maintenance x2", Fault("maintenance", times=2), {}),
    ("500 forever", Fault("server_error", times=99), {}),
    ("maintenance forever", Fault("maintenance", times=99), {}),
    ("403 TOKEN LIMIT EXCEEDED", Fault("quota", times=1), {}),
    ("403 PLEASE VALIDATE TOKEN", Fault("invalid_token", times=99), {}),
    ("401 missing token", Fault("missing_token", times=99), {}),
    ("400 range", Fault("range", times=1), {}),
    ("302 to another host", Fault("redirect", times=1), {}),
    (
        "non-numeric cantidad",
        Fault(
            "body",
            body=json.dumps({"code": "200", "data": [{"machinecode": "busy", "cantidad": "many"}]}),
        ),
        {},
    ),
]


def run(
    config: dict[str, Any], workdir: Path, state: dict[str, Any] | None
) -> tuple[int, list[dict[str, Any]], str]:
    """Run the CLI; return exit code, Singer messages and all output."""
    (workdir / "config.json").write_text(json.dumps(config))
    command = [TAP, "--config", str(workdir / "config.json")]
    if state is not None:
        (workdir / "state.json").write_text(json.dumps(state))
        command += ["--state", str(workdir / "state.json")]
    done = subprocess.run(
        command,
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
        env={**os.environ, "TAP_WOLKVOX_LOGLEVEL": "DEBUG"},
    )
    messages = [json.loads(line) for line in done.stdout.splitlines()]
    return done.returncode, messages, done.stderr + done.stdout


def truth(dataset: Dataset) -> Counter[tuple[str, str]]:
    """Counts per (campaign, machine code) over the whole range."""
    result: Counter[tuple[str, str]] = Counter()
    for campaign in CAMPAIGNS:
        counts = dataset.counts(campaign, FIRST_SECOND, LAST_SECOND)
        result.update({(campaign, code): n for code, n in counts.items()})
    return result


def main() -> None:
    """Run every row of the matrix and print the table."""
    dataset = Dataset()
    emulator = Emulator(EmulatorState(dataset=dataset, tokens=frozenset({TOKEN}))).start()
    rows = []
    try:
        for label, fault, extra in MATRIX:
            emulator.state.reset()
            if fault is not None:
                fault.match = dict(TARGET)
                emulator.add_faults(fault)
            config = {
                "api_token": TOKEN,
                "api_url": emulator.url,
                "start_date": START,
                "end_date": END,
                "campaign_ids": CAMPAIGNS,
                "retry_wait_seconds": 0.05,
                "max_retries": 3,
                "maintenance_max_wait_seconds": 2,
                **extra,
            }
            with tempfile.TemporaryDirectory() as tmp:
                code, messages, output = run(config, Path(tmp), None)
                retries = len(re.findall(r"\| Retry \d+ in ", output))
                records = [m["record"] for m in messages if m["type"] == "RECORD"]
                outcome = "ok" if code == 0 else _one_line(output)
                resumed = ""
                if code != 0:
                    states = [m["value"] for m in messages if m["type"] == "STATE"]
                    emulator.state.reset()
                    code2, messages2, _ = run(config, Path(tmp), states[-1] if states else None)
                    records += [m["record"] for m in messages2 if m["type"] == "RECORD"]
                    resumed = " after a clean rerun" if code2 == 0 else " (rerun failed)"
            table = {(r["campaign_id"], r["window_start"], r["machinecode"]): r for r in records}
            got: Counter[tuple[str, str]] = Counter()
            for (campaign, _, code_name), record in table.items():
                got[(campaign, code_name)] += record["cantidad"] or 0
            equal = "yes" if got == truth(dataset) else "no"
            leaked = "LEAKED" if TOKEN in output else "no"
            rows.append((label, str(retries), outcome, equal + resumed, leaked))
    finally:
        emulator.stop()
    header = ("fault (on one window)", "retries", "outcome", "totals = truth", "token in output")
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
    for row in [header, tuple("-" * w for w in widths), *rows]:
        print("| " + " | ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)) + " |")


def _one_line(output: str) -> str:
    errors = [
        line.split("| ", 3)[-1]
        for line in output.splitlines()
        if "| ERROR" in line and "unhandled" not in line
    ]
    text = errors[-1] if errors else "failed"
    return "exit 1: " + (text if len(text) <= 90 else text[:87] + "...")


if __name__ == "__main__":
    main()
