"""Every Wolkvox failure handled: retried, stopped cleanly, or refused, with exact totals."""

from __future__ import annotations

import datetime as dt
import re
import signal
from typing import TYPE_CHECKING, Any

import pytest

from tests.helpers import (
    TOKEN,
    Run,
    base_config,
    bookmarks,
    last_state,
    report_calls,
    run_tap,
    run_tap_streamed,
    totals,
    truth,
    upsert,
)
from wolkvox_emulator import Fault

if TYPE_CHECKING:
    from pathlib import Path

    from wolkvox_emulator import Emulator

START, END = "2025-07-01", "2025-07-06"
CAMPAIGNS = ["101", "102"]
FAILING_DAY = "20250703"  # faults target the window that starts on this day
DEBUG = {"TAP_WOLKVOX_LOGLEVEL": "DEBUG"}


def config(emulator: Emulator, **overrides: Any) -> dict[str, Any]:
    return base_config(
        emulator.url, start_date=START, end_date=END, campaign_ids=CAMPAIGNS, **overrides
    )


def assert_truth(emulator: Emulator, *runs: Run) -> None:
    assert totals(upsert(*runs)) == truth(emulator.state.dataset, CAMPAIGNS, START, END)


def assert_no_token(run: Run) -> None:
    assert TOKEN not in run.stdout
    assert TOKEN not in run.stderr


TRANSIENT = [
    Fault("server_error", times=2),
    Fault("bad_gateway", times=2),
    Fault("unavailable", times=1, retry_after=0.05),
    Fault("rate_limit", times=2, retry_after=0.05),
    Fault("html", times=2),
    Fault("truncated", times=2),
    Fault("reset", times=2),
    Fault("timeout", times=1, delay=1.5),
    Fault("concurrency", times=1),
    Fault("maintenance", times=2),
    Fault("body", times=1, status=200, body="[]"),
]


@pytest.mark.parametrize("fault", TRANSIENT, ids=[f.kind for f in TRANSIENT])
def test_transient_faults_are_retried_to_the_exact_truth(
    emulator: Emulator, tmp_path: Path, fault: Fault
) -> None:
    fault.match = {"date_ini": FAILING_DAY, "campaign_id": "101"}
    emulator.add_faults(fault)
    run = run_tap(config(emulator, request_timeout_seconds=1), tmp_path, env=DEBUG)
    assert run.returncode == 0, run.stderr
    assert_truth(emulator, run)
    calls = [c for c in report_calls(emulator) if c["fault"]]
    assert [c["fault"] for c in calls] == [fault.kind] * len(calls)
    assert len(calls) >= 1
    assert len(re.findall(r"\| Retry \d+ in ", run.stderr)) == len(calls)
    assert "continuing with 1 request at a time" not in run.stderr  # one refusal is no pattern
    assert_no_token(run)


def test_maintenance_wait_is_logged(emulator: Emulator, tmp_path: Path) -> None:
    emulator.add_faults(Fault("maintenance", times=1, match={"date_ini": FAILING_DAY}))
    run = run_tap(config(emulator), tmp_path)
    assert run.returncode == 0, run.stderr
    assert "Wolkvox is under maintenance" in run.stderr


@pytest.mark.parametrize("kind", ["server_error", "truncated", "reset", "maintenance"])
def test_a_window_that_never_answers_fails_naming_it_and_is_never_bookmarked(
    emulator: Emulator, tmp_path: Path, kind: str
) -> None:
    emulator.add_faults(
        Fault(kind, times=100, match={"date_ini": FAILING_DAY, "campaign_id": "101"})
    )
    run = run_tap(config(emulator, max_retries=2, max_concurrent_requests=1), tmp_path, env=DEBUG)
    assert run.returncode == 1
    assert "Traceback" not in run.stderr
    assert (
        f"date_ini={FAILING_DAY}000000" in run.stderr.splitlines()[-2] + run.stderr.splitlines()[-1]
    )
    assert not [r for r in run.records if r["window_start"].startswith("2025-07-03")]
    assert bookmarks(run)["101"] == "2025-07-03T00:00:00-05:00"
    if kind != "maintenance":  # maintenance is bounded by time, the others by max_retries
        failing = [c for c in report_calls(emulator) if c["fault"] == kind]
        assert len(failing) == 3
    assert_no_token(run)


@pytest.mark.parametrize("kind", ["invalid_token", "missing_token"])
def test_rejected_token_fails_fast_naming_the_setting(
    emulator: Emulator, tmp_path: Path, kind: str
) -> None:
    emulator.add_faults(Fault(kind, times=100))
    run = run_tap(config(emulator), tmp_path, env=DEBUG)
    assert run.returncode == 1
    assert "api_token" in run.stderr
    calls = [c["api"] for c in emulator.state.stats()["calls"]]
    assert calls == ["token_info"], "no retries, and no report asked, on a rejected token"
    assert "Traceback" not in run.stderr
    assert_no_token(run)


def test_wrong_token_from_the_server_itself(emulator: Emulator, tmp_path: Path) -> None:
    cfg = config(emulator, api_token="not-the-token-9d8e")  # noqa: S106
    run = run_tap(cfg, tmp_path)
    assert run.returncode == 1
    assert "check the api_token setting" in run.stderr
    assert "not-the-token-9d8e" not in run.stderr + run.stdout


