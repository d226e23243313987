"""The Reports Manager stream base: one request per campaign and date window.

Windows are cut inside `get_records` (partitions are the campaigns), fetched up to two at a
time, emitted in order, and followed by a STATE message as soon as each one is complete.
"""

from __future__ import annotations

import datetime as dt
import threading
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any, ClassVar
from zoneinfo import ZoneInfo

import backoff
import requests
from singer_sdk import RESTStream
from singer_sdk.authenticators import APIKeyAuthenticator
from singer_sdk.streams.rest import HTTPRequest, PageContext

from tap_wolkvox.errors import (
    RetriableWolkvoxError,
    RetriesExhaustedError,
    WolkvoxFatalError,
    read_answer,
)
from tap_wolkvox.pipeline import ConcurrencyGate, OrderedPrefetch
from tap_wolkvox.retries import RetryPolicy, jitter
from tap_wolkvox.settings import base_url, parse_instant
from tap_wolkvox.windows import Window, plan_windows

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Iterator, Mapping

    from backoff.types import Details
    from singer_sdk.helpers.types import Context

RETRIABLE_FAILURES = (
    RetriableWolkvoxError,
    ConnectionResetError,
    requests.exceptions.Timeout,
    requests.exceptions.ConnectionError,
    requests.exceptions.ChunkedEncodingError,
    requests.exceptions.ContentDecodingError,
)
_CONNECT_TIMEOUT = 15.0


@dataclass(frozen=True)
class Job:
    """One request to make: a report for one campaign over one window."""

    campaign_id: str
    window: Window

    def describe(self) -> str:
        """Campaign, window and request dates, for log lines and error messages."""
        return (
            f"campaign {self.campaign_id} window {self.window} "
            f"(date_ini={self.window.date_ini}, date_end={self.window.date_end})"
        )


@dataclass
class RunCounters:
    """API calls made by this run, shared by the worker threads."""

    calls: int = 0
    retries: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add_call(self) -> None:
        """Count one HTTP request."""
        with self.lock:
            self.calls += 1


