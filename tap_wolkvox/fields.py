"""A report's fields: how Wolkvox's string values become typed record values.

Every value arrives as a string (sometimes empty). A report declares each field it keeps as
`text`, `count` (a non-negative integer) or `number` (a decimal such as a percentage); an
empty string becomes null, and anything else that does not parse is a `DataError` naming the
field and the window. Fields Wolkvox sends that a report does not declare are ignored.
"""

from __future__ import annotations

import contextlib
import decimal
from dataclasses import dataclass
from typing import Any, Literal

from singer_sdk import typing as th

from tap_wolkvox.errors import DataError

MAX_COUNT = 2**63 - 1  # what a warehouse BIGINT holds
Kind = Literal["text", "count", "number"]
_ABSENT = object()


@dataclass(frozen=True)
class Field:
    """One field of a report's rows."""

    name: str
    kind: Kind
    description: str
    key: bool = False  # part of the record's key (never null)
    aliases: tuple[str, ...] = ()  # other names some servers use, e.g. `porcent`

    def schema(self) -> th.Property:
        """The field's JSON schema property."""
        if self.kind == "text":
            kind: Any = th.StringType(nullable=False) if self.key else th.StringType
        else:
            kind = th.IntegerType if self.kind == "count" else th.NumberType
        return th.Property(self.name, kind, required=self.key, description=self.description)

    def read(self, row: dict[str, Any], where: str) -> Any:  # noqa: ANN401
        """The typed value of this field in one answer row."""
        raw = row.get(self.name, _ABSENT)
        if raw is _ABSENT:
            raw = next((row[n] for n in self.aliases if n in row), None)
        if self.kind == "text":
            if isinstance(raw, str) or (raw is None and not self.key):
                return raw
            raise DataError(f"Wolkvox sent {self.name}={raw!r:.60} for {where}: expected text")
        if raw is None or (isinstance(raw, str) and raw.strip() == ""):
            return None
        if self.kind == "count":
            return parse_count(raw, self.name, where)
        return _number(raw, self.name, where)


def parse_count(value: Any, field: str, where: str) -> int:  # noqa: ANN401
    """A count sent as a string of digits (or an integer)."""
    number: int | None = None
    if isinstance(value, int) and not isinstance(value, bool):
        number = value
    elif isinstance(value, str):
        text = value.strip()
        if text.isascii() and text.isdigit() and len(text) <= 19:  # noqa: PLR2004
            number = int(text)
    if number is None or not 0 <= number <= MAX_COUNT:
        raise DataError(
            f"Wolkvox sent {field}={value!r:.60} for {where}: expected a whole number "
            f"from 0 to {MAX_COUNT}"
        )
    return number


def _number(value: Any, field: str, where: str) -> decimal.Decimal:  # noqa: ANN401
    number = decimal.Decimal("NaN")
    if isinstance(value, (int, float, str)) and not isinstance(value, bool):
        with contextlib.suppress(decimal.InvalidOperation):
            number = decimal.Decimal(value.strip() if isinstance(value, str) else str(value))
    if not number.is_finite() or abs(number) > MAX_COUNT:
        raise DataError(f"Wolkvox sent {field}={value!r:.60} for {where}: expected a number")
    return number
