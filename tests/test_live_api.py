"""The live API's answers (docs/wolkvox-api.md §3), through the CLI against the emulator."""

from __future__ import annotations

import json
import mmap
import re
import types
from typing import TYPE_CHECKING, Any

import pytest

from tap_wolkvox.http import body as http_body
from tap_wolkvox.http.answers import _retry_after
from tests.helpers import (
    TOKEN,
    Run,
    base_config,
    bookmarks,
    report_calls,
    run_tap,
    totals,
    truth,
    upsert,
)
from wolkvox_emulator import Fault

if TYPE_CHECKING:
    from pathlib import Path

    from wolkvox_emulator import Emulator

START, END = "2025-07-01", "2025-07-04"
DAY = "20250702"  # faults target the window starting on this day


def config(emulator: Emulator, **overrides: Any) -> dict[str, Any]:
    settings = {"start_date": START, "end_date": END, "campaign_ids": ["101"], **overrides}
    return base_config(emulator.url, **settings)


def one_error_line(run: Run) -> str:
    assert "Traceback" not in run.stderr
    errors = [line for line in run.stderr.splitlines() if "ERROR" in line]
    assert len(errors) == 1, run.stderr
    return errors[0]


@pytest.mark.parametrize("empty_data", ["404", "list"])
def test_empty_windows_advance_the_bookmark_as_404_or_as_an_empty_list(
    emulator: Emulator, tmp_path: Path, empty_data: str
) -> None:
    emulator.state.empty_data = empty_data
    run = run_tap(config(emulator, campaign_ids=["101", "999"]), tmp_path)
    assert run.returncode == 0, run.stderr
    statuses = {c["campaign_id"]: c["status"] for c in report_calls(emulator)}
    assert statuses["999"] == (404 if empty_data == "404" else 200)
    assert bookmarks(run)["999"] == "2025-07-04T00:00:00-05:00"
    assert not [r for r in run.records if r["campaign_id"] == "999"]
    assert totals(upsert(run)) == truth(emulator.state.dataset, ["101", "999"], START, END)
    assert "Progress of turbo_dial_machine_codes: 6/6 windows" in run.stderr
    assert ", 3 empty windows, done" in run.stderr


def test_404_validate_dates_in_the_body_code_is_an_empty_window(
    emulator: Emulator, tmp_path: Path
) -> None:
    body = {"code": "404", "error": "NOT FOUND", "msg": "Validate dates entered"}
    emulator.add_faults(Fault("body", status=200, body=json.dumps(body), match={"date_ini": DAY}))
    run = run_tap(config(emulator), tmp_path)
    assert run.returncode == 0, run.stderr
    assert not [r for r in run.records if r["window_start"].startswith("2025-07-02")]
    assert bookmarks(run)["101"] == "2025-07-04T00:00:00-05:00"


def test_any_other_404_stops_naming_the_report(emulator: Emulator, tmp_path: Path) -> None:
    body = {"code": 404, "error": "NOT FOUND", "msg": "NOT FOUND"}
    emulator.add_faults(Fault("body", status=404, body=json.dumps(body), match={"date_ini": DAY}))
    run = run_tap(config(emulator, max_concurrent_requests=1), tmp_path)
    assert run.returncode == 1
    line = one_error_line(run)
    assert "Wolkvox has no report api=campaign_10 on this server (HTTP 404: NOT FOUND" in line
    assert bookmarks(run)["101"] == "2025-07-02T00:00:00-05:00"
    assert TOKEN not in run.stderr


def test_a_stream_that_only_gets_404_warns_once(emulator: Emulator, tmp_path: Path) -> None:
    cfg = config(emulator, campaign_ids=["999"], start_date="2025-07-01", end_date="2025-07-08")
    run = run_tap(cfg, tmp_path)
    assert run.returncode == 0, run.stderr
    warnings = [line for line in run.stderr.splitlines() if "may not be enabled" in line]
    assert len(warnings) == 1
    assert "All 7 windows of turbo_dial_machine_codes (api=campaign_10)" in warnings[0]
    # six empty windows are not enough to say so, and nor are windows with data
    short = run_tap({**cfg, "end_date": "2025-07-07"}, tmp_path)
    busy = run_tap({**cfg, "campaign_ids": ["101"], "end_date": "2025-07-08"}, tmp_path)
    assert "may not be enabled" not in short.stderr + busy.stderr


