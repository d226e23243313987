"""Run the fault matrix against the emulator and print what the tap did with each case.

    uv run python scripts/reliability_report.py

Each row is one case: a fault on one window (campaign 101, 2025-07-03) of a 5-day,
2-campaign run, or a live-API answer, a signal, a setting or a state a real operation meets.
It prints the retries the tap logged, how the run ended, and whether the records (after a
rerun from the last STATE where the run stopped, with the case's cause removed) equal the
emulator's truth. A row is printed as soon as its case has run.
"""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from wolkvox_emulator import Dataset, Emulator, EmulatorState, Fault

TOKEN = "report-token"  # noqa: S105 - the emulator's throwaway token
TAP = str(Path(sys.executable).with_name("tap-wolkvox"))
CAMPAIGNS = ["101", "102"]
START, END = "2025-07-01", "2025-07-06"  # wall clock in America/Bogota, the default zone
FIRST_SECOND, LAST_SECOND = "20250701000000", "20250705235959"
TARGET = {"date_ini": "20250703", "campaign_id": "101"}
STREAM = "turbo_dial_machine_codes"
NOT_FOUND = json.dumps({"code": 404, "error": "NOT FOUND", "msg": "NOT FOUND"})
QUOTA_IN_200 = json.dumps({"code": "200", "error": "FORBIDDEN", "msg": "TOKEN LIMIT EXCEEDED"})
NON_NUMERIC = json.dumps({"code": "200", "data": [{"machinecode": "busy", "cantidad": "many"}]})


def _bookmark(value: object, **extra: object) -> dict[str, Any]:
    partition = {
        "context": {"campaign_id": "101"},
        "replication_key": "window_start",
        "replication_key_value": value,
        **extra,
    }
    return {"bookmarks": {STREAM: {"partitions": [partition]}}}


@dataclass
class Case:
    """One row: what is done to the run, and how."""

    label: str
    faults: list[Fault] = field(default_factory=list)
    config: dict[str, Any] = field(default_factory=dict)  # settings changed for this case
    state: dict[str, Any] | list[Any] | str | None = None  # the state the run starts from
    empty_data: str = "404"  # how the emulator answers an empty window
    signal_after_states: int = 0  # SIGTERM after this many STATE messages


