"""The tap's one HTTP client, which streams ask for answers.

It holds the host and token, the 2-request gate, the kept-alive sessions, the retries, the
call counters and the reading of answers; it knows nothing of streams.
"""

from __future__ import annotations

import socket
import threading
import time
from typing import TYPE_CHECKING, Any, Protocol
from urllib.parse import urlsplit

import backoff
import requests

from tap_wolkvox import __version__
from tap_wolkvox.errors import (
    Answer,
    BudgetSpentError,
    HostNotFoundError,
    RetriableWolkvoxError,
    RetriesExhaustedError,
    read_answer,
)
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

    @property
    def body(self) -> dict[str, str] | None:
        """A JSON body sent with the GET (whatsapp `list_templates`), or None."""

    @property
    def data_key(self) -> str | None:
        """Where the answer's rows are: `data`, another key, or None for a bare list."""

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
        self._via_api_url = bool(config.get("api_url"))
        self.gate = ConcurrencyGate(config["max_concurrent_requests"])
        self.sessions = SessionPool()
        self.calls = 0
        self.retries = 0
        #: Calls this run may make in all (None: no limit); a call past it is not sent.
        self.call_limit: int | None = None
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
        try:
            return self._request(call)
        except requests.exceptions.ConnectionError as exc:
            if _unknown_host(exc):
                raise HostNotFoundError(self._host_not_found()) from None
            raise

    def _host_not_found(self) -> str:
        """The one line for a host that does not resolve, naming the setting that chose it."""
        host = urlsplit(self.base_url).hostname
        if self._via_api_url:
            return f"api_url: the host {host} does not resolve (no such name in DNS)"
        return (
            f"server: the host {host} does not resolve (no such name in DNS); server is the "
            "code in your Wolkvox address https://wv<server>.wolkvox.com, e.g. 0042"
        )

    def _request(self, call: ApiCall) -> Answer:
        prepared = requests.Request(
            "GET",
            self.base_url + call.path,
            params=call.params,
            headers=self._headers,
            json=call.body,
        ).prepare()
        limit = self._timeout
        with self.gate, self.sessions.borrow(self.base_url) as session:
            self._count_call(call)
            deadline = time.monotonic() + limit
            response = session.send(
                prepared,
                timeout=(min(_CONNECT_TIMEOUT, limit), limit),
                allow_redirects=False,
                stream=True,
            )
            read_within(response, deadline, limit)
        return read_answer(response, call.params["api"], call.describe(), call.data_key)

    def _count_call(self, call: ApiCall) -> None:
        """Count the call about to be sent; refuse it if the run's budget is spent."""
        with self._lock:
            if self.call_limit is not None and self.calls >= self.call_limit:
                raise BudgetSpentError(
                    f"This run's budget of {self.call_limit} calls is spent before "
                    f"{call.describe()}: completed windows are saved in state; "
                    "the next run continues"
                )
            self.calls += 1

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


def _unknown_host(exc: BaseException) -> bool:
    """Whether a connection failure is a host name that DNS says does not exist.

    A temporary resolver failure (EAI_AGAIN) is left to the retries.
    """
    seen: set[int] = set()
    causes: list[BaseException | None] = [exc]
    while causes:
        cause = causes.pop()
        if cause is None or id(cause) in seen:
            continue
        seen.add(id(cause))
        if isinstance(cause, socket.gaierror):
            return cause.errno != socket.EAI_AGAIN
        causes += [cause.__cause__, cause.__context__, getattr(cause, "reason", None)]
        causes += [arg for arg in cause.args if isinstance(arg, BaseException)]
    return False
