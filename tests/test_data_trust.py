"""Data a warehouse can trust, through the CLI against the emulator: odd bodies and values,
`on_bad_value`, unique keys, 403s and DNS failures told apart, the token never printed, and
local time beside every instant."""

from __future__ import annotations

import dataclasses
import io
import json
import logging
import re
import time
from collections import Counter
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from tap_wolkvox.catalogue import ALL_REPORTS, BY_STREAM
from tap_wolkvox.catalogue.schema import record_key, record_schema
from tap_wolkvox.catalogue.vocabulary import named_kind
from tap_wolkvox.scrubbing import keep_secret, scrub_log_handlers
from tests.helpers import TOKEN, Run, base_config, last_state, report_calls, run_tap
from wolkvox_emulator import Fault

if TYPE_CHECKING:
    from wolkvox_emulator import Emulator

DAY = {"start_date": "2025-03-03", "end_date": "2025-03-04"}
DEBUG = {"TAP_WOLKVOX_LOGLEVEL": "DEBUG"}
CAMPAIGN_10 = {
    "api": "campaign_10"
}  # not the run's token_info read  # the token is scrubbed at every level


def answer(rows: Any) -> str:
    """An answer body holding `rows`, as Wolkvox sends it."""
    return json.dumps({"code": "200", "error": None, "msg": "records found", "data": rows})


def sent(emulator: Emulator, api: str, rows: Any, date_ini: str = "", **fault: Any) -> None:
    """The next request for `api` (from `date_ini`, if given) gets `rows`."""
    match = {"api": api, "date_ini": date_ini}
    emulator.add_faults(Fault("body", body=answer(rows), match=match, **fault))


def run(emulator: Emulator, tmp_path: Path, stream: str, **config: Any) -> Run:
    return run_tap(base_config(emulator.url, **{**DAY, **config}), tmp_path, streams=(stream,))


def lines(run: Run, level: str) -> list[str]:
    return [line for line in run.stderr.splitlines() if f"| {level}" in line]


# -- 1. bodies -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "encoding",
    ["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be", "utf-32", "utf-32-le", "utf-32-be"],
)
def test_a_body_in_any_unicode_encoding_is_read_once(
    emulator: Emulator, tmp_path: Path, encoding: str
) -> None:
    sent(
        emulator,
        "campaign_10",
        [{"machinecode": "contestó sí", "cantidad": "7"}],
        encoding=encoding,
    )
    done = run(emulator, tmp_path, "turbo_dial_machine_codes", campaign_ids=["101"])
    assert done.returncode == 0, done.stderr
    assert [(r["machinecode"], r["cantidad"]) for r in done.records] == [("contestó sí", 7)]
    assert len(report_calls(emulator)) == 1, "read at the first answer, no retry"


# -- 2, 3. values and kinds ------------------------------------------------------------------


def test_campaign_percentages_read_with_or_without_the_sign(
    emulator: Emulator, tmp_path: Path
) -> None:
    forms = ["34.64 %", "9,336.00 %", "34.64", "0"]
    sent(
        emulator,
        "campaign_1",
        [{"result": f"r{n}", "records": "1", "percent": v} for n, v in enumerate(forms)],
    )
    done = run(emulator, tmp_path, "campaign_final_results", campaign_ids=["101"])
    assert done.returncode == 0, done.stderr
    assert [Decimal(str(r["percent"])) for r in done.records] == [
        Decimal("34.64"),
        Decimal("9336.00"),
        Decimal("34.64"),
        Decimal(0),
    ]


def test_a_json_number_in_a_text_field_is_its_text(emulator: Emulator, tmp_path: Path) -> None:
    sent(
        emulator, "cdr_1", [{"conn_id": 778, "campaign_id": 101, "agent_id": 1001, "time_seg": 61}]
    )
    done = run(emulator, tmp_path, "call_details")
    assert done.returncode == 0, done.stderr
    (record,) = done.records
    assert (record["conn_id"], record["campaign_id"], record["agent_id"]) == ("778", "101", "1001")
    assert record["time_seg"] == 61
    sent(emulator, "agents", [{"agent_id": 1001, "agent_name": "Ana", "enabled": True}])
    agents = run(emulator, tmp_path, "agents")
    assert agents.returncode == 0, agents.stderr
    assert [(r["agent_id"], r["enabled"]) for r in agents.records] == [("1001", "true")]


#: Where a name means something else, and why (docs/data-types.md lists them too).
NAMED_OTHERWISE = {
    ("customer_call_details", "abandon"): "a time per call, not the abandon rate",
    ("scheduled_recalls", "date_recall"): "a key whose format no doc shows: kept as sent",
}


