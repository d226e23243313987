"""Window arithmetic: local-midnight alignment, exact cover, inclusive API end dates."""

from __future__ import annotations

import datetime as dt
import itertools
import logging
from zoneinfo import ZoneInfo

import pytest

from tap_wolkvox.progress import LOG_EVERY_SECONDS, Progress
from tap_wolkvox.windows import plan_windows

BOGOTA = ZoneInfo("America/Bogota")
SANTIAGO = ZoneInfo("America/Santiago")
UTC = dt.timezone.utc


def at(text: str, tz: dt.tzinfo) -> dt.datetime:
    return dt.datetime.fromisoformat(text).replace(tzinfo=tz)


def assert_exact_cover(windows, start: dt.datetime, end: dt.datetime, days: int) -> None:
    assert windows[0].start == start
    assert windows[-1].end == end
    for before, after in itertools.pairwise(windows):
        assert before.end == after.start  # contiguous, no overlap
    for window in windows:
        assert window.start < window.end
        # the query names at most `days` of wall clock (the API refuses more than 31)
        first = dt.datetime.strptime(window.date_ini, "%Y%m%d%H%M%S")
        last = dt.datetime.strptime(window.date_end, "%Y%m%d%H%M%S")
        assert first <= last < first + dt.timedelta(days=min(days, 31))


def test_daily_windows_start_at_start_date_then_align_to_midnight() -> None:
    windows = plan_windows(
        at("2025-03-01T10:30:00", BOGOTA), at("2025-03-04T06:00:00", BOGOTA), 1, BOGOTA
    )
    assert [(w.date_ini, w.date_end) for w in windows] == [
        ("20250301103000", "20250301235959"),
        ("20250302000000", "20250302235959"),
        ("20250303000000", "20250303235959"),
        ("20250304000000", "20250304055959"),
    ]
    assert_exact_cover(windows, windows[0].start, at("2025-03-04T06:00:00", BOGOTA), 1)


def test_month_end_and_leap_day() -> None:
    windows = plan_windows(at("2024-02-27", BOGOTA), at("2024-03-02", BOGOTA), 1, BOGOTA)
    assert [w.date_ini[:8] for w in windows] == ["20240227", "20240228", "20240229", "20240301"]
    assert windows[2].date_end == "20240229235959"


def test_window_days_3_and_31_cover_exactly() -> None:
    start, end = at("2025-01-15", BOGOTA), at("2025-04-02T12:00:00", BOGOTA)
    for days in (3, 31):
        windows = plan_windows(start, end, days, BOGOTA)
        assert_exact_cover(windows, start, end, days)
        assert all(w.end.time() == dt.time() for w in windows[:-1])
    assert len(plan_windows(start, end, 31, BOGOTA)) == 3


def test_range_shorter_than_one_window() -> None:
    windows = plan_windows(
        at("2025-05-05T08:00:00", BOGOTA), at("2025-05-05T09:00:00", BOGOTA), 7, BOGOTA
    )
    assert [(w.date_ini, w.date_end) for w in windows] == [("20250505080000", "20250505085959")]


def test_empty_range_has_no_windows() -> None:
    moment = at("2025-05-05T08:00:00", BOGOTA)
    assert plan_windows(moment, moment, 1, BOGOTA) == []


def test_offset_start_is_converted_to_operation_wall_clock() -> None:
    windows = plan_windows(
        at("2025-03-01T05:00:00", UTC), at("2025-03-02T05:00:00", UTC), 1, BOGOTA
    )
    assert [(w.date_ini, w.date_end) for w in windows] == [("20250301000000", "20250301235959")]
    assert windows[0].start.isoformat() == "2025-03-01T00:00:00-05:00"


def test_dst_start_in_santiago_skips_missing_midnight() -> None:
    # 2025-09-07 00:00 does not exist in Santiago: clocks jump to 01:00 (-03:00).
    start, end = at("2025-09-05", SANTIAGO), at("2025-09-09", SANTIAGO)
    windows = plan_windows(start, end, 1, SANTIAGO)
    assert_exact_cover(windows, start, end, 1)
    assert [w.start.isoformat() for w in windows] == [
        "2025-09-05T00:00:00-04:00",
        "2025-09-06T00:00:00-04:00",
        "2025-09-07T01:00:00-03:00",
        "2025-09-08T00:00:00-03:00",
    ]
    assert windows[1].date_end == "20250906235959"
    # asked from 00:00:00, so rows Wolkvox stamps in the skipped hour are not lost
    assert windows[2].date_ini == "20250907000000"
    # a rerun from a bookmark inside the DST day rebuilds the very same grid
    resumed = plan_windows(
        dt.datetime.fromisoformat(windows[2].start.isoformat()), end, 1, SANTIAGO
    )
    assert resumed == windows[2:]


def test_dst_end_in_santiago_keeps_the_repeated_hour_in_one_window() -> None:
    # 2025-04-06 00:00 (-03:00) goes back to 2025-04-05 23:00 (-04:00): a 25-hour Saturday.
    start, end = at("2025-04-04", SANTIAGO), at("2025-04-08", SANTIAGO)
    windows = plan_windows(start, end, 1, SANTIAGO)
    assert_exact_cover(windows, start, end, 1)
    saturday = windows[1]
    assert (saturday.date_ini, saturday.date_end) == ("20250405000000", "20250405235959")
    assert saturday.end.astimezone(UTC) - saturday.start.astimezone(UTC) == dt.timedelta(hours=25)


@pytest.mark.parametrize("days", [0, 32, 45])
def test_window_days_out_of_range_is_refused(days: int) -> None:
    with pytest.raises(ValueError, match="window_days"):
        plan_windows(at("2025-01-01", BOGOTA), at("2025-01-02", BOGOTA), days, BOGOTA)


def test_31_day_windows_across_a_dst_gap_stay_within_the_api_limit() -> None:
    start, end = at("2025-08-01", SANTIAGO), at("2025-10-15", SANTIAGO)
    assert_exact_cover(plan_windows(start, end, 31, SANTIAGO), start, end, 31)


def test_progress_is_logged_at_most_every_30_seconds_and_at_the_end(
    caplog: pytest.LogCaptureFixture,
) -> None:
    logger = logging.getLogger("tap-wolkvox.progress-test")
    progress = Progress("turbo_dial_machine_codes", planned=4)
    with caplog.at_level(logging.INFO, logger=logger.name):
        progress.window_done(at("2025-06-02", BOGOTA), 3, not_found_empty=False)
        progress.maybe_log(logger)  # just started: nothing yet
        progress._last_log -= LOG_EVERY_SECONDS  # 30 s later
        progress.window_done(at("2025-06-03", BOGOTA), 0, not_found_empty=True)
        progress.maybe_log(logger)
        progress.maybe_log(logger)  # again at once: nothing
        for day in ("2025-06-04", "2025-06-05"):
            progress.window_done(at(day, BOGOTA), 0, not_found_empty=True)
        progress.finish(logger, "campaign_10")
    lines = [r.getMessage() for r in caplog.records]
    assert len(lines) == 2
    assert lines[0].startswith(
        "Progress of turbo_dial_machine_codes: 2/4 windows, up to 2025-06-03T00:00:00-05:00, "
        "0 calls, 3 records, 1 empty windows, ETA "
    )
    assert lines[1].endswith(
        "4/4 windows, up to 2025-06-05T00:00:00-05:00, 0 calls, 3 records, 3 empty windows, done"
    )
