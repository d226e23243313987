"""What one run of the tap shares across its streams and worker threads."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from tap_wolkvox.pipeline import SessionPool

if TYPE_CHECKING:
    from tap_wolkvox.pipeline import ConcurrencyGate


@dataclass
class RunState:
    """The request gate (2 in flight at most, for every stream), sessions and call counters."""

    gate: ConcurrencyGate
    sessions: SessionPool = field(default_factory=SessionPool)
    calls: int = 0
    retries: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def count_call(self) -> None:
        """Count one HTTP request."""
        with self.lock:
            self.calls += 1

    def count_retry(self) -> None:
        """Count one retry."""
        with self.lock:
            self.retries += 1