@pytest.mark.parametrize("kind", ["range", "missing_params", "unknown_api", "bad_date"])
def test_rejected_request_names_the_window_and_parameters(
    emulator: Emulator, tmp_path: Path, kind: str
) -> None:
    emulator.add_faults(Fault(kind, match={"date_ini": FAILING_DAY, "campaign_id": "101"}))
    run = run_tap(config(emulator, max_concurrent_requests=1), tmp_path)
    assert run.returncode == 1
    said = "has no report api=campaign_10 on this server" if kind == "unknown_api" else "rejected"
    error = [line for line in run.stderr.splitlines() if said in line]
    assert len(error) == 1
    assert "campaign 101 window [2025-07-03T00:00:00-05:00, 2025-07-04T00:00:00-05:00)" in error[0]
    assert f"date_ini={FAILING_DAY}000000, date_end={FAILING_DAY}235959" in error[0]
    assert bookmarks(run)["101"] == "2025-07-03T00:00:00-05:00"
    assert_no_token(run)


def test_redirect_is_not_followed(emulator: Emulator, tmp_path: Path) -> None:
    emulator.add_faults(Fault("redirect", match={"date_ini": FAILING_DAY}))
    run = run_tap(config(emulator, max_concurrent_requests=1), tmp_path)
    assert run.returncode == 1
    assert "redirects are not followed" in run.stderr


def test_quota_stop_keeps_completed_windows_and_resume_reaches_the_truth(
    emulator: Emulator, tmp_path: Path
) -> None:
    emulator.state.quota = 7  # 10 requests are needed: 5 days x 2 campaigns
    emulator.state.token_limit = 1000  # token_info does not see what else uses the token
    first = run_tap(config(emulator), tmp_path, env=DEBUG)
    assert first.returncode == 1
    assert "daily token limit reached" in first.stderr
    assert "rerun after the quota resets" in first.stderr
    assert "Traceback" not in first.stderr
    # the last STATE names only windows that were answered in full and emitted
    answered = {
        (c["campaign_id"], c["date_ini"])
        for c in report_calls(emulator)
        if c["status"] in {200, 404}
    }
    claimed = {c: b for c, b in bookmarks(first).items() if b}
    assert claimed, "the run completed no window before the quota"
    for campaign, bookmark in claimed.items():  # the end of the last window answered
        start = (dt.datetime.fromisoformat(bookmark) - dt.timedelta(days=1)).isoformat()
        date_ini = dt.datetime.fromisoformat(start).strftime("%Y%m%d%H%M%S")
        assert (campaign, date_ini) in answered
        window = {
            r["machinecode"]: r["cantidad"]
            for r in first.records
            if (r["campaign_id"], r["window_start"]) == (campaign, start)
        }
        expected = truth(emulator.state.dataset, [campaign], start, bookmark)
        assert window == {code: n for (_, code), n in expected.items()}
    emulator.state.reset()  # the next day: the quota is back
    second = run_tap(config(emulator), tmp_path, state=last_state(first))
    assert second.returncode == 0, second.stderr
    assert_truth(emulator, first, second)
    assert_no_token(first)


def test_sigkill_mid_run_then_resume_reaches_the_truth(emulator: Emulator, tmp_path: Path) -> None:
    emulator.state.latency = 0.15
    cfg = config(emulator, state_interval_seconds=0)

    def third_bookmark(lines: list[str]) -> bool:
        """The third STATE holding a bookmark has come: mid-run."""
        saved = [s for s in lines if '"type":"STATE"' in s.replace(" ", "")]
        return sum("replication_key_value" in s for s in saved) == 3

    killed, _ = run_tap_streamed(cfg, tmp_path, stop_when=third_bookmark)
    assert killed.returncode == -signal.SIGKILL
    assert killed.records
    emulator.state.latency = 0.0
    resumed = run_tap(cfg, tmp_path, state=last_state(killed))
    assert resumed.returncode == 0, resumed.stderr
    assert_truth(emulator, killed, resumed)


def test_repeated_concurrency_refusals_fall_back_to_one_request(
    emulator: Emulator, tmp_path: Path
) -> None:
    emulator.add_faults(Fault("concurrency", times=3, match={"date_ini": FAILING_DAY}))
    run = run_tap(config(emulator), tmp_path)
    assert run.returncode == 0, run.stderr
    assert run.stderr.count("continuing with 1 request at a time") == 1
    assert_truth(emulator, run)


def test_run_logs_its_plan_and_api_calls(emulator: Emulator, tmp_path: Path) -> None:
    emulator.add_faults(Fault("server_error", times=1, match={"api": "campaign_10"}))
    run = run_tap(config(emulator), tmp_path)
    assert run.returncode == 0, run.stderr
    assert "Plan: 10 call(s) up to 2025-07-06T00:00:00-05:00 (turbo_dial_machine_codes 10)" in (
        run.stderr
    )
    assert "Run summary: 12 Wolkvox API calls (1 of them retries)" in run.stderr  # token_info
    assert len(report_calls(emulator)) == 11
