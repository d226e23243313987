"""Everyday operations through the CLI: late calls, signals, pasted tokens, campaign lists,
and zones whose midnight DST skips."""

from __future__ import annotations

import datetime as dt
import signal
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

import pytest

from tap_wolkvox import run_control
from tests.helpers import (
    TOKEN,
    Run,
    base_config,
    bookmarks,
    last_state,
    problem_lines,
    report_calls,
    run_in_process,
    run_tap,
    run_tap_streamed,
    totals,
    truth,
    upsert,
)
from wolkvox_emulator import Dataset, Emulator, EmulatorState

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path


def dates_asked(emulator: Emulator) -> list[str]:
    return sorted(c["date_ini"][:8] for c in report_calls(emulator) if "date_ini" in c)


# -- late calls -----------------------------------------------------------------------------


@pytest.mark.parametrize("lookback", [60, 0])
def test_a_run_just_after_midnight_then_a_later_run_recover_every_late_call(
    emulator: Emulator, monkeypatch: pytest.MonkeyPatch, lookback: int
) -> None:
    emulator.state.late_minutes = 5  # a call shows up 5 minutes after its stamp
    settings: dict[str, Any] = {"campaign_ids": ["101", "102"], "lookback_minutes": lookback}
    start = "2025-08-10"

    def run_at(moment: dt.datetime, after: Run | None = None) -> Run:
        """A run at `moment` (the tap's and the emulator's clock), from the state `after` left."""
        emulator.state.reset()
        emulator.state.now = moment
        at = moment.replace(tzinfo=ZoneInfo("America/Bogota")).astimezone(dt.timezone.utc)
        monkeypatch.setattr(run_control, "clock", lambda: at)
        cfg = base_config(emulator.url, start_date=start, **settings)
        run = run_in_process(cfg, state=None if after is None else last_state(after))
        assert run.returncode == 0, run.stderr
        return run

    at_0002 = run_at(dt.datetime(2025, 8, 12, 0, 2))
    missed = truth(emulator.state.dataset, ["101", "102"], "2025-08-11T23:55:00", "2025-08-12")
    assert sum(missed.values()), "the dataset has no call in the last minutes of the day"
    at_0600 = run_at(dt.datetime(2025, 8, 12, 6, 0), after=at_0002)
    everything = truth(emulator.state.dataset, ["101", "102"], start, "2025-08-12T06:00:00")
    recovered = totals(upsert(at_0002, at_0600))
    if lookback:
        assert recovered == everything
        # the run within the look-back of midnight costs one more call per campaign
        assert dates_asked(emulator) == ["20250811", "20250811", "20250812", "20250812"]
    else:
        assert recovered != everything  # without a look-back the late calls are lost
        assert dates_asked(emulator) == ["20250812", "20250812"]

    # a daily run at 06:00 costs 2 calls per campaign
    run_at(dt.datetime(2025, 8, 13, 6, 0), after=at_0600)
    assert dates_asked(emulator) == ["20250812", "20250812", "20250813", "20250813"]


# -- signals --------------------------------------------------------------------------------


