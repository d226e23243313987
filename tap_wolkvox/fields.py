"""A report's fields: how Wolkvox's string values become typed record values.

Every value arrives as a string (docs/wolkvox-api.md §2). A field's kind says what the string
holds:

| kind | Wolkvox sends | record value |
|---|---|---|
| `text` | any string; a JSON number or bool: its text (`1001` -> `"1001"`) | the string |
| `count` | `"12"` | integer |
| `number` | `"2.887"` | decimal |
| `percent` | `"34.64 %"`, `"9,336.00 %"`, `"34.64"`, `"0"` | decimal 34.64, 9336.00 |
| `duration` | `"HH:MM:SS"` (hours past 24: `"123:45:10"`), or seconds `"754"` | integer seconds |
| `datetime` | `"YYYY-MM-DD HH:MM:SS"`, `…T…`, `YYYYMMDDHHMMSS`: wall clock | ISO 8601 with offset |
| `date` | `"YYYY-MM-DD"` or `"YYYYMMDD"` | `"YYYY-MM-DD"` |
| `hour` | `"13:00"` | `"13:00"` |
| `leading_id` | `"101 - Sales - tel1 80 %"` | `"101"`, the number it starts with |
| `list` | a JSON list of objects (chat messages, template parts) | the list, as sent |

The placeholders `""`, `" "` and `"-"` (or a missing field) are null, except in key fields,
where text keeps them and any other kind refuses them. A value that does not parse is a
`DataError` naming the field, the value and `where` (the report and window). Each field
compiles once per zone into a converter with a fast path for the common case, so typing a
60,000-row window costs at most one call per value.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import decimal
import functools
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

from singer_sdk import typing as th

from tap_wolkvox.exceptions import DataError
from tap_wolkvox.windows import localize

MAX_COUNT = 2**63 - 1  # what a warehouse BIGINT holds
Kind = Literal[
    "text",
    "count",
    "number",
    "percent",
    "duration",
    "datetime",
    "date",
    "hour",
    "list",
    "leading_id",
]
#: `convert(raw value, where)` -> typed value; raises `DataError`.
Convert = Callable[[Any, str], Any]
#: Values Wolkvox sends for "no value".
PLACEHOLDERS = frozenset({"", " ", "-"})
#: Where a number, duration or date is wanted, `--` means no value too (customer.php's rings).
_NO_VALUE = PLACEHOLDERS | {"--"}

_SCHEMA_TYPES: dict[str, type[th.JSONTypeHelper[Any]]] = {
    "text": th.StringType,
    "count": th.IntegerType,
    "number": th.NumberType,
    "percent": th.NumberType,
    "duration": th.IntegerType,
    "datetime": th.DateTimeType,
    "date": th.DateType,
    "hour": th.StringType,
    "list": th.ArrayType,
    "leading_id": th.StringType,
}
_UNITS = {"percent": " In percent.", "duration": " In seconds."}
_EXPECTED = {
    "text": "text",
    "count": f"a whole number from 0 to {MAX_COUNT}",
    "number": "a number",
    "percent": "a percentage such as '34.64 %'",
    "duration": "a duration HH:MM:SS or seconds",
    "datetime": "a date-time YYYY-MM-DD HH:MM:SS",
    "date": "a date YYYY-MM-DD or YYYYMMDD",
    "hour": "an hour HH:MM",
    "list": "a list",
    "leading_id": "text that starts with a numeric ID",
}
_PERCENT = re.compile(r"\s*(-?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?)\s*%?\s*")
_DURATION = re.compile(r"\s*(?:(\d+):([0-5]\d):([0-5]\d)|(\d+))\s*")
_DATETIME = re.compile(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d")
#: The other date-time forms Wolkvox writes: `T` between date and time, or compact.
_DATETIME_FORMS = re.compile(r"\s*(\d{4})-?(\d\d)-?(\d\d)[ T]?(\d\d):?(\d\d):?(\d\d)\s*")
_DATE = re.compile(r"\s*(\d{4})(-?)(\d\d)\2(\d\d)\s*")
_SECONDS_OF_MINUTES = {f":{n // 60:02d}:{n % 60:02d}": n for n in range(3600)}
_MINUTES_SECONDS = frozenset(_SECONDS_OF_MINUTES)
_HOUR = re.compile(r"\s*([01]?\d|2[0-3]):([0-5]\d)\s*")
_LEADING_ID = re.compile(r"\s*(\d+)")


@dataclass(frozen=True)
class Field:
    """One field of a report's rows."""

    name: str
    kind: Kind
    description: str
    key: bool = False  # part of the record's key (never null)
    aliases: tuple[str, ...] = ()  # Wolkvox's other spellings, e.g. `porcent`, `ASA`
    utc_offset: str | None = None  # a datetime Wolkvox writes in a fixed zone, e.g. "-05:00"

    def schema(self) -> th.Property:
        """The field's JSON schema property."""
        kind = _SCHEMA_TYPES[self.kind]
        if self.kind == "list":
            return th.Property(
                self.name,
                th.ArrayType(th.ObjectType(additional_properties=True)),
                description=self.description,
            )
        return th.Property(
            self.name,
            kind(nullable=False) if self.key else kind,
            required=self.key,
            description=self.description + _UNITS.get(self.kind, ""),
        )

    @property
    def expected(self) -> str:
        """What a value of this field must be, for messages."""
        return _EXPECTED[self.kind]

    def converter(self, tz: dt.tzinfo | None = None) -> Convert:
        """`convert(raw, where)`: this field's typed value (datetimes read in `tz`)."""
        return _compile(self, tz)


