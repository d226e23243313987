"""The stream every report becomes: one engine for all of them, driven by its declaration.

A dated report is asked per partition value (a campaign, a skill, an agent, an activity-code
type, or nothing) and local-midnight date window. Windows are fetched by the run's workers
across all partition values, emitted in order, and each is followed by a STATE whose bookmark
says where the next run resumes. An answer at the row cap is split by the report's rule. An
undated report (an `information.php` list) is read whole on every run.
"""

from __future__ import annotations

import datetime as dt
import logging
import sys
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from singer_sdk import Stream
from singer_sdk.helpers.conform import TypeConformanceLevel

from tap_wolkvox.catalogue.records import RecordParser
from tap_wolkvox.catalogue.schema import partition_field, record_key, record_schema
from tap_wolkvox.catalogue.split import combine_halves, refusal
from tap_wolkvox.errors import DataError, SettingsChangedError, WolkvoxFatalError
from tap_wolkvox.output import flush_output
from tap_wolkvox.prefetch import OrderedPrefetch, drain
from tap_wolkvox.progress import Progress
from tap_wolkvox.settings import parse_instant
from tap_wolkvox.windows import Window, plan_windows, split_window

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator

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


@dataclass(frozen=True)
class Job:
    """One request: a report for one partition value over one window (None if undated)."""

    report: Report
    value: str | None
    window: Window | None

    @property
    def path(self) -> str:
        """The report's endpoint."""
        return self.report.endpoint

    @property
    def params(self) -> dict[str, str]:
        """`api`, fixed and partition parameters, and the window's inclusive wall-clock dates."""
        params = self.report.query(self.value)
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
        return Job(self.report, self.value, window)


@dataclass(frozen=True)
class Fetched:
    """A window's typed records, the calls they took, and whether Wolkvox said 404-empty."""

    records: Records
    calls: int
    not_found_empty: bool = False

    def __len__(self) -> int:
        """Its records, as the prefetch's row budget counts them."""
        return len(self.records)


