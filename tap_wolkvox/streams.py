"""The tap's streams: each Reports Manager report as a small declaration."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from singer_sdk import typing as th

from tap_wolkvox.client import WolkvoxReportStream
from tap_wolkvox.errors import DataError

if TYPE_CHECKING:
    from tap_wolkvox.client import Job


_MAX_COUNT = 2**63 - 1  # what a warehouse BIGINT holds


def parse_count(value: Any, field: str, job: Job) -> int | None:  # noqa: ANN401
    """A count sent as a string (or an integer); an empty string is null."""
    number: int | None = None
    if isinstance(value, int) and not isinstance(value, bool):
        number = value
    elif isinstance(value, str):
        text = value.strip()
        if text == "":
            return None
        if text.isascii() and text.isdigit() and len(text) <= 19:  # noqa: PLR2004
            number = int(text)
    if number is None or not 0 <= number <= _MAX_COUNT:
        raise DataError(
            f"Wolkvox sent {field}={value!r:.60} for {job.describe()}: expected a whole number "
            f"from 0 to {_MAX_COUNT}"
        )
    return number


class TurboDialMachineCodesStream(WolkvoxReportStream):
    """`campaign_10`: Turbo Dial calls grouped by machine code, per campaign and window."""

    name = "turbo_dial_machine_codes"
    report = "campaign_10"
    primary_keys = ("campaign_id", "window_start", "machinecode")
    schema = th.PropertiesList(
        th.Property(
            "campaign_id",
            th.StringType(nullable=False),
            required=True,
            description="`all` or the campaign's numeric ID, as configured.",
        ),
        th.Property(
            "window_start",
            th.DateTimeType(nullable=False),
            required=True,
            description="Window start (inclusive), with the operation's UTC offset.",
        ),
        th.Property(
            "window_end",
            th.DateTimeType(nullable=False),
            required=True,
            description="Window end (exclusive), with the operation's UTC offset.",
        ),
        th.Property(
            "machinecode",
            th.StringType(nullable=False),
            required=True,
            description="Machine code as Wolkvox names it, e.g. `no answer`.",
        ),
        th.Property(
            "cantidad",
            th.IntegerType,
            description="How many times the machine code was detected in the window.",
        ),
    ).to_dict()

    def typed_records(self, rows: list[Any], job: Job) -> list[dict[str, Any]]:
        """One record per machine code; repeated codes in one answer are summed."""
        counts: dict[str, int | None] = {}
        for row in rows:
            if not isinstance(row, dict):
                raise DataError(f"Wolkvox sent a row that is not an object for {job.describe()}")
            code = row.get("machinecode")
            if not isinstance(code, str):
                raise DataError(
                    f"Wolkvox sent machinecode={code!r:.60} for {job.describe()}: expected text"
                )
            count = parse_count(row.get("cantidad"), "cantidad", job)
            if code in counts:
                self.logger.warning(
                    "Machine code %r appears twice for %s: counts summed", code, job.describe()
                )
                count = (counts[code] or 0) + (count or 0)
            counts[code] = count
        fields = self.window_fields(job)
        return [{**fields, "machinecode": code, "cantidad": n} for code, n in counts.items()]