MATRIX = [
    Case("none"),
    Case("empty windows: HTTP 404 'Validate dates'", config={"campaign_ids": [*CAMPAIGNS, "999"]}),
    Case(
        "empty windows: doc-style data: []",
        config={"campaign_ids": [*CAMPAIGNS, "999"]},
        empty_data="list",
    ),
    Case("404 not 'Validate dates'", [Fault("body", status=404, body=NOT_FOUND)]),
    Case("200 + error TOKEN LIMIT EXCEEDED", [Fault("body", status=200, body=QUOTA_IN_200)]),
    Case("500 x2", [Fault("server_error", times=2)]),
    Case("502 x2", [Fault("bad_gateway", times=2)]),
    Case("503 + Retry-After", [Fault("unavailable", retry_after=0.2)]),
    Case("503 + Retry-After: soon", [Fault("unavailable", retry_after="soon")]),
    Case("503 + Retry-After: nan", [Fault("unavailable", retry_after="nan")]),
    Case("429 + Retry-After x2", [Fault("rate_limit", times=2, retry_after=0.1)]),
    Case("HTML body x2", [Fault("html", times=2)]),
    Case("truncated JSON x2", [Fault("truncated", times=2)]),
    Case("connection reset x2", [Fault("reset", times=2)]),
    Case("timeout x1", [Fault("timeout", delay=1.5)], {"request_timeout_seconds": 1}),
    Case("answer trickling for 4 s", [Fault("trickle", delay=0.1)], {"request_timeout_seconds": 1}),
    Case("403 simultaneous x1", [Fault("concurrency")]),
    Case("403 simultaneous x3", [Fault("concurrency", times=3)]),
    Case("403 maintenance x2", [Fault("maintenance", times=2)]),
    Case("500 forever", [Fault("server_error", times=99)]),
    Case("maintenance forever", [Fault("maintenance", times=99)]),
    Case("403 TOKEN LIMIT EXCEEDED", [Fault("quota")]),
    Case("403 YOUR IP IS NOT AUTHORIZED", [Fault("ip_refused", times=99)]),
    Case("403 firewall page", [Fault("body", status=403, body="<html>Blocked by WAF</html>")]),
    Case("403 PLEASE VALIDATE TOKEN", [Fault("invalid_token", times=99)]),
    Case("401 missing token", [Fault("missing_token", times=99)]),
    Case("400 range", [Fault("range")]),
    Case("302 to another host", [Fault("redirect")]),
    Case("non-numeric cantidad (warn: null)", [Fault("body", body=NON_NUMERIC)]),
    Case(
        "non-numeric cantidad, on_bad_value=fail",
        [Fault("body", body=NON_NUMERIC)],
        {"on_bad_value": "fail"},
    ),
    # one STATE per window, so the signal lands between windows of this short run
    Case("SIGTERM mid-run", config={"state_interval_seconds": 0}, signal_after_states=4),
    Case("api_token pasted with \\r\\n", config={"api_token": TOKEN + "\r\n"}),
    Case("api_token with a line break inside", config={"api_token": TOKEN[:5] + "\n" + TOKEN[5:]}),
    Case('campaign_ids "all" with IDs', config={"campaign_ids": ["all", "101"]}),
    Case("campaign_ids 017 and 17", config={"campaign_ids": ["017", "17"]}),
    Case("misspelt setting campaign_id", config={"campaign_id": ["101"]}),
    Case("end_date 9999-12-31", config={"end_date": "9999-12-31"}),
    Case("bookmark written as ...Z", state=_bookmark("2025-07-03T05:00:00Z")),
    Case(
        "state of another timezone",
        state=_bookmark("2025-07-03T00:00:00-05:00", timezone="America/Lima", window_days=1),
    ),
    Case("bookmark later than now", state=_bookmark("2999-01-01T00:00:00-05:00")),
    Case("integer bookmark", state=_bookmark(20250703)),
    Case("state file empty", state=""),
]


def run(
    config: dict[str, Any], workdir: Path, state: object, signal_after_states: int = 0
) -> tuple[int, list[dict[str, Any]], str]:
    """Run the CLI; return exit code, Singer messages and all output."""
    (workdir / "config.json").write_text(json.dumps(config))
    command = [TAP, "--config", str(workdir / "config.json")]
    if state is not None:
        text = state if isinstance(state, str) else json.dumps(state)
        (workdir / "state.json").write_text(text)
        command += ["--state", str(workdir / "state.json")]
    env = {**os.environ, "TAP_WOLKVOX_LOGLEVEL": "DEBUG"}
    with subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env
    ) as proc:
        assert proc.stdout is not None  # noqa: S101 - piped just above
        lines = []
        states = 0
        for line in proc.stdout:
            lines.append(line)
            states += '"type":"STATE"' in line.replace(" ", "")
            if signal_after_states and states == signal_after_states:
                proc.send_signal(signal.SIGTERM)
        out, err = proc.communicate(timeout=300)
    stdout = "".join(lines) + out
    messages = [json.loads(line) for line in stdout.splitlines() if line.strip()]
    return proc.returncode, messages, err + stdout


def truth(dataset: Dataset, campaigns: list[str]) -> Counter[tuple[str, str]]:
    """Counts per (campaign, machine code) over the whole range."""
    result: Counter[tuple[str, str]] = Counter()
    for campaign in campaigns:
        counts = dataset.counts(campaign, FIRST_SECOND, LAST_SECOND)
        result.update({(campaign, code): n for code, n in counts.items()})
    return result


