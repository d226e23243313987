"""Record parsing for each row shape, and the split rules, from the declarations."""

from __future__ import annotations

from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from tap_wolkvox.catalogue import BY_API
from tap_wolkvox.catalogue.records import RecordParser
from tap_wolkvox.catalogue.split import combine_halves, refusal
from tap_wolkvox.exceptions import DataError

TZ = ZoneInfo("America/Bogota")
WINDOW = {
    "window_start": "2025-03-01T00:00:00-05:00",
    "window_end": "2025-03-02T00:00:00-05:00",
}
WHERE = "window [2025-03-01T00:00:00-05:00, 2025-03-02T00:00:00-05:00)"


def parse(api: str, data: Any, base: dict[str, Any] | None = None) -> list[dict[str, Any]]:
    return RecordParser(BY_API[api], TZ).records(data, WINDOW if base is None else base, WHERE)


def cdr_row(**values: str) -> dict[str, str]:
    row = dict.fromkeys((f.name for f in BY_API["cdr_1"].fields), "x")
    row.update(date="2025-03-01 10:00:00", cost="1.50", time_seg="90", time_min="1.5")
    return {**row, **values}


def test_a_detail_row_is_typed_field_by_field() -> None:
    row = cdr_row(
        conn_id="12462.0277.1782402643.44005",
        date="2025-03-01 23:59:59",
        cost="12.30",
        time_seg="125",
        time_min="2.08",
        cod_act_2="-",
        description_cod_act_2="",
        comment=" ",
        agent_name="COM-ANA",
    )
    (record,) = parse("cdr_1", [row])
    assert record == {
        **WINDOW,
        **row,
        "date": "2025-03-01T23:59:59-05:00",
        "date_local": "2025-03-01T23:59:59",
        "cost": Decimal("12.30"),
        "time_seg": 125,
        "time_min": Decimal("2.08"),
        "cod_act_2": None,
        "description_cod_act_2": None,
        "comment": None,
    }
    assert type(record["time_seg"]) is int


def test_fields_wolkvox_leaves_out_are_null_and_extra_ones_are_dropped() -> None:
    full = cdr_row(conn_id="1")
    partial = {k: v for k, v in cdr_row(conn_id="2").items() if k not in {"agent_name", "cost"}}
    extra = {**cdr_row(conn_id="3"), "server_specific": "kept out"}
    records = parse("cdr_1", [full, partial, extra, full])  # the layout changes mid-answer
    assert [r["conn_id"] for r in records] == ["1", "2", "3", "1"]
    assert records[1]["agent_name"] is None
    assert records[1]["cost"] is None
    assert "server_specific" not in records[2]
    assert all(set(r) == set(records[0]) for r in records)


def test_wolkvox_spellings_are_read_into_the_lower_case_names() -> None:
    row = {"conn_id": "c1", "date": "2025-03-01 08:00:00", "ASA": "00:00:12", "agent_anwers ": "3"}
    (record,) = parse("chat_1", [row])
    assert record["asa"] == 12
    assert record["agent_anwers"] == 3
    assert "ASA" not in record
    assert "agent_anwers " not in record
    (record,) = parse("chat_13", [{"channel": "whatsapp", "interaction": "4"}])
    assert record["chanel"] == "whatsapp"
    assert record["interaction"] == 4


def test_the_partition_value_is_the_rows_own_where_it_has_one() -> None:
    asked = {**WINDOW, "campaign_id": "all"}
    records = parse(
        "campaign_6",
        [{"campaign_id": "102", "total_amd": "4"}, {"campaign_id": "-", "total_amd": "1"}],
        asked,
    )
    assert [r["campaign_id"] for r in records] == ["102", "all"]
    (record,) = parse(
        "skill_3",
        [{"skill_name": "Ventas", "date": "2025-03-01", "inbound_calls": "9"}],
        {**WINDOW, "skill_id": "all"},
    )
    assert record["skill_id"] == "all"
    (record,) = parse(
        "act_5", [{"count": "3", "cod_act": "SALE"}], {**WINDOW, "type_code": "cod_act1"}
    )
    assert (record["type_code"], record["cod_act"], record["count"]) == ("cod_act1", "SALE", 3)


def test_keyed_answer_gives_one_record_per_bucket() -> None:
    buckets = ("0_5_seg", "6_20_seg", "21_60_seg", "61_120_seg", "greater_than_121")
    data = {
        b: {"calls": str(i), "minutes": f"{i}.5", "cost": "0.10", "percentage": f"{i * 10}.00 %"}
        for i, b in enumerate(buckets, 1)
    }
    records = parse("cdr_4", data)
    assert [r["bucket"] for r in records] == list(buckets)
    assert records[2] == {
        **WINDOW,
        "bucket": "21_60_seg",
        "calls": 3,
        "minutes": Decimal("3.5"),
        "cost": Decimal("0.10"),
        "percentage": Decimal("30.00"),
    }
    with pytest.raises(DataError, match=r"cdr_4 .*expected an object of entries"):
        parse("cdr_4", [data])