@pytest.mark.parametrize(("signum", "code"), [(signal.SIGTERM, 143), (signal.SIGINT, 130)])
def test_a_signal_stops_after_complete_windows_and_says_so(
    emulator: Emulator, tmp_path: Path, signum: int, code: int
) -> None:
    emulator.state.latency = 0.2
    cfg = base_config(
        emulator.url,
        start_date="2025-05-01",
        end_date="2025-05-21",
        campaign_ids=["101"],
        state_interval_seconds=0,  # a STATE after every window: the signal comes mid-run
    )
    run, _ = run_tap_streamed(
        cfg,
        tmp_path,
        stop_when=lambda lines: '"replication_key_value"' in lines[-1] and len(lines) > 20,
        signum=signum,
    )
    assert run.returncode == code
    assert "Traceback" not in run.stderr
    last_line = run.stderr.strip().splitlines()[-1]
    assert last_line.endswith("Interrupted: completed windows are saved in state; rerun to resume")
    assert run.stderr.count("Interrupted:") == 1
    # every window with records is complete and followed by its STATE
    assert run.messages[-1]["type"] == "STATE"
    done = bookmarks(run)["101"]
    assert done is not None
    assert {r["window_start"] for r in run.records} <= {
        f"2025-05-{d:02d}T00:00:00-05:00" for d in range(1, 21)
    }
    assert max(r["window_start"] for r in run.records) <= done
    for window_start in {r["window_start"] for r in run.records}:
        end = (dt.datetime.fromisoformat(window_start) + dt.timedelta(days=1)).isoformat()
        got = {
            r["machinecode"]: r["cantidad"]
            for r in run.records
            if r["window_start"] == window_start
        }
        expected = truth(emulator.state.dataset, ["101"], window_start, end)
        assert got == {code: n for (_, code), n in expected.items()}
    emulator.state.latency = 0
    resumed = run_tap(cfg, tmp_path, state=last_state(run))
    assert resumed.returncode == 0, resumed.stderr
    assert totals(upsert(run, resumed)) == truth(
        emulator.state.dataset, ["101"], "2025-05-01", "2025-05-21"
    )


# -- the token ------------------------------------------------------------------------------


@pytest.mark.parametrize("pasted", [TOKEN + "\n", TOKEN + "\r\n", f"  {TOKEN} \t"])
def test_a_pasted_token_is_cleaned(emulator: Emulator, tmp_path: Path, pasted: str) -> None:
    cfg = base_config(
        emulator.url, start_date="2025-05-01", end_date="2025-05-02", api_token=pasted
    )
    run = run_tap(cfg, tmp_path)
    assert run.returncode == 0, run.stderr
    assert run.records
    assert TOKEN not in run.stderr + run.stdout


@pytest.mark.parametrize("bad", [TOKEN[:6] + "\n" + TOKEN[6:], TOKEN + "\x00", "\r\n"])
def test_a_token_that_is_no_header_value_is_one_settings_line(
    emulator: Emulator, tmp_path: Path, bad: str
) -> None:
    cfg = base_config(emulator.url, start_date="2025-05-01", api_token=bad)
    run = run_tap(cfg, tmp_path)
    assert run.returncode == 1
    assert "Traceback" not in run.stderr
    problems = problem_lines(run.stderr)
    assert len(problems) == 1, run.stderr
    assert problems[0].startswith("Error: invalid settings: api_token: ")
    assert TOKEN[:6] not in run.stderr
    assert TOKEN[6:] not in run.stderr
    assert not report_calls(emulator)


# -- campaigns ------------------------------------------------------------------------------


@pytest.fixture
def emulator_of(request: pytest.FixtureRequest) -> Iterator[Emulator]:
    """An emulator whose campaigns are the test's parameter."""
    state = EmulatorState(dataset=Dataset(campaigns=request.param), tokens=frozenset({TOKEN}))
    server = Emulator(state).start()
    yield server
    server.stop()


@pytest.mark.parametrize("emulator_of", [(), ("103",)], indirect=True, ids=["empty", "stopped"])
def test_star_that_selects_no_campaign_is_one_info_line(
    emulator_of: Emulator, tmp_path: Path
) -> None:
    for campaign in emulator_of.state.dataset.campaigns:
        emulator_of.state.campaign_changes[campaign] = {"status": "Stopped"}
    cfg = base_config(
        emulator_of.url,
        start_date="2025-05-01",
        end_date="2025-05-03",
        campaign_ids=["*"],
        only_started=True,
    )
    run = run_tap(cfg, tmp_path)
    assert run.returncode == 0, run.stderr
    assert "Traceback" not in run.stderr
    assert run.stderr.count('campaign_ids ["*"] selects no campaign') == 1
    assert not run.records
    assert [c["api"] for c in report_calls(emulator_of)] == ["campaigns"]