@functools.lru_cache(maxsize=4096)
def _compile(field: Field, tz: dt.tzinfo | None) -> Convert:
    """The field's converter: a fast path for the common case, else the general one."""
    if field.kind == "list":
        return _list_converter(field)
    parse = _parser(field, tz)
    general = _general(field, parse)
    fast = _FAST_PATHS.get(field.kind)
    return general if fast is None else fast(field, parse, general)


def _general(field: Field, parse: Callable[[str], Any]) -> Convert:
    """Placeholders, stray spaces, JSON numbers, and the error naming field and value."""
    name, key, expected = field.name, field.key, _EXPECTED[field.kind]
    numeric = field.kind in {"count", "number", "percent", "duration"}
    text = field.kind == "text"
    padded = field.kind != "text"  # "  -  " is a placeholder too where text is not wanted

    def fail(value: Any, where: str) -> DataError:  # noqa: ANN401
        return DataError(f"Wolkvox sent {name}={value!r:.60} for {where}: expected {expected}")

    def convert(value: Any, where: str) -> Any:  # noqa: ANN401
        if value.__class__ is str:
            if not key and (value.strip() in _NO_VALUE if padded else value in PLACEHOLDERS):
                return None
            try:
                return parse(value)
            except (ValueError, ArithmeticError):
                raise fail(value, where) from None
        if value is None and not key:
            return None
        if numeric and isinstance(value, (int, float)) and not isinstance(value, bool):
            with contextlib.suppress(ValueError, ArithmeticError):
                return parse(str(value))
        if text and isinstance(value, (int, float)):
            return json_text(value)
        raise fail(value, where)

    return convert


def _list_converter(field: Field) -> Convert:
    """A nested list kept as sent; a placeholder or a missing list is null."""

    def convert(value: Any, where: str) -> Any:  # noqa: ANN401
        if value.__class__ is list or value is None:
            return value
        if isinstance(value, str) and value.strip() in PLACEHOLDERS:
            return None
        raise DataError(f"Wolkvox sent {field.name}={value!r:.60} for {where}: expected a list")

    return convert


def _fast_text(field: Field, _: object, general: Convert) -> Convert:
    key = field.key

    def convert(value: Any, where: str) -> Any:  # noqa: ANN401
        if value.__class__ is str and (key or len(value) > 1 or value not in PLACEHOLDERS):
            return value
        return general(value, where)

    return convert


def _fast_count(_: Field, __: object, general: Convert) -> Convert:
    def convert(value: Any, where: str) -> Any:  # noqa: ANN401
        if value.__class__ is str and value.isdigit() and value.isascii() and len(value) < 19:  # noqa: PLR2004
            return int(value)
        return general(value, where)

    return convert


def _fast_number(_: Field, __: object, general: Convert) -> Convert:
    def convert(value: Any, where: str) -> Any:  # noqa: ANN401
        if value.__class__ is str and value not in PLACEHOLDERS:
            try:
                number = decimal.Decimal(value)
            except ArithmeticError:
                return general(value, where)
            if number.is_finite() and number.adjusted() < 18:  # noqa: PLR2004
                return number
        return general(value, where)

    return convert


def _fast_datetime(_: Field, clock: WallClock, general: Convert) -> Convert:
    hours = clock.hours

    def convert(value: Any, where: str) -> Any:  # noqa: ANN401
        if value.__class__ is str:
            hour = hours.get(value[:13])
            rest = value[13:]
            if hour is not None and rest in _MINUTES_SECONDS:
                return hour[0] + rest + hour[1]
        return general(value, where)

    return convert


def _fast_duration(_: Field, __: object, general: Convert) -> Convert:
    def convert(value: Any, where: str) -> Any:  # noqa: ANN401
        if value.__class__ is str:
            if value.isdigit() and value.isascii() and len(value) < 16:  # noqa: PLR2004 - seconds
                return int(value)
            seconds = _SECONDS_OF_MINUTES.get(value[-6:])
            hours = value[:-6]
            if seconds is not None and hours.isdigit() and hours.isascii() and len(hours) < 12:  # noqa: PLR2004
                return int(hours) * 3600 + seconds
        return general(value, where)

    return convert


_FAST_PATHS: dict[str, Callable[[Field, Any, Convert], Convert]] = {
    "text": _fast_text,
    "count": _fast_count,
    "duration": _fast_duration,
    "number": _fast_number,
    "datetime": _fast_datetime,
}


