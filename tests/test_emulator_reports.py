"""The emulator's answer for every declared report, read back with the report's own parser."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from singer_sdk.sinks.core import JSONSchemaValidator

from tap_wolkvox.catalogue import BY_API, REPORTS, Report
from tap_wolkvox.catalogue.records import RecordParser
from tap_wolkvox.catalogue.schema import partition_field, record_key, record_schema
from tap_wolkvox.catalogue.split import combine_halves
from tests.helpers import with_local_times
from wolkvox_emulator import Dataset
from wolkvox_emulator.answers import (
    CAMPAIGN_REPORTS,
    answer_rows,
    request_problem,
    truth_records,
)
from wolkvox_emulator.campaign_counts import report_rows

DATASET = Dataset()
TZ = ZoneInfo(DATASET.timezone)
DAY = ("20250303000000", "20250303235959")  # a Monday
DAYS = ("20250301000000", "20250303235959")
ASKED = {"campaign_id": "all", "skill_id": "all", "cod_act": "cod_act1", "agent_id": "1001"}
ALL = pytest.mark.parametrize("report", REPORTS, ids=lambda r: r.api)
EXACT = pytest.mark.parametrize(
    "report", [r for r in REPORTS if r.api not in CAMPAIGN_REPORTS | {"campaigns"}], ids=str
)


def params(
    report: Report, dates: tuple[str, str] = DAY, value: str | None = None
) -> dict[str, str]:
    kind = report.partition_kind
    query = report.query(value or ASKED[kind.param] if kind else None)
    return {
        **query,
        **(dict(zip(("date_ini", "date_end"), dates, strict=True)) if report.dated else {}),
    }


def base(report: Report, query: dict[str, str]) -> dict[str, Any]:
    """What the tap adds to each record: the partition value asked for and the window."""
    values: dict[str, Any] = {}
    kind = report.partition_kind
    if kind is not None:
        values[kind.field] = query[kind.param]
    if report.dated:
        start = dt.datetime.strptime(query["date_ini"], "%Y%m%d%H%M%S").replace(tzinfo=TZ)
        end = dt.datetime.strptime(query["date_end"], "%Y%m%d%H%M%S").replace(tzinfo=TZ)
        values["window_start"] = start.isoformat()
        values["window_end"] = (end + dt.timedelta(seconds=1)).isoformat()
        values["window_date"] = start.date().isoformat()
    return values


def read(report: Report, query: dict[str, str]) -> list[dict[str, Any]]:
    data = answer_rows(DATASET, report.api, query)
    return RecordParser(report, TZ).records(data, base(report, query), "window")


def expected(report: Report, query: dict[str, str]) -> list[dict[str, Any]]:
    """The emulator's truth, with what the tap adds; a row's own partition value wins."""
    asked, field = base(report, query), partition_field(report)
    records = []
    for truth in truth_records(DATASET, report.api, query):
        record = with_local_times(report, {**asked, **truth})
        if field is not None and record.get(field) is None:
            record[field] = asked[field]
        records.append(record)
    return records


@ALL
def test_every_report_answers_records_its_schema_accepts(report: Report) -> None:
    query = params(report)
    assert request_problem(report.endpoint, query) is None
    records = read(report, query)
    assert records, "a weekday has rows in every report"
    validator = JSONSchemaValidator(record_schema(report), validate_formats=True)
    datetimes = [f.name for f in report.all_fields if f.kind == "datetime"]
    for record in records:
        validator.validate(record)
        assert set(record) <= set(record_schema(report)["properties"])
        for name in datetimes:
            if record[name] is not None:
                assert dt.datetime.fromisoformat(record[name]).utcoffset() is not None


@EXACT
def test_every_report_reads_back_exactly_what_the_emulator_meant(report: Report) -> None:
    for dates in (DAY, DAYS):
        query = params(report, dates if report.max_window_days > 1 else DAY)
        assert read(report, query) == expected(report, query)


def test_the_event_model_is_deterministic_and_seeded() -> None:
    query = params(BY_API["cdr_1"])
    assert answer_rows(DATASET, "cdr_1", query) == answer_rows(Dataset(), "cdr_1", query)
    assert answer_rows(DATASET, "cdr_1", query) != answer_rows(Dataset(seed=7), "cdr_1", query)


def test_values_come_in_every_form_the_live_api_uses() -> None:
    rows = answer_rows(DATASET, "agent_1", params(BY_API["agent_1"], DAYS))
    assert isinstance(rows, list)
    durations = {row["ready_time"] for row in rows}
    assert any(len(v.split(":")) == 3 for v in durations), "HH:MM:SS"
    assert any(v.isdigit() for v in durations), "plain seconds"
    percents = {row["occupancy"] for row in rows} - {"-", "", " "}
    assert any(v.endswith(" %") for v in percents)
    assert any(not v.endswith("%") for v in percents), "34.64, without the sign"
    chats = answer_rows(DATASET, "chat_1", params(BY_API["chat_1"]))
    assert isinstance(chats, list)
    assert {"ASA", "agent_anwers "} <= set(chats[0])
    assert {type(row["agent_id"]) for row in chats} == {str, int}, "ids as JSON numbers too"
    dated = answer_rows(DATASET, "campaign_3", params(BY_API["campaign_3"]))
    assert isinstance(dated, list)
    assert {len(row["date"]) for row in dated} == {19, 14}, "YYYY-MM-DD HH:MM:SS and compact"
    generic = answer_rows(DATASET, "cdr_4", params(BY_API["cdr_4"]))
    assert isinstance(generic, dict)
    assert set(generic) == {"0_5_seg", "6_20_seg", "21_60_seg", "61_120_seg", "greater_than_121"}
    calls = answer_rows(DATASET, "cdr_1", params(BY_API["cdr_1"]))
    assert isinstance(calls, list)
    assert {"-", "", " "} <= {value for row in calls for value in row.values()}


def test_shapes_give_one_record_per_entry_or_item() -> None:
    assert len(read(BY_API["cdr_4"], params(BY_API["cdr_4"]))) == 5
    agent_5 = answer_rows(DATASET, "agent_5", params(BY_API["agent_5"]))
    assert isinstance(agent_5, list)
    records = read(BY_API["agent_5"], params(BY_API["agent_5"]))
    assert len(records) == sum(len(row["status_x_hour"]) for row in agent_5) == 6
    chats = answer_rows(DATASET, "chat_2", params(BY_API["chat_2"]))
    assert isinstance(chats, list)
    messages = read(BY_API["chat_2"], params(BY_API["chat_2"]))
    assert len(messages) == sum(len(chat["conversation"]) for chat in chats) > len(chats)


def by(records: list[dict[str, Any]], key: str) -> dict[str, list[dict[str, Any]]]:
    groups: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for record in records:
        groups[record[key]].append(record)
    return groups


@pytest.mark.parametrize("dates", [DAY, DAYS])
def test_agent_reports_agree_with_each_other_and_the_call_records(dates: tuple[str, str]) -> None:
    agents = {r["agent_id"]: r for r in read(BY_API["agent_1"], params(BY_API["agent_1"], dates))}
    hours = by(read(BY_API["agent_8"], params(BY_API["agent_8"], dates)), "agent_id")
    aux = by(read(BY_API["agent_3"], params(BY_API["agent_3"], dates)), "agent_id")
    sessions = by(read(BY_API["agent_7"], params(BY_API["agent_7"], dates)), "agent_id")
    connected = by(read(BY_API["cdr_1"], params(BY_API["cdr_1"], dates)), "agent_id")
    unconnected = by(read(BY_API["cdr_5"], params(BY_API["cdr_5"], dates)), "agent_id")
    answered = by(read(BY_API["skill_10"], params(BY_API["skill_10"], dates)), "agent_id")
    assert len(agents) >= 4
    additive = [
        "calls", "inbound", "outbound", "ready_time", "inbound_time", "outbound_time",
        "acw_time", "ring_time", "login_time", "aux_time",
    ]  # fmt: skip
    for agent, totals in agents.items():
        for name in additive:
            assert sum(h[name] for h in hours[agent]) == totals[name], (agent, name)
        assert totals["calls"] == len(connected[agent]) + len(unconnected[agent]) > 0
        assert totals["inbound"] == len(answered[agent])
        assert totals["inbound_time"] == sum(
            c["time_seg"] for c in connected[agent] if c["type_interaction"] == "inbound"
        )
        assert totals["aux_time"] == sum(a["time"] for a in aux[agent])
        assert totals["login_time"] == sum(s["login_time"] for s in sessions[agent])
        assert totals["login_time"] == (
            totals["ready_time"] + totals["inbound_time"] + totals["outbound_time"]
            + totals["acw_time"] + totals["ring_time"] + totals["aux_time"]
        )  # fmt: skip


def test_skill_reports_agree_with_each_other_and_the_answered_calls() -> None:
    whole = {r["skill_id"]: r for r in read(BY_API["skill_1"], params(BY_API["skill_1"], DAYS))}
    days = read(BY_API["skill_3"], params(BY_API["skill_3"], DAYS))
    hours = read(BY_API["skill_4"], params(BY_API["skill_4"], DAYS))
    answered = read(BY_API["skill_10"], params(BY_API["skill_10"], DAYS))
    inbound = [
        c
        for c in read(BY_API["cdr_1"], params(BY_API["cdr_1"], DAYS))
        if c["type_interaction"] == "inbound"
    ]
    assert set(whole) == {"201", "202", "203"}
    for skill, totals in whole.items():
        name = totals["skill_name"]
        for field in ("inbound_calls", "answer_calls", "abandon_calls"):
            assert sum(d[field] for d in days if d["skill_name"] == name) == totals[field]
            assert sum(h[field] for h in hours if h["skill_id"] == skill) == totals[field]
        assert totals["answer_calls"] == sum(c["skill_id"] == skill for c in answered)
        assert totals["answer_calls"] == sum(c["skill_id"] == skill for c in inbound)
        assert totals["inbound_calls"] == totals["answer_calls"] + totals["abandon_calls"]
        assert totals["service_level_10seg"] <= totals["service_level_20seg"] <= 100
    one = read(BY_API["skill_1"], params(BY_API["skill_1"], DAYS, value="202"))
    assert [r["skill_id"] for r in one] == ["202"]
    assert one[0]["answer_calls"] == whole["202"]["answer_calls"]


def test_chat_reports_agree() -> None:
    chats = read(BY_API["chat_1"], params(BY_API["chat_1"], DAYS))
    messages = read(BY_API["chat_2"], params(BY_API["chat_2"], DAYS))
    productivity = read(BY_API["chat_16"], params(BY_API["chat_16"], DAYS))
    assert {m["conn_id"] for m in messages} == {c["conn_id"] for c in chats}
    for chat in chats:
        own = [m for m in messages if m["conn_id"] == chat["conn_id"]]
        assert [m["message_number"] for m in own] == list(range(1, len(own) + 1))
        assert int(chat["agent_anwers"]) == sum(m["from"] == "AGENT" for m in own)
    per_agent = Counter(c["agent_id"] for c in chats)
    assert {p["agent_id"]: p["total_chats"] for p in productivity} == dict(per_agent)


def test_campaign_details_agree_with_the_campaign_totals() -> None:
    start, end = DAY
    attempts = read(BY_API["campaign_3"], params(BY_API["campaign_3"]))
    detections = read(BY_API["campaign_7"], params(BY_API["campaign_7"]))
    totals = report_rows(DATASET, "campaign_4", "all", start, end)
    assert len(attempts) == sum(int(r["records"]) for r in totals) > 0
    amd = {
        r["campaign_id"]: int(r["total_amd"])
        for r in report_rows(DATASET, "campaign_6", "all", start, end)
    }
    assert Counter(d["campaign_id"] for d in detections) == Counter(
        {c: n for c, n in amd.items() if n}
    )
    assert all(a["date"].endswith("-05:00") for a in attempts)  # GMT-5, per its doc


@pytest.mark.parametrize("api", ["cdr_1", "chat_2", "agent_8", "agent_7", "skill_10", "agent_3"])
def test_a_window_read_in_two_halves_combines_to_the_whole(api: str) -> None:
    report = BY_API[api]
    whole = params(report)
    halves = [
        params(report, ("20250303000000", "20250303115959")),
        params(report, ("20250303120000", "20250303235959")),
    ]
    window = {k: v for k, v in base(report, whole).items() if k.startswith("window_")}
    combined = combine_halves(report, [read(report, half) for half in halves], window)
    key = record_key(report)
    assert sorted(combined, key=lambda r: [str(r[k]) for k in key]) == sorted(
        read(report, whole), key=lambda r: [str(r[k]) for k in key]
    )


REPORTS_PHP, INFORMATION_PHP = "/api/v2/reports_manager.php", "/api/v2/information.php"
ONE_DAY = {"date_ini": DAY[0], "date_end": DAY[1]}
THREE_DAYS = {"date_ini": DAYS[0], "date_end": DAYS[1]}
JANUARY = {"date_ini": "20250101000000", "date_end": "20250131235959"}
PAST_31_DAYS = {"date_ini": "20250101000000", "date_end": "20250201000000"}


@pytest.mark.parametrize(
    ("path", "query", "problem"),
    [
        (REPORTS_PHP, {"api": "cdr_9_9"}, "unknown_api"),
        (INFORMATION_PHP, {"api": "cdr_1"}, "unknown_api"),
        (REPORTS_PHP, {"api": "agents"}, "unknown_api"),
        (REPORTS_PHP, {}, "missing_params"),
        (REPORTS_PHP, {"api": "cdr_1", "date_ini": DAY[0]}, "missing_params"),
        (REPORTS_PHP, {"api": "skill_1", **ONE_DAY}, "missing_params"),
        (REPORTS_PHP, {"api": "chat_4", **ONE_DAY}, "missing_params"),
        (REPORTS_PHP, {"api": "cdr_1", **ONE_DAY, "date_ini": "2025-03-03"}, "bad_date"),
        (REPORTS_PHP, {"api": "cdr_1", "date_ini": DAY[1], "date_end": DAY[0]}, "range"),
        (REPORTS_PHP, {"api": "skill_5", "skill_id": "all", **ONE_DAY}, None),
        (REPORTS_PHP, {"api": "skill_5", "skill_id": "all", **THREE_DAYS}, "range"),
        (REPORTS_PHP, {"api": "cdr_1", **PAST_31_DAYS}, "range"),
        (REPORTS_PHP, {"api": "cdr_1", **JANUARY}, None),
        (INFORMATION_PHP, {"api": "skills"}, None),
        (INFORMATION_PHP, {"api": "agents_in_skill"}, "missing_params"),
    ],
)  # fmt: skip
def test_requests_are_checked_against_the_declarations(
    path: str, query: dict[str, str], problem: str | None
) -> None:
    assert request_problem(path, query) == problem
