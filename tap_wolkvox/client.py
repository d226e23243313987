"""The base of every Wolkvox stream: host, token header, requests, answers and retries."""

from __future__ import annotations

import logging
import sys
import time
from functools import cached_property
from typing import TYPE_CHECKING, Any, Protocol
from zoneinfo import ZoneInfo

import backoff
import requests
from singer_sdk import RESTStream
from singer_sdk.authenticators import APIKeyAuthenticator
from singer_sdk.helpers.conform import TypeConformanceLevel
from singer_sdk.streams.rest import HTTPRequest, PageContext

from tap_wolkvox.errors import (
    Answer,
    RetriableWolkvoxError,
    RetriesExhaustedError,
    WolkvoxFatalError,
    read_answer,
)
from tap_wolkvox.http_body import read_within
from tap_wolkvox.output import flush_output
from tap_wolkvox.retries import RetryPolicy, jitter
from tap_wolkvox.settings import base_url

if TYPE_CHECKING:
    from collections.abc import Callable

    from backoff.types import Details
    from singer_sdk.helpers.types import Context

    from tap_wolkvox.run import RunState

RETRIABLE_FAILURES = (
    RetriableWolkvoxError,
    ConnectionResetError,
    requests.exceptions.Timeout,
    requests.exceptions.ConnectionError,
    requests.exceptions.ChunkedEncodingError,
    requests.exceptions.ContentDecodingError,
)
_CONNECT_TIMEOUT = 15.0


class ApiCall(Protocol):
    """One GET to make: its path under the base URL and its query parameters."""

    @property
    def path(self) -> str:
        """E.g. `/api/v2/reports_manager.php`."""

    @property
    def params(self) -> dict[str, str]:
        """The query parameters."""

    def describe(self) -> str:
        """What is asked, for log lines and error messages (never the token)."""


class WolkvoxStream(RESTStream[None]):
    """Requests go to `api_url` or `https://wv{server}.wolkvox.com` only, with the token header."""

    allow_redirects = False
    # Every value is typed by its report's `Field`s: the SDK's per-record pass is redundant.
    TYPE_CONFORMANCE_LEVEL = TypeConformanceLevel.NONE

    @property
    def run(self) -> RunState:
        """The gate and counters this run's streams share (kept by the tap)."""
        return self._tap.run  # type: ignore[attr-defined]

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

    def get_new_paginator(self) -> None:
        """One request per call: Wolkvox does not page."""
        return

    def get_http_request(self, *, page: PageContext[None]) -> HTTPRequest:
        """A GET of the call in `page.stream_context` (`path` and `params`)."""
        call = (page.stream_context or {})["call"]
        return HTTPRequest(
            url=self.url_base + call.path,
            method="GET",
            params=dict(call.params),
            headers={**self.http_headers, "User-Agent": self.user_agent},
        )

    # -- one call, with retries; safe to run in worker threads -------------------------------

    def call_api(self, call: ApiCall) -> Answer:
        """One successful answer, after retrying transient failures."""
        try:
            return self.request_decorator(self._call_once)(call)
        except RETRIABLE_FAILURES as exc:
            reason = (
                str(exc)
                if isinstance(exc, RetriableWolkvoxError)
                else f"{type(exc).__name__}: {exc}"
            )
            raise RetriesExhaustedError(
                f"Gave up on {call.describe()} after retries; last failure: {reason:.400}"
            ) from None

    def _call_once(self, call: ApiCall) -> Answer:
        request = self.get_http_request(
            page=PageContext(stream_context={"call": call}, next_page_token=None)
        )
        prepared = requests.Request(
            request.method, request.url, params=request.encode_params(), headers=request.headers
        ).prepare()
        prepared = self.authenticator(prepared)
        limit = float(self.config["request_timeout_seconds"])
        with self.run.gate, self.run.sessions.borrow(self.url_base) as session:
            self.run.count_call()
            deadline = time.monotonic() + limit
            response = session.send(
                prepared,
                timeout=(min(_CONNECT_TIMEOUT, limit), limit),
                allow_redirects=False,
                stream=True,
            )
            read_within(response, deadline, limit)
        return read_answer(
            response, call.params["api"], call.describe(), secret=self.config["api_token"]
        )

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

    def get_replication_key_signpost(self, context: Context | None = None) -> None:  # noqa: ARG002
        """No signpost: bookmarks are window starts, never later than the run's end."""
        return

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
        """Log the retry: what failed, for which call, and how long the tap waits."""
        self.run.count_retry()
        failure = details.get("exception")
        call: ApiCall = details["args"][0]
        what = (
            str(failure)
            if isinstance(failure, RetriableWolkvoxError)
            else f"{type(failure).__name__} ({failure!s:.200}) for {call.describe()}"
        )
        self.logger.warning(
            "Retry %d in %.1f s: %s", details["tries"], details.get("wait") or 0.0, what
        )

    def _on_concurrency_limit(self) -> None:
        if self.run.gate.lower_to_one():
            self.logger.warning(
                "Wolkvox keeps refusing simultaneous requests on this token (another process "
                "may share it): continuing with 1 request at a time for the rest of the run"
            )

    def log_calls(self) -> None:
        """Quota awareness: Wolkvox allows licenses x 1000 calls per token per day."""
        self.logger.info(
            "Wolkvox API calls made by this run: %d (%d of them retries)",
            self.run.calls,
            self.run.retries,
        )
