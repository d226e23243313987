"""Snapshot streams (billing, real time): each answer stored with the instant it arrived.

A snapshot has no dates and no bookmark: every run asks again and stamps each record with
`snapshot_at` (and billing's `snapshot_date`, the operation's local day). Streams fed by one
api (real_time `latency`: by agent, IP and PBX) share one answer per run, and its instant. An
`optional` api that the server lacks (real_time `info_server` off dedicated servers) logs one
INFO line.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from tap_wolkvox.catalogue.records import RecordParser
from tap_wolkvox.catalogue.schema import SNAPSHOT_AT, SNAPSHOT_DATE, partition_field
from tap_wolkvox.exceptions import NotOnServerError
from tap_wolkvox.report_request import ReportRequest

if TYPE_CHECKING:
    import logging
    from collections.abc import Callable
    from zoneinfo import ZoneInfo

    from tap_wolkvox.bad_values import BadValues
    from tap_wolkvox.catalogue import Report
    from tap_wolkvox.catalogue.records import Records
    from tap_wolkvox.http.answers import Answer

    Ask = Callable[[ReportRequest], Answer]
    Taken = tuple[Answer | None, dt.datetime]


def take_snapshot(  # noqa: PLR0913 - what the stream knows, passed in
    report: Report,
    value: str | None,
    *,
    ask: Ask,
    tz: ZoneInfo,
    logger: logging.Logger,
    taken: dict[tuple[str, str, str | None], Taken],
    bad_values: BadValues | None = None,
) -> Records:
    """The typed records of this run's answer, each with the instant it arrived.

    `ask` gets an answer; `taken` holds the run's answers by (path, api, value), for the
    streams that share one; `bad_values` takes the values that do not read (`on_bad_value`).
    """
    request = ReportRequest(report, value, None)
    key = (report.endpoint, report.api, value)
    if key not in taken:
        taken[key] = _ask(request, ask, tz, logger)
    answer, arrived = taken[key]
    if answer is None:
        return []
    base: dict[str, Any] = {SNAPSHOT_AT: arrived.isoformat(timespec="milliseconds")}
    if report.snapshot_day:
        base[SNAPSHOT_DATE] = arrived.date().isoformat()
    field = partition_field(report)
    if field is not None:
        base[field] = value
    return RecordParser(report, tz, bad_values).records(answer.rows, base, request.where)


def _ask(request: ReportRequest, ask: Ask, tz: ZoneInfo, logger: logging.Logger) -> Taken:
    """The answer and when it arrived; no answer when an optional api is not on the server."""
    report = request.report
    try:
        answer = ask(request)
    except NotOnServerError:
        if not report.optional:
            raise
        logger.info(
            "%s: this Wolkvox server has no %s (it answers on dedicated servers only): no records",
            report.stream,
            report.api,
        )
        return None, dt.datetime.now(tz)
    return answer, dt.datetime.now(tz)
