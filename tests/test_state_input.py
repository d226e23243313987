"""The state a run starts from: bookmarks as instants, the settings they were written with,
full-table catalogs, bad input in one line; and `--test`."""

from __future__ import annotations

import datetime as dt
import json
from typing import TYPE_CHECKING, Any

import pytest

from tests.helpers import (
    TOKEN,
    base_config,
    catalog_selecting,
    problem_lines,
    report_calls,
    run_tap,
)
from wolkvox_emulator import Fault

if TYPE_CHECKING:
    from pathlib import Path

    from wolkvox_emulator import Emulator

STREAM = "turbo_dial_machine_codes"


def config(emulator: Emulator, **overrides: Any) -> dict[str, Any]:
    settings = {"start_date": "2025-06-01", "end_date": "2025-06-06", "campaign_ids": ["101"]}
    return base_config(emulator.url, **{**settings, **overrides})


def state_with(**partition: Any) -> dict[str, Any]:
    entry = {"context": {"campaign_id": "101"}, "replication_key": "window_start", **partition}
    return {"bookmarks": {STREAM: {"partitions": [entry]}}}


def first_date_asked(emulator: Emulator) -> str:
    return min(c["date_ini"] for c in report_calls(emulator))


@pytest.mark.parametrize(
    "bookmark",
    [
        "2025-06-03T00:00:00-05:00",
        "2025-06-03T05:00:00Z",
        "2025-06-03T05:00:00+00:00",
        "2025-06-03T05:00:00.000000+00:00",
        "2025-06-03T00:00:00.000-05:00",
    ],
)
def test_a_bookmark_resumes_at_its_instant_however_it_is_written(
    emulator: Emulator, tmp_path: Path, bookmark: str
) -> None:
    run = run_tap(config(emulator), tmp_path, state=state_with(replication_key_value=bookmark))
    assert run.returncode == 0, run.stderr
    assert first_date_asked(emulator) == "20250603000000"
    assert len(report_calls(emulator)) == 3
    assert {r["window_start"] for r in run.records} == {
        f"2025-06-0{d}T00:00:00-05:00" for d in (3, 4, 5)
    }


@pytest.mark.parametrize(
    ("setting", "old", "new"),
    [("timezone", "America/Lima", "America/Bogota"), ("window_days", 7, 1)],
)
def test_a_state_written_with_other_window_settings_stops_naming_them(
    emulator: Emulator,
    tmp_path: Path,
    setting: str,
    old: Any,
    new: Any,
) -> None:
    state = state_with(
        replication_key_value="2025-06-03T00:00:00-05:00",
        **{"timezone": "America/Bogota", "window_days": 1, setting: old},
    )
    run = run_tap(config(emulator), tmp_path, state=state)
    assert run.returncode == 1
    errors = [line for line in run.stderr.splitlines() if "ERROR" in line]
    assert len(errors) == 1, run.stderr
    assert f"{setting} changed from {old!r} to {new!r}" in errors[0]
    assert "restore it, or run a full refresh" in errors[0]
    assert not report_calls(emulator)


def test_the_state_keeps_the_window_settings_once_and_an_older_state_still_resumes(
    emulator: Emulator, tmp_path: Path
) -> None:
    run = run_tap(config(emulator), tmp_path)
    stream = run.states[-1]["bookmarks"][STREAM]
    assert (stream["timezone"], stream["window_days"]) == ("America/Bogota", 1)
    assert set(stream["partitions"][0]) == {"context", "replication_key_value"}
    older = state_with(replication_key_value="2025-06-04T00:00:00-05:00")
    emulator.state.reset()
    resumed = run_tap(config(emulator), tmp_path, state=older)
    assert resumed.returncode == 0, resumed.stderr
    assert first_date_asked(emulator) == "20250604000000"