def test_every_field_has_the_kind_its_name_gives_in_every_report() -> None:
    named = 0
    for report in ALL_REPORTS:
        for field in report.all_fields:
            kind = named_kind(field.name)
            if kind is not None and (report.stream, field.name) not in NAMED_OTHERWISE:
                named += 1
                assert field.kind == kind, f"{report.api} {field.name}"
    assert named > 250


@pytest.mark.parametrize(
    ("stream", "field", "json_type"),
    [
        ("agent_status_times", "occupancy", "number"),
        ("chats", "asa", "integer"),
        ("skill_service_levels", "asa", "integer"),
        ("chats", "time_on_agent", "integer"),
        ("chats", "agent_anwers", "integer"),
        ("skill_hourly_workforce", "aht", "integer"),
        ("agent_status_times", "aht", "integer"),
        ("campaigns", "last_use", "string"),
    ],
)
def test_the_fields_analysts_cast_by_hand_are_typed(
    stream: str, field: str, json_type: str
) -> None:
    prop = record_schema(BY_STREAM[stream])["properties"][field]
    assert json_type in prop["type"]
    if field == "last_use":
        assert prop["format"] == "date-time"


# -- 4. on_bad_value ---------------------------------------------------------------------------


def test_a_bad_value_is_null_and_warned_once_per_field_then_repeated_at_the_end(
    emulator: Emulator, tmp_path: Path
) -> None:
    rows = [
        {"conn_id": "a", "asa": "abc", "customer_chars": "12"},
        {"conn_id": "b", "asa": "12", "customer_chars": "many"},
        {"conn_id": "c", "asa": "1.5 min", "customer_chars": "3"},
    ]
    sent(emulator, "chat_1", rows)
    done = run(emulator, tmp_path, "chats")
    assert done.returncode == 0, done.stderr
    assert [(r["asa"], r["customer_chars"]) for r in done.records] == [
        (None, 12),
        (12, None),
        (None, 3),
    ]
    warnings = lines(done, "WARNING")
    asa = [w for w in warnings if "chats.asa:" in w]
    assert len(asa) == 1, done.stderr
    assert "2 value(s)" in asa[0]
    assert "asa='abc' for chat_1 window [2025-03-03" in asa[0]
    assert len([w for w in warnings if "chats.customer_chars:" in w]) == 1
    assert "on_bad_value=warn): chats.asa 2, chats.customer_chars 1" in warnings[-1]


def test_on_bad_value_fail_stops_at_the_first_in_one_line(
    emulator: Emulator, tmp_path: Path
) -> None:
    sent(emulator, "chat_1", [{"conn_id": "a", "asa": "abc"}])
    done = run(emulator, tmp_path, "chats", on_bad_value="fail")
    assert done.returncode == 1
    (error,) = lines(done, "ERROR")
    assert "asa='abc'" in error
    assert "expected a duration HH:MM:SS or seconds" in error
    assert not done.records


def test_a_bad_value_mid_window_under_fail_leaves_that_window_to_the_next_run(
    emulator: Emulator, tmp_path: Path
) -> None:
    row = {"conn_id": "c-1", "date": "2025-03-03 10:00:00", "time_seg": "5"}
    sent(emulator, "cdr_1", [row], date_ini="20250303")
    later = [{**row, "conn_id": "c-2"}, {**row, "conn_id": "c-3", "time_seg": "abc"}]
    sent(emulator, "cdr_1", later, date_ini="20250304")
    done = run(emulator, tmp_path, "call_details", on_bad_value="fail", end_date="2025-03-05")
    assert done.returncode == 1
    assert "time_seg='abc'" in lines(done, "ERROR")[0]
    assert [r["conn_id"] for r in done.records] == ["c-1", "c-2"], "typed as emitted"
    bookmark = last_state(done)["bookmarks"]["call_details"]["replication_key_value"]
    assert bookmark == "2025-03-04T00:00:00-05:00", "the stopped window is fetched again"


def test_on_bad_value_must_be_warn_or_fail(emulator: Emulator, tmp_path: Path) -> None:
    done = run_tap(base_config(emulator.url, **DAY, on_bad_value="skip"), tmp_path)
    assert done.returncode == 1
    assert "on_bad_value" in done.stderr


# -- 5. keys -----------------------------------------------------------------------------------


