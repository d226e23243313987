"""The window engine every Reports Manager report shares.

Partitions are campaigns. Inside `get_records` each campaign's range is cut into local-midnight
windows, fetched two at a time across all campaigns, emitted in order, and followed by a STATE
whose bookmark is the window's start as soon as the whole window is out. An answer at the
60,000-row cap is fetched again in halves, down to one hour.
"""

from __future__ import annotations

import datetime as dt
import decimal
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING, Any, ClassVar

from singer_sdk import typing as th

from tap_wolkvox.client import WolkvoxStream
from tap_wolkvox.errors import DataError, SettingsChangedError, WolkvoxFatalError
from tap_wolkvox.pipeline import OrderedPrefetch, drain
from tap_wolkvox.progress import Progress
from tap_wolkvox.settings import campaign_order, parse_instant
from tap_wolkvox.windows import Window, plan_windows, split_window

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator, Sequence

    from singer_sdk.helpers.types import Context

    from tap_wolkvox.fields import Field

REPORTS_PATH = "/api/v2/reports_manager.php"
REPLICATION_FULL_TABLE = "FULL_TABLE"
Records = list[dict[str, Any]]


@dataclass(frozen=True)
class Fetched:
    """A window's typed records, the calls they took, and whether Wolkvox said 404-empty."""

    records: Records
    calls: int
    not_found_empty: bool = False

    def __len__(self) -> int:
        """Its records, as the prefetch's row budget counts them."""
        return len(self.records)


@dataclass(frozen=True)
class Job:
    """One request: a report for one campaign over one window."""

    api: str
    campaign_id: str
    window: Window

    path = REPORTS_PATH

    @property
    def params(self) -> dict[str, str]:
        """`api`, `campaign_id`, and the window's inclusive wall-clock dates."""
        return {
            "api": self.api,
            "campaign_id": self.campaign_id,
            "date_ini": self.window.date_ini,
            "date_end": self.window.date_end,
        }

    def describe(self) -> str:
        """Campaign, window and request dates, for log lines and error messages."""
        return (
            f"campaign {self.campaign_id} window {self.window} "
            f"(date_ini={self.window.date_ini}, date_end={self.window.date_end})"
        )


