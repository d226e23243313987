"""The run's one HTTP client: it sends the requests the streams prepare, and counts them.

It holds the host, the 2-request gate, the kept-alive sessions, the deadline on the whole
answer, the call budget and the counters; it knows nothing of streams, retries or answers
(the stream's SDK hooks do: `wolkvox_stream`).
"""

from __future__ import annotations

import socket
import threading
import time
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import requests

from tap_wolkvox.exceptions import BudgetSpentError, HostNotFoundError
from tap_wolkvox.http.body import read_within
from tap_wolkvox.http.gate import ConcurrencyGate, SessionPool
from tap_wolkvox.settings import base_url

if TYPE_CHECKING:
    import logging
    from collections.abc import Mapping

_CONNECT_TIMEOUT = 15.0


class WolkvoxClient:
    """Requests go to `api_url` or `https://wv{server}.wolkvox.com` only.

    Safe to use from the fetch workers: the gate bounds the requests in flight (retries
    included) and each request borrows one of the run's kept-alive sessions.
    """

    def __init__(self, config: Mapping[str, Any], logger: logging.Logger) -> None:
        """Read what requests need from the (validated) settings."""
        self.base_url = base_url(config)
        self.logger = logger
        self._via_api_url = bool(config.get("api_url"))
        self.gate = ConcurrencyGate(config["max_concurrent_requests"])
        self.sessions = SessionPool()
        self.calls = 0
        self.retries = 0
        #: Calls this run may make in all (None: no limit); a call past it is not sent.
        self.call_limit: int | None = None
        self.timeout = float(config["request_timeout_seconds"])
        self._lock = threading.Lock()

    def send(
        self,
        prepared: requests.PreparedRequest,
        what: str,
        cancelled: threading.Event | None = None,
    ) -> requests.Response:
        """The answer to one request, its body read whole within `request_timeout_seconds`.

        `what` names the request in messages; once `cancelled` is set, nothing more is sent.
        """
        limit = self.timeout
        try:
            with self.gate.slot(cancelled), self.sessions.borrow(self.base_url) as session:
                self._count_call(what)
                deadline = time.monotonic() + limit
                response = session.send(
                    prepared,
                    timeout=(min(_CONNECT_TIMEOUT, limit), limit),
                    allow_redirects=False,
                    stream=True,
                )
                read_within(response, deadline, limit)
        except requests.exceptions.ConnectionError as exc:
            if _unknown_host(exc):
                raise HostNotFoundError(self._host_not_found()) from None
            raise
        return response

    def count_retry(self) -> None:
        """One more retry in this run."""
        with self._lock:
            self.retries += 1

    def lower_concurrency(self) -> None:
        """One request at a time from now on: another process shares the token."""
        if self.gate.lower_to_one():
            self.logger.warning(
                "Wolkvox keeps refusing simultaneous requests on this token (another process "
                "may share it): continuing with 1 request at a time for the rest of the run"
            )

    def _host_not_found(self) -> str:
        """The one line for a host that does not resolve, naming the setting that chose it."""
        host = urlsplit(self.base_url).hostname
        if self._via_api_url:
            return f"api_url: the host {host} does not resolve (no such name in DNS)"
        return (
            f"server: the host {host} does not resolve (no such name in DNS); server is the "
            "code in your Wolkvox address https://wv<server>.wolkvox.com, e.g. 0042"
        )

    def _count_call(self, what: str) -> None:
        """Count the call about to be sent; refuse it if the run's budget is spent."""
        with self._lock:
            if self.call_limit is not None and self.calls >= self.call_limit:
                raise BudgetSpentError(
                    f"This run's budget of {self.call_limit} calls is spent before "
                    f"{what}: completed windows are saved in state; "
                    "the next run continues"
                )
            self.calls += 1


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
