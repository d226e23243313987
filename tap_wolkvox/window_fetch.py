"""Fetching one window's records, on a worker thread: an answer at the row cap is split.

An answer with as many rows as the cap may be cut: the window is asked again in two halves
(down to one hour), and the halves joined by the report's rule (`catalogue.split`). A key
repeated within one window is added up (summed reports), dropped when the whole row repeats
(detail reports) or counted for the stream's warning.
"""

from __future__ import annotations

import operator
import threading
from typing import TYPE_CHECKING, Any

from tap_wolkvox.catalogue.split import combine_halves, refusal
from tap_wolkvox.exceptions import DataError
from tap_wolkvox.report_request import WindowRecords, window_bounds
from tap_wolkvox.windows import split_window

if TYPE_CHECKING:
    import logging
    from collections.abc import Callable, Sequence

    from tap_wolkvox.catalogue import Report
    from tap_wolkvox.catalogue.records import RecordParser, Records
    from tap_wolkvox.http.answers import Answer
    from tap_wolkvox.report_request import ReportRequest


class WindowFetcher:
    """A report's windows as typed records, split at the row cap; safe from several threads."""

    def __init__(  # noqa: PLR0913 - what the stream knows, passed in
        self,
        *,
        report: Report,
        ask: Callable[[ReportRequest, threading.Event | None], Answer],
        parser: RecordParser,
        row_cap: int,
        primary_keys: Sequence[str],
        logger: logging.Logger,
    ) -> None:
        """Fetch with `ask`, type with `parser`; `row_cap` rows mean a cut answer."""
        self.report = report
        self._ask = ask
        self._parser = parser
        self._row_cap = row_cap
        self._key = operator.itemgetter(*primary_keys)
        self._logger = logger
        self._lock = threading.Lock()
        #: Records whose key repeated another's within one window, in this run
        self.repeated_keys = 0

    def fetch(
        self, request: ReportRequest, cancelled: threading.Event | None = None
    ) -> WindowRecords:
        """The window's typed records; an answer at the row cap is split by the report's rule."""
        answer = self._ask(request, cancelled)
        if len(answer.rows) < self._row_cap:
            records = self.records(answer.rows, request)
            return WindowRecords(records, 1, not_found_empty=answer.not_found_empty)
        assert request.window is not None  # noqa: S101 - undated lists are not fetched here
        if self.report.split == "refuse":
            raise refusal(self.report, len(answer.rows), request.where)
        halves = split_window(request.window)
        if halves is None:
            raise DataError(
                f"Wolkvox returned {len(answer.rows)} rows, its per-call cap, for the one-hour "
                f"{request.describe()}: the answer is truncated and cannot be split further"
            )
        self._logger.info(
            "%s returned %d rows (the per-call cap): fetching it again in two halves",
            request.describe(),
            len(answer.rows),
        )
        parts = [self.fetch(request.half(half), cancelled) for half in halves]
        records = combine_halves(
            self.report, [part.records for part in parts], window_bounds(request.window)
        )
        return WindowRecords(records, 1 + sum(part.calls for part in parts))

    def records(self, data: Any, request: ReportRequest) -> Records:  # noqa: ANN401
        """Typed records of one answer; a key repeated in a summed report is added up."""
        base: dict[str, Any] = dict(request.context or {})
        base.update(request.listed)
        if request.window is not None:
            base.update(window_bounds(request.window))
        records = self._parser.records(data, base, request.where, consume=True)
        if request.window is None or not records:
            return records
        key = self._key
        if len(set(map(key, records))) == len(records):
            return records
        if self.report.split == "sum":
            self._logger.warning("A key appears twice for %s: values summed", request.describe())
            return combine_halves(self.report, [records], {})
        if self.report.split == "concat":  # a detail row sent twice is one interaction
            records = list({frozenset(r.items()): r for r in records}.values())
        repeated = len(records) - len(set(map(key, records)))
        with self._lock:
            self.repeated_keys += repeated
        return records
