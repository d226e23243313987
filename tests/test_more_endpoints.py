"""The endpoints outside the Reports Manager, through the tap's CLI against the emulator.

Dated reports equal the emulator's truth per window; snapshots change between calls, carry
`snapshot_at` and keep their keys unique after upsert; lists are read whole.
"""

from __future__ import annotations

import datetime as dt
import decimal
import itertools
import json
from collections import Counter
from typing import TYPE_CHECKING, Any

import pytest
import requests

from tap_wolkvox.catalogue import BY_STREAM, ENDPOINTS, MORE_REPORTS
from tap_wolkvox.catalogue.schema import SNAPSHOT_AT, record_key
from tap_wolkvox.report_request import ReportRequest
from tests.helpers import (
    TOKEN,
    Run,
    base_config,
    catalog_selecting,
    problem_lines,
    report_calls,
    run_tap,
)
from wolkvox_emulator import Fault
from wolkvox_emulator.more_truth import truth

if TYPE_CHECKING:
    from pathlib import Path

    from tap_wolkvox.catalogue import Report
    from wolkvox_emulator import Emulator

START, END = "2025-03-01T00:00:00", "2025-03-03T12:00:00"  # the last window is partial
FMT = "%Y%m%d%H%M%S"
DATED = [r for r in MORE_REPORTS if r.dated]
SNAPSHOTS = [r for r in MORE_REPORTS if r.snapshot]
LISTS = [r for r in MORE_REPORTS if not r.dated and not r.snapshot]
#: What each run adds to a record beyond what Wolkvox's answer says.
#: The values the runs below ask each partition kind for (by its parameter).
ASKED = {"connector_id": ("55", "56"), "campaign_id": ("101", "102")}


def config(url: str, **overrides: Any) -> dict[str, Any]:
    settings = {
        "start_date": START,
        "end_date": END,
        "campaign_ids": ["101", "102"],
        "whatsapp_connector_ids": ["55", "56"],
    }
    return base_config(url, **{**settings, **overrides})


def plain(value: Any) -> Any:
    """JSON-comparable: every number a float, as a target reads it."""
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v) for v in value]
    if isinstance(value, (int, float, decimal.Decimal)) and not isinstance(value, bool):
        return float(value)
    return value


def canonical(records: list[dict[str, Any]]) -> list[str]:
    """Records as sorted JSON texts, to compare as multisets."""
    return sorted(json.dumps(plain(r), sort_keys=True) for r in records)


def records_of(run: Run, stream: str) -> list[dict[str, Any]]:
    return [m["record"] for m in run.messages if m["type"] == "RECORD" and m["stream"] == stream]


def declared(record: dict[str, Any], report: Report) -> dict[str, Any]:
    """The record's declared fields and partition field: what the emulator's truth holds.

    Fields the tap derives (window bounds, `snapshot_at`, `type_campaign`, and any other
    derived field) are checked by their own tests.
    """
    kind = report.partition_kind
    names = {f.name for f in report.all_fields} | ({kind.field} if kind is not None else set())
    return {name: record[name] for name in names}


def partition_of(report: Report, value: str | None) -> dict[str, Any]:
    """The partition field a record gets from the value asked, unless its row has its own."""
    kind = report.partition_kind
    if kind is None or kind.field in {f.name for f in report.all_fields}:
        return {}
    return {kind.field: value}


def key_of(report: Report, record: dict[str, Any]) -> tuple[Any, ...]:
    return tuple(record[k] for k in record_key(report))


@pytest.fixture
def every_stream(emulator: Emulator, tmp_path: Path) -> Run:
    """One run of every new stream (real_time info_server answering, as on a dedicated server)."""
    emulator.state.dedicated_server = True
    run = run_tap(config(emulator.url), tmp_path, streams=tuple(r.stream for r in MORE_REPORTS))
    assert run.returncode == 0, run.stderr
    return run


def test_code_as_a_number_reads_the_same(emulator: Emulator, tmp_path: Path) -> None:
    streams = ("customer_call_details", "realtime_agents", "quality_matrix", "campaign_records")
    as_text = run_tap(config(emulator.url), tmp_path, streams=streams)
    emulator.state.code_as_int = True
    emulator.state.snapshot_calls.clear()  # the same snapshot again
    as_number = run_tap(config(emulator.url), tmp_path, streams=streams)
    assert as_text.returncode == as_number.returncode == 0, as_number.stderr
    sent = requests.get(
        f"{emulator.url}/api/v2/real_time.php",
        params={"api": "agents"},
        headers={"wolkvox-token": TOKEN},
        timeout=10,
    )
    assert sent.json()["code"] == 200
    for stream in streams:
        report = BY_STREAM[stream]
        one, two = records_of(as_text, stream), records_of(as_number, stream)
        assert one, stream
        assert [declared(r, report) for r in one] == [declared(r, report) for r in two]


