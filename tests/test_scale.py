"""Scale through the CLI: STATE at a bounded rate, the call budget, fair progress, final
windows, detail windows sized from the volume, and partitions that come and go."""

from __future__ import annotations

import json
import signal
import subprocess
from collections import Counter
from typing import TYPE_CHECKING, Any

import pytest

from tests.helpers import (
    TAP,
    TOKEN,
    Run,
    base_config,
    catalog_selecting,
    last_state,
    problem_lines,
    report_calls,
    run_tap,
    run_tap_streamed,
    totals,
    truth,
    upsert,
)
from wolkvox_emulator import Fault
from wolkvox_emulator.answers import truth_records

if TYPE_CHECKING:
    from pathlib import Path

    from wolkvox_emulator import Emulator

CAMPAIGN_STREAMS = ("turbo_dial_machine_codes", "campaign_final_results", "amd_accumulated")
AGENT_EVENTS = "agent_events"


def all_calls(emulator: Emulator) -> list[dict[str, Any]]:
    """Every call the emulator saw, token_info and lists included."""
    return emulator.state.stats()["calls"]


def warnings(run: Run) -> list[str]:
    """The run's WARNING lines (not the SDK's Python 3.10 notice)."""
    return [line for line in problem_lines(run.stderr) if "| WARNING" in line]


def infos(run: Run, text: str) -> list[str]:
    return [line for line in run.stderr.splitlines() if "| INFO" in line and text in line]


def agents_answer(*ids: str) -> Fault:
    """The agents list answering exactly these IDs (for every request of this run)."""
    rows = [
        {"agent_id": i, "agent_name": f"AGENT {i}", "agent_dni": "1", "agent_status": "Active"}
        for i in ids
    ]
    body = {"code": "200", "error": None, "msg": f"{len(rows)} records were found", "data": rows}
    return Fault("body", times=1, match={"api": "agents"}, status=200, body=json.dumps(body))


def stream_bookmarks(run: Run, stream: str) -> dict[str, str]:
    partitions = last_state(run)["bookmarks"][stream].get("partitions", [])
    return {
        next(iter(p["context"].values())): p["replication_key_value"]
        for p in partitions
        if "replication_key_value" in p
    }


# -- 1. STATE at a bounded rate, compact --------------------------------------------------


def test_state_is_written_at_a_bounded_rate_and_once_per_stream_settings(
    emulator: Emulator, tmp_path: Path
) -> None:
    emulator.state.agent_count = 300
    cfg = base_config(emulator.url, start_date="2025-06-01", end_date="2025-06-02")
    run = run_tap(cfg, tmp_path, streams=(AGENT_EVENTS,))
    assert run.returncode == 0, run.stderr
    assert len({c["agent_id"] for c in report_calls(emulator) if c["api"] == "agent_2"}) == 300
    # 300 windows, one STATE at the end (the run takes far less than state_interval_seconds)
    assert len(run.states) == 1
    stream = last_state(run)["bookmarks"][AGENT_EVENTS]
    assert stream["timezone"] == "America/Bogota"
    assert stream["partitions"] == []  # 300 plain bookmarks, grouped by value
    grouped = stream["partition_bookmarks"]["agent_id"]
    assert list(grouped) == ["2025-06-02T00:00:00-05:00"]
    assert sorted(grouped["2025-06-02T00:00:00-05:00"]) == [str(1001 + n) for n in range(300)]
    state_bytes = sum(len(line) for line in run.stdout.splitlines() if '"type":"STATE"' in line)
    assert state_bytes < 300 * 10  # under 10 bytes per agent
    assert state_bytes < 0.05 * len(run.stdout)
    # the next day resumes every agent from the grouped bookmark
    emulator.state.reset()
    cfg["end_date"] = "2025-06-03"
    again = run_tap(cfg, tmp_path, streams=(AGENT_EVENTS,), state=last_state(run))
    assert again.returncode == 0, again.stderr
    asked = [c for c in report_calls(emulator) if c["api"] == "agent_2"]
    assert len(asked) == 300
    assert {c["date_ini"] for c in asked} == {"20250602000000"}


