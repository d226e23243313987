"""One report's windows in one run: their length, where a partition value resumes, the run's end.

Arithmetic over the settings, a bookmark and the run's clock: the stream (`report_stream`)
keeps the state and asks. Aggregate reports keep `window_days` (their rows are totals per
window); detail reports (split `concat`) take `detail_window_days`, or with `auto` the
longest window expected to hold half the row cap at the most rows per day seen.
"""

from __future__ import annotations

import datetime as dt
from functools import cached_property
from typing import TYPE_CHECKING, Any

from tap_wolkvox.exceptions import SettingsChangedError
from tap_wolkvox.settings import detail_window_setting, parse_instant
from tap_wolkvox.windows import MAX_WINDOW_DAYS, Window, localize, plan_windows, wall_clock

if TYPE_CHECKING:
    import logging
    from collections.abc import Mapping
    from zoneinfo import ZoneInfo

    from tap_wolkvox.catalogue import Report


class WindowPlan:
    """The windows of one report in one run."""

    def __init__(  # noqa: PLR0913 - what the stream knows, passed in
        self,
        *,
        report: Report,
        config: Mapping[str, Any],
        tz: ZoneInfo,
        started: dt.datetime,
        row_cap: int,
        logger: logging.Logger,
    ) -> None:
        """The plan of `report` for a run that `started` then."""
        self.report = report
        self._config = config
        self._tz = tz
        self._started = started
        self._row_cap = row_cap
        self._logger = logger

    @property
    def detail(self) -> bool:
        """A detail report (one row per call, chat...): its window length may vary."""
        return self.report.split == "concat"

    @cached_property
    def window_days(self) -> int:
        """`window_days`, within the report's own limit (skill_5 answers 1 day at most)."""
        return min(self._config["window_days"], self.report.max_window_days)

    @cached_property
    def longest(self) -> int:
        """The longest window the report allows."""
        return min(MAX_WINDOW_DAYS, self.report.max_window_days)

    @cached_property
    def start(self) -> dt.datetime:
        """`start_date`, read in the operation's zone."""
        return parse_instant(self._config["start_date"], self._tz)

    @cached_property
    def run_end(self) -> dt.datetime:
        """Exclusive end of this run: `end_date`, but never later than the run's start."""
        now = self._started.astimezone(self._tz)
        if self._config.get("end_date"):
            end = parse_instant(self._config["end_date"], self._tz)
            if end > now:
                self._logger.info("end_date %s is in the future: extracting up to now", end)
            return min(end, now)
        return now

    @cached_property
    def settled_before(self) -> dt.datetime:
        """A window ending at or before this is final: `lookback_minutes` before the run began.

        Wolkvox records a call when it ends, so a later window may still grow; a final one
        is never fetched again, whatever `end_date` says.
        """
        lookback = dt.timedelta(minutes=self._config["lookback_minutes"])
        return self._started.astimezone(self._tz) - lookback

    def days_per_window(self, rows_per_day: float | None) -> int | None:
        """Days per window now; None for a detail report whose volume is not known yet.

        `rows_per_day` is the most seen (this run's, else the state's), or None.
        """
        if not self.detail:
            return self.window_days
        fixed = detail_window_setting(self._config.get("detail_window_days", "auto"))
        if fixed is not None:
            return min(fixed, self.longest)
        if rows_per_day is None:
            return None
        fits = int(self._row_cap / 2 / rows_per_day) if rows_per_day > 0 else self.longest
        return max(1, min(self.longest, fits))

    def windows(self, start: dt.datetime, days: int | None) -> list[Window]:
        """The windows from `start` to the run's end, `days` long.

        With `days` None (a detail report whose volume is not known yet) the first window is
        one day; the rest are planned at the longest length until that window tells the volume.
        """
        if days is not None:
            return plan_windows(start, self.run_end, days, self._tz)
        first = plan_windows(start, self.run_end, 1, self._tz)[:1]
        if not first:
            return []
        return first + plan_windows(first[0].end, self.run_end, self.longest, self._tz)

    def resume_point(self, bookmark: str | None, where: str) -> dt.datetime:
        """Where a value resumes: its bookmark or start_date, whichever is later.

        A bookmark later than now stops the run: resuming from it would silently extract
        nothing. A window cut short by `end_date` is fetched again whole.
        """
        start = self.start
        if not bookmark:
            return start
        resume = parse_instant(bookmark, self._tz)
        if resume > self._started:
            raise SettingsChangedError(
                f"the bookmark of {where} is {bookmark}, later than now (was the host clock "
                "ahead?): fix the state, or run a full refresh"
            )
        if resume < self.run_end:
            midnight = dt.datetime.combine(wall_clock(resume, self._tz).date(), dt.time())
            resume = max(min(localize(midnight, self._tz), resume), start)
        return max(start, resume)

    def settings(self) -> dict[str, Any]:
        """The settings that shape windows, as a state keeps them to be checked against."""
        current: dict[str, Any] = {"timezone": self._config["timezone"]}
        if not self.detail:
            current["window_days"] = self.window_days
        return current

    def check_settings(self, states: list[tuple[str, dict[str, Any]]]) -> dict[str, Any]:
        """`settings()`, once each `(where, state)` is found written with the same ones.

        A state written with another `timezone` (or, for aggregate reports, `window_days`)
        stops the run: resuming from it would double-count.
        """
        current = self.settings()
        for where, state in states:
            for setting, now_value in current.items():
                if setting in state and state[setting] != now_value:
                    raise SettingsChangedError(
                        f"{setting} changed from {state[setting]!r} to {now_value!r} since the "
                        f"state of {where} was written: restore it, or run a full refresh"
                    )
        return current