def test_every_streams_key_is_unique_in_a_partition_aware_world(
    emulator: Emulator, tmp_path: Path
) -> None:
    config = base_config(
        emulator.url,
        start_date="2025-03-02",
        end_date="2025-03-04",
        campaign_ids=["101", "102"],
        skill_ids=["*"],
        whatsapp_connector_ids=["55", "56"],
    )
    emulator.state.dedicated_server = True
    streams = tuple(r.stream for r in ALL_REPORTS)
    done = run_tap(config, tmp_path, streams=streams)
    assert done.returncode == 0, done.stderr
    keys = {m["stream"]: m["key_properties"] for m in done.messages if m["type"] == "SCHEMA"}
    seen: dict[str, Counter[str]] = {stream: Counter() for stream in streams}
    for message in done.messages:
        if message["type"] == "RECORD":
            record = message["record"]
            seen[message["stream"]][json.dumps([record[k] for k in keys[message["stream"]]])] += 1
    assert all(seen.values()), [s for s, c in seen.items() if not c]
    repeated = {s: [k for k, n in c.items() if n > 1][:3] for s, c in seen.items()}
    assert not any(repeated.values()), {s: k for s, k in repeated.items() if k}
    assert "repeat the key" not in done.stderr
    partitioned = seen["skill_daily_service_levels"]
    assert len({json.loads(k)[0] for k in partitioned}) > 1, "values differ per skill asked"


def test_a_key_repeated_in_a_window_is_warned_once_and_exact_repeats_are_dropped(
    emulator: Emulator, tmp_path: Path
) -> None:
    sent(emulator, "chat_15", [{"ad_chatbot": "1"}, {"ad_chatbot": "2"}, {"ad_chatbot": "3"}])
    summary = run(emulator, tmp_path, "click_to_whatsapp_summary")
    assert summary.returncode == 0, summary.stderr
    assert len(summary.records) == 3
    warned = [w for w in lines(summary, "WARNING") if "repeat the key" in w]
    assert len(warned) == 1
    assert "2 record(s) repeat the key (window_start)" in warned[0]
    row = {"conn_id": "c-1", "agent_id": "1001", "date": "2025-03-03 10:00:00"}
    same = {"date": row["date"], "agent_id": "1001", "conn_id": "c-1", "unknown": "x"}
    other = {**row, "agent_id": "1002"}
    sent(emulator, "cdr_1", [row, dict(row), {**row, "conn_id": "c-2"}, same, other, other])
    details = run(emulator, tmp_path, "call_details")
    assert details.returncode == 0, details.stderr
    assert [(r["conn_id"], r["agent_id"]) for r in details.records] == [
        ("c-1", "1001"),
        ("c-2", "1001"),
        ("c-1", "1002"),
    ], "a row sent twice, or the same record written otherwise, is one interaction"
    (repeated,) = [w for w in lines(details, "WARNING") if "repeat the key" in w]
    assert "1 record(s) repeat the key (conn_id)" in repeated


# -- 6. 403s and the network -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "says"),
    [
        (
            '{"code": "403", "error": "FORBIDDEN", "msg": "YOUR IP IS NOT AUTHORIZED"}',
            "IP allow-list in Wolkvox Manager (Configuration → Integrations)",
        ),
        (
            "<html><head><title>403 Forbidden</title></head><body>Request blocked by the "
            "web application firewall. Reference #18.2f3c</body></html>" + "x" * 300,
            "HTTP 403 for campaign_10 campaign 101 window",
        ),
    ],
)
def test_a_403_that_is_not_maintenance_stops_at_once(
    emulator: Emulator, tmp_path: Path, body: str, says: str
) -> None:
    emulator.add_faults(Fault("body", status=403, body=body, times=99, match=CAMPAIGN_10))
    started = time.monotonic()
    done = run(emulator, tmp_path, "turbo_dial_machine_codes", campaign_ids=["101"])
    assert time.monotonic() - started < 20
    assert done.returncode == 1
    (error,) = lines(done, "ERROR")
    assert says in error
    assert "maintenance" not in error
    assert "Retry" not in done.stderr
    assert len(report_calls(emulator)) == 1
    if body.startswith("<html>"):  # the first 200 characters of the body, on one line
        assert body[:200] in error
        assert body[:201] not in error


def test_the_maintenance_message_is_still_waited_out(emulator: Emulator, tmp_path: Path) -> None:
    emulator.add_faults(Fault("maintenance", times=1))
    done = run(emulator, tmp_path, "turbo_dial_machine_codes", campaign_ids=["101"])
    assert done.returncode == 0, done.stderr
    assert "Wolkvox is under maintenance" in done.stderr


@pytest.mark.parametrize(
    ("setting", "config"),
    [
        ("server", {"server": "abcd", "api_url": None}),
        ("api_url", {"api_url": "http://wolkvox-tap-test.invalid"}),
    ],
)
def test_a_host_that_does_not_resolve_stops_in_seconds_naming_the_setting(
    tmp_path: Path, setting: str, config: dict[str, Any]
) -> None:
    settings = {**base_config("http://x", **DAY), **config, "max_retries": 5}
    settings = {k: v for k, v in settings.items() if v is not None}
    started = time.monotonic()
    done = run_tap(settings, tmp_path)
    assert time.monotonic() - started < 15
    assert done.returncode == 1
    (error,) = lines(done, "ERROR")
    assert error.split("| ")[-1].startswith(f"{setting}: the host ")
    assert "does not resolve" in error
    assert len(error) < 300
    assert "Retry" not in done.stderr


