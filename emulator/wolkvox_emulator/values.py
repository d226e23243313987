"""Typed record values written back as Wolkvox sends them, in each report's row shape.

The emulator builds a report's expected records first (the truth, typed as the tap's parser
should return them), then writes them out in every form the live API and its docs show, in
turn: counts as `"12"`; durations as `"HH:MM:SS"` (hours past 99 too) or plain seconds
`"754"`; percentages as `"9,336.00 %"` or `"34.64"`; date-times as wall-clock
`"YYYY-MM-DD HH:MM:SS"` or compact `"YYYYMMDDHHMMSS"`; dates as `"YYYY-MM-DD"` or
`"YYYYMMDD"`; numeric text such as an agent ID as a JSON number `1001` (the Postman collection
types 34 such fields `Int`); nulls as the placeholders `"-"`, `""` and `" "`, under Wolkvox's
own key spellings, as a list of rows, an object of entries, or rows holding lists.
"""

from __future__ import annotations

import decimal
import itertools
import zlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator, Sequence

    from tap_wolkvox.catalogue import Report
    from tap_wolkvox.fields import Field

Record = dict[str, Any]  # a typed record, as the tap's parser returns it
_PLACEHOLDERS = ("-", "", " ")


def wolkvox_key(field: Field) -> str:
    """The key Wolkvox sends the field under: the spelling that trims and lower-cases to it."""
    return next((a for a in field.aliases if a.strip().lower() == field.name), field.name)


def wolkvox_value(field: Field, value: Any, turn: int) -> str | int:  # noqa: ANN401
    """One typed value as Wolkvox writes it; `turn` picks among the forms of its kind."""
    if value is None:
        return _PLACEHOLDERS[turn % len(_PLACEHOLDERS)]
    if field.kind == "date":
        return value if turn % 2 else value.replace("-", "")
    other = _OTHER_FORMS.get(field.kind)
    if other is not None and zlib.crc32(b"%d" % turn) % 3 == 0:  # a third, in no fixed column
        written = other(value)
        if written is not None:
            return written
    return _WRITERS.get(field.kind, str)(value)


def _json_number(text: str) -> int | None:
    """Numeric text as the JSON number Wolkvox may send instead (None if it would change)."""
    if text.isascii() and text.isdigit() and len(text) < 16 and str(int(text)) == text:  # noqa: PLR2004
        return int(text)
    return None


def hours_minutes_seconds(seconds: int) -> str:
    """`HH:MM:SS`; hours may pass 24 (and 99)."""
    minutes, second = divmod(seconds, 60)
    return f"{minutes // 60:02d}:{minutes % 60:02d}:{second:02d}"


_WRITERS: dict[str, Callable[[Any], str]] = {
    "percent": lambda value: f"{decimal.Decimal(value):,.2f} %",
    "duration": hours_minutes_seconds,
    "datetime": lambda value: f"{value[:10]} {value[11:19]}",  # ISO 8601 -> its wall clock
}
#: The other form of a kind, sent for a third of the values (None: the value has no other).
_OTHER_FORMS: dict[str, Callable[[Any], str | int | None]] = {
    "text": _json_number,
    "percent": lambda value: f"{decimal.Decimal(value):.2f}",
    "duration": str,
    "datetime": lambda value: value[:19].replace("-", "").replace(":", "").replace("T", ""),
}


def answer_data(report: Report, records: Sequence[Record]) -> list[Record] | Record:
    """The answer's `data` holding `records`, in the report's shape, every value a string."""
    turns = itertools.count()
    if report.shape == "keyed":
        entry = str(report.nested_field)
        return {record[entry]: _row(report.fields, record, turns, skip=entry) for record in records}
    if report.shape == "nested":
        return list(_nested(report, records, turns))
    return [_row(report.fields, record, turns) for record in records]


def _row(
    fields: Sequence[Field], record: Record, turns: Iterator[int], skip: str | None = None
) -> dict[str, str | int]:
    return {
        wolkvox_key(f): wolkvox_value(f, record.get(f.name), next(turns))
        for f in fields
        if f.name != skip
    }


def _nested(report: Report, records: Sequence[Record], turns: Iterator[int]) -> Iterator[Record]:
    """Consecutive records sharing the row's fields become one row holding their items."""
    parents = [f.name for f in report.fields]
    for _, group in itertools.groupby(records, key=lambda r: [r.get(n) for n in parents]):
        items = list(group)
        row: Record = _row(report.fields, items[0], turns)
        row[str(report.nested_field)] = [_row(report.item_fields, item, turns) for item in items]
        yield row
