"""How long to wait before retrying a window, and when to give up.

One wait generator serves one window's request (backoff makes a fresh one per call), so the
retry budget is per window. Maintenance waits have a budget of their own, in seconds.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from typing import TYPE_CHECKING

from tap_wolkvox.exceptions import RetriableWolkvoxError

if TYPE_CHECKING:
    from collections.abc import Callable, Generator

_MAX_WAIT = 300.0
_MAINTENANCE_FACTOR = 15  # maintenance waits start at 15 x the base wait (30 s by default)


@dataclass(frozen=True)
class RetryPolicy:
    """The retry settings of one run."""

    max_retries: int
    base_wait: float
    maintenance_max_wait: float
    on_concurrency_limit: Callable[[], None]

    def waits(self) -> Generator[float, BaseException | None, None]:
        """Backoff wait generator: receives each failure, yields the wait, stops to give up."""
        failure = yield 0.0
        retries = 0
        refusals = 0
        maintenance_waited = 0.0
        maintenance_steps = 0
        while True:
            kind = failure.kind if isinstance(failure, RetriableWolkvoxError) else "network"
            hint = failure.retry_after if isinstance(failure, RetriableWolkvoxError) else None
            if kind == "maintenance":
                remaining = self.maintenance_max_wait - maintenance_waited
                if remaining <= 0:
                    return
                step = self.base_wait * _MAINTENANCE_FACTOR * 2**maintenance_steps
                wait = min(hint if hint is not None else step, _MAX_WAIT, remaining)
                maintenance_waited += wait
                maintenance_steps += 1
            else:
                retries += 1
                if retries > self.max_retries:
                    return
                if kind == "concurrency":
                    refusals += 1
                    if refusals > 1:  # refused again on retry: someone else uses the token
                        self.on_concurrency_limit()
                wait = (
                    hint
                    if hint is not None
                    else min(self.base_wait * 2 ** (retries - 1), _MAX_WAIT)
                )
            failure = yield wait


def jitter(value: float) -> float:
    """Add up to 10 % so that parallel clients do not retry in lockstep; never shorten."""
    return value + random.uniform(0, value / 10)  # noqa: S311