# -- 7. the token ------------------------------------------------------------------------------


def test_the_token_is_never_printed_wherever_it_is_planted(
    emulator: Emulator, tmp_path: Path
) -> None:
    outputs = []
    for token in (12345678, [TOKEN]):  # a settings error quotes a value of the wrong type
        bad = run_tap({**base_config(emulator.url, **DAY), "api_token": token}, tmp_path, env=DEBUG)
        assert bad.returncode == 1
        outputs.append(bad.stdout + bad.stderr)
        assert "12345678" not in outputs[-1]
    planted = f"value {TOKEN} here"
    cases = [
        (
            {"on_bad_value": "fail"},
            [Fault("body", body=answer([{"machinecode": "a", "cantidad": TOKEN}]))],
        ),
        ({}, [Fault("body", body=answer([{"machinecode": "a", "cantidad": planted}]))]),
        (
            {},
            [Fault("body", status=400, body=json.dumps({"error": "BAD REQUEST", "msg": planted}))],
        ),
        ({}, [Fault("body", status=403, body=f"<html>{planted}</html>")]),
        ({}, [Fault("body", status=500, body=f"<html>{planted}</html>")]),
    ]
    for settings, faults in cases:
        emulator.state.reset()
        emulator.add_faults(*(dataclasses.replace(f, match=CAMPAIGN_10) for f in faults))
        done = run_tap(
            base_config(emulator.url, **DAY, campaign_ids=["101"], **settings), tmp_path, env=DEBUG
        )
        outputs.append(done.stdout + done.stderr)
        assert "***" in outputs[-1], done.stderr
    assert all(TOKEN not in output for output in outputs)


def test_every_log_line_is_scrubbed_arguments_and_traceback_included() -> None:
    keep_secret(TOKEN)
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    root = logging.getLogger()
    root.addHandler(handler)
    try:
        scrub_log_handlers()
        logger = logging.getLogger("tap-wolkvox.some_stream")
        logger.warning("a warning quoting %s", TOKEN)
        try:
            int(TOKEN)
        except ValueError:
            logger.exception("a failure")
    finally:
        root.removeHandler(handler)
    assert stream.getvalue().count("***") == 2  # the message, and the error in the traceback
    assert TOKEN not in stream.getvalue()


# -- 8. local time -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "case",
    [
        ("America/Bogota", "2025-03-03 19:30:00", "2025-03-03T19:30:00-05:00", "2025-03-03"),
        # DST skips 02:00-03:00 in New York that day: the instant moves past the gap, the
        # wall clock stays as Wolkvox sent it
        ("America/New_York", "2025-03-09 02:30:00", "2025-03-09T03:30:00-04:00", "2025-03-09"),
    ],
)
def test_every_record_carries_its_local_day_and_wall_clock(
    emulator: Emulator, tmp_path: Path, case: tuple[str, str, str, str]
) -> None:
    zone, sent_at, instant, day = case
    sent(emulator, "chat_1", [{"conn_id": "c-1", "date": sent_at}])
    done = run(
        emulator, tmp_path, "chats", timezone=zone, start_date=day, end_date=f"{day}T23:00:00"
    )
    assert done.returncode == 0, done.stderr
    (record,) = done.records
    assert record["date"] == instant
    assert record["date_local"] == sent_at.replace(" ", "T")
    assert record["window_date"] == day
    schema = next(m for m in done.messages if m["type"] == "SCHEMA")["schema"]
    assert schema["properties"]["window_date"]["format"] == "date"
    names = list(schema["properties"])
    assert names.index("date_local") == names.index("date") + 1


# -- migration notes ---------------------------------------------------------------------------


def test_the_docs_note_every_type_change_and_no_key_changes() -> None:
    root = Path(__file__).resolve().parent.parent
    before = json.loads((root / "tests" / "data" / "types-before-issue-16.json").read_text())
    changed = set()
    for report in ALL_REPORTS:
        if report.stream not in before:  # a report added since: no table to migrate
            continue
        assert list(record_key(report)) == before[report.stream]["key"], report.stream
        properties = record_schema(report)["properties"]
        for name, was in before[report.stream]["props"].items():
            prop = properties[name]
            now = next(t for t in prop["type"] if t != "null")
            now += f":{prop['format']}" if "format" in prop else ""
            if now != was:
                changed.add((report.stream, name))
    docs = (root / "docs" / "data-types.md").read_text(encoding="utf-8")
    noted = set(re.findall(r"^\| `(\w+)` \| `([\w/]+)` \| ", docs, re.MULTILINE))
    assert noted == changed
    assert f"The {len(changed)} changes" in docs