def test_states_along_the_way_stay_under_5_percent_of_the_output(
    emulator: Emulator, tmp_path: Path
) -> None:
    emulator.state.agent_count = 50
    cfg = base_config(
        emulator.url,
        start_date="2025-06-01",
        end_date="2025-07-01",
        state_interval_seconds=0.001,
        detail_window_days=1,
    )
    run = run_tap(cfg, tmp_path, streams=(AGENT_EVENTS,))
    assert run.returncode == 0, run.stderr
    sizes = [len(line) for line in run.stdout.splitlines() if '"type":"STATE"' in line]
    assert len(sizes) > 1  # some along the way, as the interval allows
    assert sum(sizes) <= 0.05 * len(run.stdout)


def test_state_interval_zero_writes_one_state_per_window(
    emulator: Emulator, tmp_path: Path
) -> None:
    cfg = base_config(
        emulator.url,
        start_date="2025-06-01",
        end_date="2025-06-11",
        campaign_ids=["101"],
        state_interval_seconds=0,
    )
    run = run_tap(cfg, tmp_path)
    assert run.returncode == 0, run.stderr
    assert len(run.states) == 10


def test_kill_9_between_states_loses_nothing_the_next_run_does_not_fetch_again(
    emulator: Emulator, tmp_path: Path
) -> None:
    emulator.state.latency = 0.05
    start, end = "2025-05-01", "2025-06-01"
    cfg = base_config(
        emulator.url,
        start_date=start,
        end_date=end,
        campaign_ids=["101", "102"],
        state_interval_seconds=0.3,
    )

    def records_after_a_state(lines: list[str]) -> bool:
        """More than 20 records after the first STATE: not all of them saved state-wise."""
        first_state = next((n for n, line in enumerate(lines) if '"type":"STATE"' in line), None)
        after = lines[first_state:] if first_state is not None else []
        return sum('"type":"RECORD"' in line for line in after) > 20

    killed, _ = run_tap_streamed(cfg, tmp_path, stop_when=records_after_a_state)
    assert killed.returncode == -signal.SIGKILL
    assert killed.states
    emulator.state.latency = 0.0
    emulator.state.reset()
    resumed = run_tap(cfg, tmp_path, state=last_state(killed))
    assert resumed.returncode == 0, resumed.stderr
    assert totals(upsert(killed, resumed)) == truth(
        emulator.state.dataset, ["101", "102"], start, end
    )
    resumed_from = {
        c: min(call["date_ini"] for call in report_calls(emulator) if call["campaign_id"] == c)
        for c in ("101", "102")
    }
    kept = last_state(killed)["bookmarks"]["turbo_dial_machine_codes"]["partitions"]
    for partition in kept:
        bookmark = partition.get("replication_key_value", start + "T00:00:00-05:00")
        assert resumed_from[partition["context"]["campaign_id"]][:8] == bookmark[:10].replace(
            "-", ""
        )


def test_an_older_state_with_settings_in_each_partition_resumes_and_is_compacted(
    emulator: Emulator, tmp_path: Path
) -> None:
    old = {
        "bookmarks": {
            "turbo_dial_machine_codes": {
                "partitions": [
                    {
                        "context": {"campaign_id": c},
                        "replication_key": "window_start",
                        "replication_key_value": "2025-06-03T00:00:00-05:00",
                        "timezone": "America/Bogota",
                        "window_days": 1,
                    }
                    for c in ("101", "102")
                ]
            }
        }
    }
    cfg = base_config(
        emulator.url, start_date="2025-06-01", end_date="2025-06-05", campaign_ids=["101", "102"]
    )
    run = run_tap(cfg, tmp_path, state=old)
    assert run.returncode == 0, run.stderr
    assert min(c["date_ini"] for c in report_calls(emulator)) == "20250603000000"
    stream = last_state(run)["bookmarks"]["turbo_dial_machine_codes"]
    assert (stream["timezone"], stream["window_days"]) == ("America/Bogota", 1)
    assert not [p for p in stream["partitions"] if "timezone" in p or "window_days" in p]


