"""The stream every report becomes: the SDK glue of one engine for all, driven by declarations.

A dated report is asked per partition value (a campaign, a skill, an agent, an activity-code
type, or nothing) and local-midnight date window (`window_plan`). Windows are fetched by the
run's workers across all partition values (`ordered_fetch`, `window_fetch`) and emitted in
order; after each, the partition's bookmark says where the next run resumes, and STATE is
written at most every `state_interval_seconds`, at the end of the stream and before any stop.
The run's plan (`run_plan`) says how many windows of each partition this run fetches. An
undated report (an `information.php` list) is read whole on every run.
"""

from __future__ import annotations

import logging
import sys
from functools import cached_property
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from singer_sdk.helpers.conform import TypeConformanceLevel

from tap_wolkvox.bad_values import BadValues
from tap_wolkvox.catalogue.records import RecordParser, yield_and_free
from tap_wolkvox.catalogue.schema import partition_field, record_key, record_schema
from tap_wolkvox.exceptions import DataError, WolkvoxFatalError
from tap_wolkvox.ordered_fetch import OrderedPrefetch
from tap_wolkvox.partitions import id_order
from tap_wolkvox.progress import Progress
from tap_wolkvox.report_request import LABELS, ReportRequest, WindowRecords
from tap_wolkvox.settings import parse_instant
from tap_wolkvox.singer_output import flush_output, state_fits
from tap_wolkvox.snapshots import take_snapshot
from tap_wolkvox.state_shape import group, grouped_bookmarks
from tap_wolkvox.window_fetch import WindowFetcher
from tap_wolkvox.window_plan import WindowPlan
from tap_wolkvox.wolkvox_stream import WolkvoxStream

if TYPE_CHECKING:
    import datetime as dt
    from collections.abc import Iterable, Iterator

    from singer_sdk import Tap
    from singer_sdk.helpers.types import Context

    from tap_wolkvox.catalogue import Report
    from tap_wolkvox.partitions import PartitionValues
    from tap_wolkvox.run_control import RunState
    from tap_wolkvox.windows import Window

REPLICATION_FULL_TABLE = "FULL_TABLE"
_DAY_SECONDS = 86_400
#: The most of the output STATE messages take along the way (with `state_interval_seconds` > 0).
STATE_SHARE = 0.05
#: About what one partition takes in a STATE message (its context and bookmark).
PARTITION_STATE_BYTES = 100


