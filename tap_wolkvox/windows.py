"""Date windows aligned to the operation's local midnight, as Wolkvox wants them.

Wolkvox reads `date_ini`/`date_end` as wall-clock times of the operation's zone and treats
`date_end` as inclusive to the second. A window here is the half-open interval
[start, end) of aware datetimes; it is requested as `date_ini=start`, `date_end=end - 1 s`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from zoneinfo import ZoneInfo

MAX_WINDOW_DAYS = 31
API_DATE_FORMAT = "%Y%m%d%H%M%S"
_ONE_SECOND = dt.timedelta(seconds=1)
_ONE_HOUR = dt.timedelta(hours=1)


def localize(wall: dt.datetime, tz: ZoneInfo) -> dt.datetime:
    """Attach `tz` to a naive wall-clock time; a time inside a DST gap moves past the gap."""
    return wall.replace(tzinfo=tz).astimezone(dt.timezone.utc).astimezone(tz)


def wall_clock(moment: dt.datetime, tz: ZoneInfo) -> dt.datetime:
    """The naive wall-clock time of an aware `moment` in `tz`."""
    return moment.astimezone(tz).replace(tzinfo=None)


@dataclass(frozen=True)
class Window:
    """One half-open date window [start, end) in the operation's zone."""

    start: dt.datetime
    end: dt.datetime

    @property
    def date_ini(self) -> str:
        """The API's inclusive start, `YYYYmmddHHiiss` wall clock.

        Where DST skips a midnight (America/Havana, Asia/Beirut, Africa/Cairo) a day's first
        window starts at 01:00; it is asked for from 00:00:00, so rows Wolkvox stamps in the
        skipped hour are not lost, whatever `window_days` is.
        """
        wall = self.start.replace(tzinfo=None)
        midnight = dt.datetime.combine(wall.date(), dt.time())
        if wall != midnight and localize(midnight, self.start.tzinfo) == self.start:  # type: ignore[arg-type]
            wall = midnight
        return wall.strftime(API_DATE_FORMAT)

    @property
    def date_end(self) -> str:
        """The API's inclusive end: the wall clock one real second before the exclusive end.

        Where the end follows a DST gap (01:00 for a skipped midnight) this is 23:59:59 of
        the day before, so a query never names more than its days of wall clock.
        """
        last = self.end.astimezone(dt.timezone.utc) - _ONE_SECOND
        return last.astimezone(self.end.tzinfo).strftime(API_DATE_FORMAT)

    def __str__(self) -> str:
        """Readable form used in log lines and error messages."""
        return f"[{self.start.isoformat()}, {self.end.isoformat()})"


def plan_windows(
    start: dt.datetime,
    end: dt.datetime,
    window_days: int,
    tz: ZoneInfo,
) -> list[Window]:
    """Cut [start, end) into windows ending at local midnight, at most `window_days` long.

    The first window starts at `start`; each later one starts at the previous one's end,
    which is a local midnight (or the first instant after it, where DST skips midnight).
    The last window is cut at `end`. Both bounds are truncated to whole seconds.
    """
    if not 1 <= window_days <= MAX_WINDOW_DAYS:
        msg = f"window_days must be between 1 and {MAX_WINDOW_DAYS}, got {window_days}"
        raise ValueError(msg)
    cursor = start.astimezone(tz).replace(microsecond=0)
    stop = end.astimezone(tz).replace(microsecond=0)
    # Compare in UTC: aware datetimes sharing one tzinfo compare by wall clock, which
    # misorders the repeated hour when DST ends.
    stop_utc = stop.astimezone(dt.timezone.utc)
    windows: list[Window] = []
    while cursor.astimezone(dt.timezone.utc) < stop_utc:
        midnight = dt.datetime.combine(
            wall_clock(cursor, tz).date() + dt.timedelta(days=window_days), dt.time()
        )
        boundary = localize(midnight, tz)
        if boundary.astimezone(dt.timezone.utc) > stop_utc:
            boundary = stop
        windows.append(Window(cursor, boundary))
        cursor = boundary
    return windows


def split_window(window: Window) -> tuple[Window, Window] | None:
    """Two halves of `window` cut on a whole hour from its start; None when it is one hour."""
    start = window.start.astimezone(dt.timezone.utc)
    length = window.end.astimezone(dt.timezone.utc) - start
    if length <= _ONE_HOUR:
        return None
    hours = max(1, int(length / _ONE_HOUR) // 2)
    middle = (start + hours * _ONE_HOUR).astimezone(window.start.tzinfo)
    return Window(window.start, middle), Window(middle, window.end)