@pytest.mark.parametrize("code", [200, "200", "", " ", "0"], ids=repr)
def test_every_success_code_is_accepted(emulator: Emulator, tmp_path: Path, code: Any) -> None:
    rows = [{"machinecode": "busy", "cantidad": "4"}, {"machinecode": "answer", "cantidad": "1"}]
    body = {"code": code, "error": None, "msg": "2 records were found", "data": rows}
    emulator.add_faults(Fault("body", status=200, body=json.dumps(body), match={"date_ini": DAY}))
    run = run_tap(config(emulator), tmp_path)
    assert run.returncode == 0, run.stderr
    day = {
        r["machinecode"]: r["cantidad"]
        for r in run.records
        if r["window_start"][:10] == "2025-07-02"
    }
    assert day == {"busy": 4, "answer": 1}


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (
            {"code": "200", "error": "FORBIDDEN", "msg": "TOKEN LIMIT EXCEEDED"},
            "Wolkvox daily token limit reached",
        ),
        (
            {"code": 200, "error": "FORBIDDEN", "msg": "PLEASE VALIDATE TOKEN", "data": []},
            "check the api_token setting",
        ),
        (
            {"code": "", "error": "BAD REQUEST", "msg": "SOME PARAMETERS ARE REQUIRED"},
            "Wolkvox rejected the request (HTTP 400: BAD REQUEST: SOME PARAMETERS ARE REQUIRED)",
        ),
    ],
)
def test_a_2xx_with_an_error_is_that_error_not_an_empty_window(
    emulator: Emulator, tmp_path: Path, body: dict[str, Any], expected: str
) -> None:
    emulator.add_faults(Fault("body", status=200, body=json.dumps(body), match={"date_ini": DAY}))
    run = run_tap(config(emulator, max_concurrent_requests=1), tmp_path)
    assert run.returncode == 1
    assert expected in one_error_line(run)
    assert bookmarks(run)["101"] == "2025-07-02T00:00:00-05:00"  # the window was not claimed


@pytest.mark.parametrize("value", ["soon", "nan", "-5", "", "Wed, 21 Oct 2015 07:28:00"])
def test_unusable_retry_after_is_ignored_and_the_request_retried(
    emulator: Emulator, tmp_path: Path, value: str
) -> None:
    emulator.add_faults(Fault("unavailable", retry_after=value, match={"date_ini": DAY}))
    run = run_tap(config(emulator), tmp_path)
    assert run.returncode == 0, run.stderr
    assert "Traceback" not in run.stderr
    assert len(re.findall(r"\| Retry 1 in ", run.stderr)) == 1
    assert totals(upsert(run)) == truth(emulator.state.dataset, ["101"], START, END)


def test_retry_after_is_clamped_to_ten_minutes() -> None:
    class Answer:
        def __init__(self, value: str) -> None:
            self.headers = {"Retry-After": value}

    assert _retry_after(Answer("1e9")) == 600.0  # type: ignore[arg-type]
    assert _retry_after(Answer("inf")) == 600.0  # type: ignore[arg-type]
    assert _retry_after(Answer("-3")) == 0.0  # type: ignore[arg-type]
    assert _retry_after(Answer("2.5")) == 2.5  # type: ignore[arg-type]


class _NoResize(mmap.mmap):
    """A mapping that cannot be resized in place, as on systems without mremap."""

    def resize(self, newsize: int) -> None:
        raise SystemError(f"mmap: resizing not available--no mremap() ({newsize})")


@pytest.mark.parametrize("resizable", [True, False])
def test_a_body_of_unknown_length_is_read_whole_as_its_mapping_grows(
    monkeypatch: pytest.MonkeyPatch, *, resizable: bool
) -> None:
    # a gzip or chunked answer announces no length: the mapping starts at a page and grows
    if not resizable:
        fake = types.SimpleNamespace(
            mmap=_NoResize, PAGESIZE=mmap.PAGESIZE, MAP_PRIVATE=mmap.MAP_PRIVATE
        )
        monkeypatch.setattr(http_body, "mmap", fake)
    pieces = [bytes([i % 251]) * (1000 + 7 * i) for i in range(200)]  # ~0.3 MB
    body = http_body.MappedBody(0)
    for piece in pieces:
        body.add(piece)
    assert body.view() == b"".join(pieces)


def test_request_timeout_bounds_the_whole_call_of_a_trickling_server(
    emulator: Emulator, tmp_path: Path
) -> None:
    # ~40 bytes, one every 0.1 s: no single read waits a second, the whole answer takes 4 s
    emulator.add_faults(Fault("trickle", delay=0.1, match={"date_ini": DAY}))
    run = run_tap(config(emulator, request_timeout_seconds=1), tmp_path)
    assert run.returncode == 0, run.stderr
    retries = [line for line in run.stderr.splitlines() if "| Retry 1 in " in line]
    assert len(retries) == 1
    assert "took longer than request_timeout_seconds (1 s)" in retries[0]
    assert totals(upsert(run)) == truth(emulator.state.dataset, ["101"], START, END)
