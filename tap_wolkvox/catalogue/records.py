"""Turning a report's answer (`data`) into typed records, for each row shape.

`RecordParser(report, tz, bad_values).records(data, base, where)` types every declared field
of every row. A record starts as a C-level copy of its row; plain text fields (most of a
detail report) are then checked all at once, and only the other fields go through their
field's compiled converter, which keeps a 60,000-row window cheap. Each `datetime` field F
gets its sibling `F_local`, the wall clock Wolkvox sent. A value that does not read as its
kind goes to `bad_values` (null, or the run stops: `on_bad_value`); without it, it stops.
"""

from __future__ import annotations

import itertools
import operator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

import msgspec

from tap_wolkvox.catalogue.schema import local_name, partition_field
from tap_wolkvox.exceptions import DataError
from tap_wolkvox.fields import PLACEHOLDERS, json_text, wall_clock_text

if TYPE_CHECKING:
    import datetime as dt
    from collections.abc import Callable, Iterator, Sequence

    from tap_wolkvox.bad_values import BadValues
    from tap_wolkvox.catalogue.report import Report
    from tap_wolkvox.fields import Field

Record = dict[str, Any]
Records = list[Record]
T = TypeVar("T")
_decode = msgspec.json.Decoder().decode  # an undecoded row (`msgspec.Raw`) to Python


def yield_and_free(items: list[T]) -> Iterator[T]:
    """Yield and drop `items` in order, so that each is freed as soon as it is used."""
    items.reverse()
    while items:
        yield items.pop()


class RecordParser:
    """The records of one report's answers, datetimes read in the operation's zone."""

    def __init__(self, report: Report, tz: dt.tzinfo, bad_values: BadValues | None = None) -> None:
        """Compile every field's converter once; bad values go to `bad_values` (else raise)."""
        self.report = report
        self._entry_key = report.nested_field if report.shape in {"keyed", "grouped"} else None
        self._row = _Reader(
            [f for f in report.fields if f.name != self._entry_key],
            tz,
            partition_field(report),
            bad_values,
        )
        self._item = _Reader(report.item_fields, tz, None, bad_values)

    def records(
        self,
        data: Any,  # noqa: ANN401 - whatever Wolkvox sent
        base: Record,
        where: str,
        *,
        consume: bool = False,
    ) -> list[Record]:
        """Typed records of an answer's `data`, each starting from `base`.

        With `consume`, rows leave the `data` list as they are read, so that a window's
        answer and its records are never both held in full.

        `base` holds what the request knows: the partition value and the window bounds; a
        row's own value for the partition field replaces the one asked for. `where` names
        the request for messages (the report's api is added).
        """
        where = f"{self.report.api} {where}"
        if self.report.rows_at or self.report.shape == "nested":
            data = decoded(data)
        data = rows_at(self.report, data, where)
        if data is None or (isinstance(data, (list, dict, str)) and not data):
            return []
        if self.report.shape == "keyed":
            return self._entries(data, base, where)
        if self.report.shape == "grouped":
            return self._groups(data, base, where)
        if not isinstance(data, list):
            raise DataError(f"Wolkvox sent 'data' of type {type(data).__name__} for {where}")
        if self.report.shape == "nested":
            return self._items(data, base, where)
        read = self._row.read
        return [read(base, row, where) for row in (yield_and_free(data) if consume else data)]

    def reader(self, base: Record, where: str) -> Callable[[Any], Record]:
        """Types one row of a `rows`-shaped answer at a time, as `records` would."""
        read, where = self._row.read, f"{self.report.api} {where}"
        return lambda row: read(base, row, where)

    def _entries(self, data: Any, base: Record, where: str) -> list[Record]:  # noqa: ANN401
        """`keyed`: one record per entry of an object, its key in the `nested_field` field."""
        if not isinstance(data, dict):
            raise DataError(
                f"Wolkvox sent 'data' of type {type(data).__name__} for {where}: "
                "expected an object of entries"
            )
        entry_key = str(self._entry_key)
        return [
            self._row.read({**base, entry_key: key}, entry, where) for key, entry in data.items()
        ]

    def _groups(self, data: Any, base: Record, where: str) -> list[Record]:  # noqa: ANN401
        """`grouped`: one record per item of each list of an object, its name in a field."""
        if not isinstance(data, dict):
            raise DataError(
                f"Wolkvox sent 'data' of type {type(data).__name__} for {where}: "
                "expected an object of lists"
            )
        records = []
        for name, items in data.items():
            if not isinstance(items, list):
                raise DataError(f"Wolkvox sent {name}={items!r:.60} for {where}: expected a list")
            parent = {**base, str(self._entry_key): name}
            records += [self._item.read(parent, item, where) for item in items]
        return records

    def _items(self, data: list[Any], base: Record, where: str) -> list[Record]:
        """`nested`: one record per item of each row's list, with the row's fields."""
        nested, number = self.report.nested_field, self.report.item_number
        records = []
        for row in data:
            parent = self._row.read(base, row, where)
            items = row.get(nested)
            if items is None or (isinstance(items, str) and items.strip() in PLACEHOLDERS):
                continue
            if not isinstance(items, list):
                raise DataError(f"Wolkvox sent {nested}={items!r:.60} for {where}: expected a list")
            for position, item in enumerate(items, 1):
                if number is not None:
                    parent[number] = position
                records.append(self._item.read(parent, item, where))
        return records