class ReportStream(Stream):
    """One report's stream: schema, key and records all come from its declaration."""

    is_sorted = True
    # STATE is written after each complete window by `_mark_window_done`, never mid-window.
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
    def parser(self) -> RecordParser:
        """Typed records from this report's answers."""
        return RecordParser(self.report, self.tz)

    @cached_property
    def row_cap(self) -> int:
        """Rows at which an answer counts as cut: Wolkvox's cap, or the report's own limit."""
        return min(self.config["max_records_per_call"], self.report.max_rows or sys.maxsize)

    @cached_property
    def window_days(self) -> int:
        """`window_days`, within the report's own limit (skill_5 answers 1 day at most)."""
        return min(self.config["window_days"], self.report.max_window_days)

    # -- partitions and state ---------------------------------------------------------------

    @cached_property
    def partitions(self) -> list[dict[str, Any]] | None:
        """One partition, and one bookmark, per value of the report's partition kind."""
        if self._field is None:
            return None
        values = self.partition_values.values(self.report, self._bookmark_of)
        return [{self._field: value} for value in values]

    def _context(self, value: str | None) -> dict[str, Any] | None:
        return None if self._field is None else {self._field: value}

    def _bookmark_of(self, value: str) -> dt.datetime | None:
        bookmark = self.get_context_state(self._context(value)).get("replication_key_value")
        return parse_instant(bookmark, self.tz) if bookmark else None

    @cached_property
    def run_end(self) -> dt.datetime:
        """Exclusive end of this run: `end_date`, but never later than now."""
        now = dt.datetime.now(self.tz).replace(microsecond=0)
        if self.config.get("end_date"):
            end = parse_instant(self.config["end_date"], self.tz)
            if end > now:
                self.logger.info("end_date %s is in the future: extracting up to now", end)
            return min(end, now)
        return now

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
        """STATE if it changed; either way a window or the stream ends: flush the output."""
        super()._write_state_message()
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
        if not self.report.dated:
            yield from self._whole_list(context)
            return
        if self._field is not None and context is None:  # no value selected: said once
            return
        value = None if context is None else context[self._field]  # type: ignore[index]
        unsettled_from: Window | None = None
        settled_before = self.run_end - dt.timedelta(minutes=self.config["lookback_minutes"])
        try:
            for job, fetched in self._jobs_for(value):
                assert job.window is not None  # noqa: S101 - a dated report's jobs have one
                self.run.emitting = True
                count = len(fetched.records)
                yield from drain(fetched.records)  # each record is freed once emitted
                if unsettled_from is None and job.window.end > settled_before:
                    unsettled_from = job.window
                self._mark_window_done(context, unsettled_from or job.window)
                self._window_done(job.window, fetched, count)
                self.run.emitting = False
                self.run.stop_if_interrupted()
        except BaseException:  # stopped early (a failure, a signal, or closed)
            self._queue.close()  # the fetch workers stop
            self._tap.summary.add(self._progress)  # type: ignore[attr-defined]
            raise
        finally:
            self.run.emitting = False

    def _whole_list(self, context: Context | None) -> Iterable[dict[str, Any]]:
        """An undated list, read whole (once per run, shared with partition lookups)."""
        if self._field is not None and context is None:
            return
        value = None if context is None else context[self._field]  # type: ignore[index]
        records = list(self.partition_values.list_records(self.report, value))
        self._tap.summary.add_list(self.name, len(records))  # type: ignore[attr-defined]
        yield from records

    def _mark_window_done(self, context: Context | None, resume: Window) -> None:
        """Bookmark `resume`'s start (with the settings that shape windows), write STATE.

        `resume` is the window just emitted, or an earlier one that ended within
        `lookback_minutes` of this run's end: calls are recorded when they end, so such a
        window may still grow, and the next run fetches it again.
        """
        # No public SDK API sets a bookmark without a record or flushes STATE at a boundary
        # (0.54.x): the state dict is written here, pinned by the STATE tests.
        state = self.get_context_state(context)
        state.update(
            replication_key=self.replication_key,
            replication_key_value=resume.start.isoformat(),
            timezone=self.config["timezone"],
            window_days=self.window_days,
        )
        self.state_manager.is_flushed = False
        self._write_state_message()

    def _window_done(self, window: Window, fetched: Fetched, records: int) -> None:
        progress = self._progress
        if progress is not None:
            progress.window_done(window.end, records, not_found_empty=fetched.not_found_empty)
            progress.calls += fetched.calls
            progress.maybe_log(self.logger)

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
                if self._next is None:
                    self._finish()
                    return
            if self._next[0].value != value:
                return
            item, self._next = self._next, None
            yield item

    def _finish(self) -> None:
        if self._progress is not None:
            self._progress.finish(self.logger, self.report.api)
            self._tap.summary.add(self._progress)  # type: ignore[attr-defined]
            self._progress = None

    def _start_queue(self, first: str | None) -> None:
        """Plan every remaining (value, window) request from `first` on."""
        values: list[str | None] = (
            [None] if self._field is None else [p[self._field] for p in self.partitions or []]
        )
        values = values[values.index(first) :] if first in values else [first]
        self._values_ahead = values
        jobs = [
            Job(self.report, value, window)
            for value in values
            for window in plan_windows(
                self._resume_point(value), self.run_end, self.window_days, self.tz
            )
        ]
        if self.run.test_mode:
            jobs = jobs[:1]
        self.logger.info(
            "Planned %d request(s) of %s: %d partition(s) up to %s, window_days=%d, "
            "max_concurrent_requests=%d",
            len(jobs),
            self.report.api,
            len(values),
            self.run_end.isoformat(),
            self.window_days,
            self.client.gate.limit,
        )
        self._progress = Progress(self.name, len(jobs))
        self._queue.close()  # a replan: the previous plan's workers stop
        # a report of a row per interaction may answer the full cap: its first window goes alone
        guess = self.row_cap if self.report.split == "concat" else 0
        self._queue = OrderedPrefetch(self._fetch, jobs, self.client.gate.limit, guess)
        self._next = None

    def _resume_point(self, value: str | None) -> dt.datetime:
        """Where this value resumes: its bookmark or start_date, whichever is later.

        A full-table sync (chosen in the catalog) ignores bookmarks. A bookmark written with
        another `timezone` or `window_days`, or later than now, stops the run: resuming from
        it would double-count or silently extract nothing.
        """
        start = parse_instant(self.config["start_date"], self.tz)
        if self.replication_method == REPLICATION_FULL_TABLE:
            return start
        state = self.get_context_state(self._context(value))
        where = self.name if value is None else f"{self.name} {Job(self.report, value, None).where}"
        current = {"timezone": self.config["timezone"], "window_days": self.window_days}
        for setting, now_value in current.items():
            if setting in state and state[setting] != now_value:
                raise SettingsChangedError(
                    f"{setting} changed from {state[setting]!r} to {now_value!r} since the "
                    f"state of {where} was written: restore it, or run a full refresh"
                )
        bookmark = state.get("replication_key_value")
        if not bookmark:
            return start
        resume = parse_instant(bookmark, self.tz)
        if resume > dt.datetime.now(self.tz):
            raise SettingsChangedError(
                f"the bookmark of {where} is {bookmark}, later than now (was the host clock "
                "ahead?): fix the state, or run a full refresh"
            )
        return max(start, resume)

    # -- one window, in a worker thread -----------------------------------------------------

    def _fetch(self, job: Job) -> Fetched:
        """The window's typed records; an answer at the row cap is split by the report's rule."""
        answer = self.client.fetch(job)
        if len(answer.rows) < self.row_cap:
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
        bounds = {
            "window_start": job.window.start.isoformat(),
            "window_end": job.window.end.isoformat(),
        }
        records = combine_halves(self.report, [part.records for part in parts], bounds)
        return Fetched(records, 1 + sum(part.calls for part in parts))

    def _records(self, data: Any, job: Job) -> Records:  # noqa: ANN401
        """Typed records of one answer; a key repeated in a summed report is added up."""
        base: dict[str, Any] = {} if self._field is None else {self._field: job.value}
        if job.window is not None:
            base.update(
                window_start=job.window.start.isoformat(),
                window_end=job.window.end.isoformat(),
            )
        records = self.parser.records(data, base, job.where, consume=True)
        if self.report.split != "sum" or job.window is None:
            return records
        keys = {tuple(r[k] for k in self.primary_keys) for r in records}
        if len(keys) == len(records):
            return records
        self.logger.warning("A key appears twice for %s: values summed", job.describe())
        return combine_halves(self.report, [records], {})