class ReportStream(WolkvoxStream):
    """One report's stream: schema, key and records all come from its declaration."""

    is_sorted = True
    # STATE is written between windows by `_mark_window_done` (at most every
    # `state_interval_seconds`), never mid-window.
    STATE_MSG_FREQUENCY = 10**12
    # Every value is typed by the report's fields: the SDK's per-record pass is redundant.
    TYPE_CONFORMANCE_LEVEL = TypeConformanceLevel.NONE

    def __init__(self, tap: Tap, report: Report) -> None:
        """The stream of `report`, named as it declares."""
        self.report = report
        super().__init__(
            tap, schema=record_schema(report), name=report.stream, path=report.endpoint
        )
        self.primary_keys = record_key(report)
        self.replication_key = "window_start" if report.dated else None
        self.selected_by_default = report.selected_by_default
        self._field = partition_field(report)
        self._queue: OrderedPrefetch[ReportRequest, WindowRecords] | None = None
        self._next: tuple[ReportRequest, WindowRecords] | None = None
        self._values_ahead: list[str | None] = []
        self._progress: Progress | None = None
        self._state_index: tuple[int, dict[str, dict[str, Any]]] = (0, {})
        self._reached: dict[str | None, dt.datetime] = {}  # fetched up to, this run
        self._windows_done: dict[str | None, int] = {}  # windows emitted, this run
        self._probing = False  # a detail report's first window, asked to learn its volume
        self._rows_per_day: float | None = None  # the most seen in this run's windows
        self._finished: list[str] = []  # unlisted values read to the end in this run

    # -- what the tap shares ----------------------------------------------------------------

    @property
    def run(self) -> RunState:
        """The run's signals and mode."""
        return self._tap.run

    @property
    def partition_values(self) -> PartitionValues:
        """Where the values of each partition kind come from."""
        return self._tap.partition_values

    @cached_property
    def tz(self) -> ZoneInfo:
        """The operation's zone: API dates are its wall clock."""
        return ZoneInfo(self.config["timezone"])

    @cached_property
    def bad_values(self) -> BadValues:
        """This stream's values written as null in this run, per field (`on_bad_value`)."""
        return self._tap.bad_value_log.of(self.name)

    @cached_property
    def parser(self) -> RecordParser:
        """Typed records from this report's answers."""
        return RecordParser(self.report, self.tz, self.bad_values)

    @cached_property
    def fetcher(self) -> WindowFetcher:
        """This report's windows as typed records, split at the row cap."""
        return WindowFetcher(
            report=self.report,
            ask=self.answer,
            parser=self.parser,
            quiet_parser=RecordParser(self.report, self.tz, BadValues(self.name, "warn")),
            row_cap=self.row_cap,
            primary_keys=self.primary_keys,
            logger=self.logger,
        )

    @cached_property
    def row_cap(self) -> int:
        """Rows at which an answer counts as cut: Wolkvox's cap, or the report's own limit."""
        return min(self.config["max_records_per_call"], self.report.max_rows or sys.maxsize)

    @cached_property
    def window_plan(self) -> WindowPlan:
        """This report's windows in this run (`window_plan`)."""
        return WindowPlan(
            report=self.report,
            config=self.config,
            tz=self.tz,
            started=self.run.started,
            row_cap=self.row_cap,
            logger=self.logger,
        )

    @property
    def detail(self) -> bool:
        """A detail report (one row per call, chat...): its window length may vary."""
        return self.window_plan.detail

    def _days_per_window(self) -> int | None:
        """Days per window now, from the most rows per day seen (this run's, else the state's)."""
        rate = self._rows_per_day
        if rate is None and (kept := self.stream_state.get("rows_per_day")) is not None:
            rate = float(kept)  # a Decimal when read from a state
        return self.window_plan.days_per_window(rate)

    # -- partitions and state ---------------------------------------------------------------

    @cached_property
    def partitions(self) -> list[dict[str, Any]] | None:
        """One partition, and one bookmark, per value of the report's partition kind."""
        if self._field is None:
            return None
        self._tap.plan  # noqa: B018 - every stream is planned first
        return [{self._field: value} for value in self.values]

    @cached_property
    def values(self) -> list[str | None]:
        """The partition values this run asks for ([None] without a partition).

        Values from a Wolkvox list also include those with a bookmark that the list no longer
        has and that are not marked finished: they are asked once more, to the run's end.
        """
        if self._field is None:
            return [None]
        values: list[str | None] = list(
            self.partition_values.values(self.report, self._bookmark_of)
        )
        listed = self.partition_values.listed_ids(self.report)
        if listed is None or not self.report.dated:
            return values
        departed = [
            value
            for value in grouped_bookmarks(self.stream_state, self._field)
            if value not in listed
        ]
        for entry in self.stream_state.get("partitions", []):
            value = entry.get("context", {}).get(self._field)
            if value in listed:
                entry.pop("finished", None)  # listed again: asked again
            elif (
                value is not None
                and entry.get("replication_key_value")
                and not entry.get("finished")
            ):
                departed.append(str(value))
        values += sorted(set(departed) - set(values), key=id_order)  # type: ignore[arg-type]
        kind = self.report.partition_kind
        assert kind is not None  # noqa: S101 - a partitioned report
        if not values and kind.param != "campaign_id":  # campaigns say it once per run
            self.logger.info(
                "%s: the %ss list has no %s to ask for: nothing to extract",
                self.name,
                LABELS.get(kind.field, kind.param),
                LABELS.get(kind.field, kind.param),
            )
        self._departed = set(departed)
        return values

    _departed: frozenset[str] | set[str] = frozenset()

    def _where(self, value: str | None) -> str:
        """The partition value, for messages."""
        return ReportRequest(self.report, value, None).where

    def _context(self, value: str | None) -> dict[str, Any] | None:
        return None if self._field is None else {self._field: value}

    def _bookmark_of(self, value: str) -> dt.datetime | None:
        bookmark = self.get_context_state(self._context(value)).get("replication_key_value")
        return parse_instant(bookmark, self.tz) if bookmark else None

    def get_context_state(self, context: Context | None) -> dict[str, Any]:
        """A partition's state dict, found through an index (the SDK searches the list)."""
        if self._field is None or context is None or list(context) != [self._field]:
            return super().get_context_state(context)
        return self._partition_state(context[self._field])

    def _partition_state(self, value: Any) -> dict[str, Any]:  # noqa: ANN401
        """The value's entry in `partitions`, made (from its grouped bookmark, if any) if new."""
        assert self._field is not None  # noqa: S101 - a partitioned report
        partitions: list[dict[str, Any]] = self.stream_state.setdefault("partitions", [])
        built, index = self._state_index
        if built != id(partitions):
            index = {
                entry["context"][self._field]: entry
                for entry in partitions
                if isinstance(entry.get("context"), dict)
                and list(entry["context"]) == [self._field]
            }
            self._state_index = (id(partitions), index)
            self._grouped = grouped_bookmarks(self.stream_state, self._field)
        if value not in index:
            index[value] = {"context": {self._field: value}}
            if value in self._grouped:
                index[value]["replication_key_value"] = self._grouped[value]
            partitions.append(index[value])
        return index[value]

    _grouped: dict[str, str] = {}  # noqa: RUF012 - replaced, never changed in place

    def finalize_state_progress_markers(self, state: dict[str, Any] | None = None) -> None:
        """As the SDK's, finding each partition's state through the index (not a list search)."""
        if state or not self.selected:
            super().finalize_state_progress_markers(state)
            return
        for value in self.values:
            self.state_manager.finalize_state(self.get_context_state(self._context(value)))
        self._write_state_message()

    # SDK private: its per-partition list search and log line cost O(n^2) with 5,000 agents.
    def _write_starting_replication_value(self, context: Context | None) -> None:
        """Nothing: each value's resume point is read from its bookmark (`_resume_point`).

        The SDK's version searches the partition list and logs a line per partition.
        """

    @property
    def run_end(self) -> dt.datetime:
        """Exclusive end of this run: `end_date`, but never later than the run's start."""
        return self.window_plan.run_end

    def compare_start_date(self, value: str, start_date_value: str) -> str:
        """The later of bookmark and start_date, reading a naive start_date in `timezone`."""
        return max(value, start_date_value, key=lambda v: parse_instant(v, self.tz))

    def get_replication_key_signpost(self, context: Context | None = None) -> None:  # noqa: ARG002
        """No signpost: bookmarks are window starts, never later than the run's end."""
        return

    # SDK private: no public hook moves a bookmark per window rather than per record.
    def _increment_stream_state(
        self,
        latest_record: dict[str, Any],  # noqa: ARG002
        *,
        context: Context | None = None,  # noqa: ARG002
    ) -> None:
        """Records do not move the bookmark: `_mark_window_done` does, once per window."""
        return

    # SDK private: the one place every STATE passes, to group bookmarks and flush the output.
    def _write_state_message(self) -> None:
        """STATE if it changed (the SDK copies the whole state: not after every window).

        A stream with many partitions has its bookmarks grouped by value first (`state_shape`).
        """
        if self._field is not None and not self.state_manager.is_flushed:
            group(self.stream_state, self._field)
            self._state_index = (0, {})
        super()._write_state_message()
        self.run.state_written()
        flush_output(self._tap.message_writer)

    def log(self, message: str, *args: Any, level: int = logging.INFO, **kwargs: Any) -> None:  # noqa: ANN401
        """Log, except the SDK's "unhandled error" line for a failure the tap states itself."""
        if message.startswith("An unhandled error occurred") and isinstance(
            sys.exc_info()[1], WolkvoxFatalError
        ):
            return
        super().log(message, *args, level=level, **kwargs)

    # -- the window loop ------------------------------------------------------------------

    def get_records(self, context: Context | None) -> Iterable[dict[str, Any]]:
        """Emit each window's records, then a STATE whose bookmark says where to resume."""
        self._tap.plan  # noqa: B018 - every stream is planned first
        if not self.report.dated:
            yield from self._whole_list(context)
            return
        if self._field is not None and context is None:  # no value selected: said once
            return
        value = None if context is None else context[self._field]  # type: ignore[index]
        unsettled_from: Window | None = None
        try:
            for request, fetched in self._fetched_windows(value):
                assert request.window is not None  # noqa: S101 - a dated report's requests have one
                self.run.emitting = True
                if fetched.rows:
                    count = yield from self.fetcher.typed_rows(request, fetched)
                else:
                    count = len(fetched.records)
                    yield from yield_and_free(fetched.records)  # each freed once emitted
                if unsettled_from is None and request.window.end > self.window_plan.settled_before:
                    unsettled_from = request.window
                resume = request.window.end if unsettled_from is None else unsettled_from.start
                self._mark_window_done(context, resume)
                self._window_done(request, fetched, count)
                self.run.emitting = False
                self.run.stop_if_interrupted()
        except BaseException:  # stopped early (a failure, a signal, or closed)
            if self._queue is not None:
                self._queue.close()  # the fetch workers stop
            self._write_state_message()  # what is done is saved before any stop
            self._tap.summary.add(self._progress)
            raise
        finally:
            self.run.emitting = False

    def _whole_list(self, context: Context | None) -> Iterable[dict[str, Any]]:
        """An undated list, read whole (once per run, shared with partition lookups).

        A snapshot is asked afresh and stamped; a list at the row cap is cut: it stops.
        """
        if self._field is not None and context is None:
            return
        value = None if context is None else context[self._field]  # type: ignore[index]
        if self.report.snapshot:
            snapshot = list(
                take_snapshot(
                    self.report,
                    value,
                    ask=self.answer,
                    tz=self.tz,
                    logger=self.logger,
                    taken=self.partition_values.snapshots,
                    bad_values=self.bad_values,
                )
            )
            self._tap.summary.add_list(self.name, len(snapshot))
            yield from snapshot
            self.bad_values.log_new(self.logger)
            return
        records = self.partition_values.list_records(self.report, value)
        if self.report.shape == "rows" and len(records) >= self.row_cap:
            raise DataError(
                f"{self.report.describe()} {self._where(value)} returned "
                f"{len(records)} records, Wolkvox's per-call cap: the list is cut and has no "
                "paging, so it is not extracted"
            )
        self._tap.summary.add_list(self.name, len(records))
        yield from records
        self.bad_values.log_new(self.logger)

    def _mark_window_done(self, context: Context | None, resume: dt.datetime) -> None:
        """Bookmark `resume`; write STATE if `state_interval_seconds` have passed.

        With thousands of partitions and small windows the whole state can outweigh the
        records: a STATE along the way is also skipped while it would take STATE past
        `STATE_SHARE` of the output (the stream's last STATE is always written).

        `resume` is the end of the window just emitted, or the start of an earlier one that
        is not final yet (it ended within `lookback_minutes` of the run's start: calls are
        recorded when they end, so it may still grow, and the next run fetches it again).
        """
        # No public SDK API sets a bookmark without a record or flushes STATE at a boundary
        # (0.54.x): the state dict is written here, pinned by the STATE tests.
        self.get_context_state(context)["replication_key_value"] = resume.isoformat()
        self.state_manager.is_flushed = False
        interval = float(self.config["state_interval_seconds"])
        last = PARTITION_STATE_BYTES * len(self.values)  # the stream's last STATE, about
        if self.run.state_due(interval) and (
            not interval or state_fits(self._tap.message_writer, STATE_SHARE, last)
        ):
            self._write_state_message()

    def _window_done(self, request: ReportRequest, fetched: WindowRecords, records: int) -> None:
        window = request.window
        assert window is not None  # noqa: S101 - a dated report's requests have one
        self._reached[request.value] = window.end
        self._windows_done[request.value] = self._windows_done.get(request.value, 0) + 1
        if self.detail:
            days = (window.end - window.start).total_seconds() / _DAY_SECONDS
            rate = records / max(days, 1 / 24)
            self._rows_per_day = max(self._rows_per_day or 0.0, rate)
            self.stream_state["rows_per_day"] = round(self._rows_per_day, 1)
        progress = self._progress
        if progress is not None:
            progress.window_done(window.end, records, not_found_empty=fetched.not_found_empty)
            progress.calls += fetched.calls
            progress.maybe_log(self.logger)

    def _maybe_finished(self, value: str | None) -> None:
        """An unlisted value read to the run's end is marked finished in its state."""
        if value not in self._departed:
            return
        if self._reached.get(value, self._resume_point(value)) >= self.run_end:
            self.get_context_state(self._context(value))["finished"] = True
            self.state_manager.is_flushed = False
            self._finished.append(str(value))

    def _fetched_windows(self, value: str | None) -> Iterator[tuple[ReportRequest, WindowRecords]]:
        """This value's fetched windows, from one queue planned across all values.

        One queue lets the next value's first requests run while this one's last windows
        are emitted. The SDK asks for partitions in order; any other order replans.
        """
        if not self._values_ahead or self._values_ahead[0] != value:
            self._start_queue(value)
        self._values_ahead.pop(0)
        while True:
            if self._next is None:
                assert self._queue is not None  # noqa: S101 - started above
                self._next = next(self._queue, None)
                if self._next is None and self._probing:  # the volume is known: plan the rest
                    self._start_queue(value)
                    self._values_ahead.pop(0)
                    continue
            if self._next is None or self._next[0].value != value:
                self._maybe_finished(value)
                if self._next is None:
                    self._finish()
                return
            item, self._next = self._next, None
            yield item

    def _finish(self) -> None:
        self.bad_values.log_new(self.logger)
        if self.fetcher.repeated_keys:
            self.logger.warning(
                "%s: %d record(s) repeat the key (%s) of another record of the same window; "
                "a target that upserts by key keeps one of each",
                self.name,
                self.fetcher.repeated_keys,
                ", ".join(self.primary_keys),
            )
        if self._finished:
            kind = self.report.partition_kind
            label = "value" if kind is None else LABELS.get(kind.field, kind.param)
            self.logger.info(
                "%s: %s(s) %s no longer listed: read once more up to %s and marked finished "
                "in state (asked again only if listed again)",
                self.name,
                label,
                ", ".join(self._finished),
                self.run_end.isoformat(),
            )
            self._finished = []
        if self._progress is not None:
            self._progress.finish(self.logger, self.report.api)
            self._tap.summary.add(self._progress)
            self._progress = None
        self._write_state_message()  # the stream's last STATE

    def unread_lists(self) -> int:
        """Calls an undated list stream still needs (a list already read this run is free)."""
        return sum(not self.partition_values.is_read(self.report, v) for v in self.values)

    def planned_windows(self) -> dict[str | None, list[Window]]:
        """Each value's windows left to fetch, as planned now (for the run's plan)."""
        return {value: self._windows_for(value) for value in self.values}

    def _windows_for(self, value: str | None) -> list[Window]:
        """`value`'s windows from where it resumes (or this run reached) to the run's end."""
        start = self._resume_point(value)
        if value in self._reached:
            start = max(start, self._reached[value])
        return self.window_plan.windows(start, self._days_per_window())

    def _start_queue(self, first: str | None) -> None:
        """Plan the remaining (value, window) requests from `first` on, within the run's plan."""
        values = self.values
        values = values[values.index(first) :] if first in values else [first]
        self._values_ahead = values
        allotted = self._tap.plan.allotted(self.name)
        planned = []
        for value in values:
            windows = self._windows_for(value)
            if allotted is not None:
                room = allotted.get(value, 0) - self._windows_done.get(value, 0)
                windows = windows[: max(0, room)]
            listed = self.partition_values.listed(self.report, value)
            planned += [ReportRequest(self.report, value, window, listed) for window in windows]
        self._probing = (
            not self.run.test_mode and self._days_per_window() is None and len(planned) > 1
        )
        if self.run.test_mode or self._probing:
            planned = planned[:1]
        self.logger.debug(
            "Planned %d request(s) of %s: %d partition(s) up to %s, max_concurrent_requests=%d",
            len(planned),
            self.report.api,
            len(values),
            self.run_end.isoformat(),
            self.client.gate.limit,
        )
        if self._progress is None:
            self._progress = Progress(self.name, len(planned))
        else:
            self._progress.planned = self._progress.done + len(planned)
        if self._queue is not None:
            self._queue.close()  # a replan: the previous plan's workers stop
        # a report of a row per interaction may answer the full cap: its first window goes alone
        first_size = self.row_cap if self.detail else 0
        fetch = self.fetcher.fetch  # made here, on the main thread: the workers share it
        self._queue = OrderedPrefetch(fetch, planned, self.client.gate.limit, first_size)
        self._next = None

    @cached_property
    def _window_settings(self) -> dict[str, Any]:
        """The settings that shape windows, checked against the state and kept once in it.

        They are kept once per stream; an older state kept them in each partition, and is
        moved up here.
        """
        stream_state = self.stream_state
        entries = [(self.name, stream_state)] + [
            (f"{self.name} {self._where(p['context'].get(self._field))}", p)
            for p in stream_state.get("partitions", [])
            if self._field is not None and isinstance(p.get("context"), dict)
        ]
        current = self.window_plan.check_settings(entries)
        for _, state in entries[1:]:
            for setting in ("timezone", "window_days", "replication_key"):
                state.pop(setting, None)
        stream_state.pop("window_days", None)
        stream_state.update(current, replication_key=self.replication_key)
        return current

    def _resume_point(self, value: str | None) -> dt.datetime:
        """Where this value resumes: its bookmark or start_date, whichever is later.

        A full-table sync (chosen in the catalog) ignores bookmarks. A bookmark written with
        other window settings (`_window_settings`), or later than now, stops the run.
        """
        if self.replication_method == REPLICATION_FULL_TABLE:
            return self.window_plan.start
        self._window_settings  # noqa: B018 - checked once per stream
        bookmark = self.get_context_state(self._context(value)).get("replication_key_value")
        where = self.name if value is None else f"{self.name} {self._where(value)}"
        return self.window_plan.resume_point(bookmark, where)
