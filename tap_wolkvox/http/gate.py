"""The 2-request gate and the kept-alive sessions: what bounds the run's connections.

Wolkvox allows two requests in flight per token; the gate holds every request (retries
included) to `max_concurrent_requests`, and each request borrows one of the run's sessions
inside it, so a run opens at most that many connections (plus reconnects after errors).
"""

from __future__ import annotations

import threading
from contextlib import contextmanager
from typing import TYPE_CHECKING

import requests
from requests.utils import resolve_proxies

if TYPE_CHECKING:
    from collections.abc import Iterator


class FetchCancelledError(Exception):
    """The caller stopped: no further request, nor retry, is sent for it."""


class ConcurrencyGate:
    """Bounds the requests in flight, retries included; the bound can drop to one."""

    def __init__(self, limit: int) -> None:
        """Allow `limit` requests at once."""
        self._limit = limit
        self._in_flight = 0
        self._changed = threading.Condition()

    @property
    def limit(self) -> int:
        """The current bound."""
        return self._limit

    def lower_to_one(self) -> bool:
        """Allow one request at a time from now on; True if this call changed the bound."""
        with self._changed:
            lowered = self._limit > 1
            self._limit = 1
            return lowered

    @contextmanager
    def slot(self, cancelled: threading.Event | None = None) -> Iterator[None]:
        """Wait for a free slot and hold it; once `cancelled` is set, none is given."""
        with self._changed:
            while True:
                if cancelled is not None and cancelled.is_set():
                    raise FetchCancelledError
                if self._in_flight < self._limit:
                    break
                self._changed.wait()
            self._in_flight += 1
        try:
            yield
        finally:
            with self._changed:
                self._in_flight -= 1
                self._changed.notify_all()


class SessionPool:
    """The run's kept-alive HTTP sessions; borrowed inside the gate, so one per slot at most.

    Proxy settings are read from the environment once, for the first base URL, instead of
    by `requests` on every request.
    """

    def __init__(self) -> None:
        """No session yet."""
        self._free: list[requests.Session] = []
        self._proxies: dict[str, str] | None = None
        self._lock = threading.Lock()

    @contextmanager
    def borrow(self, base_url: str) -> Iterator[requests.Session]:
        """A free session (made on first need), returned to the pool afterwards."""
        with self._lock:
            session = self._free.pop() if self._free else self._new(base_url)
        try:
            yield session
        finally:
            with self._lock:
                self._free.append(session)

    def _new(self, base_url: str) -> requests.Session:
        if self._proxies is None:
            self._proxies = resolve_proxies(requests.Request("GET", base_url), {})
        session = requests.Session()
        session.trust_env = False  # proxies below; no per-request scan of the environment
        session.proxies = dict(self._proxies)
        return session