# -- 2, 3 and 4. The plan, the budget, fair progress, final windows --------------------------


def test_the_plan_is_one_line_before_the_first_report_request(
    emulator: Emulator, tmp_path: Path
) -> None:
    cfg = base_config(
        emulator.url, start_date="2025-06-01", end_date="2025-06-06", campaign_ids=["101", "102"]
    )
    run = run_tap(cfg, tmp_path, streams=CAMPAIGN_STREAMS)
    assert run.returncode == 0, run.stderr
    (plan,) = infos(run, "Plan: ")
    assert "Plan: 30 call(s) up to 2025-06-06T00:00:00-05:00" in plan
    for stream in CAMPAIGN_STREAMS:
        assert f"{stream} 10" in plan
    assert "token_info: limit 100000, used today 1, quota_reserve_percent 20" in plan
    assert not [line for line in run.stderr.splitlines() if "Planned " in line]
    assert all_calls(emulator)[0]["api"] == "token_info"
    assert len(report_calls(emulator)) == 30


@pytest.mark.parametrize("how", ["token_info", "max_calls_per_run"])
def test_a_backfill_over_the_budget_does_the_oldest_windows_and_never_exceeds_it(
    emulator: Emulator, tmp_path: Path, how: str
) -> None:
    settings: dict[str, Any] = {"campaign_ids": ["101", "102"]}
    if how == "token_info":  # 60 of 100 today, 20 % kept: 20 calls are left for this run
        emulator.state.token_limit, emulator.state.token_used = 100, 59
        budget = 21  # the token_info call itself, then 20
    else:
        settings["max_calls_per_run"] = budget = 21
    cfg = base_config(emulator.url, start_date="2025-06-01", end_date="2025-06-21", **settings)
    run = run_tap(cfg, tmp_path, streams=CAMPAIGN_STREAMS)
    assert run.returncode == 0, run.stderr
    assert len(all_calls(emulator)) <= budget
    (warning,) = warnings(run)
    assert "The plan needs 120 call(s), more than this run's budget of 21" in warning
    assert "100 window(s) are left" in warning
    assert warning.endswith("the next run continues")
    # the oldest windows of every stream and campaign first: 20 windows over 6 partitions
    days = [
        int(bookmark[8:10]) - 1
        for stream in CAMPAIGN_STREAMS
        for bookmark in stream_bookmarks(run, stream).values()
    ]
    assert len(days) == 6
    assert sum(days) == 20
    assert set(days) == {3, 4}


def test_retries_and_splits_never_take_a_run_past_its_budget(
    emulator: Emulator, tmp_path: Path
) -> None:
    emulator.add_faults(Fault("server_error", times=6, match={"api": "campaign_10"}))
    cfg = base_config(
        emulator.url,
        start_date="2025-06-01",
        end_date="2025-06-21",
        campaign_ids=["101"],
        max_calls_per_run=12,
        max_retries=8,
    )
    run = run_tap(cfg, tmp_path)
    assert run.returncode == 0, run.stderr
    assert len(all_calls(emulator)) == 12
    assert run.stderr.strip().splitlines()[-1].endswith("the next run continues")
    assert "budget of 12 calls is spent" in run.stderr
    # what was emitted is claimed, and nothing more
    bookmark = stream_bookmarks(run, "turbo_dial_machine_codes")["101"]
    emitted = {r["window_start"] for r in run.records}
    assert max(emitted) < bookmark
    assert "Traceback" not in run.stderr