def decoded(data: Any) -> Any:  # noqa: ANN401 - whatever Wolkvox sent
    """`data`, its rows decoded if they came undecoded (`msgspec.Raw`: `http.answers.Answer`)."""
    if isinstance(data, list) and data and data[0].__class__ is msgspec.Raw:
        return [_decode(row) for row in data]
    return data


def _object(row: Any, where: str) -> dict[str, Any]:  # noqa: ANN401 - whatever Wolkvox sent
    """An undecoded row, decoded; a row that is not an object stops."""
    if row.__class__ is msgspec.Raw:
        row = _decode(row)
    if row.__class__ is not dict:
        raise DataError(f"Wolkvox sent a row that is not an object for {where}: {row!r:.60}")
    return row


def rows_at(report: Report, data: Any, where: str) -> Any:  # noqa: ANN401
    """The rows within `data`, at the report's `rows_at` path (a missing step: no rows).

    A snapshot's single object (real_time `info_server`) is its one row.
    """
    for step in report.rows_at:
        if isinstance(step, int):
            if not isinstance(data, list):
                raise DataError(f"Wolkvox sent {data!r:.60} for {where}: expected a list")
            data = data[step] if len(data) > step else None
        else:
            if data is not None and not isinstance(data, dict):
                raise DataError(f"Wolkvox sent {data!r:.60} for {where}: expected an object")
            data = None if data is None else data.get(step)
        if data is None:
            return None
    if report.snapshot and report.shape == "rows" and isinstance(data, dict):
        return [data]
    if report.rows_at and not isinstance(data, list):
        path = ".".join(map(str, report.rows_at))
        raise DataError(f"Wolkvox sent {path}={data!r:.60} for {where}: expected a list")
    return data


