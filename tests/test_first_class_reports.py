"""The first-class reports through the CLI: exact values against the emulator's truth,
a detail report split at a small row cap, and an aggregate that refuses to split."""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from decimal import Decimal
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

import pytest

from tap_wolkvox.catalogue import BY_API, REPORTS, Report
from tap_wolkvox.catalogue.schema import partition_field
from tests.helpers import Run, base_config, report_calls, run_tap, with_local_times
from tests.tiers import FIRST_CLASS
from wolkvox_emulator.answers import CAMPAIGN_REPORTS, truth_records
from wolkvox_emulator.truth import LISTS, TRUTH

if TYPE_CHECKING:
    from pathlib import Path

    from wolkvox_emulator import Emulator

COUNTED = {*CAMPAIGN_REPORTS, "campaigns"}  # exact against the dial events: tests/test_reports.py
# the first-class reports whose truth is the event model's
FROM_EVENTS = [r for r in REPORTS if r.stream in FIRST_CLASS.values() and r.api not in COUNTED]
WINDOW = ("window_start", "window_end", "window_date")


def plain(value: Any) -> Any:
    """JSON as a target reads it (decimals as numbers)."""
    return json.loads(
        json.dumps(value, default=lambda v: float(v) if isinstance(v, Decimal) else str(v))
    )


def key(record: dict[str, Any]) -> str:
    return json.dumps(plain(record), sort_keys=True)


def expected_by_request(emulator: Emulator, report: Report) -> dict[tuple[Any, ...], list[str]]:
    """Each request the tap made, and the records its answer holds (the emulator's truth)."""
    field = partition_field(report)
    kind = report.partition_kind
    expected: dict[tuple[Any, ...], list[str]] = defaultdict(list)
    for call in report_calls(emulator):
        if call.get("api") != report.api or call["status"] not in {200, 404}:
            continue
        params = {
            k: v
            for k, v in call.items()
            if k not in {"status", "fault", "started", "finished", "latency"}
        }
        value = params[kind.param] if kind else None
        for truth in truth_records(emulator.state.dataset, report.api, params):
            record = with_local_times(report, dict(truth))
            if field is not None and record.get(field) is None:
                record[field] = value
            expected[(value, params.get("date_ini"))].append(key(record))
    return expected


def got_by_request(run: Run, report: Report, tz: ZoneInfo) -> dict[tuple[Any, ...], list[str]]:
    field = partition_field(report)
    got: dict[tuple[Any, ...], list[str]] = defaultdict(list)
    for record in run.records:
        start = record.get("window_start")
        date_ini = (
            dt.datetime.fromisoformat(start).astimezone(tz).strftime("%Y%m%d%H%M%S")
            if start
            else None
        )
        value = record[field] if field else None
        got[(value, date_ini)].append(key({k: v for k, v in record.items() if k not in WINDOW}))
    return got


def per_window(records: dict[tuple[Any, ...], list[str]]) -> dict[str | None, list[str]]:
    windows: dict[str | None, list[str]] = defaultdict(list)
    for (_, date_ini), found in records.items():
        windows[date_ini] += found
    return {date_ini: sorted(found) for date_ini, found in windows.items() if found}


def test_the_first_class_tier_is_what_the_emulator_computes_exactly() -> None:
    from_events = {r.stream for r in FROM_EVENTS}
    assert from_events == TRUTH.keys() | LISTS.keys()  # no truth left untested, none missing
    assert {BY_API[api].stream for api in COUNTED} == set(FIRST_CLASS.values()) - from_events


@pytest.mark.parametrize("report", FROM_EVENTS, ids=lambda r: r.stream)
def test_first_class_report_equals_the_emulators_truth(
    emulator: Emulator, tmp_path: Path, report: Report
) -> None:
    config = base_config(
        emulator.url, start_date="2025-03-03", end_date="2025-03-05", campaign_ids=["all"]
    )
    run = run_tap(config, tmp_path, streams=(report.stream,))
    assert run.returncode == 0, run.stderr
    expected = expected_by_request(emulator, report)
    assert expected, "the tap asked for nothing"
    got = got_by_request(run, report, ZoneInfo("America/Bogota"))
    # per window (rows asked for `all` name their own campaign or skill)
    assert per_window(got) == per_window(expected)
    assert sum(len(v) for v in expected.values()), f"{report.api}: no rows to compare"


def test_a_detail_report_split_at_a_small_cap_loses_and_repeats_nothing(
    emulator: Emulator, tmp_path: Path
) -> None:
    config = base_config(emulator.url, start_date="2025-03-03", end_date="2025-03-04")
    whole = run_tap(config, tmp_path, streams=("call_details",))
    assert whole.returncode == 0, whole.stderr
    assert len(whole.records) > 8, "too few calls in the day to split"
    cap = len(whole.records) // 2  # the day is fetched again in halves, a busy half again
    emulator.state.reset()
    emulator.state.row_cap = cap
    split = run_tap({**config, "max_records_per_call": cap}, tmp_path, streams=("call_details",))
    assert split.returncode == 0, split.stderr
    assert "fetching it again in two halves" in split.stderr
    assert len(report_calls(emulator)) > 1
    ids = [r["conn_id"] for r in split.records]
    assert len(ids) == len(set(ids))
    assert sorted(map(key, split.records)) == sorted(map(key, whole.records))


def test_an_aggregate_that_cannot_be_rebuilt_from_halves_refuses_in_one_line(
    emulator: Emulator, tmp_path: Path
) -> None:
    config = base_config(
        emulator.url,
        start_date="2025-03-03",
        end_date="2025-03-04",
        max_records_per_call=2,
        max_concurrent_requests=1,
    )
    emulator.state.row_cap = 2
    run = run_tap(config, tmp_path, streams=("skill_service_levels",))
    assert run.returncode == 1
    assert "Traceback" not in run.stderr
    errors = [line for line in run.stderr.splitlines() if "| ERROR" in line]
    assert len(errors) == 1, run.stderr
    assert "skill_1 (skill_service_levels)" in errors[0]
    assert "window [2025-03-03T00:00:00-05:00, 2025-03-04T00:00:00-05:00)" in errors[0]
    assert not run.records