def test_a_backfill_of_k_budgets_completes_in_k_plus_one_runs_every_stream_advancing(
    emulator: Emulator, tmp_path: Path
) -> None:
    start, end = "2025-06-01", "2025-06-11"
    cfg = base_config(
        emulator.url,
        start_date=start,
        end_date=end,
        campaign_ids=["101", "102"],
        max_calls_per_run=21,  # token_info and 20 windows; the backfill needs 60: K = 3
    )
    runs: list[Run] = []
    fetched: Counter[tuple[str, str, str]] = Counter()
    previous: dict[str, dict[str, str]] = {}
    for _ in range(4):
        emulator.state.reset()
        run = run_tap(
            cfg, tmp_path, state=last_state(runs[-1]) if runs else None, streams=CAMPAIGN_STREAMS
        )
        assert run.returncode == 0, run.stderr
        assert len(all_calls(emulator)) <= 21
        runs.append(run)
        fetched.update((c["api"], c["campaign_id"], c["date_ini"]) for c in report_calls(emulator))
        for stream in CAMPAIGN_STREAMS:
            now = stream_bookmarks(run, stream)
            if now != {"101": end + "T00:00:00-05:00", "102": end + "T00:00:00-05:00"}:
                assert now != previous.get(stream), f"{stream} did not advance"
            previous[stream] = now
    assert all(
        stream_bookmarks(runs[3], s)
        == {"101": f"{end}T00:00:00-05:00", "102": f"{end}T00:00:00-05:00"}
        for s in CAMPAIGN_STREAMS
    )
    assert len(fetched) == 60  # every window once: nothing fetched twice
    assert set(fetched.values()) == {1}
    codes = [r for run in runs for r in run.records if "machinecode" in r]
    assert totals(upsert(Run(0, [{"type": "RECORD", "record": r} for r in codes], "", ""))) == (
        truth(emulator.state.dataset, ["101", "102"], start, end)
    )


def test_rerunning_a_finished_fixed_end_date_backfill_fetches_nothing(
    emulator: Emulator, tmp_path: Path
) -> None:
    cfg = base_config(
        emulator.url, start_date="2025-06-01", end_date="2025-06-04T12:00:00", campaign_ids=["101"]
    )
    first = run_tap(cfg, tmp_path)
    assert first.returncode == 0, first.stderr
    assert stream_bookmarks(first, "turbo_dial_machine_codes") == {
        "101": "2025-06-04T12:00:00-05:00"
    }
    emulator.state.reset()
    again = run_tap(cfg, tmp_path, state=last_state(first))
    assert again.returncode == 0, again.stderr
    assert report_calls(emulator) == []
    assert not again.records


def test_without_token_info_the_run_says_so_and_keeps_max_calls_per_run(
    emulator: Emulator, tmp_path: Path
) -> None:
    body = {
        "code": "400",
        "error": "BAD REQUEST",
        "msg": "THE API YOU WANT TO CONSULT DOES NOT EXIST",
    }
    emulator.add_faults(
        Fault("body", match={"api": "token_info"}, status=400, body=json.dumps(body))
    )
    cfg = base_config(
        emulator.url,
        start_date="2025-06-01",
        end_date="2025-06-11",
        campaign_ids=["101"],
        max_calls_per_run=5,
    )
    run = run_tap(cfg, tmp_path)
    assert run.returncode == 0, run.stderr
    (line,) = infos(run, "token_info did not answer")
    assert line.endswith("the budget is max_calls_per_run 5 alone")
    assert len(all_calls(emulator)) == 5
    assert TOKEN not in run.stderr


# -- 5. Detail reports choose their window length --------------------------------------------


def test_a_120_day_call_details_backfill_takes_at_most_5_calls_each_record_once(
    emulator: Emulator, tmp_path: Path
) -> None:
    start, end = "2025-01-01", "2025-05-01"
    cfg = base_config(emulator.url, start_date=start, end_date=end)
    run = run_tap(cfg, tmp_path, streams=("call_details",))
    assert run.returncode == 0, run.stderr
    calls = report_calls(emulator)
    assert len(calls) <= 5, [(c["date_ini"], c["date_end"]) for c in calls]
    ids = [r["conn_id"] for r in run.records]
    assert len(ids) == len(set(ids))
    expected = truth_records(
        emulator.state.dataset,
        "cdr_1",
        {"date_ini": "20250101000000", "date_end": "20250430235959"},
    )
    assert sorted(ids) == sorted(r["conn_id"] for r in expected)
    rate = last_state(run)["bookmarks"]["call_details"]["rows_per_day"]
    assert rate > 0


