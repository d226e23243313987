"""Field kinds: every format Wolkvox sends, placeholders, keys, and the errors."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tap_wolkvox.catalogue import Report
from tap_wolkvox.catalogue.records import RecordParser
from tap_wolkvox.exceptions import DataError
from tap_wolkvox.fields import MAX_COUNT, Field

BOGOTA = ZoneInfo("America/Bogota")
NEW_YORK = ZoneInfo("America/New_York")  # has DST: a skipped and a repeated hour each year
WHERE = "report cdr_1 window [2025-03-01T00:00:00-05:00, 2025-03-02T00:00:00-05:00)"


def convert(kind: Any, value: Any, *, key: bool = False, tz: ZoneInfo = BOGOTA) -> Any:
    return Field("f", kind, "A field.", key=key).converter(tz)(value, WHERE)


@pytest.mark.parametrize(
    ("kind", "value", "typed"),
    [
        ("text", "12462.0277.1782402643.44005", "12462.0277.1782402643.44005"),
        ("text", " spaced ", " spaced "),
        ("count", "12", 12),
        ("count", " 7 ", 7),
        ("count", 5, 5),
        ("count", str(MAX_COUNT), MAX_COUNT),
        ("number", "2.887", Decimal("2.887")),
        ("number", "-3", Decimal(-3)),
        ("number", 61.4, Decimal("61.4")),
        ("percent", "34.64 %", Decimal("34.64")),
        ("percent", "9,336.00 %", Decimal("9336.00")),
        ("percent", "15,233.33 %", Decimal("15233.33")),
        ("percent", "1,234,567.5 %", Decimal("1234567.5")),
        ("percent", "28.81%", Decimal("28.81")),
        ("percent", "0", Decimal(0)),
        ("percent", "-2.50 %", Decimal("-2.50")),
        ("duration", "00:00:34", 34),
        ("duration", "01:52:06", 6726),
        ("duration", "27:01:02", 27 * 3600 + 62),
        ("duration", "1234:00:00", 1234 * 3600),
        ("date", "2026-08-18", "2026-08-18"),
        ("date", "20260818", "2026-08-18"),
        ("date", "2024-02-29", "2024-02-29"),
        ("hour", "13:00", "13:00"),
        ("hour", "9:30", "09:30"),
        ("hour", "00:10", "00:10"),
        ("hour", "23:59", "23:59"),
        ("datetime", "2026-06-25 10:50:54", "2026-06-25T10:50:54-05:00"),
        # the other forms docs/wolkvox-api.md §2 and §3 record for these kinds
        ("text", 1001, "1001"),
        ("text", 0, "0"),
        ("text", 12.5, "12.5"),
        ("text", True, "true"),
        ("percent", "34.64", Decimal("34.64")),
        ("percent", 34.64, Decimal("34.64")),
        ("percent", "9,336.00", Decimal("9336.00")),
        ("duration", "123:45:10", 123 * 3600 + 45 * 60 + 10),
        ("duration", "754", 754),
        ("duration", " 0 ", 0),
        ("duration", 3600, 3600),
        ("datetime", "2026-06-25T10:50:54", "2026-06-25T10:50:54-05:00"),
        ("datetime", "20260625105054", "2026-06-25T10:50:54-05:00"),
    ],
)
def test_each_kind_reads_what_wolkvox_sends(kind: Any, value: Any, typed: Any) -> None:
    result = convert(kind, value)
    assert result == typed
    assert type(result) is type(typed)


@pytest.mark.parametrize(
    ("kind", "value"),
    [
        ("count", "1.0"),
        ("count", "-1"),
        ("count", "1,000"),
        ("count", str(MAX_COUNT + 1)),
        ("count", "١٢"),  # non-ASCII digits
        ("count", True),
        ("count", 2.5),
        ("number", "NaN"),
        ("number", "1,5"),
        ("number", "Infinity"),
        ("percent", "34,64 %"),
        ("percent", "12 %%"),
        ("percent", "% 12"),
        ("percent", "abc %"),
        ("duration", "1:2:3"),
        ("duration", "00:60:00"),
        ("duration", "00:00:60"),
        ("duration", "-00:00:05"),
        ("date", "2025-3-1"),
        ("date", "2025-0301"),
        ("date", "2025-02-30"),
        ("date", "2025-03-01 00:00:00"),
        ("hour", "24:00"),
        ("hour", "13:60"),
        ("hour", "13"),
        ("hour", "13:00:00"),
        ("datetime", "2025-02-30 00:00:00"),
        ("datetime", "2025-03-01 10:00"),
        ("datetime", "2025-W01-1 10:00:0"),
        ("text", {"nested": "object"}),
        ("text", [1001]),
        ("duration", "12.5"),
        ("duration", True),
        ("datetime", "2025-03-01 10:00:00+05:00"),
    ],
)
def test_a_value_that_does_not_parse_names_field_value_and_window(
    kind: Any,
    value: Any,
) -> None:
    with pytest.raises(DataError) as error:
        convert(kind, value)
    message = str(error.value)
    assert f"f={value!r:.60}" in message
    assert WHERE in message
    assert "expected" in message
    assert "\n" not in message


@pytest.mark.parametrize("kind", ["text", "count", "number", "percent", "duration", "date", "hour"])
@pytest.mark.parametrize("placeholder", ["", " ", "-", None])
def test_placeholders_are_null_in_non_key_fields(kind: Any, placeholder: str | None) -> None:
    assert convert(kind, placeholder) is None
    assert convert("datetime", placeholder) is None


@pytest.mark.parametrize("placeholder", ["", " ", "-"])
def test_key_text_keeps_a_placeholder_and_other_keys_refuse_it(placeholder: str) -> None:
    assert convert("text", placeholder, key=True) == placeholder
    for kind in ("count", "date", "hour", "datetime"):
        with pytest.raises(DataError, match="expected"):
            convert(kind, placeholder, key=True)


def test_a_key_field_must_be_present() -> None:
    with pytest.raises(DataError, match=r"f=None .* expected text"):
        convert("text", None, key=True)


def test_fields_are_found_under_wolkvox_spellings() -> None:
    asa = Field("asa", "count", "Average speed of answer.", aliases=("ASA",))
    answers = Field("agent_anwers", "text", "Answers.", aliases=("agent_anwers ",))
    parser = RecordParser(Report("x_1", "x", "A report.", (asa, answers)), ZoneInfo("UTC"))

    def read(row: dict[str, str]) -> dict[str, Any]:
        (record,) = parser.records([row], {}, WHERE)
        return record

    assert read({"ASA": "12"})["asa"] == 12
    assert read({"asa": "3", "ASA": "12"})["asa"] == 3
    assert read({"agent_anwers ": "yes"})["agent_anwers"] == "yes"
    assert read({})["agent_anwers"] is None


@pytest.mark.parametrize(
    ("wall", "iso"),
    [
        ("2025-01-15 08:00:00", "2025-01-15T08:00:00-05:00"),
        ("2025-07-15 08:00:00", "2025-07-15T08:00:00-04:00"),
        # DST starts 2025-03-09 02:00: the skipped hour moves past the gap
        ("2025-03-09 01:59:59", "2025-03-09T01:59:59-05:00"),
        ("2025-03-09 02:30:00", "2025-03-09T03:30:00-04:00"),
        ("2025-03-09 03:00:00", "2025-03-09T03:00:00-04:00"),
        # DST ends 2025-11-02 02:00: a repeated time takes its first occurrence
        ("2025-11-02 01:30:00", "2025-11-02T01:30:00-04:00"),
        ("2025-11-02 02:00:00", "2025-11-02T02:00:00-05:00"),
        ("2025-12-31 23:59:59", "2025-12-31T23:59:59-05:00"),
    ],
)
def test_datetime_is_wall_clock_in_the_operations_zone(wall: str, iso: str) -> None:
    assert convert("datetime", wall, tz=NEW_YORK) == iso
    # the cached per-hour offset gives the same answer the second time
    assert convert("datetime", wall, tz=NEW_YORK) == iso


def test_a_fixed_offset_field_ignores_the_operations_zone() -> None:
    gmt5 = Field("date", "datetime", "Attempt date.", utc_offset="-05:00")
    assert gmt5.converter(NEW_YORK)("2025-07-15 08:00:00", WHERE) == "2025-07-15T08:00:00-05:00"


def test_a_datetime_needs_a_zone() -> None:
    with pytest.raises(ValueError, match="needs the timezone"):
        Field("date", "datetime", "Date.").converter()


@given(st.datetimes(min_value=dt.datetime(2000, 1, 1), max_value=dt.datetime(2040, 1, 1)))
def test_datetime_matches_the_zones_own_conversion(wall: dt.datetime) -> None:
    wall = wall.replace(microsecond=0, fold=0)  # a wall-clock string names no repeated hour
    iso = convert("datetime", f"{wall:%Y-%m-%d %H:%M:%S}", tz=NEW_YORK)
    aware = wall.replace(tzinfo=NEW_YORK).astimezone(dt.timezone.utc).astimezone(NEW_YORK)
    assert iso == aware.isoformat()


@given(st.integers(min_value=0, max_value=10**7))
def test_duration_reads_any_number_of_hours(seconds: int) -> None:
    hours, rest = divmod(seconds, 3600)
    assert convert("duration", f"{hours:02d}:{rest // 60:02d}:{rest % 60:02d}") == seconds


@given(st.decimals(min_value=0, max_value=10**9, places=2))
def test_percent_reads_thousands_separators(value: Decimal) -> None:
    assert convert("percent", f"{value:,.2f} %") == value


@pytest.mark.parametrize(
    ("kind", "schema"),
    [
        ("text", {"type": ["string", "null"]}),
        ("count", {"type": ["integer", "null"]}),
        ("number", {"type": ["number", "null"]}),
        ("percent", {"type": ["number", "null"]}),
        ("duration", {"type": ["integer", "null"]}),
        ("datetime", {"type": ["string", "null"], "format": "date-time"}),
        ("date", {"type": ["string", "null"], "format": "date"}),
        ("hour", {"type": ["string", "null"]}),
    ],
)
def test_schema_of_each_kind(kind: Any, schema: dict[str, Any]) -> None:
    prop = Field("f", kind, "A field.").schema().to_dict()["f"]
    assert {k: v for k, v in prop.items() if k != "description"} == schema
    key = Field("f", kind, "A field.", key=True).schema()
    assert key.to_dict()["f"]["type"] == [schema["type"][0]]
    assert key.optional is False


def test_schema_states_the_unit_of_percent_and_duration() -> None:
    assert Field("f", "duration", "Talk time.").schema().to_dict()["f"]["description"] == (
        "Talk time. In seconds."
    )
    assert Field("f", "percent", "Share.").schema().to_dict()["f"]["description"] == (
        "Share. In percent."
    )


def test_padded_placeholders_are_null_except_where_text_is_wanted() -> None:
    assert convert("count", "  -  ") is None
    assert convert("duration", "   ") is None
    assert convert("text", "   ") == "   "
