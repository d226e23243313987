"""Output is buffered, but every STATE (and the records before it) goes out at once."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from tests.helpers import base_config, report_calls, run_tap_streamed

if TYPE_CHECKING:
    from pathlib import Path

    from wolkvox_emulator import Emulator


def test_each_state_reaches_the_target_while_the_run_goes_on(
    emulator: Emulator, tmp_path: Path
) -> None:
    emulator.state.latency_of = lambda p: 2.0 if p["date_ini"].startswith("20250604") else 0.01
    config = base_config(
        emulator.url,
        start_date="2025-06-01",
        end_date="2025-06-05",
        campaign_ids=["101"],
        max_concurrent_requests=1,  # the slow last window is requested after the others' STATE
        state_interval_seconds=0,  # a STATE after every window
    )
    run, times = run_tap_streamed(config, tmp_path)
    assert run.returncode == 0, run.stderr
    arrived = list(zip(times, run.messages, strict=True))
    slow = next(c for c in report_calls(emulator) if c["date_ini"].startswith("20250604"))
    states = [(at, m) for at, m in arrived if m["type"] == "STATE" and "partitions" in str(m)]
    third_window = next(at for at, m in states if "2025-06-04T00:00:00" in json.dumps(m))
    assert third_window < slow["finished"], "a STATE waited in the buffer"
    records = [m for _, m in arrived if m["type"] == "RECORD"]
    assert {r["record"]["window_start"][:10] for r in records} == {
        "2025-06-01",
        "2025-06-02",
        "2025-06-03",
        "2025-06-04",
    }