def test_every_new_stream_syncs_with_unique_keys_and_no_token(every_stream: Run) -> None:
    counts = Counter(m["stream"] for m in every_stream.messages if m["type"] == "RECORD")
    assert set(counts) == {r.stream for r in MORE_REPORTS}
    for report in MORE_REPORTS:
        records = records_of(every_stream, report.stream)
        keys = [key_of(report, r) for r in records]
        assert len(set(keys)) == len(keys), report.stream
        assert all(None not in key for key in keys), report.stream
    assert TOKEN not in every_stream.stdout + every_stream.stderr
    assert not problem_lines(every_stream.stderr)


@pytest.mark.parametrize("report", DATED, ids=lambda r: r.stream)
def test_dated_reports_equal_the_truth_per_window(
    emulator: Emulator, tmp_path: Path, report: Report
) -> None:
    run = run_tap(config(emulator.url), tmp_path, streams=(report.stream,))
    assert run.returncode == 0, run.stderr
    records = records_of(run, report.stream)
    kind = report.partition_kind
    windows = {
        (r["window_start"], r["window_end"], r.get(kind.field) if kind else None) for r in records
    }
    expected_values = {"101", "102"} if kind is not None else {None}
    assert {w[2] for w in windows} == expected_values
    for value in expected_values:  # detail reports choose their own window lengths
        spans = sorted(w[:2] for w in windows if w[2] == value)
        assert spans[0][0] == "2025-03-01T00:00:00-05:00"
        assert spans[-1][1] == "2025-03-03T12:00:00-05:00"
        assert all(a[1] == b[0] for a, b in itertools.pairwise(spans))
    types = {"101": "predictive", "102": "preview"}  # the emulator's campaigns list
    for start, end, value in windows:
        first = dt.datetime.fromisoformat(start)
        last = dt.datetime.fromisoformat(end) - dt.timedelta(seconds=1)
        params = {"date_ini": first.strftime(FMT), "date_end": last.strftime(FMT)}
        if kind is not None:
            params[kind.param] = str(value)
        got = [
            r
            for r in records
            if r["window_start"] == start and (kind is None or r[kind.field] == value)
        ]
        want = truth(emulator.state.dataset, report, params, 1)
        want = [{**r, **partition_of(report, value)} for r in want]
        assert canonical([declared(r, report) for r in want]) == canonical(
            [declared(r, report) for r in got]
        ), (
            report.stream,
            start,
            value,
        )
        if kind is not None and kind.listed_param:
            assert {r["type_campaign"] for r in got} == {types[str(value)]}


def test_campaign_detail_sends_each_campaigns_type_and_skips_unlisted_ones(
    emulator: Emulator, tmp_path: Path
) -> None:
    run = run_tap(
        config(emulator.url, campaign_ids=["101", "999"]),
        tmp_path,
        streams=("campaign_record_details",),
    )
    assert run.returncode == 0, run.stderr
    asked = [c for c in emulator.state.stats()["calls"] if c["api"] == "detail"]
    assert {(c["campaign_id"], c["type_campaign"]) for c in asked} == {("101", "predictive")}
    assert "999" in run.stderr
    assert "not in the campaigns list" in run.stderr


def test_snapshots_change_between_calls_and_keep_their_keys(
    emulator: Emulator, tmp_path: Path
) -> None:
    streams = tuple(r.stream for r in SNAPSHOTS if not r.optional)
    cfg = config(emulator.url)
    first = run_tap(cfg, tmp_path, streams=streams)
    second = run_tap(cfg, tmp_path, streams=streams)
    assert first.returncode == second.returncode == 0, first.stderr + second.stderr
    for report in SNAPSHOTS:
        if report.optional:
            continue
        one, two = records_of(first, report.stream), records_of(second, report.stream)
        assert one, report.stream
        assert two, report.stream
        for record in one + two:
            stamp = dt.datetime.fromisoformat(record[SNAPSHOT_AT])
            assert stamp.utcoffset() is not None
        assert plain([declared(r, report) for r in one]) != plain(
            [declared(r, report) for r in two]
        ), f"{report.stream} did not change between calls"
        table = {key_of(report, r): r for r in one + two}  # upsert
        if report.snapshot_day:  # billing: the day's last snapshot wins
            assert len(table) == len(one) == len(two) == 27
            assert all(table[key_of(report, r)] == r for r in two)
        elif report.own_key:  # rolling lists: a conn_id seen twice is one row
            assert len(table) == len(
                {key_of(report, r) for r in one} | {key_of(report, r) for r in two}
            )
            assert len(table) < len(one) + len(two)
        else:  # history: every snapshot kept
            assert len(table) == len(one) + len(two)


