"""Keep up to two requests in flight while records are emitted in order from the main thread.

The SDK runs one request at a time. Wolkvox allows two per token, so the tap fetches the
planned windows with that many long-lived worker threads and hands each result back in plan
order: records, and the STATE written after each window, still come from the main thread
only. Each request borrows one of the run's kept-alive HTTP sessions, so a run opens at
most `max_concurrent_requests` connections (plus reconnects after errors).
"""

from __future__ import annotations

import threading
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, Generic, TypeVar

import requests
from requests.utils import resolve_proxies

if TYPE_CHECKING:
    from collections.abc import Callable, Generator, Iterable, Iterator, Sized
    from types import TracebackType

T = TypeVar("T")
R = TypeVar("R", bound="Sized")

#: Windows fetched (or being fetched) ahead of the one being emitted, per worker: enough for
#: a free worker to keep going while a slow answer is outstanding.
LOOKAHEAD_PER_WORKER = 2
#: Rows held in fetched answers (the one being emitted included) plus those the requests in
#: flight may bring, each counted at the size of the largest answer so far: a request starts
#: only within this budget, so large answers are fetched one after the other.
ROW_BUDGET = 60_000

_worker = threading.local()  # `plan`: the OrderedPrefetch this worker thread serves


def drain(items: list[T]) -> Iterator[T]:
    """Yield and drop `items` in order, so that each is freed as soon as it is used."""
    items.reverse()
    while items:
        yield items.pop()


class FetchCancelledError(Exception):
    """The consumer stopped: a worker of that plan sends no further request, nor retry."""


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

    def __enter__(self) -> None:
        """Wait for a free slot and take it; a worker whose consumer stopped gets none."""
        plan: OrderedPrefetch[Any, Any] | None = getattr(_worker, "plan", None)
        with self._changed:
            while True:
                if plan is not None and plan.stopped:
                    raise FetchCancelledError
                if self._in_flight < self._limit:
                    break
                self._changed.wait()
            self._in_flight += 1

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        """Give the slot back."""
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


class OrderedPrefetch(Generic[T, R]):
    """Yield `(item, fetch(item))` in the order of `items`, fetched by `workers` threads.

    A free worker starts the next item at once, so a slow answer does not hold up the
    others. It stays at most `LOOKAHEAD_PER_WORKER` x `workers` items ahead of the consumer,
    and within `ROW_BUDGET` rows, so memory stays bounded: results are sized with `len`.
    After an item fails, no further item starts; the error is raised when its turn comes.
    When the consumer stops (an error, or `close()`) the workers stop too: a request already
    sent finishes, but no new request or retry is sent.

    With one worker nothing runs ahead: each fetch runs on the consumer's thread after the
    previous result was consumed, exactly as a plain loop.
    """

    def __init__(
        self, fetch: Callable[[T], R], items: Iterable[T], workers: int, size_guess: int = 0
    ) -> None:
        """Plan to fetch `items` with `workers` requests in flight at most.

        `size_guess` is the size the first result may have: until one is in, a request in
        flight counts that much against the row budget (a report of a row per call may
        answer 60,000 rows, so its first window is fetched alone).
        """
        self._fetch = fetch
        self._items = list(items)
        self._workers = workers
        self._lookahead = LOOKAHEAD_PER_WORKER * workers
        self._changed = threading.Condition()
        self._started = 0  # items handed to a worker
        self._taken = 0  # results handed to the consumer
        self._results: dict[int, R | BaseException] = {}
        self._in_flight = 0
        self._rows_held = 0  # in results not yet taken, and in the one being consumed
        self._rows_consumed = 0  # in the result being consumed
        self._largest = size_guess  # the largest result so far, or the guess before the first
        self._sized = False  # whether a result has come in
        self._failed = False
        self.stopped = False
        self._in_order = self._run()

    def __iter__(self) -> Iterator[tuple[T, R]]:
        """This iterator."""
        return self

    def __next__(self) -> tuple[T, R]:
        """The next result in plan order; an item's error is raised when its turn comes."""
        return next(self._in_order)

    def close(self) -> None:
        """Stop: nothing more is consumed."""
        self._in_order.close()

    def _run(self) -> Generator[tuple[T, R], None, None]:
        if self._workers <= 1:
            for item in self._items:
                yield item, self._fetch(item)
            return
        for n in range(self._workers):
            threading.Thread(target=self._work, name=f"wolkvox-fetch-{n}", daemon=True).start()
        try:
            for index, item in enumerate(self._items):
                yield item, self._take(index)
        finally:
            with self._changed:
                self.stopped = True
                self._changed.notify_all()

    def _take(self, index: int) -> R:
        with self._changed:
            self._rows_held -= self._rows_consumed  # the consumer is done with the previous one
            self._rows_consumed = 0
            self._changed.notify_all()
            while index not in self._results:
                self._changed.wait()
            outcome = self._results.pop(index)
            self._taken = index + 1
            if not isinstance(outcome, BaseException):
                self._rows_consumed = len(outcome)
            self._changed.notify_all()
        if isinstance(outcome, BaseException):
            raise outcome
        return outcome

    def _work(self) -> None:
        _worker.plan = self
        while (index := self._claim()) is not None:
            outcome: R | BaseException
            try:
                outcome = self._fetch(self._items[index])
            except FetchCancelledError:
                return
            except BaseException as exc:  # noqa: BLE001 - handed to the consumer
                outcome = exc
            with self._changed:
                self._results[index] = outcome
                self._in_flight -= 1
                if isinstance(outcome, BaseException):
                    self._failed = True
                else:
                    self._rows_held += len(outcome)
                    self._largest = max(self._largest if self._sized else 0, len(outcome))
                    self._sized = True
                self._changed.notify_all()

    def _claim(self) -> int | None:
        """The next item to fetch, once allowed; None when there is nothing more to do."""
        with self._changed:
            while True:
                if self.stopped or self._failed or self._started >= len(self._items):
                    return None
                if self._started < self._taken + self._lookahead and self._within_budget():
                    self._started += 1
                    self._in_flight += 1
                    return self._started - 1
                self._changed.wait()

    def _within_budget(self) -> bool:
        idle = self._in_flight == 0 and self._rows_held == 0  # always make progress
        expected = self._rows_held + (self._in_flight + 1) * self._largest
        return idle or expected <= ROW_BUDGET
