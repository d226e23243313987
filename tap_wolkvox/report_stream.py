"""The stream every report becomes: one engine for all of them, driven by its declaration.

A dated report is asked per partition value (a campaign, a skill, an agent, an activity-code
type, or nothing) and local-midnight date window. Windows are fetched by the run's workers
across all partition values and emitted in order; after each, the partition's bookmark says
where the next run resumes, and STATE is written at most every `state_interval_seconds`, at
the end of the stream and before any stop. A detail report (split `concat`) picks its window
length from the volume seen. The run's plan (`run_plan`) says how many windows of each
partition this run fetches. An answer at the row cap is split by the report's rule. An
undated report (an `information.php` list) is read whole on every run.
"""

from __future__ import annotations

import datetime as dt
import logging
import operator
import sys
import threading
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from singer_sdk import Stream
from singer_sdk.helpers.conform import TypeConformanceLevel

from tap_wolkvox.bad_values import BadValues
from tap_wolkvox.catalogue.records import RecordParser
from tap_wolkvox.catalogue.schema import (
    WINDOW_DATE,
    WINDOW_END,
    WINDOW_START,
    partition_field,
    record_key,
    record_schema,
)
from tap_wolkvox.catalogue.split import combine_halves, refusal
from tap_wolkvox.errors import DataError, SettingsChangedError, WolkvoxFatalError
from tap_wolkvox.output import flush_output, state_fits
from tap_wolkvox.prefetch import OrderedPrefetch, drain
from tap_wolkvox.progress import Progress
from tap_wolkvox.settings import detail_window_setting, parse_instant
from tap_wolkvox.state_shape import group, grouped_bookmarks
from tap_wolkvox.windows import (
    MAX_WINDOW_DAYS,
    Window,
    localize,
    plan_windows,
    split_window,
    wall_clock,
)

if TYPE_CHECKING:
    from collections.abc import Generator, Iterable, Iterator

    from singer_sdk import Tap
    from singer_sdk.helpers.types import Context

    from tap_wolkvox.catalogue import Report
    from tap_wolkvox.client import WolkvoxClient
    from tap_wolkvox.partitions import PartitionValues
    from tap_wolkvox.run_state import RunState

REPLICATION_FULL_TABLE = "FULL_TABLE"
Records = list[dict[str, Any]]
#: How messages name a partition value, by record field.
_LABELS = {"campaign_id": "campaign", "skill_id": "skill", "agent_id": "agent"}
_DAY_SECONDS = 86_400
#: The most of the output STATE messages take along the way (with `state_interval_seconds` > 0).
STATE_SHARE = 0.05
#: About what one partition takes in a STATE message (its context and bookmark).
PARTITION_STATE_BYTES = 100


@dataclass(frozen=True)
class Job:
    """One request: a report for one partition value over one window (None if undated)."""

    report: Report
    value: str | None
    window: Window | None
    listed: tuple[tuple[str, str], ...] = ()  # parameters the campaigns list gives the value

    @property
    def path(self) -> str:
        """The report's endpoint."""
        return self.report.endpoint

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
        parts = [] if kind is None else [f"{_LABELS.get(kind.field, kind.param)} {self.value}"]
        if self.window is not None:
            parts.append(
                f"window {self.window} "
                f"(date_ini={self.window.date_ini}, date_end={self.window.date_end})"
            )
        return " ".join(parts) or "the whole list"

    def describe(self) -> str:
        """The report, partition value, window and request dates."""
        return f"{self.report.api} {self.where}"

    def half(self, window: Window) -> Job:
        """The same request over part of the window."""
        return Job(self.report, self.value, window, self.listed)


@dataclass(frozen=True)
class Fetched:
    """A window's typed records, the calls they took, and whether Wolkvox said 404-empty.

    A detail report's window holds its `rows` instead, undecoded: they are typed one by one
    as they are emitted (`_typed_rows`), so that a 60,000-row window never exists as records.
    `split`: fetched in halves.
    """

    records: Records
    calls: int
    not_found_empty: bool = False
    rows: list[Any] = field(default_factory=list)
    split: bool = False

    def __len__(self) -> int:
        """Its records or rows, as the prefetch's row budget counts them."""
        return len(self.records) + len(self.rows)