def run_case(case: Case, emulator: Emulator, workdir: Path) -> tuple[str, ...]:
    """Run one case (and, if it stopped, a clean rerun); its table row."""
    emulator.state.reset()
    emulator.state.empty_data = case.empty_data
    emulator.state.latency = 0.1 if case.signal_after_states else 0.0
    for fault in case.faults:
        fault.match = fault.match or dict(TARGET)
        emulator.add_faults(fault)
    base = {
        "api_token": TOKEN,
        "api_url": emulator.url,
        "start_date": START,
        "end_date": END,
        "campaign_ids": CAMPAIGNS,
        "retry_wait_seconds": 0.05,
        "max_retries": 3,
        "maintenance_max_wait_seconds": 2,
    }
    config = {**base, **case.config}
    code, messages, output = run(config, workdir, case.state, case.signal_after_states)
    retries = len(re.findall(r"\| Retry \d+ in ", output))
    records = [m["record"] for m in messages if m["type"] == "RECORD"]
    outcome = _one_line(code, output)
    leaked = "LEAKED" if TOKEN[5:] in output or TOKEN[:5] + "\n" in output else "no"
    resumed = ""
    campaigns = [c for c in config.get("campaign_ids", CAMPAIGNS) if c in {"101", "102", "999"}]
    if code != 0:
        states = [m["value"] for m in messages if m["type"] == "STATE"]
        emulator.state.reset()
        emulator.state.latency = 0.0
        # the cause removed: the usual settings, and no state if the state was the cause
        restart = None if case.state is not None or not states else states[-1]
        code2, messages2, _ = run(base, workdir, restart)
        records += [m["record"] for m in messages2 if m["type"] == "RECORD"]
        resumed = " after a clean rerun" if code2 == 0 else " (rerun failed)"
        campaigns = CAMPAIGNS
    table = {(r["campaign_id"], r["window_start"], r["machinecode"]): r for r in records}
    got: Counter[tuple[str, str]] = Counter()
    for (campaign, _, code_name), record in table.items():
        got[(campaign, code_name)] += record["cantidad"] or 0
    expected = truth(emulator.state.dataset, campaigns)
    if case.state is not None and code == 0:  # resumed mid-range: compare what it fetched
        got = Counter({k: v for k, v in got.items() if k[0] != "101"})
        expected = Counter({k: v for k, v in expected.items() if k[0] != "101"})
    equal = "yes" if got == expected else "no"
    return (case.label, str(retries), outcome, equal + resumed, leaked)


def main() -> None:
    """Run every case and print its row as soon as it is known."""
    dataset = Dataset()
    emulator = Emulator(EmulatorState(dataset=dataset, tokens=frozenset({TOKEN}))).start()
    header = ("case", "retries", "outcome", "totals = truth", "token in output")
    widths = (38, 7, 100, 23, 15)
    _print_row(header, widths)
    _print_row(tuple("-" * w for w in widths), widths)
    started = time.monotonic()
    try:
        for case in MATRIX:
            with tempfile.TemporaryDirectory() as tmp:
                _print_row(run_case(case, emulator, Path(tmp)), widths)
    finally:
        emulator.stop()
    print(f"\n{len(MATRIX)} cases in {time.monotonic() - started:.0f} s")


def _print_row(row: tuple[str, ...], widths: tuple[int, ...]) -> None:
    cells = [
        cell if len(cell) <= w else cell[: w - 3] + "..."
        for cell, w in zip(row, widths, strict=True)
    ]
    print(
        "| " + " | ".join(c.ljust(w) for c, w in zip(cells, widths, strict=True)) + " |", flush=True
    )


def _one_line(code: int, output: str) -> str:
    """`ok` (with the run's first warning other than a retry), or the exit code and error."""
    lines = output.splitlines()
    if code == 0:
        warned = [
            line.split("| ", 3)[-1] for line in lines if "| WARNING" in line and "Retry" not in line
        ]
        return f"ok; warns: {warned[0]}" if warned else "ok"
    problems = [
        line.split("| ", 3)[-1] for line in lines if "| ERROR" in line or line.startswith("Error: ")
    ]
    return f"exit {code}: " + (problems[-1] if problems else "failed")


if __name__ == "__main__":
    main()