@pytest.mark.parametrize("emulator_of", [("101", "7-B", "abc")], indirect=True)
def test_listed_ids_that_are_not_numbers_are_skipped_with_a_warning(
    emulator_of: Emulator, tmp_path: Path
) -> None:
    cfg = base_config(
        emulator_of.url, start_date="2025-05-01", end_date="2025-05-02", campaign_ids=["*"]
    )
    run = run_tap(cfg, tmp_path)
    assert run.returncode == 0, run.stderr
    warnings = [line for line in run.stderr.splitlines() if "cannot be asked for" in line]
    assert len(warnings) == 1
    assert warnings[0].endswith("skipped: '7-B' (not digits), 'abc' (not digits)")
    assert {r["campaign_id"] for r in run.records} == {"101"}


def test_a_campaign_stopped_between_runs_completes_its_last_window(
    emulator: Emulator, tmp_path: Path
) -> None:
    changes = emulator.state.campaign_changes
    for campaign in ("101", "102", "103"):
        changes[campaign] = {"status": "Started", "type_campaign": "predictive"}
    settings: dict[str, Any] = {"campaign_ids": ["*"], "only_started": True}
    start = "2025-09-01"
    first = run_tap(
        base_config(emulator.url, start_date=start, end_date="2025-09-03T12:00:00", **settings),
        tmp_path,
    )
    assert first.returncode == 0, first.stderr
    assert bookmarks(first)["103"] == "2025-09-03T12:00:00-05:00"
    # 103 stops at 15:00 that day; the next run still completes its partial window
    changes["103"] = {"status": "Stopped", "last_use": "2025-09-03 15:00:00"}
    emulator.state.reset()
    second = run_tap(
        base_config(emulator.url, start_date=start, end_date="2025-09-05", **settings),
        tmp_path,
        state=last_state(first),
    )
    assert second.returncode == 0, second.stderr
    asked = {
        (c["campaign_id"], c["date_ini"][:8])
        for c in report_calls(emulator)
        if c["api"] == "campaign_10"
    }
    assert ("103", "20250903") in asked
    assert totals(upsert(first, second)) == truth(
        emulator.state.dataset, ["101", "102", "103"], start, "2025-09-05"
    )
    # once its bookmark has passed its last use, it is left alone
    emulator.state.reset()
    third = run_tap(
        base_config(emulator.url, start_date=start, end_date="2025-09-06", **settings),
        tmp_path,
        state=last_state(second),
    )
    assert third.returncode == 0, third.stderr
    assert "103" not in {c.get("campaign_id") for c in report_calls(emulator)}


# -- zones whose midnight DST skips ---------------------------------------------------------


@pytest.mark.parametrize(
    ("zone", "start", "end"),
    [
        ("America/Havana", "2025-03-08", "2025-03-11"),  # 2025-03-09 00:00 does not exist
        ("Asia/Beirut", "2025-03-29", "2025-04-01"),  # 2025-03-30 00:00 does not exist
        ("Africa/Cairo", "2025-04-24", "2025-04-27"),  # 2025-04-25 00:00 does not exist
    ],
)
def test_a_skipped_midnight_loses_no_row_whatever_the_window_size(
    emulator: Emulator, tmp_path: Path, zone: str, start: str, end: str
) -> None:
    results = {}
    for window_days in (1, 3):
        emulator.state.reset()
        cfg = base_config(
            emulator.url,
            start_date=start,
            end_date=end,
            timezone=zone,
            window_days=window_days,
            campaign_ids=["all"],
        )
        run = run_tap(cfg, tmp_path)
        assert run.returncode == 0, run.stderr
        results[window_days] = totals(upsert(run))
        asked = [(c["date_ini"], c["date_end"]) for c in report_calls(emulator)]
        assert all(ini.endswith("000000") for ini, _ in asked), asked
    skipped_hour = start[:8] + str(int(start[8:]) + 1).zfill(2)
    in_gap = truth(
        emulator.state.dataset, ["all"], f"{skipped_hour}T00:00", f"{skipped_hour}T00:59:59"
    )
    assert sum(in_gap.values()), "no row stamped in the skipped hour: the test would prove nothing"
    expected = truth(emulator.state.dataset, ["all"], start, end, tz=zone)
    assert results[1] == results[3] == expected
