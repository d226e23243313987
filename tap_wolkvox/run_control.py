"""What one run of the tap shares across its streams: its clock, signals, STATE timing, `--test`."""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Callable

INTERRUPTED_MESSAGE = "Interrupted: completed windows are saved in state; rerun to resume"


class Interrupted(BaseException):
    """SIGINT or SIGTERM: the run stops after its last complete window.

    Not an `Exception`, so that nothing on the way up takes it for a failure to log or retry.
    """

    def __init__(self, signum: int) -> None:
        """Keep the signal: the exit code is 128 + its number (130, 143)."""
        super().__init__(INTERRUPTED_MESSAGE)
        self.exit_code = 128 + signum


def clock() -> dt.datetime:
    """Now, in UTC to the second: the one clock a run reads (tests may set it)."""
    return dt.datetime.now(dt.timezone.utc).replace(microsecond=0)


def _run_start() -> dt.datetime:
    return clock()


@dataclass
class RunState:
    """The run's start, a signal received, whether a window is being written, `--test` mode."""

    #: When the run started: look-back and "now" are measured from it.
    started: dt.datetime = field(default_factory=_run_start)
    #: Called before an interruption stops the run between windows (writes pending STATE).
    before_stop: Callable[[], None] | None = None
    #: When STATE was last written (monotonic seconds).
    state_written_at: float = field(default_factory=time.monotonic)

    #: The signal received, if any.
    interrupted: int | None = None
    #: True while a complete window's records and STATE are being written.
    emitting: bool = False
    #: `--test`: each stream fetches one window only.
    test_mode: bool = False

    def on_signal(self, signum: int) -> None:
        """Stop now, unless a window is being written: then stop right after its STATE."""
        self.interrupted = signum
        if not self.emitting:
            if self.before_stop is not None:
                self.before_stop()
            raise Interrupted(signum)

    def stop_if_interrupted(self) -> None:
        """Called between windows: honour a signal that came while one was written."""
        if self.interrupted is not None:
            raise Interrupted(self.interrupted)

    def state_due(self, interval: float) -> bool:
        """Whether `interval` seconds have passed since STATE was last written."""
        return time.monotonic() - self.state_written_at >= interval

    def state_written(self) -> None:
        """STATE was just written."""
        self.state_written_at = time.monotonic()