def test_a_fixed_detail_window_may_change_between_runs(emulator: Emulator, tmp_path: Path) -> None:
    cfg = base_config(
        emulator.url, start_date="2025-01-01", end_date="2025-01-15", detail_window_days=7
    )
    first = run_tap(cfg, tmp_path, streams=("call_details",))
    assert first.returncode == 0, first.stderr
    assert len(report_calls(emulator)) == 2
    emulator.state.reset()
    cfg.update(end_date="2025-01-21", detail_window_days=3)
    second = run_tap(cfg, tmp_path, streams=("call_details",), state=last_state(first))
    assert second.returncode == 0, second.stderr
    assert [c["date_ini"][:8] for c in report_calls(emulator)] == ["20250115", "20250118"]


# -- 6. Partitions that come and go -----------------------------------------------------------


def test_an_agent_that_leaves_is_asked_once_more_then_finished_and_again_if_it_returns(
    emulator: Emulator, tmp_path: Path
) -> None:
    def run_until(end: str, ids: tuple[str, ...], after: Run | None) -> Run:
        emulator.state.reset()
        emulator.add_faults(agents_answer(*ids))
        cfg = base_config(emulator.url, start_date="2025-06-01", end_date=end)
        state = None if after is None else last_state(after)
        run = run_tap(cfg, tmp_path, streams=(AGENT_EVENTS,), state=state)
        assert run.returncode == 0, run.stderr
        return run

    def asked() -> set[str]:
        return {c["agent_id"] for c in report_calls(emulator) if c["api"] == "agent_2"}

    first = run_until("2025-06-03T12:00:00", ("1001", "1002"), None)
    assert asked() == {"1001", "1002"}
    second = run_until("2025-06-05", ("1001",), first)
    assert asked() == {"1001", "1002"}  # 1002 left: its last window completes
    (line,) = infos(second, "no longer listed")
    assert "agent(s) 1002 no longer listed: read once more up to 2025-06-05" in line
    partitions = last_state(second)["bookmarks"][AGENT_EVENTS]["partitions"]
    assert [p.get("finished") for p in partitions] == [None, True]
    asked_1002 = [
        (c["date_ini"], c["date_end"])
        for c in report_calls(emulator)
        if c.get("agent_id") == "1002"
    ]
    assert asked_1002 == [("20250603000000", "20250604235959")]  # one detail window, whole days
    third = run_until("2025-06-07", ("1001",), second)
    assert asked() == {"1001"}
    assert not infos(third, "no longer listed")
    run_until("2025-06-08", ("1001", "1002"), third)
    assert asked() == {"1001", "1002"}  # back in the list: asked again from its bookmark
    assert min(c["date_ini"] for c in report_calls(emulator) if c.get("agent_id") == "1002") == (
        "20250605000000"
    )


def test_agent_ids_that_cannot_be_asked_for_are_skipped_with_one_warning(
    emulator: Emulator, tmp_path: Path
) -> None:
    emulator.add_faults(agents_answer(" ", "-", "abc", "all", "1001", "01001", "1002", "1002"))
    cfg = base_config(emulator.url, start_date="2025-06-01", end_date="2025-06-02")
    run = run_tap(cfg, tmp_path, streams=(AGENT_EVENTS,))
    assert run.returncode == 0, run.stderr
    (warning,) = warnings(run)
    assert warning.endswith(
        "The agents list has IDs that cannot be asked for, skipped: ' ' (empty), "
        "'-' (not digits), 'abc' (not digits), 'all' (not digits), '01001' (is '1001'), "
        "'1002' (listed twice)"
    )
    assert {c["agent_id"] for c in report_calls(emulator) if c["api"] == "agent_2"} == {
        "1001",
        "1002",
    }


