"""Made-up records for the reports the event model does not cover, from their declarations.

Enough to exercise each report end to end: every field has a value of its kind (with nulls,
percentages over 1,000 and durations over a day among them), key fields are unique, values
differ with the partition value asked for (a campaign, skill, agent or code type), detail
reports (split `concat`) have rows spread over each day of the range, whose timestamps fall
in exactly one half of a split window, and totals have a few rows per range, or one when the
report has no key field of its own (a summary of the whole range, as Wolkvox's example).
"""

from __future__ import annotations

import datetime as dt
import decimal
import zlib
from typing import TYPE_CHECKING, Any

from tap_wolkvox.windows import localize

if TYPE_CHECKING:
    from zoneinfo import ZoneInfo

    from tap_wolkvox.catalogue import Report
    from tap_wolkvox.fields import Field
    from wolkvox_emulator.truth.world import Request
    from wolkvox_emulator.values import Record

ROWS = 3  # per day (detail reports) or per request
_OFFSETS = (0, 9 * 3600 + 1234, 86399)  # seconds into the day: both edges and a middle
_BUCKETS = ("0_5_seg", "6_20_seg", "21_60_seg", "61_120_seg", "greater_than_121")


def generic_records(report: Report, rq: Request | None, zone: ZoneInfo) -> list[Record]:
    """A few records of `report` for one request (`rq` None for an undated list)."""
    if report.shape == "keyed":
        return [
            _record(report, report.fields, n, rq, zone, entry=bucket)
            for n, bucket in enumerate(_BUCKETS)
        ]
    moments: list[dt.datetime | None] = [None] * (ROWS if _keyed_rows(report) else 1)
    if rq is not None and report.split == "concat":
        moments = [*day_moments(rq.first, rq.last)]
    if report.shape == "nested":
        return [
            {
                **_record(report, report.fields, parent, rq, zone, moment=moment),
                **_record(report, report.item_fields, item, rq, zone, moment=moment),
                **({report.item_number: item + 1} if report.item_number else {}),
            }
            for parent, moment in enumerate(moments[:2])
            for item in range(ROWS)
        ]
    return [_record(report, report.fields, n, rq, zone, moment=m) for n, m in enumerate(moments)]


def _record(  # noqa: PLR0913 - one argument per thing a value depends on
    report: Report,
    fields: tuple[Field, ...],
    n: int,
    rq: Request | None,
    zone: ZoneInfo,
    *,
    moment: dt.datetime | None = None,
    entry: str | None = None,
) -> Record:
    """Values for row `n`: keys unique per row (and moment), others varied, some null."""
    when = moment or (rq.first if rq is not None else dt.datetime(2025, 1, 15, 8, 30))
    value = rq.value if rq is not None else ""
    record: Record = {}
    for field in fields:
        seed = zlib.crc32(f"{report.api}|{field.name}|{value}|{when}|{n}".encode())
        if field.name == report.nested_field and entry is not None:
            record[field.name] = entry
        elif not field.key and seed % 5 == 0:
            record[field.name] = None  # written as a placeholder
        else:
            record[field.name] = _value(field, seed, n, when=when, zone=zone, asked=value)
    return record


def _keyed_rows(report: Report) -> bool:
    """Whether rows have a key of their own (else one row answers for the whole range)."""
    return any(f.key for f in report.all_fields) or report.item_number is not None


def _value(  # noqa: PLR0913 - one argument per thing a value depends on
    field: Field, seed: int, n: int, *, when: dt.datetime, zone: ZoneInfo, asked: str
) -> Any:  # noqa: ANN401
    """A value of the field's kind; text is unique to the field, partition, moment and row."""
    values = {
        "count": lambda: seed % 500,
        "number": lambda: decimal.Decimal(seed % 100000) / 1000,
        "percent": lambda: decimal.Decimal(seed % 1_500_000) / 100,  # up to 15,000.00 %
        "duration": lambda: seed % 200_000,  # up to 55 hours
        "datetime": lambda: localize(when, zone).isoformat(),
        "date": lambda: when.date().isoformat(),
        "hour": lambda: f"{(8 + n) % 24:02d}:00",
        "text": lambda: f"{field.name}-{asked}-{when:%Y%m%d%H%M%S}-{n}".replace("--", "-"),
    }
    return values[field.kind]()


def day_moments(first: dt.datetime, last: dt.datetime) -> list[dt.datetime]:
    """When made-up dated rows fall in [first, last]: each day's edges and its middle.

    Both edges of every day (00:00:00, 23:59:59) are exercised, and each moment falls in exactly
    one half of a split window.
    """
    day = first.replace(hour=0, minute=0, second=0)
    moments = []
    while day <= last:
        moments += [day + dt.timedelta(seconds=s) for s in _OFFSETS]
        day += dt.timedelta(days=1)
    return [m for m in moments if first <= m <= last]
