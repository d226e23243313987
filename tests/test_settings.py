"""Bad settings end the CLI with one clear line naming the setting, and no traceback."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

import pytest

from tap_wolkvox.settings import base_url, parse_instant
from tests.helpers import TOKEN, problem_lines, run_tap

if TYPE_CHECKING:
    from pathlib import Path

    from wolkvox_emulator import Emulator

GOOD: dict[str, Any] = {"api_token": TOKEN, "server": "0042", "start_date": "2025-01-01"}


@pytest.mark.parametrize(
    ("change", "setting"),
    [
        ({"window_days": 0}, "window_days"),
        ({"window_days": 45}, "window_days"),
        ({"server": "evil.example.com/x"}, "server"),
        ({"api_token": None}, "api_token"),
        ({"server": None}, "server"),
        ({"start_date": "yesterday-ish"}, "start_date"),
        ({"end_date": "2024-12-31"}, "end_date"),
        ({"timezone": "Mars/Olympus"}, "timezone"),
        ({"campaign_ids": ["12a"]}, "campaign_ids"),
        ({"max_concurrent_requests": 5}, "max_concurrent_requests"),
        ({"api_url": "ftp://127.0.0.1/"}, "api_url"),
        ({"timezone": ""}, "timezone"),
        ({"start_date": "1999-12-31"}, "start_date"),
        ({"start_date": "0001-01-01"}, "start_date"),
        ({"start_date": "2999-01-01"}, "start_date"),
        ({"end_date": "1999-01-01", "start_date": "2025-01-01"}, "end_date"),
        ({"end_date": "2101-01-02"}, "end_date"),
        ({"end_date": "9999-12-31T23:59:59"}, "end_date"),
        ({"campaign_ids": ["all", "101"]}, "campaign_ids"),
        ({"campaign_ids": ["017", "17"]}, "campaign_ids"),
        ({"lookback_minutes": 1441}, "lookback_minutes"),
        ({"lookback_minutes": -1}, "lookback_minutes"),
        ({"detail_window_days": 0}, "detail_window_days"),
        ({"detail_window_days": "32"}, "detail_window_days"),
        ({"detail_window_days": "weekly"}, "detail_window_days"),
        ({"state_interval_seconds": -1}, "state_interval_seconds"),
        ({"quota_reserve_percent": 101}, "quota_reserve_percent"),
        ({"max_calls_per_run": 0}, "max_calls_per_run"),
    ],
)
@pytest.mark.parametrize("mode", [(), ("--test",)])
def test_bad_setting_is_one_clear_line(
    tmp_path: Path, change: dict[str, Any], setting: str, mode: tuple[str, ...]
) -> None:
    config = {k: v for k, v in {**GOOD, **change}.items() if v is not None}
    run = run_tap(config, tmp_path, args=mode)
    assert run.returncode == 1
    assert run.messages == []
    assert "Traceback" not in run.stderr
    problems = problem_lines(run.stderr)  # not the SDK's Python 3.10 notice
    assert len(problems) == 1, run.stderr
    assert problems[0].startswith("Error: invalid settings: ")
    assert setting in problems[0]
    assert TOKEN not in run.stderr


def test_naive_start_date_is_operation_local_time() -> None:
    bogota = ZoneInfo("America/Bogota")
    assert parse_instant("2025-01-31", bogota).isoformat() == "2025-01-31T00:00:00-05:00"
    assert parse_instant("2025-01-31T10:00:00Z", bogota).isoformat() == "2025-01-31T05:00:00-05:00"
    assert parse_instant("2025-01-31T10:00:00+01:00", bogota).hour == 4


def test_base_url_is_the_operation_host_unless_api_url_is_given() -> None:
    assert base_url({"server": "0042"}) == "https://wv0042.wolkvox.com"
    assert (
        base_url({"server": "0042", "api_url": "http://127.0.0.1:9/api/v2/"})
        == "http://127.0.0.1:9"
    )


def test_unknown_settings_are_named_with_a_suggestion(emulator: Emulator, tmp_path: Path) -> None:
    config = {**GOOD, "campaign_id": ["101"], "colour": "blue", "api_url": emulator.url}
    run = run_tap({**config, "end_date": "2025-01-02"}, tmp_path)
    assert run.returncode == 0, run.stderr
    warnings = [line for line in run.stderr.splitlines() if "Unknown setting" in line]
    assert len(warnings) == 2
    assert warnings[0].endswith(
        "Unknown setting campaign_id is ignored; did you mean campaign_ids?"
    )
    assert warnings[1].endswith("Unknown setting colour is ignored")


def test_numbers_given_as_strings_are_read_as_numbers(emulator: Emulator, tmp_path: Path) -> None:
    # Meltano passes a `string`-kind setting from the environment as text, e.g. "0.5"
    config = {
        **GOOD,
        "api_url": emulator.url,
        "end_date": "2025-01-02",
        "retry_wait_seconds": "0.5",
        "request_timeout_seconds": "30",
    }
    run = run_tap(config, tmp_path)
    assert run.returncode == 0, run.stderr
    bad = run_tap({**config, "retry_wait_seconds": "soon"}, tmp_path)
    assert bad.returncode == 1
    assert "retry_wait_seconds" in bad.stderr
