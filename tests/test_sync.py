"""End to end through the `tap-wolkvox` CLI against the emulator: exact totals and state."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

import pytest

from tests.helpers import (
    base_config,
    bookmarks,
    last_state,
    report_calls,
    run_tap,
    totals,
    truth,
    upsert,
)

if TYPE_CHECKING:
    from pathlib import Path

    from wolkvox_emulator import Emulator

CAMPAIGNS = ["101", "103"]


@pytest.mark.parametrize(
    ("window_days", "start", "end", "campaigns"),
    [
        (1, "2025-02-26", "2025-03-03", CAMPAIGNS),  # month end, daily
        # one second either side of midnight
        (3, "2025-01-30T23:59:59", "2025-02-09T00:00:01", CAMPAIGNS),
        (31, "2024-01-15", "2024-04-02T06:30:00", CAMPAIGNS),  # leap year, 31-day windows
        (1, "2025-02-26", "2025-03-03", ["all"]),  # every campaign in one request
    ],
)
def test_totals_equal_the_emulators_truth(  # noqa: PLR0913, PLR0917 - one per parameter
    emulator: Emulator, tmp_path: Path, window_days: int, start: str, end: str, campaigns: list[str]
) -> None:
    config = base_config(
        emulator.url,
        start_date=start,
        end_date=end,
        window_days=window_days,
        campaign_ids=campaigns,
    )
    run = run_tap(config, tmp_path)
    assert run.returncode == 0, run.stderr
    table = upsert(run)
    assert len(table) == len(run.records), "a key was emitted twice in one run"
    assert totals(table) == truth(emulator.state.dataset, campaigns, start, end)
    calls = report_calls(emulator)
    assert {call["status"] for call in calls} <= {200, 404}  # 404: a window without calls
    # every record is typed, and its count is the emulator's count for its own window
    for record in run.records:
        assert isinstance(record["cantidad"], int)
        window = truth(
            emulator.state.dataset,
            [record["campaign_id"]],
            record["window_start"],
            record["window_end"],
        )
        assert window[(record["campaign_id"], record["machinecode"])] == record["cantidad"]


def _midnight_with_calls_on_both_edges(emulator: Emulator) -> dt.datetime:
    """A midnight with a call at 23:59:59 before it and one at 00:00:00 on it (campaign 101)."""
    dataset = emulator.state.dataset
    for day in range(365):
        midnight = dt.datetime(2025, 1, 1) + dt.timedelta(days=day)
        before = dataset.hour_events("101", midnight - dt.timedelta(hours=1))
        after = dataset.hour_events("101", midnight)
        if any(s == 3599 for s, _ in before) and any(s == 0 for s, _ in after):
            return midnight
    pytest.fail("the dataset has no midnight with calls on both edges in 2025")


def test_events_on_window_edges_are_counted_once(emulator: Emulator, tmp_path: Path) -> None:
    midnight = _midnight_with_calls_on_both_edges(emulator)
    start = (midnight - dt.timedelta(seconds=1)).isoformat()
    end = (midnight + dt.timedelta(seconds=1)).isoformat()
    config = base_config(emulator.url, start_date=start, end_date=end, campaign_ids=["101"])
    run = run_tap(config, tmp_path)
    assert run.returncode == 0, run.stderr
    requested = sorted((c["date_ini"], c["date_end"]) for c in report_calls(emulator))
    last_second = (midnight - dt.timedelta(seconds=1)).strftime("%Y%m%d%H%M%S")
    first_second = midnight.strftime("%Y%m%d%H%M%S")
    assert requested == [(last_second, last_second), (first_second, first_second)]
    assert totals(upsert(run)) == truth(emulator.state.dataset, ["101"], start, end)
    assert {r["window_start"][:10] for r in run.records} == {start[:10], end[:10]}


def test_two_runs_chained_through_state_equal_one_run(emulator: Emulator, tmp_path: Path) -> None:
    start, middle, end = "2025-05-01", "2025-05-04T13:00:00", "2025-05-09"
    first = run_tap(
        base_config(emulator.url, start_date=start, end_date=middle, campaign_ids=CAMPAIGNS),
        tmp_path,
    )
    assert first.returncode == 0, first.stderr
    state = last_state(first)
    emulator.state.reset()
    second = run_tap(
        base_config(emulator.url, start_date=start, end_date=end, campaign_ids=CAMPAIGNS),
        tmp_path,
        state=state,
    )
    assert second.returncode == 0, second.stderr
    # the rerun starts at the last window synced (2025-05-04, partial then) and nothing earlier
    assert min(c["date_ini"] for c in report_calls(emulator)) == "20250504000000"
    one = run_tap(
        base_config(emulator.url, start_date=start, end_date=end, campaign_ids=CAMPAIGNS), tmp_path
    )
    chained = upsert(first, second)
    assert {k: v["cantidad"] for k, v in chained.items()} == {
        k: v["cantidad"] for k, v in upsert(one).items()
    }
    assert totals(chained) == truth(emulator.state.dataset, CAMPAIGNS, start, end)


def test_state_is_one_bookmark_per_campaign_and_empty_windows_advance_it(
    emulator: Emulator, tmp_path: Path
) -> None:
    # campaign 999 has no calls at all: its bookmark must still move to the last window
    config = base_config(
        emulator.url, start_date="2025-06-01", end_date="2025-06-04", campaign_ids=["101", "999"]
    )
    run = run_tap(config, tmp_path)
    assert run.returncode == 0, run.stderr
    assert bookmarks(run) == {  # every window is final: the bookmark is the run's end
        "101": "2025-06-04T00:00:00-05:00",
        "999": "2025-06-04T00:00:00-05:00",
    }
    assert not [r for r in run.records if r["campaign_id"] == "999"]


def test_a_state_follows_every_window_and_never_precedes_its_records(
    emulator: Emulator, tmp_path: Path
) -> None:
    config = base_config(
        emulator.url,
        start_date="2025-06-01",
        end_date="2025-06-05",
        campaign_ids=["101"],
        state_interval_seconds=0,
    )
    run = run_tap(config, tmp_path)
    assert run.returncode == 0, run.stderr
    seen: set[str] = set()
    bookmarks = []
    for message in run.messages:
        if message["type"] == "RECORD":
            seen.add(message["record"]["window_start"])
        elif message["type"] == "STATE":
            partitions = message["value"]["bookmarks"]["turbo_dial_machine_codes"]["partitions"]
            value = partitions[0].get("replication_key_value")
            if value:
                bookmarks.append(value)
                window = (dt.datetime.fromisoformat(value) - dt.timedelta(days=1)).isoformat()
                assert window in seen, "a STATE claimed a window before emitting its records"
    assert bookmarks[:4] == [f"2025-06-0{d}T00:00:00-05:00" for d in range(2, 6)]


def test_future_end_date_is_cut_at_now(emulator: Emulator, tmp_path: Path) -> None:
    now = dt.datetime.now(dt.timezone.utc)
    config = base_config(
        emulator.url,
        start_date=(now - dt.timedelta(days=1)).isoformat(),
        end_date=(now + dt.timedelta(days=30)).isoformat(),
        campaign_ids=["101"],
    )
    run = run_tap(config, tmp_path)
    assert run.returncode == 0, run.stderr
    bookmark = last_state(run)["bookmarks"]["turbo_dial_machine_codes"]["partitions"][0]
    assert dt.datetime.fromisoformat(bookmark["replication_key_value"]) <= now
    assert len(report_calls(emulator)) <= 3
