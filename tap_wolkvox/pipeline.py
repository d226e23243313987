"""Keep up to two requests in flight while records are emitted in order from the main thread.

The SDK runs one request at a time. Wolkvox allows two per token, so the tap fetches the
next windows in worker threads and hands each result back in plan order: records, and the
STATE written after each window, still come from the main thread only.
"""

from __future__ import annotations

import threading
from collections import deque
from concurrent.futures import Future
from typing import TYPE_CHECKING, Generic, TypeVar

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Iterator
    from types import TracebackType

T = TypeVar("T")
R = TypeVar("R")


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
        """Wait for a free slot and take it."""
        with self._changed:
            while self._in_flight >= self._limit:
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


class OrderedPrefetch(Generic[T, R]):
    """Yield `(item, fetch(item))` in the order of `items`, fetching up to `depth` ahead.

    With `depth` 1 nothing runs ahead: each fetch starts after the previous result was
    consumed, exactly as a plain loop. Workers are daemon threads, so a run that stops on
    an error does not wait for a window still being retried.
    """

    def __init__(self, fetch: Callable[[T], R], items: Iterable[T], depth: int) -> None:
        """Plan to fetch `items` with `depth` requests at most running ahead."""
        self._fetch = fetch
        self._items = iter(items)
        self._depth = depth
        self._pending: deque[tuple[T, Future[R]]] = deque()

    def __iter__(self) -> Iterator[tuple[T, R]]:
        """Results in plan order; an item's error is raised when its turn comes."""
        if self._depth <= 1:
            for item in self._items:
                yield item, self._fetch(item)
            return
        self._fill()
        while self._pending:
            item, future = self._pending.popleft()
            result = future.result()
            self._fill()
            yield item, result

    def _fill(self) -> None:
        while len(self._pending) < self._depth:
            item = next(self._items, None)
            if item is None:
                return
            self._pending.append((item, self._start(item)))

    def _start(self, item: T) -> Future[R]:
        future: Future[R] = Future()

        def run() -> None:
            try:
                future.set_result(self._fetch(item))
            except BaseException as exc:  # noqa: BLE001 - handed to the consumer
                future.set_exception(exc)

        threading.Thread(target=run, name="wolkvox-fetch", daemon=True).start()
        return future