class WolkvoxReportStream(RESTStream[None]):
    """A Reports Manager report fetched per campaign and local-midnight date window."""

    #: The report's `api=` name, e.g. `campaign_10`.
    report: ClassVar[str]

    path = "/api/v2/reports_manager.php"
    replication_key = "window_start"
    is_sorted = True
    allow_redirects = False
    # STATE is written after each complete window by `_mark_window_done`, never mid-window.
    STATE_MSG_FREQUENCY = 10**12

    def __init__(self, *args: Any, **kwargs: Any) -> None:  # noqa: ANN401
        """Set up per-run request bookkeeping."""
        super().__init__(*args, **kwargs)
        self.counters = RunCounters()
        self._gate = ConcurrencyGate(self.config["max_concurrent_requests"])
        self._sessions = threading.local()
        self._queue: Iterator[tuple[Job, list[dict[str, Any]]]] = iter(())
        self._next: tuple[Job, list[dict[str, Any]]] | None = None
        self._campaigns_ahead: list[str] = []

    # -- what a report declares -------------------------------------------------------

    def typed_records(self, rows: list[Any], job: Job) -> list[dict[str, Any]]:
        """Turn the answer's `data` rows into schema records, or raise `DataError`."""
        raise NotImplementedError

    # -- settings-derived ---------------------------------------------------------------

    @property
    def url_base(self) -> str:
        """`api_url`, or the operation's own Wolkvox host."""
        return base_url(self.config)

    @cached_property
    def tz(self) -> ZoneInfo:
        """The operation's zone: API dates are its wall clock."""
        return ZoneInfo(self.config["timezone"])

    @property
    def authenticator(self) -> APIKeyAuthenticator:
        """The `wolkvox-token` header."""
        return APIKeyAuthenticator(
            key="wolkvox-token", value=self.config["api_token"], location="header"
        )

    @property
    def partitions(self) -> list[dict[str, Any]]:
        """One partition, and one bookmark, per configured campaign."""
        return [{"campaign_id": str(c)} for c in self.config["campaign_ids"]]

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

    def get_replication_key_signpost(self, context: Context | None = None) -> None:  # noqa: ARG002
        """No signpost: bookmarks are window starts, never later than the run's end."""
        return

    def compare_start_date(self, value: str, start_date_value: str) -> str:
        """The later of bookmark and start_date, reading a naive start_date in `timezone`."""
        return max(value, start_date_value, key=lambda v: parse_instant(v, self.tz))

    def get_new_paginator(self) -> None:
        """One request per window: the Reports Manager does not page."""
        return

    def get_http_request(self, *, page: PageContext[None]) -> HTTPRequest:
        """`GET reports_manager.php?api=…&campaign_id=…&date_ini=…&date_end=…`."""
        context = page.stream_context or {}
        return HTTPRequest(
            url=self.get_url(context),
            method="GET",
            params={
                "api": self.report,
                "campaign_id": context["campaign_id"],
                "date_ini": context["date_ini"],
                "date_end": context["date_end"],
            },
            headers={**self.http_headers, "User-Agent": self.user_agent},
        )

    # -- the window loop ------------------------------------------------------------------

    def get_records(self, context: Context | None) -> Iterable[dict[str, Any]]:
        """Emit each window's records, then a STATE whose bookmark is that window's start."""
        campaign = (context or {})["campaign_id"]
        try:
            for job, records in self._jobs_for(campaign):
                yield from records
                self._mark_window_done(context, job.window)
        except WolkvoxFatalError:
            self._log_calls()
            raise

    def _mark_window_done(self, context: Context | None, window: Window) -> None:
        # No public SDK API advances a bookmark without a record or flushes STATE at a
        # boundary (0.54.x): these private hooks are pinned by the STATE tests in
        # tests/test_sync.py and tests/test_reliability.py.
        self._increment_stream_state(
            {self.replication_key: window.start.isoformat()}, context=context
        )
        self.state_manager.is_flushed = False
        self._write_state_message()

    def _jobs_for(self, campaign: str) -> Iterator[tuple[Job, list[dict[str, Any]]]]:
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
                    self._log_calls()
                    return
            if self._next[0].campaign_id != campaign:
                return
            item, self._next = self._next, None
            yield item

    def _log_calls(self) -> None:
        """Quota awareness: Wolkvox allows licenses x 1000 calls per token per day."""
        self.logger.info(
            "Wolkvox API calls made by this run: %d (%d of them retries)",
            self.counters.calls,
            self.counters.retries,
        )

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
            Job(campaign, window)
            for campaign in campaigns
            for window in plan_windows(
                self._resume_point(campaign), self.run_end, self.config["window_days"], self.tz
            )
        ]
        self.logger.info(
            "Planned %d request(s): %d campaign(s) up to %s, window_days=%d, "
            "max_concurrent_requests=%d",
            len(jobs),
            len(campaigns),
            self.run_end.isoformat(),
            self.config["window_days"],
            self._gate.limit,
        )
        self._queue = iter(OrderedPrefetch(self._fetch, jobs, self._gate.limit))
        self._next = None

    def _resume_point(self, campaign: str) -> dt.datetime:
        """The bookmark (start of the last window synced) or start_date, whichever is later."""
        start = parse_instant(self.config["start_date"], self.tz)
        bookmark = self.get_context_state({"campaign_id": campaign}).get("replication_key_value")
        return max(start, parse_instant(bookmark, self.tz)) if bookmark else start

    # -- one request, in a worker thread --------------------------------------------------

    def _fetch(self, job: Job) -> list[dict[str, Any]]:
        try:
            return self.request_decorator(self._request_window)(job)
        except RETRIABLE_FAILURES as exc:
            reason = (
                str(exc)
                if isinstance(exc, RetriableWolkvoxError)
                else f"{type(exc).__name__}: {exc}"
            )
            raise RetriesExhaustedError(
                f"Gave up on {job.describe()} after retries; last failure: {reason:.400}"
            ) from None

    def _request_window(self, job: Job) -> list[dict[str, Any]]:
        request = self.get_http_request(
            page=PageContext(
                stream_context={
                    "campaign_id": job.campaign_id,
                    "date_ini": job.window.date_ini,
                    "date_end": job.window.date_end,
                },
                next_page_token=None,
            )
        )
        prepared = requests.Request(
            request.method, request.url, params=request.encode_params(), headers=request.headers
        ).prepare()
        prepared = self.authenticator(prepared)
        with self._gate:
            self.counters.add_call()
            response = self._session.send(
                prepared,
                timeout=(_CONNECT_TIMEOUT, self.config["request_timeout_seconds"]),
                allow_redirects=False,
            )
        rows = read_answer(response, job.describe(), secret=self.config["api_token"])
        return self.typed_records(rows, job)

    @property
    def _session(self) -> requests.Session:
        """One session per worker thread: `requests.Session` is not documented thread-safe."""
        session: requests.Session | None = getattr(self._sessions, "session", None)
        if session is None:
            session = requests.Session()
            self._sessions.session = session
        return session

    # -- retries (the SDK's backoff hooks) -------------------------------------------------

    def request_decorator(self, func: Callable[..., Any]) -> Callable[..., Any]:
        """Retry transient failures per `RetryPolicy`; fatal ones propagate at once."""
        decorator: Callable[..., Any] = backoff.on_exception(
            self.backoff_wait_generator,
            RETRIABLE_FAILURES,
            max_tries=None,
            on_backoff=self.backoff_handler,
            jitter=self.backoff_jitter,
            logger=None,
        )
        return decorator(func)

    def backoff_wait_generator(self) -> Any:  # noqa: ANN401
        """Waits per failure kind, bounded by max_retries and maintenance_max_wait_seconds."""
        return RetryPolicy(
            max_retries=self.config["max_retries"],
            base_wait=float(self.config["retry_wait_seconds"]),
            maintenance_max_wait=float(self.config["maintenance_max_wait_seconds"]),
            on_concurrency_limit=self._on_concurrency_limit,
        ).waits()

    def backoff_jitter(self, value: float) -> float:
        """Jitter that never shortens a wait (a Retry-After is a minimum)."""
        return jitter(value)

    def backoff_handler(self, details: Details) -> None:
        """Log the retry: what failed, for which window, and how long the tap waits."""
        with self.counters.lock:
            self.counters.retries += 1
        failure = details.get("exception")
        job = details["args"][0]
        what = (
            str(failure)
            if isinstance(failure, RetriableWolkvoxError)
            else f"{type(failure).__name__} for {job.describe()}"
        )
        self.logger.warning(
            "Retry %d in %.1f s: %s", details["tries"], details.get("wait") or 0.0, what
        )

    def _on_concurrency_limit(self) -> None:
        if self._gate.lower_to_one():
            self.logger.warning(
                "Wolkvox keeps refusing simultaneous requests on this token (another process "
                "may share it): continuing with 1 request at a time for the rest of the run"
            )

    # -- typing helpers for reports ----------------------------------------------------------

    def window_fields(self, job: Job) -> Mapping[str, str]:
        """The fields every windowed record carries."""
        return {
            "campaign_id": job.campaign_id,
            "window_start": job.window.start.isoformat(),
            "window_end": job.window.end.isoformat(),
        }
