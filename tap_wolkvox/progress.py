"""What a stream's run has done so far, logged at most every 30 s and once at the end."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import datetime as dt
    import logging

LOG_EVERY_SECONDS = 30.0
#: A stream whose windows all came back 404 "Validate dates" is suspicious from this many on.
SUSPICIOUS_EMPTY_WINDOWS = 7


@dataclass
class Progress:
    """Windows done of those planned, calls, records and empty windows of one stream."""

    stream: str
    planned: int
    started: float = field(default_factory=time.monotonic)
    done: int = 0
    calls: int = 0
    records: int = 0
    empty: int = 0
    not_found_empty: int = 0
    reached: dt.datetime | None = None
    _last_log: float = field(default_factory=time.monotonic)

    def window_done(self, end: dt.datetime, records: int, *, not_found_empty: bool) -> None:
        """Count one complete window, `records` long, ending at `end`."""
        self.done += 1
        self.records += records
        self.empty += records == 0
        self.not_found_empty += not_found_empty
        self.reached = end

    def maybe_log(self, logger: logging.Logger) -> None:
        """Log a progress line if the last one is 30 s old."""
        if time.monotonic() - self._last_log >= LOG_EVERY_SECONDS:
            self.log(logger)

    def log(self, logger: logging.Logger) -> None:
        """One INFO line: windows, date reached, calls, records, empty windows, ETA."""
        self._last_log = time.monotonic()
        logger.info(
            "Progress of %s: %d/%d windows, up to %s, %d calls, %d records, %d empty windows, %s",
            self.stream,
            self.done,
            self.planned,
            self.reached.isoformat() if self.reached else "(none yet)",
            self.calls,
            self.records,
            self.empty,
            self._eta(),
        )

    def finish(self, logger: logging.Logger, report: str) -> None:
        """The last progress line, and a warning if the report looks absent on this server."""
        self.log(logger)
        if self.not_found_empty == self.done >= SUSPICIOUS_EMPTY_WINDOWS:
            logger.warning(
                "All %d windows of %s (api=%s) came back HTTP 404 'Validate dates entered': "
                "the report may not be enabled on this Wolkvox server",
                self.done,
                self.stream,
                report,
            )

    def _eta(self) -> str:
        if self.done >= self.planned:
            return "done"
        if not self.done:
            return "ETA unknown"
        elapsed = time.monotonic() - self.started
        return f"ETA {elapsed / self.done * (self.planned - self.done):.0f} s"