def _parser(field: Field, tz: dt.tzinfo | None) -> Callable[[str], Any]:
    """The function reading one kind from a string; it raises ValueError."""
    if field.kind != "datetime":
        return _PARSERS[field.kind]
    if field.utc_offset is not None:
        return WallClock(dt.datetime.strptime(field.utc_offset, "%z").tzinfo or dt.timezone.utc)
    if tz is None:
        raise ValueError(f"field {field.name} is a datetime: reading it needs the timezone")
    return WallClock(tz)


def _text(value: str) -> str:
    return value


def _count(value: str) -> int:
    text = value if value.isdigit() else value.strip()
    if not (text.isdigit() and text.isascii() and len(text) <= 19):  # noqa: PLR2004
        raise ValueError(value)
    number = int(text)
    if number > MAX_COUNT:
        raise ValueError(value)
    return number


def _number(value: str) -> decimal.Decimal:
    number = decimal.Decimal(value)  # surrounding spaces are allowed; junk raises
    if not number.is_finite() or (number.adjusted() >= 18 and abs(number) > MAX_COUNT):  # noqa: PLR2004
        raise ValueError(value)
    return number


def _percent(value: str) -> decimal.Decimal:
    match = _PERCENT.fullmatch(value)
    if match is None:
        raise ValueError(value)
    return _number(match[1].replace(",", ""))


def _duration(value: str) -> int:
    match = _DURATION.fullmatch(value)
    if match is None or len(match[1] or match[4]) > 15:  # noqa: PLR2004 - beyond a BIGINT
        raise ValueError(value)
    if match[4] is not None:
        return int(match[4])
    return int(match[1]) * 3600 + int(match[2]) * 60 + int(match[3])


def _date(value: str) -> str:
    match = _DATE.fullmatch(value)
    if match is None:
        raise ValueError(value)
    text = f"{match[1]}-{match[3]}-{match[4]}"
    dt.date.fromisoformat(text)  # a real calendar day
    return text


def _hour(value: str) -> str:
    match = _HOUR.fullmatch(value)
    if match is None:
        raise ValueError(value)
    return f"{int(match[1]):02d}:{match[2]}"


def _leading_id(value: str) -> str:
    match = _LEADING_ID.match(value)
    if match is None:
        raise ValueError(value)
    return match[1]


_PARSERS: dict[str, Callable[[str], Any]] = {
    "text": _text,
    "count": _count,
    "number": _number,
    "percent": _percent,
    "duration": _duration,
    "date": _date,
    "hour": _hour,
    "leading_id": _leading_id,
}


def json_text(value: float | bool) -> str:
    """A JSON number or bool as the text it was: `1001` -> `"1001"`, `true` -> `"true"`."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return repr(value)


def wall_clock_text(value: str) -> str:
    """A date-time as Wolkvox wrote it, as `YYYY-MM-DDTHH:MM:SS`; ValueError if it is not one."""
    if len(value) == 19 and value[10] == " ":  # noqa: PLR2004 - the usual form
        return value[:10] + "T" + value[11:]
    match = _DATETIME_FORMS.fullmatch(value)
    if match is None:
        raise ValueError(value)
    return "{}-{}-{}T{}:{}:{}".format(*match.groups())


class WallClock:
    """`"YYYY-MM-DD HH:MM:SS"` wall clock in one zone -> ISO 8601 with the UTC offset.

    Each wall-clock hour's offset is looked up once and kept in `hours`. An hour in which
    the offset changes (or that DST skips) is converted value by value: a time in a skipped
    hour moves past the gap, a repeated time takes its first occurrence.
    """

    def __init__(self, zone: dt.tzinfo) -> None:
        """Convert wall-clock times of `zone`."""
        self.zone = zone
        #: "YYYY-MM-DD HH" -> ("YYYY-MM-DDTHH", "+HH:MM"), or None when the offset varies
        self.hours: dict[str, tuple[str, str] | None] = {}

    def __call__(self, value: str) -> str:
        """The ISO 8601 form of `value`; ValueError if it is not a real date-time."""
        if _DATETIME.fullmatch(value) is None:
            value = wall_clock_text(value).replace("T", " ")
        wall = dt.datetime.fromisoformat(value)
        if value[:13] not in self.hours:
            self.hours[value[:13]] = self._steady(wall.replace(minute=0, second=0))
        steady = self.hours[value[:13]]
        if steady is None:
            return _aware(wall, self.zone).isoformat()
        return steady[0] + value[13:] + steady[1]

    def _steady(self, hour: dt.datetime) -> tuple[str, str] | None:
        """The hour's ISO prefix and offset, or None if the offset changes within the hour."""
        first = _aware(hour, self.zone)
        last_wall = hour + dt.timedelta(minutes=59, seconds=59)
        last = _aware(last_wall, self.zone)
        if first.replace(tzinfo=None) != hour or last.replace(tzinfo=None) != last_wall:
            return None  # DST skips (part of) this hour
        if first.utcoffset() != last.utcoffset():
            return None
        iso = first.isoformat()
        return iso[:13], iso[19:]


def _aware(wall: dt.datetime, zone: dt.tzinfo) -> dt.datetime:
    """`localize` for any zone, fixed offsets included."""
    return localize(wall, zone)  # type: ignore[arg-type]