@pytest.mark.parametrize("report", SNAPSHOTS + LISTS, ids=lambda r: r.stream)
def test_snapshots_and_lists_equal_what_the_emulator_answered(
    emulator: Emulator, tmp_path: Path, report: Report
) -> None:
    emulator.state.dedicated_server = True
    run = run_tap(config(emulator.url), tmp_path, streams=(report.stream,))
    assert run.returncode == 0, run.stderr
    got = records_of(run, report.stream)
    kind = report.partition_kind
    param = "-" if kind is None else kind.param
    values = kind.values if kind is not None and kind.values else ASKED.get(param, ("all",))
    want = []
    for value in values:
        params = {} if kind is None else {kind.param: value}
        want += [
            {**r, **partition_of(report, value)}
            for r in truth(emulator.state.dataset, report, params, 1)
        ]
    assert canonical([declared(r, report) for r in want]) == canonical(
        [declared(r, report) for r in got]
    )


def test_latency_views_share_one_call_and_one_instant(emulator: Emulator, tmp_path: Path) -> None:
    views = ENDPOINTS[("/api/v2/real_time.php", "latency")]
    run = run_tap(config(emulator.url), tmp_path, streams=tuple(r.stream for r in views))
    assert run.returncode == 0, run.stderr
    assert [c["api"] for c in report_calls(emulator)] == ["latency"]
    stamps = {r[SNAPSHOT_AT] for view in views for r in records_of(run, view.stream)}
    assert len(stamps) == 1


def test_realtime_server_off_a_dedicated_server_is_one_info_line(
    emulator: Emulator, tmp_path: Path
) -> None:
    run = run_tap(config(emulator.url), tmp_path, streams=("realtime_server", "realtime_agents"))
    assert run.returncode == 0, run.stderr
    assert not records_of(run, "realtime_server")
    assert records_of(run, "realtime_agents")
    lines = [line for line in run.stderr.splitlines() if "info_server" in line]
    assert len(lines) == 1
    assert "| INFO" in lines[0]
    assert "dedicated" in lines[0]
    assert not problem_lines(run.stderr)


def test_a_campaign_base_at_the_row_cap_stops_with_one_line(
    emulator: Emulator, tmp_path: Path
) -> None:
    run = run_tap(
        config(emulator.url, max_records_per_call=4), tmp_path, streams=("campaign_records",)
    )
    assert run.returncode == 1
    lines = problem_lines(run.stderr)
    assert len(lines) == 1, run.stderr
    assert "campaign_15" in lines[0]
    assert "campaign 101" in lines[0]
    assert "cap" in lines[0]
    assert not records_of(run, "campaign_records")


def test_whatsapp_templates_send_the_connector_in_a_json_body() -> None:
    report = BY_STREAM["whatsapp_templates"]
    job = ReportRequest(report, "55", None)
    assert job.body == {"connector_id": "55"}
    assert "connector_id" not in job.params


def test_whatsapp_templates_without_connectors_say_so_once(
    emulator: Emulator, tmp_path: Path
) -> None:
    run = run_tap(
        config(emulator.url, whatsapp_connector_ids=[]), tmp_path, streams=("whatsapp_templates",)
    )
    assert run.returncode == 0, run.stderr
    assert not records_of(run, "whatsapp_templates")
    assert run.stderr.count("whatsapp_connector_ids is empty") == 1
    assert not report_calls(emulator)


def test_a_bad_connector_id_is_one_line_naming_the_setting(
    emulator: Emulator, tmp_path: Path
) -> None:
    run = run_tap(config(emulator.url, whatsapp_connector_ids=["5 5"]), tmp_path)
    assert run.returncode == 1
    lines = problem_lines(run.stderr)
    assert len(lines) == 1
    assert "whatsapp_connector_ids" in lines[0]


def test_new_streams_are_not_selected_by_default() -> None:
    assert not [r.stream for r in MORE_REPORTS if r.selected_by_default]


def test_billing_items_are_numbers_and_products_the_api_names(every_stream: Run) -> None:
    records = records_of(every_stream, "billing_usage")
    assert {r["product"] for r in records} == set(BY_STREAM["billing_usage"].partition_kind.values)  # type: ignore[union-attr]
    for record in records:
        assert isinstance(record["items"], (int, float))
        assert decimal.Decimal(str(record["items"])) >= 0
        assert record["snapshot_date"] == record[SNAPSHOT_AT][:10]


def test_realtime_campaigns_take_their_id_from_the_campaign_text(every_stream: Run) -> None:
    records = records_of(every_stream, "realtime_campaigns")
    assert {r["campaign_id"] for r in records} == {"101", "102", "103"}
    assert all(r["campaign"].startswith(r["campaign_id"] + " ") for r in records)
    chats = records_of(every_stream, "realtime_chats")
    assert all(isinstance(r["conversation"], list) for r in chats)
    assert {"from", "msg", "date"} <= set(chats[0]["conversation"][0])


