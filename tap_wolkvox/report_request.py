"""One request to Wolkvox and the records it gave: the values the stream's modules share."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from tap_wolkvox.catalogue.schema import WINDOW_DATE, WINDOW_END, WINDOW_START, partition_field

if TYPE_CHECKING:
    from tap_wolkvox.catalogue import Report
    from tap_wolkvox.catalogue.records import Records
    from tap_wolkvox.windows import Window

#: How messages name a partition value, by record field.
LABELS = {"campaign_id": "campaign", "skill_id": "skill", "agent_id": "agent"}


@dataclass(frozen=True)
class ReportRequest:
    """A report for one partition value over one window (None if undated)."""

    report: Report
    value: str | None
    window: Window | None
    listed: tuple[tuple[str, str], ...] = ()  # parameters the campaigns list gives the value

    @property
    def path(self) -> str:
        """The report's endpoint."""
        return self.report.endpoint

    @property
    def context(self) -> dict[str, str | None] | None:
        """The stream partition the request is for (None without a partition)."""
        name = partition_field(self.report)
        return None if name is None else {name: self.value}

    @property
    def body(self) -> dict[str, str] | None:
        """The JSON body some GETs carry (list_templates' connector), or None."""
        return self.report.body(self.value)

    @property
    def data_key(self) -> str | None:
        """Where the answer's rows are."""
        return self.report.data_key

    @property
    def params(self) -> dict[str, str]:
        """`api`, fixed and partition parameters, and the window's inclusive wall-clock dates."""
        params = {**self.report.query(self.value), **dict(self.listed)}
        if self.window is not None:
            params.update(date_ini=self.window.date_ini, date_end=self.window.date_end)
        return params

    @property
    def where(self) -> str:
        """Partition value, window and request dates, for messages (the report not named)."""
        kind = self.report.partition_kind
        parts = [] if kind is None else [f"{LABELS.get(kind.field, kind.param)} {self.value}"]
        if self.window is not None:
            parts.append(
                f"window {self.window} "
                f"(date_ini={self.window.date_ini}, date_end={self.window.date_end})"
            )
        return " ".join(parts) or "the whole list"

    def describe(self) -> str:
        """The report, partition value, window and request dates."""
        return f"{self.report.api} {self.where}"

    def half(self, window: Window) -> ReportRequest:
        """The same request over part of the window."""
        return ReportRequest(self.report, self.value, window, self.listed)


@dataclass(frozen=True)
class WindowRecords:
    """A window's typed records, the calls they took, and whether Wolkvox said 404-empty.

    A detail report's window holds its `rows` instead, undecoded: they are typed one by one
    as they are emitted (`WindowFetcher.typed_rows`), so that a 60,000-row window never
    exists as records. `split`: fetched in halves.
    """

    records: Records
    calls: int
    not_found_empty: bool = False
    rows: list[Any] = field(default_factory=list)
    split: bool = False

    def __len__(self) -> int:
        """Its records or rows, as the ordered fetch's row budget counts them."""
        return len(self.records) + len(self.rows)


def window_bounds(window: Window) -> dict[str, str]:
    """The fields every record of a window carries: its bounds, and its local day."""
    return {
        WINDOW_START: window.start.isoformat(),
        WINDOW_END: window.end.isoformat(),
        WINDOW_DATE: window.start.date().isoformat(),
    }