def test_a_bookmark_later_than_now_stops_naming_it(emulator: Emulator, tmp_path: Path) -> None:
    future = (dt.datetime.now(dt.timezone.utc) + dt.timedelta(days=3)).replace(microsecond=0)
    state = state_with(replication_key_value=future.isoformat())
    run = run_tap(config(emulator, end_date=None), tmp_path, state=state)
    assert run.returncode == 1
    errors = [line for line in run.stderr.splitlines() if "ERROR" in line]
    assert len(errors) == 1, run.stderr
    assert f"campaign 101 is {future.isoformat()}, later than now" in errors[0]


def test_a_full_table_catalog_ignores_bookmarks(emulator: Emulator, tmp_path: Path) -> None:
    cfg = config(emulator)
    catalog = catalog_selecting(cfg, (STREAM,))
    for stream in catalog["streams"]:
        stream["replication_method"] = "FULL_TABLE"
    (tmp_path / "full.json").write_text(json.dumps(catalog))
    state = state_with(replication_key_value="2025-06-04T00:00:00-05:00")
    run = run_tap(cfg, tmp_path, state=state, args=("--catalog", str(tmp_path / "full.json")))
    assert run.returncode == 0, run.stderr
    assert first_date_asked(emulator) == "20250601000000"
    assert len(report_calls(emulator)) == 5


@pytest.mark.parametrize(
    ("state", "place"),
    [
        (state_with(replication_key_value=20250603), "replication_key_value is 20250603"),
        (state_with(replication_key_value="yesterday"), 'replication_key_value is "yesterday"'),
        ({"bookmarks": {STREAM: {"partitions": {"campaign_id": "101"}}}}, "is not a list"),
        ({"bookmarks": ["101"]}, "bookmarks is not an object"),
        ([], "the state is a JSON list"),
        ("", "the state file is empty"),
        ("{'bookmarks': {}}", "the state file is not valid JSON"),
    ],
    ids=["integer", "unparseable", "partitions", "bookmarks", "list", "empty", "not-json"],
)
def test_bad_state_input_is_one_line(
    emulator: Emulator,
    tmp_path: Path,
    state: Any,
    place: str,
) -> None:
    run = run_tap(config(emulator), tmp_path, state=state)
    assert run.returncode == 1
    assert "Traceback" not in run.stderr
    problems = problem_lines(run.stderr)
    assert len(problems) == 1, run.stderr
    assert problems[0].startswith("Error: invalid state: ")
    assert place in problems[0]
    assert not report_calls(emulator)


# -- --test ---------------------------------------------------------------------------------


def test_connection_test_checks_only_the_selected_streams_quietly(
    emulator: Emulator, tmp_path: Path
) -> None:
    run = run_tap(config(emulator), tmp_path, args=("--test",))
    assert run.returncode == 0, run.stderr
    assert "ERROR" not in run.stderr
    assert "--test passed" in run.stderr
    calls = report_calls(emulator)
    assert [c["api"] for c in calls] == ["campaign_10"]  # one request, the selected stream only


def test_connection_test_failure_is_one_line_per_stream(emulator: Emulator, tmp_path: Path) -> None:
    emulator.add_faults(Fault("invalid_token", times=10))
    cfg = config(emulator)
    catalog = catalog_selecting(cfg, (STREAM, "campaign_final_results"))
    (tmp_path / "two.json").write_text(json.dumps(catalog))
    run = run_tap(cfg, tmp_path, args=("--catalog", str(tmp_path / "two.json"), "--test"))
    assert run.returncode == 1
    assert "Traceback" not in run.stderr
    errors = [line for line in run.stderr.splitlines() if "ERROR" in line]
    assert len(errors) == 2, run.stderr
    failed = sorted(line.split("--test failed for ")[1].split(":")[0] for line in errors)
    assert failed == ["campaign_final_results", "turbo_dial_machine_codes"]
    assert all("Wolkvox rejected the credentials" in line for line in errors)
    assert TOKEN not in run.stderr