def windowed_schema(fields: Sequence[Field]) -> dict[str, Any]:
    """The record schema: the campaign, the window, then the report's own fields."""
    own = [f for f in fields if f.name != "campaign_id"]
    return th.PropertiesList(
        th.Property(
            "campaign_id",
            th.StringType(nullable=False),
            required=True,
            description="The campaign: `all` or its numeric ID.",
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
        *(f.schema() for f in own),
    ).to_dict()


def windowed_keys(fields: Sequence[Field]) -> tuple[str, ...]:
    """The record key: campaign, window start, and the report's key fields."""
    return ("campaign_id", "window_start", *(f.name for f in fields if f.key))


class WindowedReportStream(WolkvoxStream):
    """A Reports Manager report fetched per campaign and local-midnight date window."""

    #: The report's `api=` name, e.g. `campaign_10`.
    report: ClassVar[str]
    #: The row fields kept; a `campaign_id` field, when a row has it, names the record's campaign.
    fields: ClassVar[tuple[Field, ...]]
    #: A `number` field that is this count field's share of the window, in percent.
    percent_of: ClassVar[dict[str, str]] = {}

    replication_key = "window_start"
    is_sorted = True
    # STATE is written after each complete window by `_mark_window_done`, never mid-window.
    STATE_MSG_FREQUENCY = 10**12

    def __init__(self, *args: Any, **kwargs: Any) -> None:  # noqa: ANN401
        """Nothing planned yet."""
        super().__init__(*args, **kwargs)
        self._queue: OrderedPrefetch[Job, Fetched] = OrderedPrefetch(self._fetch, (), 1)
        self._next: tuple[Job, Fetched] | None = None
        self._campaigns_ahead: list[str] = []
        self._progress: Progress | None = None

    @cached_property
    def partitions(self) -> list[dict[str, Any]]:
        """One partition, and one bookmark, per campaign (`*` reads the campaigns list).

        With `only_started`, a stopped campaign still runs while it has a bookmark that its
        `last_use` has reached, so that its last partial window is completed.
        """
        tap = self._tap
        chosen = tap.report_campaign_ids()  # type: ignore[attr-defined]
        chosen += [
            campaign
            for campaign, last_use in tap.stopped_campaigns()  # type: ignore[attr-defined]
            if self._used_since_bookmark(campaign, last_use)
        ]
        return [{"campaign_id": c} for c in sorted(set(chosen), key=campaign_order)]

    def _used_since_bookmark(self, campaign: str, last_use: str | None) -> bool:
        bookmark = self.get_context_state({"campaign_id": campaign}).get("replication_key_value")
        if not bookmark or not last_use:
            return False
        try:
            used = parse_instant(last_use, self.tz)
        except ValueError:
            return False
        return used >= parse_instant(bookmark, self.tz)

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

    def _increment_stream_state(
        self,
        latest_record: dict[str, Any],  # noqa: ARG002
        *,
        context: Context | None = None,  # noqa: ARG002
    ) -> None:
        """Records do not move the bookmark: `_mark_window_done` does, once per window."""
        return

    # -- the window loop ------------------------------------------------------------------

    def get_records(self, context: Context | None) -> Iterable[dict[str, Any]]:
        """Emit each window's records, then a STATE whose bookmark says where to resume."""
        if context is None:  # `*` selected no campaign: the tap has said so once
            return
        campaign = context["campaign_id"]
        unsettled_from: Window | None = None
        settled_before = self.run_end - dt.timedelta(minutes=self.config["lookback_minutes"])
        try:
            for job, fetched in self._jobs_for(campaign):
                self.run.emitting = True
                count = len(fetched.records)
                yield from drain(fetched.records)  # each record is freed once emitted
                if unsettled_from is None and job.window.end > settled_before:
                    unsettled_from = job.window
                self._mark_window_done(context, unsettled_from or job.window)
                self._window_done(job, fetched, count)
                self.run.emitting = False
                self.run.stop_if_interrupted()
        except BaseException as exc:  # stopped early (a failure, a signal, or closed)
            self._queue.close()  # the fetch workers stop
            if isinstance(exc, WolkvoxFatalError):
                self.log_calls()
            raise
        finally:
            self.run.emitting = False

    def _mark_window_done(self, context: Context, resume: Window) -> None:
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
            window_days=self.config["window_days"],
        )
        self.state_manager.is_flushed = False
        self._write_state_message()

    def _window_done(self, job: Job, fetched: Fetched, records: int) -> None:
        progress = self._progress
        if progress is not None:
            progress.window_done(job.window.end, records, not_found_empty=fetched.not_found_empty)
            progress.calls += fetched.calls
            progress.maybe_log(self.logger)

    def _jobs_for(self, campaign: str) -> Iterator[tuple[Job, Fetched]]:
        """This campaign's fetched windows, from one queue planned across all campaigns.

        One queue lets the next campaign's first requests run while this one's last windows
        are emitted. The SDK asks for partitions in order; any other order replans.
        """
        if not self._campaigns_ahead or self._campaigns_ahead[0] != campaign:
            self._start_queue(campaign)
        self._campaigns_ahead.pop(0)
        while True:
            if self._next is None:
                self._next = next(self._queue, None)
                if self._next is None:
                    self._finish()
                    return
            if self._next[0].campaign_id != campaign:
                return
            item, self._next = self._next, None
            yield item

    def _finish(self) -> None:
        self.log_calls()
        if self._progress is not None:
            self._progress.finish(self.logger, self.report)
            self._progress = None

    def _start_queue(self, first_campaign: str) -> None:
        """Plan every remaining (campaign, window) request from `first_campaign` on."""
        campaigns = [p["campaign_id"] for p in self.partitions]
        campaigns = (
            campaigns[campaigns.index(first_campaign) :]
            if first_campaign in campaigns
            else [first_campaign]
        )
        self._campaigns_ahead = campaigns
        jobs = [
            Job(self.report, campaign, window)
            for campaign in campaigns
            for window in plan_windows(
                self._resume_point(campaign), self.run_end, self.config["window_days"], self.tz
            )
        ]
        if self.run.test_mode:
            jobs = jobs[:1]
        self.logger.info(
            "Planned %d request(s) of %s: %d campaign(s) up to %s, window_days=%d, "
            "max_concurrent_requests=%d",
            len(jobs),
            self.report,
            len(campaigns),
            self.run_end.isoformat(),
            self.config["window_days"],
            self.run.gate.limit,
        )
        self._progress = Progress(self.name, len(jobs))
        self._queue.close()  # a replan: the previous plan's workers stop
        self._queue = OrderedPrefetch(self._fetch, jobs, self.run.gate.limit)
        self._next = None

    def _resume_point(self, campaign: str) -> dt.datetime:
        """Where this campaign resumes: its bookmark or start_date, whichever is later.

        A full-table sync (chosen in the catalog) ignores bookmarks. A bookmark written with
        another `timezone` or `window_days`, or later than now, stops the run: resuming from
        it would double-count or silently extract nothing.
        """
        start = parse_instant(self.config["start_date"], self.tz)
        if self.replication_method == REPLICATION_FULL_TABLE:
            return start
        state = self.get_context_state({"campaign_id": campaign})
        for setting in ("timezone", "window_days"):
            if setting in state and state[setting] != self.config[setting]:
                raise SettingsChangedError(
                    f"{setting} changed from {state[setting]!r} to {self.config[setting]!r} "
                    f"since the state of {self.name} campaign {campaign} was written: restore "
                    "it, or run a full refresh"
                )
        bookmark = state.get("replication_key_value")
        if not bookmark:
            return start
        resume = parse_instant(bookmark, self.tz)
        if resume > dt.datetime.now(self.tz):
            raise SettingsChangedError(
                f"the bookmark of {self.name} campaign {campaign} is {bookmark}, later than now "
                "(was the host clock ahead?): fix the state, or run a full refresh"
            )
        return max(start, resume)

    # -- one window, in a worker thread -----------------------------------------------------

    def _fetch(self, job: Job) -> Fetched:
        """The window's typed records; an answer at the row cap is fetched again in halves."""
        answer = self.call_api(job)
        rows = answer.rows
        cap = self.config["max_records_per_call"]
        if len(rows) < cap:
            return Fetched(self.typed_records(rows, job), 1, not_found_empty=answer.not_found_empty)
        halves = split_window(job.window)
        if halves is None:
            raise DataError(
                f"Wolkvox returned {len(rows)} rows, its per-call cap, for the one-hour "
                f"{job.describe()}: the answer is truncated and cannot be split further"
            )
        self.logger.info(
            "%s returned %d rows (the per-call cap): fetching it again in two halves",
            job.describe(),
            len(rows),
        )
        parts = [self._fetch(Job(job.api, job.campaign_id, half)) for half in halves]
        records = [r for part in parts for r in part.records]
        return Fetched(
            self._merge(records, job, from_halves=True), 1 + sum(part.calls for part in parts)
        )

    def typed_records(self, rows: list[Any], job: Job) -> Records:
        """Turn the answer's `data` rows into records, or raise `DataError` naming the field."""
        where = job.describe()
        base = {
            "campaign_id": job.campaign_id,
            "window_start": job.window.start.isoformat(),
            "window_end": job.window.end.isoformat(),
        }
        records = []
        for row in drain(rows):  # each answer row is freed once typed
            if not isinstance(row, dict):
                raise DataError(f"Wolkvox sent a row that is not an object for {where}")
            values = {f.name: f.read(row, where) for f in self.fields}
            if values.get("campaign_id") is None:
                values.pop("campaign_id", None)
            records.append({**base, **values})
        return self._merge(records, job, from_halves=False)

    def _merge(self, records: Records, job: Job, *, from_halves: bool) -> Records:
        """One record per key: counts (and numbers) of repeated keys are summed.

        With `from_halves` (the records of a split window's halves), records take the whole
        window's bounds and each `percent_of` share is recomputed from the summed counts.
        """
        merged: dict[tuple[Any, ...], dict[str, Any]] = {}
        summed = [f.name for f in self.fields if f.kind != "text" and f.name not in self.percent_of]
        for record in records:
            if from_halves:
                record.update(
                    window_start=job.window.start.isoformat(),
                    window_end=job.window.end.isoformat(),
                )
            key = tuple(record[k] for k in self.primary_keys)
            if key not in merged:
                merged[key] = record
                continue
            if not from_halves:
                self.logger.warning(
                    "Key %s appears twice for %s: values summed", key, job.describe()
                )
            kept = merged[key]
            for name in (*summed, *([] if from_halves else self.percent_of)):
                if record[name] is not None:
                    kept[name] = (kept[name] or 0) + record[name]
        result = list(merged.values())
        if from_halves:
            for percent, count in self.percent_of.items():
                total = sum(r[count] or 0 for r in result)
                for r in result:
                    r[percent] = (
                        round(100 * decimal.Decimal(r[count] or 0) / total, 2) if total else None
                    )
        return result