def test_an_empty_agents_list_is_one_info_line_per_stream(
    emulator: Emulator, tmp_path: Path
) -> None:
    emulator.add_faults(agents_answer())
    cfg = base_config(emulator.url, start_date="2025-06-01", end_date="2025-06-02")
    run = run_tap(cfg, tmp_path, streams=(AGENT_EVENTS,))
    assert run.returncode == 0, run.stderr
    assert len(infos(run, "agent_events: the agents list has no agent to ask for")) == 1
    assert not run.records


def test_token_info_is_read_once_even_when_its_stream_is_selected(
    emulator: Emulator, tmp_path: Path
) -> None:
    cfg = base_config(
        emulator.url, start_date="2025-06-01", end_date="2025-06-03", campaign_ids=["101"]
    )
    run = run_tap(cfg, tmp_path, streams=("token_usage", "turbo_dial_machine_codes"))
    assert run.returncode == 0, run.stderr
    assert [c["api"] for c in all_calls(emulator)].count("token_info") == 1
    (usage,) = [r for r in run.records if "token_limit" in r]
    assert str(usage["token_limit"]) == "100000"
    (plan,) = infos(run, "Plan: ")
    assert "(token_usage 0, turbo_dial_machine_codes 2)" in plan


def test_a_grouped_agent_that_leaves_is_finished_and_a_bad_grouped_bookmark_is_refused(
    emulator: Emulator, tmp_path: Path
) -> None:
    ids = tuple(str(1001 + n) for n in range(60))
    emulator.add_faults(agents_answer(*ids))
    cfg = base_config(emulator.url, start_date="2025-06-01", end_date="2025-06-02")
    first = run_tap(cfg, tmp_path, streams=(AGENT_EVENTS,))
    assert first.returncode == 0, first.stderr
    assert "partition_bookmarks" in last_state(first)["bookmarks"][AGENT_EVENTS]
    emulator.state.reset()
    emulator.add_faults(agents_answer(*ids[:-1]))
    cfg["end_date"] = "2025-06-03"
    second = run_tap(cfg, tmp_path, streams=(AGENT_EVENTS,), state=last_state(first))
    assert second.returncode == 0, second.stderr
    assert "agent(s) 1060 no longer listed" in second.stderr
    stream = last_state(second)["bookmarks"][AGENT_EVENTS]
    assert stream["partitions"] == [
        {
            "context": {"agent_id": "1060"},
            "replication_key_value": "2025-06-03T00:00:00-05:00",
            "finished": True,
        }
    ]
    assert len(stream["partition_bookmarks"]["agent_id"]["2025-06-03T00:00:00-05:00"]) == 59
    broken = last_state(second)
    broken["bookmarks"][AGENT_EVENTS]["partition_bookmarks"]["agent_id"]["yesterday"] = ["1"]
    refused = run_tap(cfg, tmp_path, streams=(AGENT_EVENTS,), state=broken)
    assert refused.returncode == 1
    assert 'partition_bookmarks.agent_id.replication_key_value is "yesterday"' in refused.stderr


def test_test_mode_asks_one_window_of_a_detail_report_and_no_token_info(
    emulator: Emulator, tmp_path: Path
) -> None:
    cfg = base_config(emulator.url, start_date="2025-01-01", end_date="2025-05-01")
    catalog = catalog_selecting(cfg, ("call_details", "agent_events"))
    (tmp_path / "config.json").write_text(json.dumps(cfg))
    (tmp_path / "catalog.json").write_text(json.dumps(catalog))
    done = subprocess.run(
        [
            TAP,
            "--config",
            str(tmp_path / "config.json"),
            "--catalog",
            str(tmp_path / "catalog.json"),
            "--test",
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert sorted(c["api"] for c in all_calls(emulator)) == ["agent_2", "agents", "cdr_1"]
