"""Two requests in flight at most, kept busy across campaigns; one at a time when asked."""

from __future__ import annotations

import datetime as dt
import itertools
from typing import TYPE_CHECKING

import pytest

from tests.helpers import base_config, report_calls, run_tap, totals, truth, upsert

if TYPE_CHECKING:
    from pathlib import Path

    from wolkvox_emulator import Emulator

CAMPAIGNS = ["101", "102"]


@pytest.mark.parametrize("limit", [1, 2])
def test_requests_in_flight_never_exceed_the_setting(
    emulator: Emulator, tmp_path: Path, limit: int
) -> None:
    emulator.state.latency = 0.05
    config = base_config(
        emulator.url,
        start_date="2025-08-01",
        end_date="2025-08-11",
        campaign_ids=CAMPAIGNS,
        max_concurrent_requests=limit,
    )
    run = run_tap(config, tmp_path)
    assert run.returncode == 0, run.stderr
    stats = emulator.state.stats()
    assert stats["peak_in_flight"] == limit
    assert {call["status"] for call in stats["calls"]} <= {200, 404}
    assert totals(upsert(run)) == truth(
        emulator.state.dataset, CAMPAIGNS, "2025-08-01", "2025-08-11"
    )
    # records still come in window order per campaign, whatever order the answers arrived in
    starts = [(r["campaign_id"], r["window_start"]) for r in run.records]
    assert starts == sorted(starts, key=lambda s: (CAMPAIGNS.index(s[0]), s[1]))


def test_the_pipeline_stays_busy_across_the_campaign_boundary(
    emulator: Emulator, tmp_path: Path
) -> None:
    emulator.state.latency = 0.2
    config = base_config(
        emulator.url, start_date="2025-08-01", end_date="2025-08-04", campaign_ids=CAMPAIGNS
    )
    run = run_tap(config, tmp_path)
    assert run.returncode == 0, run.stderr
    calls = report_calls(emulator)
    last_of_first = max(
        (c for c in calls if c["campaign_id"] == "101"), key=lambda c: c["date_ini"]
    )
    first_of_second = min(
        (c for c in calls if c["campaign_id"] == "102"), key=lambda c: c["date_ini"]
    )
    assert first_of_second["started"] < last_of_first["finished"]


def test_sequential_mode_never_overlaps(emulator: Emulator, tmp_path: Path) -> None:
    emulator.state.latency = 0.05
    config = base_config(
        emulator.url,
        start_date="2025-08-01",
        end_date="2025-08-05",
        campaign_ids=CAMPAIGNS,
        max_concurrent_requests=1,
    )
    assert run_tap(config, tmp_path).returncode == 0
    calls = sorted(report_calls(emulator), key=lambda c: c["started"])
    assert all(a["finished"] <= b["started"] for a, b in itertools.pairwise(calls))


def test_daily_run_makes_one_request_per_campaign_per_window_that_can_change(
    emulator: Emulator, tmp_path: Path
) -> None:
    today = dt.date(2025, 9, 10)
    yesterday = (today - dt.timedelta(days=1)).isoformat()
    state = {
        "bookmarks": {
            "turbo_dial_machine_codes": {
                "partitions": [
                    {
                        "context": {"campaign_id": c},
                        "replication_key": "window_start",
                        "replication_key_value": f"{yesterday}T00:00:00-05:00",
                    }
                    for c in CAMPAIGNS
                ]
            }
        }
    }
    config = base_config(
        emulator.url, start_date="2025-01-01", end_date=f"{today}T02:00:00", campaign_ids=CAMPAIGNS
    )
    run = run_tap(config, tmp_path, state=state)
    assert run.returncode == 0, run.stderr
    requested = sorted(
        (c["campaign_id"], c["date_ini"], c["date_end"]) for c in report_calls(emulator)
    )
    assert requested == [
        (c, d + i, d + e)
        for c in CAMPAIGNS
        for d, i, e in [("20250909", "000000", "235959"), ("20250910", "000000", "015959")]
    ]
    assert "Run summary: 5 Wolkvox API calls (0 of them retries)" in run.stderr  # token_info is one
