"""The one line a run ends with: calls, records, empty windows, and where each stream resumes."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from tap_wolkvox.state_shape import GROUPED, grouped_bookmarks

if TYPE_CHECKING:
    import logging
    from collections.abc import Mapping

    from tap_wolkvox.progress import Progress

DESELECTED_PREFIX = "Skipping deselected stream"


def drop_deselected_lines(record: logging.LogRecord) -> bool:
    """A logging filter: the SDK's line per stream not selected (117 of 118 by default) goes."""
    return not str(record.msg).startswith(DESELECTED_PREFIX)


class RunSummary:
    """What each stream's run did, collected as streams finish (or stop)."""

    def __init__(self) -> None:
        """No stream has run yet."""
        self.streams: dict[str, Progress] = {}
        self.lists: dict[str, int] = {}

    def add_list(self, stream: str, records: int) -> None:
        """An undated list, read whole: its records (summed over its partition values)."""
        self.lists[stream] = self.lists.get(stream, 0) + records

    def add(self, progress: Progress | None) -> None:
        """Keep a stream's counters (its last ones, if it ran more than one plan)."""
        if progress is None:
            return
        known = self.streams.get(progress.stream)
        if known is not None and known is not progress:
            progress.calls += known.calls
            progress.records += known.records
            progress.empty += known.empty
        self.streams[progress.stream] = progress

    def line(self, calls: int, retries: int, bookmarks: Mapping[str, Any]) -> str:
        """The summary: totals, then each stream's records, empty windows and resume point."""
        records = sum(p.records for p in self.streams.values()) + sum(self.lists.values())
        empty = sum(p.empty for p in self.streams.values())
        parts = [
            f"{name}: {p.records} records, {p.empty} empty windows, "
            f"{resume_point(bookmarks.get(name))}"
            for name, p in self.streams.items()
        ] + [
            f"{name}: {n} records (a list, read whole every run)" for name, n in self.lists.items()
        ]
        head = (
            f"Run summary: {calls} Wolkvox API calls ({retries} of them retries), "
            f"{records} records, {empty} empty windows"
        )
        return head + ("; " + "; ".join(parts) if parts else "")


def resume_point(bookmark: Any) -> str:  # noqa: ANN401 - a stream's state, as the SDK keeps it
    """Where a stream's next run starts: one bookmark, or the earliest and latest of many."""
    if not isinstance(bookmark, dict):
        return "no bookmark"
    partitions = bookmark.get("partitions") or [bookmark]
    values = sorted(
        [str(p["replication_key_value"]) for p in partitions if p.get("replication_key_value")]
        + [  # many partitions keep their bookmarks grouped (state_shape)
            str(value)
            for field in bookmark.get(GROUPED, {})
            for value in grouped_bookmarks(bookmark, field).values()
        ]
    )
    if not values:
        return "no bookmark"
    if values[0] == values[-1]:
        return f"next run starts at {values[0]}"
    return f"next run starts between {values[0]} and {values[-1]} ({len(values)} partitions)"
