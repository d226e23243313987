"""A window whose answer hit the row cap, fetched again in halves: the split rule, applied."""

from __future__ import annotations

import decimal
from typing import TYPE_CHECKING, Any

from tap_wolkvox.catalogue.schema import record_key
from tap_wolkvox.exceptions import DataError

if TYPE_CHECKING:
    from collections.abc import Sequence

    from tap_wolkvox.catalogue.records import Record
    from tap_wolkvox.catalogue.report import Report

_SUMMED_KINDS = frozenset({"count", "number", "duration"})


def refusal(report: Report, rows: int, where: str) -> DataError:
    """The one-line error for a capped answer of a report whose values halves cannot rebuild."""
    return DataError(
        f"Wolkvox returned {rows} rows, its per-call cap, for {report.describe()} {where}; "
        "its averages and percentages cannot be rebuilt from shorter windows: ask for single "
        "IDs instead of `all`, or a smaller window_days"
    )


def combine_halves(report: Report, halves: Sequence[list[Record]], window: Record) -> list[Record]:
    """The whole window's records from its halves', each given the whole `window`'s bounds.

    `concat` keeps the first record of each key; `sum` adds up the numbers of each key and
    recomputes `percent_of` shares from the summed counts. `refuse` reports never get here.
    """
    if report.split == "refuse":
        raise ValueError(f"{report.api} refuses to split: raise refusal() before fetching halves")
    key = record_key(report)
    merged: dict[tuple[Any, ...], Record] = {}
    summed = [
        f.name
        for f in report.all_fields
        if f.kind in _SUMMED_KINDS and not f.key and f.name not in dict(report.percent_of)
    ]
    for record in (r for half in halves for r in half):
        record.update(window)
        identity = tuple(record[k] for k in key)
        kept = merged.setdefault(identity, record)
        if kept is record or report.split == "concat":
            continue
        for name in summed:
            if record[name] is not None:
                kept[name] = (kept[name] or 0) + record[name]
    result = list(merged.values())
    for percent, count in report.percent_of:
        total = sum(r[count] or 0 for r in result)
        for r in result:
            r[percent] = round(100 * decimal.Decimal(r[count] or 0) / total, 2) if total else None
    return result
