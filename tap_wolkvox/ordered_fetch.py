"""Keep up to two requests in flight while records are emitted in order from the main thread.

The SDK runs one request at a time. Wolkvox allows two per token, so the tap fetches the
planned windows with that many long-lived worker threads and hands each result back in plan
order: records, and the STATE written after each window, still come from the main thread
only. The HTTP layer's gate (`http.gate`) bounds the requests themselves.
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING, Generic, TypeVar

from tap_wolkvox.http.gate import FetchCancelledError

if TYPE_CHECKING:
    from collections.abc import Callable, Generator, Iterable, Iterator, Sized

T = TypeVar("T")
R = TypeVar("R", bound="Sized")

#: Windows fetched (or being fetched) ahead of the one being emitted, per worker: enough for
#: a free worker to keep going while a slow answer is outstanding.
LOOKAHEAD_PER_WORKER = 2
#: Rows held in fetched answers (the one being emitted included) plus those the requests in
#: flight may bring, each counted at the size of the largest answer so far: a request starts
#: only within this budget, so large answers are fetched one after the other.
ROW_BUDGET = 60_000


class OrderedPrefetch(Generic[T, R]):
    """Yield `(item, fetch(item))` in the order of `items`, fetched by `workers` threads.

    A free worker starts the next item at once, so a slow answer does not hold up the
    others. It stays at most `LOOKAHEAD_PER_WORKER` x `workers` items ahead of the consumer,
    and within `ROW_BUDGET` rows, so memory stays bounded: results are sized with `len`.
    After an item fails, no further item starts; the error is raised when its turn comes.
    When the consumer stops (an error, or `close()`) the workers stop too: `fetch` gets the
    event `cancelled`, set then, so a request already sent finishes but no new request or
    retry is sent.

    With one worker nothing runs ahead: each fetch runs on the consumer's thread after the
    previous result was consumed, exactly as a plain loop.
    """

    def __init__(
        self,
        fetch: Callable[[T, threading.Event], R],
        items: Iterable[T],
        workers: int,
        first_size: int = 0,
    ) -> None:
        """Plan to fetch `items` with `workers` requests in flight at most.

        `first_size` is the size the first result may have: until one is in, a request in
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
        self._largest = first_size  # the largest result so far, or first_size before the first
        self._sized = False  # whether a result has come in
        self._failed = False
        self.cancelled = threading.Event()  # set when the consumer stops
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
                yield item, self._fetch(item, self.cancelled)
            return
        for n in range(self._workers):
            threading.Thread(target=self._work, name=f"wolkvox-fetch-{n}", daemon=True).start()
        try:
            for index, item in enumerate(self._items):
                yield item, self._take(index)
        finally:
            with self._changed:
                self.cancelled.set()
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
        while (index := self._claim()) is not None:
            outcome: R | BaseException
            try:
                outcome = self._fetch(self._items[index], self.cancelled)
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
                if self.cancelled.is_set() or self._failed or self._started >= len(self._items):
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
