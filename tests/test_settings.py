"""Bad settings end the CLI with one clear line naming the setting, and no traceback."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

import pytest

from tap_wolkvox.settings import base_url, parse_instant
from tests.helpers import TOKEN, run_tap

if TYPE_CHECKING:
    from pathlib import Path

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
    ],
)
@pytest.mark.parametrize("mode", [(), ("--test",)])
def test_bad_setting_is_one_clear_line(
    tmp_path: Path, change: dict[str, Any], setting: str, mode: tuple[str, ...]
) -> None:
    config = {k: v for k, v in {**GOOD, **change}.items() if v is not None}
    # on Python 3.10 the SDK also prints its end-of-life notice (a FutureWarning): not ours to count
    run = run_tap(config, tmp_path, args=mode, env={"PYTHONWARNINGS": "ignore::FutureWarning"})
    assert run.returncode == 1
    assert run.messages == []
    assert "Traceback" not in run.stderr
    problems = [line for line in run.stderr.splitlines() if "| INFO" not in line]
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
