"""A report's record schema and key, derived from its declaration."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from singer_sdk import typing as th

if TYPE_CHECKING:
    from tap_wolkvox.catalogue.report import Report
    from tap_wolkvox.fields import Field

WINDOW_START = "window_start"
WINDOW_END = "window_end"
SNAPSHOT_AT = "snapshot_at"
SNAPSHOT_DATE = "snapshot_date"
WINDOW_DATE = "window_date"
LOCAL_SUFFIX = "_local"


def local_name(field: Field) -> str:
    """The record field beside a `datetime` field that holds its wall clock: `F_local`."""
    return field.name + LOCAL_SUFFIX


def _properties(fields: tuple[Field, ...]) -> list[th.Property]:
    """Each field's property, a `datetime` field followed by its `F_local` sibling."""
    properties = []
    for field in fields:
        properties.append(field.schema())
        if field.kind == "datetime":
            properties.append(
                th.Property(
                    local_name(field),
                    th.StringType(nullable=False) if field.key else th.StringType,
                    required=field.key,
                    description=(
                        f"`{field.name}` as the wall clock Wolkvox sent, YYYY-MM-DDTHH:MM:SS "
                        "without offset: the operation's local time (for local days and hours)."
                    ),
                )
            )
    return properties


def partition_field(report: Report) -> str | None:
    """The record field that carries the partition's value (None without a partition)."""
    kind = report.partition_kind
    return kind.field if kind is not None else None


def record_schema(report: Report) -> dict[str, Any]:
    """The JSON schema of the report's records.

    The partition field (the row's own value where it has one, else the value asked for),
    the window bounds and local day of a dated report, the row's fields, then each nested
    item's position and fields; every `datetime` field F is followed by `F_local`.
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
        if kind.listed_param is not None:
            head.append(
                th.Property(
                    kind.listed_param,
                    th.StringType,
                    description=f"The campaign's `{kind.listed_param}`, from the campaigns list.",
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
            th.Property(
                WINDOW_DATE,
                th.DateType(nullable=False),
                required=True,
                description=(
                    "The operation's local day of window_start (YYYY-MM-DD): the day a daily "
                    "report's values belong to."
                ),
            ),
        ]
    if report.snapshot:
        head += _snapshot_properties(report)
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
    own = _properties(tuple(f for f in report.fields if kind is None or f.name != kind.field))
    items = _properties(report.item_fields)
    return {
        **th.PropertiesList(*head, *own, *position, *items).to_dict(),
        "description": report.title,
    }


def record_key(report: Report) -> tuple[str, ...]:
    """The record's key properties.

    The partition field, then (except for `concat` and `own_key` reports, whose rows carry
    their own ids) the window start or the snapshot's instant (or day), then the row's key
    fields, the item position and the item's key fields.
    """
    partition = partition_field(report)
    key = [] if partition is None else [partition]
    if report.dated and report.split != "concat" and not report.own_key:
        key.append(WINDOW_START)
    if report.snapshot and not report.own_key:
        key.append(SNAPSHOT_DATE if report.snapshot_day else SNAPSHOT_AT)
    key += [f.name for f in report.fields if f.key and f.name != partition]
    if report.item_number is not None:
        key.append(report.item_number)
    key += [f.name for f in report.item_fields if f.key]
    return tuple(key)


def _snapshot_properties(report: Report) -> list[th.Property]:
    """`snapshot_at` (and, keyed by day, `snapshot_date`) of a snapshot report."""
    properties = [
        th.Property(
            SNAPSHOT_AT,
            th.DateTimeType(nullable=False),
            required=True,
            description="When the answer arrived, with the operation's UTC offset.",
        )
    ]
    if report.snapshot_day:
        properties.append(
            th.Property(
                SNAPSHOT_DATE,
                th.DateType(nullable=False),
                required=True,
                description="The operation's local date of `snapshot_at`.",
            )
        )
    return properties
