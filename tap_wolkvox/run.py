"""What one run of the tap shares across its streams and worker threads."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from tap_wolkvox.pipeline import SessionPool

if TYPE_CHECKING:
    from tap_wolkvox.pipeline import ConcurrencyGate

INTERRUPTED_MESSAGE = "Interrupted: completed windows are saved in state; rerun to resume"


class Interrupted(BaseException):
    """SIGINT or SIGTERM: the run stops after its last complete window.

    Not an `Exception`, so that nothing on the way up takes it for a failure to log or retry.
    """

    def __init__(self, signum: int) -> None:
        """Keep the signal: the exit code is 128 + its number (130, 143)."""
        super().__init__(INTERRUPTED_MESSAGE)
        self.exit_code = 128 + signum


@dataclass
class RunState:
    """The request gate (2 in flight at most, for every stream), sessions, counters, signals."""

    gate: ConcurrencyGate
    sessions: SessionPool = field(default_factory=SessionPool)
    calls: int = 0
    retries: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)
    #: The signal received, if any.
    interrupted: int | None = None
    #: True while a complete window's records and STATE are being written.
    emitting: bool = False
    #: `--test`: each stream fetches one window only.
    test_mode: bool = False

    def count_call(self) -> None:
        """Count one HTTP request."""
        with self.lock:
            self.calls += 1

    def count_retry(self) -> None:
        """Count one retry."""
        with self.lock:
            self.retries += 1

    def on_signal(self, signum: int) -> None:
        """Stop now, unless a window is being written: then stop right after its STATE."""
        self.interrupted = signum
        if not self.emitting:
            raise Interrupted(signum)

    def stop_if_interrupted(self) -> None:
        """Called between windows: honour a signal that came while one was written."""
        if self.interrupted is not None:
            raise Interrupted(self.interrupted)
