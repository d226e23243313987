"""The answer shapes of the endpoints outside the Reports Manager, read by the record parser."""

from __future__ import annotations

from zoneinfo import ZoneInfo

import pytest

from tap_wolkvox.catalogue import BY_STREAM
from tap_wolkvox.catalogue.records import RecordParser
from tap_wolkvox.exceptions import DataError

TZ = ZoneInfo("America/Bogota")


def read(stream: str, data: object) -> list[dict[str, object]]:
    return RecordParser(BY_STREAM[stream], TZ).records(data, {}, "in a test")


def test_latency_views_read_their_own_list_and_a_missing_list_is_no_rows() -> None:
    data = [{"by_agent": [{"agent_id": "7", "latency_ms": "12.5"}], "by_ip": []}]
    assert read("realtime_latency_by_agent", data)[0]["latency_ms"] == pytest.approx(12.5)
    assert read("realtime_latency_by_ip", data) == []
    assert read("realtime_latency_by_pbx", data) == []
    assert read("realtime_latency_by_agent", []) == []
    with pytest.raises(DataError, match="expected an object"):
        read("realtime_latency_by_agent", ["not an object"])


def test_a_servers_single_object_is_one_row() -> None:
    (record,) = read("realtime_server", {"cpu_avg_10s": "35.5 %", "calls": "12", "ram": ""})
    assert record["cpu_avg_10s"] == pytest.approx(35.5)
    assert record["calls"] == 12
    assert record["ram"] is None


def test_quality_matrix_turns_each_survey_name_into_a_field() -> None:
    data = {
        "Ventas": [
            {"category": "Saludo", "attribute": "Nombre", "error_type": "CE", "percent": "10"}
        ],
        "Soporte": [],
    }
    (record,) = read("quality_matrix", data)
    assert record["survey"] == "Ventas"
    assert record["percent"] == 10
    with pytest.raises(DataError, match="Ventas="):
        read("quality_matrix", {"Ventas": "oops"})
    with pytest.raises(DataError, match="expected an object of lists"):
        read("quality_matrix", [1])


def test_realtime_campaigns_need_a_campaign_text_starting_with_its_id() -> None:
    (record,) = read(
        "realtime_campaigns",
        [{"campaign": " 42 - Ventas - tel1 50 %", "busy/congestion/failed": "3"}],
    )
    assert record["campaign_id"] == "42"
    assert record["busy/congestion/failed"] == 3
    with pytest.raises(DataError, match="campaign_id='Ventas 42'"):
        read("realtime_campaigns", [{"campaign": "Ventas 42"}])


def test_chats_keep_their_messages_nested_and_refuse_a_text_instead() -> None:
    messages = [{"from": "customer", "msg": "hola", "date": "2025-01-15 08:30:00"}]
    data = [{"agent_id": "7", "active_chats": [{"conn_id": "c1", "conversation": messages}]}]
    (record,) = read("realtime_chats", data)
    assert record["conversation"] == messages
    assert record["agent_id"] == "7"
    data[0]["active_chats"][0]["conversation"] = "hola"  # type: ignore[index]
    with pytest.raises(DataError, match=r"conversation='hola'.*expected a list"):
        read("realtime_chats", data)


def test_gamification_days_come_from_compact_dates_and_percent_occupancy() -> None:
    data = [
        {
            "agent_id": "12999",
            "agent_name": "x",
            "agent_dni": "1",
            "stats": [
                {"date": "20230130", "points": "0", "occupancy": "35 %", "aht_time": "00:01:05"}
            ],
        }
    ]
    (record,) = read("gamification_agent_kpis", data)
    assert record["date"] == "2023-01-30"
    assert record["occupancy"] == 35
    assert record["aht_time"] == 65
