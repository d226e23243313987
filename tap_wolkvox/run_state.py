"""What one run of the tap shares across its streams: signals, and whether it is a `--test`."""

from __future__ import annotations

from dataclasses import dataclass

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
    """A signal received, whether a window is being written, and `--test` mode."""

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
            raise Interrupted(signum)

    def stop_if_interrupted(self) -> None:
        """Called between windows: honour a signal that came while one was written."""
        if self.interrupted is not None:
            raise Interrupted(self.interrupted)