def test_nested_answer_gives_one_record_per_item_with_the_parents_fields() -> None:
    hours = [{"hour": f"{h}:00", "calls": str(h), "aht": "00:01:00"} for h in (8, 9, 10)]
    data = [
        {"agent_name": "Ana", "agent_id": "1001", "status_x_hour": hours},
        {"agent_name": "Luis", "agent_id": "1002", "status_x_hour": hours[:1]},
        {"agent_name": "Idle", "agent_id": "1003", "status_x_hour": []},
    ]
    records = parse("agent_5", data)
    assert [(r["agent_id"], r["hour"], r["calls"]) for r in records] == [
        ("1001", "08:00", 8),
        ("1001", "09:00", 9),
        ("1001", "10:00", 10),
        ("1002", "08:00", 8),
    ]
    assert records[0]["aht"] == 60
    assert "status_x_hour" not in records[0]
    conversation = [
        {"from": "CUSTOMER", "date": "2025-03-01 09:00:00", "message": "Hola"},
        {"from": "AGENT", "date": "2025-03-01 09:00:00", "message": "Buenos días"},
    ]
    chats = [{"conn_id": "c9", "agent_name": "Ana", "conversation": conversation}]
    records = parse("chat_2", chats)
    assert [(r["conn_id"], r["message_number"], r["from"]) for r in records] == [
        ("c9", 1, "CUSTOMER"),
        ("c9", 2, "AGENT"),
    ]
    assert records[1]["date"] == "2025-03-01T09:00:00-05:00"
    assert records[1]["customer_name"] is None


@pytest.mark.parametrize("empty", [None, [], {}, ""])
def test_an_empty_answer_has_no_records(empty: Any) -> None:
    for api in ("cdr_1", "cdr_4", "agent_5"):
        assert parse(api, empty) == []


@pytest.mark.parametrize(
    ("api", "data", "message"),
    [
        ("cdr_1", {"a": {}}, r"'data' of type dict for cdr_1 window"),
        ("cdr_1", ["row"], r"row that is not an object for cdr_1 window"),
        (
            "cdr_1",
            [cdr_row(conn_id="1", agent_name=[7])],  # type: ignore[arg-type]
            r"agent_name=\[7\] for cdr_1 window.*text",
        ),
        ("cdr_1", [cdr_row(conn_id=None)], r"conn_id=None for cdr_1 window.*expected text"),  # type: ignore[arg-type]
        ("cdr_1", [cdr_row(conn_id="1", time_seg="1:30")], r"time_seg='1:30' for cdr_1 "),
        ("agent_5", [{"agent_id": "1", "status_x_hour": "x"}], r"status_x_hour='x' for agent_5"),
        ("agent_5", [{"agent_id": "1", "status_x_hour": [{"hour": "25:00"}]}], r"hour='25:00'"),
    ],
)
def test_a_row_that_does_not_fit_stops_with_one_line_naming_report_and_window(
    api: str,
    data: Any,
    message: str,
) -> None:
    with pytest.raises(DataError, match=message) as error:
        parse(api, data)
    assert WHERE in str(error.value)
    assert "\n" not in str(error.value)


def test_detail_halves_are_joined_and_repeated_keys_dropped() -> None:
    report = BY_API["cdr_1"]
    first = parse("cdr_1", [cdr_row(conn_id="1"), cdr_row(conn_id="2")], {"window_start": "a"})
    second = parse("cdr_1", [cdr_row(conn_id="2"), cdr_row(conn_id="3")], {"window_start": "b"})
    records = combine_halves(report, [first, second], WINDOW)
    assert [r["conn_id"] for r in records] == ["1", "2", "3"]
    assert all(r["window_start"] == WINDOW["window_start"] for r in records)


def test_additive_halves_are_summed_and_shares_recomputed() -> None:
    report = BY_API["campaign_4"]
    base = {**WINDOW, "campaign_id": "all"}
    first = parse("campaign_4", [{"result": "busy", "records": "1", "percent": "100.00"}], base)
    second = parse(
        "campaign_4",
        [
            {"result": "busy", "records": "2", "percent": "40.00"},
            {"result": "answer", "records": "3", "percent": "60.00"},
        ],
        base,
    )
    records = combine_halves(report, [first, second], WINDOW)
    assert [(r["result"], r["records"], r["percent"]) for r in records] == [
        ("busy", 3, Decimal("50.00")),
        ("answer", 3, Decimal("50.00")),
    ]


def test_averages_refuse_to_split_in_one_line() -> None:
    error = refusal(BY_API["skill_1"], 60000, "skill all " + WHERE)
    assert "skill_1 (skill_service_levels)" in str(error)
    assert WHERE in str(error)
    assert "\n" not in str(error)
    with pytest.raises(ValueError, match="refuses to split"):
        combine_halves(BY_API["skill_1"], [[], []], WINDOW)