def test_snapshot_calls_are_retried_and_the_bare_list_still_reads_errors(
    emulator: Emulator, tmp_path: Path
) -> None:
    emulator.add_faults(
        Fault("rate_limit", times=1, retry_after=0.05, match={"api": "campaigns"}),
        Fault("server_error", times=1, match={"api": "ivr_minutes"}),
    )
    run = run_tap(config(emulator.url), tmp_path, streams=("realtime_campaigns", "billing_usage"))
    assert run.returncode == 0, run.stderr
    assert len(records_of(run, "realtime_campaigns")) == 3
    assert len(records_of(run, "billing_usage")) == 27
    assert run.stderr.count("Retry 1") == 2
    emulator.add_faults(Fault("quota", times=1, match={"api": "campaigns"}))
    stopped = run_tap(config(emulator.url), tmp_path, streams=("realtime_campaigns",))
    assert stopped.returncode == 1
    lines = problem_lines(stopped.stderr)
    assert len(lines) == 1, stopped.stderr
    assert "daily token limit" in lines[0]
    assert TOKEN not in run.stderr + stopped.stderr


def test_cli_test_mode_asks_each_selected_snapshot_once(emulator: Emulator, tmp_path: Path) -> None:
    streams = ("realtime_agents", "billing_usage", "customer_call_details")
    catalog = tmp_path / "chosen.json"
    catalog.write_text(json.dumps(catalog_selecting(config(emulator.url), streams)))
    run = run_tap(config(emulator.url), tmp_path, args=("--catalog", str(catalog), "--test"))
    assert run.returncode == 0, run.stderr
    assert "--test passed" in run.stderr
    apis = Counter(c["api"] for c in emulator.state.stats()["calls"])
    assert apis["agents"] == 1
    assert apis["cdr_calls"] == 1
    assert apis["ivr_minutes"] == 1


def test_the_emulator_refuses_what_the_live_api_refuses(emulator: Emulator) -> None:
    def get(path: str, body: dict[str, str] | None = None, **params: str) -> requests.Response:
        return requests.get(
            f"{emulator.url}/api/v2/{path}",
            params=params,
            json=body,
            headers={"wolkvox-token": TOKEN},
            timeout=10,
        )

    assert get("billing.php", api="nope").status_code == 400
    assert get("whatsapp.php", api="list_templates").json()["msg"] == "SOME PARAMETERS ARE REQUIRED"
    templates = get("whatsapp.php", {"connector_id": "7"}, api="list_templates").json()
    assert isinstance(templates["data"], dict)
    assert isinstance(templates["data"]["meta_templates"], list)
    assert get("campaign.php", api="detail", campaign_id="101").status_code == 400  # no type
    assert get("real_time.php", api="info_server").status_code == 404
    assert isinstance(get("real_time.php", api="campaigns").json(), list)
    base = get("campaign.php", api="campaign_15", campaign_id="101").json()
    assert set(base) == {"code", "total_records", "campaign_id", "records"}
    empty = get(
        "customer.php", api="cdr_calls", date_ini="20250301010000", date_end="20250301020000"
    )
    assert empty.status_code == 404
    assert empty.json()["msg"] == "Validate dates entered"


@pytest.mark.parametrize(
    "case",
    [
        ("realtime_campaigns", "campaigns", "[1, 2]", "not an object"),
        ("realtime_campaigns", "campaigns", '{"code": "200", "error": null}', None),
        ("quality_matrix", "quality_matrix", '{"code": "200", "data": ["x"]}', "object of lists"),
        ("realtime_latency_by_agent", "latency", '{"data": [{"by_agent": "x"}]}', "0.by_agent='x'"),
        ("campaign_records", "campaign_15", '{"code": "200", "records": "none"}', "'data' of type"),
        ("realtime_server", "info_server", '{"code": "", "data": {"calls": "many"}}', "calls="),
        ("whatsapp_templates", "list_templates", '{"data": {"meta_templates": []}}', None),
        (
            "whatsapp_templates",
            "list_templates",
            '{"data": {"meta_templates": {}}}',
            "expected a list",
        ),
    ],
)
def test_odd_answers_give_records_or_one_clear_line(
    emulator: Emulator, tmp_path: Path, case: tuple[str, str, str, str | None]
) -> None:
    stream, api, body, expected = case
    emulator.add_faults(Fault("body", times=1, body=body, match={"api": api}))
    # a value that does not read stops the run here; with `warn` (the default) it is null
    run = run_tap(config(emulator.url, on_bad_value="fail"), tmp_path, streams=(stream,))
    if expected is None:
        assert run.returncode == 0, run.stderr
        assert not problem_lines(run.stderr)
        return
    assert run.returncode == 1
    lines = problem_lines(run.stderr)
    assert len(lines) == 1, run.stderr
    assert expected in lines[0]
    assert api in lines[0]
