"""A report's record schema and key, derived from its declaration."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from singer_sdk import typing as th

if TYPE_CHECKING:
    from tap_wolkvox.catalogue.report import Report

WINDOW_START = "window_start"
WINDOW_END = "window_end"


def partition_field(report: Report) -> str | None:
    """The record field that carries the partition's value (None without a partition)."""
    kind = report.partition_kind
    return kind.field if kind is not None else None


def record_schema(report: Report) -> dict[str, Any]:
    """The JSON schema of the report's records.

    The partition field (the row's own value where it has one, else the value asked for),
    the window bounds of a dated report, the row's fields, then each nested item's position
    and fields.
    """
    kind = report.partition_kind
    head = []
    if kind is not None:
        head.append(
            th.Property(
                kind.field,
                th.StringType(nullable=False),
                required=True,
                description=kind.description,
            )
        )
    if report.dated:
        head += [
            th.Property(
                WINDOW_START,
                th.DateTimeType(nullable=False),
                required=True,
                description="Window start (inclusive), with the operation's UTC offset.",
            ),
            th.Property(
                WINDOW_END,
                th.DateTimeType(nullable=False),
                required=True,
                description="Window end (exclusive), with the operation's UTC offset.",
            ),
        ]
    position = (
        []
        if report.item_number is None
        else [
            th.Property(
                report.item_number,
                th.IntegerType(nullable=False),
                required=True,
                description=f"Position in the row's `{report.nested_field}` list, from 1.",
            )
        ]
    )
    own = [f.schema() for f in report.fields if kind is None or f.name != kind.field]
    items = [f.schema() for f in report.item_fields]
    return {
        **th.PropertiesList(*head, *own, *position, *items).to_dict(),
        "description": report.title,
    }


def record_key(report: Report) -> tuple[str, ...]:
    """The record's key properties.

    The partition field, then (except for `concat` reports, whose rows carry their own ids)
    the window start, then the row's key fields, the item position and the item's key fields.
    """
    partition = partition_field(report)
    key = [] if partition is None else [partition]
    if report.dated and report.split != "concat":
        key.append(WINDOW_START)
    key += [f.name for f in report.fields if f.key and f.name != partition]
    if report.item_number is not None:
        key.append(report.item_number)
    key += [f.name for f in report.item_fields if f.key]
    return tuple(key)
