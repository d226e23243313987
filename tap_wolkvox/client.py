"""The tap's one HTTP client, which streams ask for answers.

It holds the host and token, the 2-request gate, the kept-alive sessions, the retries, the
call counters and the reading of answers; it knows nothing of streams.
"""

from __future__ import annotations

import threading
import time
from typing import TYPE_CHECKING, Any, Protocol

import backoff
import requests

from tap_wolkvox import __version__
from tap_wolkvox.errors import Answer, RetriableWolkvoxError, RetriesExhaustedError, read_answer
from tap_wolkvox.http_body import read_within
from tap_wolkvox.prefetch import ConcurrencyGate, SessionPool
from tap_wolkvox.retries import RetryPolicy, jitter
from tap_wolkvox.settings import base_url

if TYPE_CHECKING:
    import logging
    from collections.abc import Mapping

    from backoff.types import Details

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
        """The query parameters (`api` among them)."""

    def describe(self) -> str:
        """What is asked, for log lines and error messages (never the token)."""


class WolkvoxClient:
    """Requests go to `api_url` or `https://wv{server}.wolkvox.com` only, with the token header.

    Safe to use from the fetch workers: the gate bounds the requests in flight (retries
    included) and each request borrows one of the run's kept-alive sessions.
    """

    def __init__(self, config: Mapping[str, Any], logger: logging.Logger) -> None:
        """Read what requests need from the (validated) settings."""
        self.base_url = base_url(config)
        self.gate = ConcurrencyGate(config["max_concurrent_requests"])
        self.sessions = SessionPool()
        self.calls = 0
        self.retries = 0
        self._token = config["api_token"]
        self._timeout = float(config["request_timeout_seconds"])
        self._policy = {
            "max_retries": config["max_retries"],
            "base_wait": float(config["retry_wait_seconds"]),
            "maintenance_max_wait": float(config["maintenance_max_wait_seconds"]),
        }
        self._logger = logger
        self._lock = threading.Lock()
        self._headers = {"wolkvox-token": self._token, "User-Agent": f"tap-wolkvox/{__version__}"}

    def fetch(self, call: ApiCall) -> Answer:
        """One successful answer, after retrying transient failures (or one clear error)."""
        retrying = backoff.on_exception(
            lambda: RetryPolicy(
                **self._policy, on_concurrency_limit=self._on_concurrency_limit
            ).waits(),
            RETRIABLE_FAILURES,
            max_tries=None,
            on_backoff=self._on_backoff,
            jitter=jitter,
            logger=None,
        )
        try:
            return retrying(self._fetch_once)(call)
        except RETRIABLE_FAILURES as exc:
            reason = (
                str(exc)
                if isinstance(exc, RetriableWolkvoxError)
                else f"{type(exc).__name__}: {exc}"
            )
            raise RetriesExhaustedError(
                f"Gave up on {call.describe()} after retries; last failure: {reason:.400}"
            ) from None

    def _waits(self) -> Any:  # noqa: ANN401 - backoff's wait generator
        """A fresh wait generator per call: the retry budget is per window."""
        return RetryPolicy(**self._policy, on_concurrency_limit=self._on_concurrency_limit).waits()

    def _fetch_once(self, call: ApiCall) -> Answer:
        prepared = requests.Request(
            "GET", self.base_url + call.path, params=call.params, headers=self._headers
        ).prepare()
        limit = self._timeout
        with self.gate, self.sessions.borrow(self.base_url) as session:
            self._count("calls")
            deadline = time.monotonic() + limit
            response = session.send(
                prepared,
                timeout=(min(_CONNECT_TIMEOUT, limit), limit),
                allow_redirects=False,
                stream=True,
            )
            read_within(response, deadline, limit)
        return read_answer(response, call.params["api"], call.describe(), secret=self._token)

    def _count(self, counter: str) -> None:
        with self._lock:
            setattr(self, counter, getattr(self, counter) + 1)

    def _on_backoff(self, details: Details) -> None:
        """Log the retry: what failed, for which call, and how long the tap waits."""
        self._count("retries")
        failure = details.get("exception")
        call: ApiCall = details["args"][0]
        what = (
            str(failure)
            if isinstance(failure, RetriableWolkvoxError)
            else f"{type(failure).__name__} ({failure!s:.200}) for {call.describe()}"
        )
        self._logger.warning(
            "Retry %d in %.1f s: %s", details["tries"], details.get("wait") or 0.0, what
        )

    def _on_concurrency_limit(self) -> None:
        if self.gate.lower_to_one():
            self._logger.warning(
                "Wolkvox keeps refusing simultaneous requests on this token (another process "
                "may share it): continuing with 1 request at a time for the rest of the run"
            )