class _Reader:
    """Reads a fixed set of fields from objects into records.

    A record starts as a copy of the row (one C-level copy), loses the keys that are not
    fields, gains `base` and the fields the row lacks, has its text placeholders nulled, and
    its other fields converted. What to drop and add is planned once per row layout (the set
    of keys), which stays the same across an answer.
    """

    def __init__(
        self,
        fields: Sequence[Field],
        tz: dt.tzinfo,
        partition: str | None,
        bad_values: BadValues | None,
    ) -> None:
        """Compile every field's converter once.

        The `partition` field keeps the record's (asked-for) value when the row has none.
        """
        self._fields = tuple(fields)
        self._by_name = {f.name: f for f in fields}
        self._bad_values = bad_values
        self._locals = tuple((f.name, local_name(f)) for f in fields if f.kind == "datetime")
        self._plain_text = frozenset(
            f.name
            for f in fields
            if f.kind == "text" and not f.key and not f.aliases and f.name != partition
        )
        self._converters = {f.name: f.converter(tz) for f in fields}
        self._partition = partition
        self._layout = _Layout(frozenset({None}))  # matches no row: the first row plans

    def read(self, base: Record, row: Any, where: str) -> Record:  # noqa: ANN401, C901 - the hot path, in one frame
        """`base` plus this object's typed fields (an undecoded row is decoded first)."""
        if row.__class__ is not dict:
            row = _object(row, where)
        layout = self._layout
        if row.keys() != layout.keys:
            layout = self._layout = self._plan(row)
        record = row.copy()
        for name in layout.drop:
            del record[name]
        record.update(base)
        for name in layout.absent:
            record[name] = None
        if layout.text_names:
            self._null_placeholders(record, layout, row, where)
        get = row.get
        try:
            for name, source, convert in layout.converted:
                record[name] = convert(get(source), where)
        except DataError:
            self._convert_each(record, row, layout, where)
        for name, local, source in layout.locals:
            value = record[name] and get(source)  # a datetime read from a string, or None
            if value and len(value) == 19 and value[10] == " ":  # noqa: PLR2004 - the usual form
                record[local] = value[:10] + "T" + value[11:]
            else:
                record[local] = value and wall_clock_text(value.strip())
        partition = self._partition
        if partition is not None and record[partition] is None:
            record[partition] = base.get(partition)
        return record

    def _convert_each(
        self, record: Record, row: dict[str, Any], layout: _Layout, where: str
    ) -> None:
        """A row with a bad value: convert field by field, each bad value to `bad_values`."""
        for name, source, convert in layout.converted:
            value = row.get(source)
            try:
                record[name] = convert(value, where)
            except DataError as exc:
                self._bad(name, value, where, exc)
                record[name] = None

    def _bad(self, name: str, value: Any, where: str, error: DataError) -> None:  # noqa: ANN401
        """Count a bad value (it is written as null), or raise: no `bad_values`, `fail`, a key."""
        if self._bad_values is None:
            raise error
        self._bad_values.note(self._by_name[name], value, where, error)

    def _null_placeholders(
        self, record: Record, layout: _Layout, row: dict[str, Any], where: str
    ) -> None:
        """Null the plain text fields holding a placeholder; numbers and bools become text.

        The checks run in C over all the fields at once; Python only visits the placeholders.
        """
        values = layout.text_values(row)
        try:
            "".join(values)  # TypeError unless every value is a string
        except TypeError:
            for name, value in zip(layout.text_names, values, strict=True):
                if value is None or value.__class__ is str:
                    continue
                if isinstance(value, (int, float)):  # bool is an int
                    record[name] = json_text(value)
                else:
                    error = DataError(
                        f"Wolkvox sent {name}={value!r:.60} for {where}: expected text"
                    )
                    self._bad(name, value, where, error)
                    record[name] = None
        if not PLACEHOLDERS.isdisjoint(values):
            for name in itertools.compress(
                layout.text_names, map(PLACEHOLDERS.__contains__, values)
            ):
                record[name] = None

    def _plan(self, row: dict[str, Any]) -> _Layout:
        """What to do with rows that have exactly these keys."""
        text = [f.name for f in self._fields if f.name in self._plain_text]
        converted = tuple(
            (
                f.name,
                next((n for n in f.aliases if n in row and f.name not in row), f.name),
                self._converters[f.name],
            )
            for f in self._fields
            if f.name not in self._plain_text
        )
        return _Layout(
            keys=frozenset(row),
            drop=tuple(k for k in row if k not in self._converters),
            absent=tuple(name for name in text if name not in row),
            text_names=tuple(name for name in text if name in row),
            text_values=_getter(tuple(name for name in text if name in row)),
            converted=converted,
            locals=tuple(
                (name, local, source)
                for name, local in self._locals
                for converted_name, source, _ in converted
                if converted_name == name
            ),
        )


@dataclass(frozen=True)
class _Layout:
    """The plan for rows with one set of keys."""

    keys: frozenset[Any]
    drop: tuple[str, ...] = ()  # keys that are not fields (other spellings included)
    absent: tuple[str, ...] = ()  # text fields the rows lack: null
    text_names: tuple[str, ...] = ()  # plain text fields, checked together
    text_values: Callable[[Record], tuple[Any, ...]] = tuple  # their values, as a tuple
    converted: tuple[tuple[str, str, Callable[[Any, str], Any]], ...] = ()  # name, key, converter
    locals: tuple[tuple[str, str, str], ...] = ()  # datetime field, its `_local`, the row's key


def _getter(names: tuple[str, ...]) -> Callable[[Record], tuple[Any, ...]]:
    """A function returning the values of `names` in a row, as a tuple."""
    if len(names) > 1:
        return operator.itemgetter(*names)
    return lambda row: tuple(row[name] for name in names)