class ReportStream(Stream):
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
        super().__init__(tap, schema=record_schema(report), name=report.stream)
        self.primary_keys = record_key(report)
        self.replication_key = "window_start" if report.dated else None
        self.selected_by_default = report.selected_by_default
        self._field = partition_field(report)
        self._queue: OrderedPrefetch[Job, Fetched] = OrderedPrefetch(self._fetch, (), 1)
        self._next: tuple[Job, Fetched] | None = None
        self._values_ahead: list[str | None] = []
        self._progress: Progress | None = None
        #: Records whose key repeated another's within one window, in this run
        self.repeated_keys = 0
        self._lock = threading.Lock()
        self._state_index: tuple[int, dict[str, dict[str, Any]]] = (0, {})
        self._reached: dict[str | None, dt.datetime] = {}  # fetched up to, this run
        self._windows_done: dict[str | None, int] = {}  # windows emitted, this run
        self._probing = False  # a detail report's first window, asked to learn its volume
        self._rows_per_day: float | None = None  # the most seen in this run's windows
        self._finished: list[str] = []  # unlisted values read to the end in this run

    # -- what the tap shares ----------------------------------------------------------------

    @property
    def client(self) -> WolkvoxClient:
        """The run's HTTP client."""
        return self._tap.client  # type: ignore[attr-defined]

    @property
    def run(self) -> RunState:
        """The run's signals and mode."""
        return self._tap.run  # type: ignore[attr-defined]

    @property
    def partition_values(self) -> PartitionValues:
        """Where the values of each partition kind come from."""
        return self._tap.partition_values  # type: ignore[attr-defined]

    @cached_property
    def tz(self) -> ZoneInfo:
        """The operation's zone: API dates are its wall clock."""
        return ZoneInfo(self.config["timezone"])

    @cached_property
    def bad_values(self) -> BadValues:
        """This stream's values written as null in this run, per field (`on_bad_value`)."""
        return self._tap.bad_value_log.of(self.name)  # type: ignore[attr-defined]

    @cached_property
    def parser(self) -> RecordParser:
        """Typed records from this report's answers."""
        return RecordParser(self.report, self.tz, self.bad_values)

    @cached_property
    def _quiet_parser(self) -> RecordParser:
        """Types a row once more, its bad values (already counted, or fatal) not counted."""
        return RecordParser(self.report, self.tz, BadValues(self.name, "warn"))

    @cached_property
    def _streams(self) -> bool:
        """Whether windows are typed as they are emitted: detail reports, a row per record."""
        return self.detail and self.report.shape == "rows" and not self.report.rows_at

    @cached_property
    def row_cap(self) -> int:
        """Rows at which an answer counts as cut: Wolkvox's cap, or the report's own limit."""
        return min(self.config["max_records_per_call"], self.report.max_rows or sys.maxsize)

    @cached_property
    def window_days(self) -> int:
        """`window_days`, within the report's own limit (skill_5 answers 1 day at most)."""
        return min(self.config["window_days"], self.report.max_window_days)

    @property
    def detail(self) -> bool:
        """A detail report (one row per call, chat...): its window length may vary."""
        return self.report.split == "concat"

    def _days_per_window(self) -> int | None:
        """Days per window now; None for a detail report whose volume is not known yet.

        Aggregate reports keep `window_days` (their rows are totals per window). Detail
        reports take `detail_window_days`, or with `auto` the longest window expected to
        hold half the row cap at the most rows per day seen (this run's, else the state's).
        """
        if not self.detail:
            return self.window_days
        longest = min(MAX_WINDOW_DAYS, self.report.max_window_days)
        fixed = detail_window_setting(self.config.get("detail_window_days", "auto"))
        if fixed is not None:
            return min(fixed, longest)
        rate = self._rows_per_day
        if rate is None:
            kept = self.stream_state.get("rows_per_day")  # a Decimal when read from a state
            if kept is None:
                return None
            rate = float(kept)
        fits = int(self.row_cap / 2 / rate) if rate > 0 else longest
        return max(1, min(longest, fits))

    # -- partitions and state ---------------------------------------------------------------

    @cached_property
    def partitions(self) -> list[dict[str, Any]] | None:
        """One partition, and one bookmark, per value of the report's partition kind."""
        if self._field is None:
            return None
        self._tap.plan  # type: ignore[attr-defined] # noqa: B018 - every stream is planned first
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
        values += sorted(set(departed) - set(values), key=lambda v: (len(v), v))  # type: ignore[arg-type]
        kind = self.report.partition_kind
        assert kind is not None  # noqa: S101 - a partitioned report
        if not values and kind.param != "campaign_id":  # campaigns say it once per run
            self.logger.info(
                "%s: the %ss list has no %s to ask for: nothing to extract",
                self.name,
                _LABELS.get(kind.field, kind.param),
                _LABELS.get(kind.field, kind.param),
            )
        self._departed = set(departed)
        return values

    _departed: frozenset[str] | set[str] = frozenset()

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

    def _write_starting_replication_value(self, context: Context | None) -> None:
        """Nothing: each value's resume point is read from its bookmark (`_resume_point`).

        The SDK's version searches the partition list and logs a line per partition.
        """

    @cached_property
    def run_end(self) -> dt.datetime:
        """Exclusive end of this run: `end_date`, but never later than the run's start."""
        now = self.run.started.astimezone(self.tz)
        if self.config.get("end_date"):
            end = parse_instant(self.config["end_date"], self.tz)
            if end > now:
                self.logger.info("end_date %s is in the future: extracting up to now", end)
            return min(end, now)
        return now

    @cached_property
    def settled_before(self) -> dt.datetime:
        """A window ending at or before this is final: `lookback_minutes` before the run began.

        Wolkvox records a call when it ends, so a later window may still grow; a final one
        is never fetched again, whatever `end_date` says.
        """
        lookback = dt.timedelta(minutes=self.config["lookback_minutes"])
        return self.run.started.astimezone(self.tz) - lookback

    def compare_start_date(self, value: str, start_date_value: str) -> str:
        """The later of bookmark and start_date, reading a naive start_date in `timezone`."""
        return max(value, start_date_value, key=lambda v: parse_instant(v, self.tz))

    def get_replication_key_signpost(self, context: Context | None = None) -> None:  # noqa: ARG002
        """No signpost: bookmarks are window starts, never later than the run's end."""
        return

    def _increment_stream_state(
        self,
        latest_record: dict[str, Any],  # noqa: ARG002
        *,
        context: Context | None = None,  # noqa: ARG002
    ) -> None:
        """Records do not move the bookmark: `_mark_window_done` does, once per window."""
        return

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
        self._tap.plan  # type: ignore[attr-defined] # noqa: B018 - every stream is planned first
        if not self.report.dated:
            yield from self._whole_list(context)
            return
        if self._field is not None and context is None:  # no value selected: said once
            return
        value = None if context is None else context[self._field]  # type: ignore[index]
        unsettled_from: Window | None = None
        try:
            for job, fetched in self._jobs_for(value):
                assert job.window is not None  # noqa: S101 - a dated report's jobs have one
                self.run.emitting = True
                if fetched.rows:
                    count = yield from self._typed_rows(job, fetched)
                else:
                    count = len(fetched.records)
                    yield from drain(fetched.records)  # each record is freed once emitted
                if unsettled_from is None and job.window.end > self.settled_before:
                    unsettled_from = job.window
                resume = job.window.end if unsettled_from is None else unsettled_from.start
                self._mark_window_done(context, resume)
                self._window_done(job, fetched, count)
                self.run.emitting = False
                self.run.stop_if_interrupted()
        except BaseException:  # stopped early (a failure, a signal, or closed)
            self._queue.close()  # the fetch workers stop
            self._write_state_message()  # what is done is saved before any stop
            self._tap.summary.add(self._progress)  # type: ignore[attr-defined]
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
            from tap_wolkvox.snapshots import take_snapshot  # noqa: PLC0415 - no cycle at import

            snapshot = list(
                take_snapshot(
                    self.report,
                    value,
                    client=self.client,
                    tz=self.tz,
                    logger=self.logger,
                    taken=self.partition_values.snapshots,
                    bad_values=self.bad_values,
                )
            )
            self._tap.summary.add_list(self.name, len(snapshot))  # type: ignore[attr-defined]
            yield from snapshot
            self.bad_values.log_new(self.logger)
            return
        records = self.partition_values.list_records(self.report, value)
        if self.report.shape == "rows" and len(records) >= self.row_cap:
            raise DataError(
                f"{self.report.describe()} {Job(self.report, value, None).where} returned "
                f"{len(records)} records, Wolkvox's per-call cap: the list is cut and has no "
                "paging, so it is not extracted"
            )
        self._tap.summary.add_list(self.name, len(records))  # type: ignore[attr-defined]
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

    def _window_done(self, job: Job, fetched: Fetched, records: int) -> None:
        window = job.window
        assert window is not None  # noqa: S101 - a dated report's jobs have one
        self._reached[job.value] = window.end
        self._windows_done[job.value] = self._windows_done.get(job.value, 0) + 1
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

    def _jobs_for(self, value: str | None) -> Iterator[tuple[Job, Fetched]]:
        """This value's fetched windows, from one queue planned across all values.

        One queue lets the next value's first requests run while this one's last windows
        are emitted. The SDK asks for partitions in order; any other order replans.
        """
        if not self._values_ahead or self._values_ahead[0] != value:
            self._start_queue(value)
        self._values_ahead.pop(0)
        while True:
            if self._next is None:
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
        if self.repeated_keys:
            self.logger.warning(
                "%s: %d record(s) repeat the key (%s) of another record of the same window; "
                "a target that upserts by key keeps one of each",
                self.name,
                self.repeated_keys,
                ", ".join(self.primary_keys),
            )
        if self._finished:
            kind = self.report.partition_kind
            label = "value" if kind is None else _LABELS.get(kind.field, kind.param)
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
            self._tap.summary.add(self._progress)  # type: ignore[attr-defined]
            self._progress = None
        self._write_state_message()  # the stream's last STATE

    def unread_lists(self) -> int:
        """Calls an undated list stream still needs (a list already read this run is free)."""
        return sum(not self.partition_values.is_read(self.report, v) for v in self.values)

    def planned_windows(self) -> dict[str | None, list[Window]]:
        """Each value's windows left to fetch, as planned now (for the run's plan)."""
        return {value: self._windows_for(value) for value in self.values}

    def _windows_for(self, value: str | None) -> list[Window]:
        """`value`'s windows from where it resumes to the run's end.

        A detail report whose volume is not known yet starts with a one-day window; the
        rest are planned at the longest length until that window tells the volume.
        """
        start = self._resume_point(value)
        if value in self._reached:
            start = max(start, self._reached[value])
        days = self._days_per_window()
        if days is not None:
            return plan_windows(start, self.run_end, days, self.tz)
        first = plan_windows(start, self.run_end, 1, self.tz)[:1]
        if not first:
            return []
        longest = min(MAX_WINDOW_DAYS, self.report.max_window_days)
        return first + plan_windows(first[0].end, self.run_end, longest, self.tz)

    def _start_queue(self, first: str | None) -> None:
        """Plan the remaining (value, window) requests from `first` on, within the run's plan."""
        values = self.values
        values = values[values.index(first) :] if first in values else [first]
        self._values_ahead = values
        allotted = self._tap.plan.allotted(self.name)  # type: ignore[attr-defined]
        jobs = []
        for value in values:
            windows = self._windows_for(value)
            if allotted is not None:
                room = allotted.get(value, 0) - self._windows_done.get(value, 0)
                windows = windows[: max(0, room)]
            listed = self.partition_values.listed(self.report, value)
            jobs += [Job(self.report, value, window, listed) for window in windows]
        self._probing = not self.run.test_mode and self._days_per_window() is None and len(jobs) > 1
        if self.run.test_mode or self._probing:
            jobs = jobs[:1]
        self.logger.debug(
            "Planned %d request(s) of %s: %d partition(s) up to %s, max_concurrent_requests=%d",
            len(jobs),
            self.report.api,
            len(values),
            self.run_end.isoformat(),
            self.client.gate.limit,
        )
        if self._progress is None:
            self._progress = Progress(self.name, len(jobs))
        else:
            self._progress.planned = self._progress.done + len(jobs)
        self._queue.close()  # a replan: the previous plan's workers stop
        # a report of a row per interaction may answer the full cap: its first window goes alone
        guess = self.row_cap if self.detail else 0
        self._queue = OrderedPrefetch(self._fetch, jobs, self.client.gate.limit, guess)
        self._next = None

    @cached_property
    def _window_settings(self) -> dict[str, Any]:
        """The settings that shape windows, checked against the state and kept once in it.

        A state written with another `timezone` (or, for aggregate reports, `window_days`)
        stops the run: resuming from it would double-count. They are kept once per stream;
        an older state kept them in each partition, and is moved up here.
        """
        current: dict[str, Any] = {"timezone": self.config["timezone"]}
        if not self.detail:
            current["window_days"] = self.window_days
        stream_state = self.stream_state
        entries = [(self.name, stream_state)] + [
            (f"{self.name} {Job(self.report, p['context'].get(self._field), None).where}", p)
            for p in stream_state.get("partitions", [])
            if self._field is not None and isinstance(p.get("context"), dict)
        ]
        for where, state in entries:
            for setting, now_value in current.items():
                if setting in state and state[setting] != now_value:
                    raise SettingsChangedError(
                        f"{setting} changed from {state[setting]!r} to {now_value!r} since the "
                        f"state of {where} was written: restore it, or run a full refresh"
                    )
        for _, state in entries[1:]:
            for setting in ("timezone", "window_days", "replication_key"):
                state.pop(setting, None)
        stream_state.pop("window_days", None)
        stream_state.update(current, replication_key=self.replication_key)
        return current

    def _resume_point(self, value: str | None) -> dt.datetime:
        """Where this value resumes: its bookmark or start_date, whichever is later.

        A full-table sync (chosen in the catalog) ignores bookmarks. A bookmark written with
        other window settings (`_window_settings`), or later than now, stops the run:
        resuming from it would double-count or silently extract nothing.
        """
        start = parse_instant(self.config["start_date"], self.tz)
        if self.replication_method == REPLICATION_FULL_TABLE:
            return start
        self._window_settings  # noqa: B018 - checked once per stream
        state = self.get_context_state(self._context(value))
        where = self.name if value is None else f"{self.name} {Job(self.report, value, None).where}"
        bookmark = state.get("replication_key_value")
        if not bookmark:
            return start
        resume = parse_instant(bookmark, self.tz)
        if resume > self.run.started:
            raise SettingsChangedError(
                f"the bookmark of {where} is {bookmark}, later than now (was the host clock "
                "ahead?): fix the state, or run a full refresh"
            )
        if resume < self.run_end:  # a window cut short by end_date is fetched again whole
            midnight = dt.datetime.combine(wall_clock(resume, self.tz).date(), dt.time())
            resume = max(min(localize(midnight, self.tz), resume), start)
        return max(start, resume)

    # -- one window, in a worker thread -----------------------------------------------------

    def _fetch(self, job: Job) -> Fetched:
        """The window's typed records; an answer at the row cap is split by the report's rule."""
        answer = self.client.fetch(job)
        if len(answer.rows) < self.row_cap:
            if self._streams and isinstance(answer.rows, list):  # typed as emitted
                return Fetched([], 1, not_found_empty=answer.not_found_empty, rows=answer.rows)
            records = self._records(answer.rows, job)
            return Fetched(records, 1, not_found_empty=answer.not_found_empty)
        assert job.window is not None  # noqa: S101 - undated lists are not fetched here
        if self.report.split == "refuse":
            raise refusal(self.report, len(answer.rows), job.where)
        halves = split_window(job.window)
        if halves is None:
            raise DataError(
                f"Wolkvox returned {len(answer.rows)} rows, its per-call cap, for the one-hour "
                f"{job.describe()}: the answer is truncated and cannot be split further"
            )
        self.logger.info(
            "%s returned %d rows (the per-call cap): fetching it again in two halves",
            job.describe(),
            len(answer.rows),
        )
        parts = [self._fetch(job.half(half)) for half in halves]
        calls = 1 + sum(part.calls for part in parts)
        if self._streams:
            rows = [row for part in parts for row in drain(part.rows)]
            return Fetched([], calls, rows=rows, split=True)
        records = combine_halves(self.report, [part.records for part in parts], _bounds(job.window))
        return Fetched(records, calls)

    def _base(self, job: Job) -> dict[str, Any]:
        """What every record of the job's answer carries: partition, listed values, bounds."""
        base: dict[str, Any] = {} if self._field is None else {self._field: job.value}
        base.update(job.listed)
        if job.window is not None:
            base.update(_bounds(job.window))
        return base

    def _records(self, data: Any, job: Job) -> Records:  # noqa: ANN401
        """Typed records of one answer; a key repeated in a summed report is added up."""
        records = self.parser.records(data, self._base(job), job.where, consume=True)
        if job.window is None or not records:
            return records
        key = operator.itemgetter(*self.primary_keys)
        if len(set(map(key, records))) == len(records):
            return records
        if self.report.split == "sum":
            self.logger.warning("A key appears twice for %s: values summed", job.describe())
            return combine_halves(self.report, [records], {})
        if self.report.split == "concat":  # a detail row sent twice is one interaction
            records = list({frozenset(r.items()): r for r in records}.values())
        repeated = len(records) - len(set(map(key, records)))
        with self._lock:
            self.repeated_keys += repeated
        return records

    def _typed_rows(self, job: Job, fetched: Fetched) -> Generator[dict[str, Any], None, int]:
        """A detail window's records, each row decoded and typed as it is emitted; their count.

        As `_records` does for a whole answer: a record that repeats an earlier one of the
        window exactly is dropped (a row sent twice is one interaction); another with the
        key of an earlier one counts as a repeated key, and in a window fetched in halves it
        is dropped (the first record of each key is kept, as `combine_halves` does). Only
        each key and its first row are remembered, not the records; the first record of a
        key seen again is typed once more from its row, without counting its bad values twice.
        """
        base = self._base(job)
        read = self.parser.reader(base, job.where)
        key = operator.itemgetter(*self.primary_keys)
        first: dict[Any, Any] = {}  # each key seen: the row of its first record
        again: dict[Any, list[dict[str, Any]]] = {}  # each key seen twice: its records
        emitted = repeated = 0
        for row in drain(fetched.rows):
            record = read(row)
            identity = key(record)
            earlier = first.setdefault(identity, row)
            if earlier is not row:
                if earlier == row:  # the same row, sent twice
                    continue
                kept = again.get(identity)
                if kept is None:
                    kept = again[identity] = [self._quiet_parser.reader(base, job.where)(earlier)]
                if record in kept:
                    continue
                kept.append(record)
                repeated += 1
                if fetched.split:
                    continue
            emitted += 1
            yield record
        with self._lock:
            self.repeated_keys += repeated
        return emitted


def _bounds(window: Window) -> dict[str, str]:
    """The fields every record of a window carries: its bounds, and its local day."""
    return {
        WINDOW_START: window.start.isoformat(),
        WINDOW_END: window.end.isoformat(),
        WINDOW_DATE: window.start.date().isoformat(),
    }
