"""Every campaign report, and the campaigns list, against the emulator's truth."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import TYPE_CHECKING, Any

import pytest

from tests.helpers import Run, base_config, last_state, report_calls, run_tap
from wolkvox_emulator import Fault
from wolkvox_emulator.campaign_counts import report_rows

if TYPE_CHECKING:
    from pathlib import Path

    from wolkvox_emulator import Emulator

STREAMS = {
    "turbo_dial_machine_codes": ("campaign_10", ("machinecode",)),
    "campaign_final_results": ("campaign_1", ("result",)),
    "campaign_attempt_results": ("campaign_4", ("result",)),
    "amd_accumulated": ("campaign_6", ("campaign_id",)),
    "machine_codes_by_telephone": ("campaign_8", ("telephone",)),
}
START, END = "2025-03-01T23:59:59", "2025-03-04T00:00:01"  # one second either side of midnight
FMT = "%Y%m%d%H%M%S"


def api_dates(record: dict[str, Any]) -> tuple[str, str]:
    start = dt.datetime.fromisoformat(record["window_start"])
    end = dt.datetime.fromisoformat(record["window_end"]) - dt.timedelta(seconds=1)
    return start.strftime(FMT), end.strftime(FMT)


def expected_window(
    emulator: Emulator, stream: str, record: dict[str, Any], requested: str
) -> dict[str, dict[str, str]]:
    """The emulator's full (uncapped) answer for the record's window, by row key."""
    api, keys = STREAMS[stream]
    rows = report_rows(emulator.state.dataset, api, requested, *api_dates(record))
    return {row.get(keys[0], requested): row for row in rows}


def assert_records_match(emulator: Emulator, stream: str, run: Run, requested: str) -> None:
    _, keys = STREAMS[stream]
    records = [r for r in run.records if r]
    assert records
    windows = {(r["window_start"], r["window_end"]) for r in records}
    for start, end in windows:
        got = {r[keys[0]]: r for r in records if r["window_start"] == start}
        want = expected_window(
            emulator, stream, {"window_start": start, "window_end": end}, requested
        )
        assert set(got) == set(want), (stream, start)
        for key, row in want.items():
            for field, value in row.items():
                if field == "campaign_id":
                    continue
                typed = got[key][field]
                if field == "percent":
                    assert typed == pytest.approx(float(value))
                elif field in {"machinecode", "result", "telephone"}:
                    assert typed == value
                else:
                    assert typed == int(value), (stream, field)


@pytest.mark.parametrize("stream", list(STREAMS))
def test_each_report_equals_the_truth_per_window_at_edges(
    emulator: Emulator, tmp_path: Path, stream: str
) -> None:
    config = base_config(emulator.url, start_date=START, end_date=END, campaign_ids=["all"])
    run = run_tap(config, tmp_path, streams=(stream,))
    assert run.returncode == 0, run.stderr
    assert {m["stream"] for m in run.messages if m["type"] == "RECORD"} == {stream}
    assert_records_match(emulator, stream, run, "all")
    # counts add up over the whole range: nothing lost or doubled at the edges
    api, keys = STREAMS[stream]
    first = dt.datetime.fromisoformat(START).strftime(FMT)
    last = (dt.datetime.fromisoformat(END) - dt.timedelta(seconds=1)).strftime(FMT)
    whole = report_rows(emulator.state.dataset, api, "all", first, last)
    count_fields = [f for f in whole[0] if f not in {*keys, "percent", "campaign_id"}]
    for field in count_fields:
        got: Counter[str] = Counter()
        for record in run.records:
            got[record.get(keys[0], "all")] += record[field]
        want = Counter({row.get(keys[0], "all"): int(row[field]) for row in whole})
        assert +got == +want, field


def test_chained_runs_equal_one_run_for_a_report(emulator: Emulator, tmp_path: Path) -> None:
    stream = "machine_codes_by_telephone"
    first = run_tap(
        base_config(
            emulator.url,
            start_date="2025-03-01",
            end_date="2025-03-02T10:00:00",
            campaign_ids=["101"],
        ),
        tmp_path,
        streams=(stream,),
    )
    second = run_tap(
        base_config(
            emulator.url, start_date="2025-03-01", end_date="2025-03-04", campaign_ids=["101"]
        ),
        tmp_path,
        state=last_state(first),
        streams=(stream,),
    )
    one = run_tap(
        base_config(
            emulator.url, start_date="2025-03-01", end_date="2025-03-04", campaign_ids=["101"]
        ),
        tmp_path,
        streams=(stream,),
    )
    key = ("campaign_id", "window_start", "telephone")

    def table(*runs: Run) -> dict[tuple[str, ...], dict[str, Any]]:
        return {tuple(r[k] for k in key): r for run in runs for r in run.records}

    assert table(first, second) == {k: {**v} for k, v in table(one).items()}


def test_star_reads_the_campaigns_list_once_and_filters_it(
    emulator: Emulator, tmp_path: Path
) -> None:
    config = base_config(
        emulator.url, start_date="2025-03-01", end_date="2025-03-03", campaign_ids=["*"]
    )
    streams = ("campaigns", "campaign_final_results", "amd_accumulated")
    run = run_tap(config, tmp_path, streams=streams)
    assert run.returncode == 0, run.stderr
    calls = report_calls(emulator)
    assert sum(c.get("api") == "campaigns" for c in calls) == 1
    assert {c["campaign_id"] for c in calls if "campaign_id" in c} == {"101", "102", "103"}
    campaigns = [
        r
        for m in run.messages
        if m["type"] == "RECORD" and m["stream"] == "campaigns"
        for r in [m["record"]]
    ]
    assert [c["campaign_id"] for c in campaigns] == ["101", "102", "103"]
    assert all(isinstance(c["records"], int) for c in campaigns)
    partitions = last_state(run)["bookmarks"]["amd_accumulated"]["partitions"]
    assert {p["context"]["campaign_id"] for p in partitions} == {"101", "102", "103"}

    emulator.state.reset()
    filtered = base_config(
        emulator.url,
        start_date="2025-03-01",
        end_date="2025-03-03",
        campaign_ids=["*"],
        campaign_types=["predictive"],
        only_started=True,
    )
    run = run_tap(filtered, tmp_path, streams=("amd_accumulated",))
    assert run.returncode == 0, run.stderr
    calls = report_calls(emulator)
    assert {c["campaign_id"] for c in calls if "campaign_id" in c} == {"101"}
    assert sum(c.get("api") == "campaigns" for c in calls) == 1


def test_only_turbo_dial_runs_without_a_catalog(emulator: Emulator, tmp_path: Path) -> None:
    run = run_tap(
        base_config(emulator.url, start_date="2025-03-01", end_date="2025-03-02"), tmp_path
    )
    assert run.returncode == 0, run.stderr
    assert {m["stream"] for m in run.messages if m["type"] == "RECORD"} == {
        "turbo_dial_machine_codes"
    }
    assert {c["api"] for c in report_calls(emulator)} == {"campaign_10"}


def test_answers_at_the_row_cap_are_fetched_again_in_halves(
    emulator: Emulator, tmp_path: Path
) -> None:
    emulator.state.row_cap = 60
    stream = "machine_codes_by_telephone"
    config = base_config(
        emulator.url,
        start_date="2025-03-03",
        end_date="2025-03-05",
        campaign_ids=["101"],
        max_records_per_call=60,
    )
    run = run_tap(config, tmp_path, streams=(stream,))
    assert run.returncode == 0, run.stderr
    assert "fetching it again in two halves" in run.stderr
    assert_records_match(emulator, stream, run, "101")  # the full answer, not the capped one
    assert {r["window_start"][:10] for r in run.records} == {"2025-03-03", "2025-03-04"}


def test_an_hour_still_at_the_cap_fails_clearly(emulator: Emulator, tmp_path: Path) -> None:
    emulator.state.row_cap = 2
    config = base_config(
        emulator.url,
        start_date="2025-03-03T10:00:00",
        end_date="2025-03-03T12:00:00",
        campaign_ids=["all"],
        max_records_per_call=2,
    )
    run = run_tap(config, tmp_path, streams=("machine_codes_by_telephone",))
    assert run.returncode == 1
    assert "cannot be split further" in run.stderr
    assert "Traceback" not in run.stderr
    assert not run.records


def test_porcent_spelling_and_empty_values(emulator: Emulator, tmp_path: Path) -> None:
    emulator.state.percent_field = "porcent"
    emulator.add_faults(
        Fault(
            "body",
            body='{"code":200,"data":[{"result":"busy","records":"","percent":""}]}',
            match={"date_ini": "20250302"},
        )
    )
    config = base_config(
        emulator.url, start_date="2025-03-01", end_date="2025-03-03", campaign_ids=["101"]
    )
    run = run_tap(config, tmp_path, streams=("campaign_final_results",))
    assert run.returncode == 0, run.stderr
    first_day = [r for r in run.records if r["window_start"].startswith("2025-03-01")]
    assert first_day
    assert all(isinstance(r["percent"], float) for r in first_day)
    assert [r for r in run.records if r["window_start"].startswith("2025-03-02")] == [
        {
            "campaign_id": "101",
            "window_start": "2025-03-02T00:00:00-05:00",
            "window_end": "2025-03-03T00:00:00-05:00",
            "window_date": "2025-03-02",
            "result": "busy",
            "records": None,
            "percent": None,
        }
    ]


def test_unparseable_value_names_the_window_and_field(emulator: Emulator, tmp_path: Path) -> None:
    emulator.add_faults(
        Fault(
            "body",
            body='{"code":"200","data":[{"result":"busy","records":"3","percent":"abc"}]}',
            match={"date_ini": "20250302"},
        )
    )
    config = base_config(
        emulator.url,
        start_date="2025-03-01",
        end_date="2025-03-03",
        campaign_ids=["101"],
        max_concurrent_requests=1,
        on_bad_value="fail",
    )
    run = run_tap(config, tmp_path, streams=("campaign_attempt_results",))
    assert run.returncode == 1
    error = [line for line in run.stderr.splitlines() if "percent='abc'" in line]
    assert error
    assert "date_ini=20250302000000" in error[0]
    assert not [r for r in run.records if r["window_start"].startswith("2025-03-02")]
