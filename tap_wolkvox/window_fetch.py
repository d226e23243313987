"""Fetching one window's records, on a worker thread: an answer at the row cap is split.

An answer with as many rows as the cap may be cut: the window is asked again in two halves
(down to one hour), and the halves joined by the report's rule (`catalogue.split`). A key
repeated within one window is added up (summed reports), dropped when the whole row repeats
(detail reports) or counted for the stream's warning. A detail report's rows are kept
undecoded and typed one by one as the stream emits them (`typed_rows`), so that a
60,000-row window never exists as records.
"""

from __future__ import annotations

import operator
import threading
from typing import TYPE_CHECKING, Any

from tap_wolkvox.catalogue.records import yield_and_free
from tap_wolkvox.catalogue.split import combine_halves, refusal
from tap_wolkvox.exceptions import DataError
from tap_wolkvox.report_request import WindowRecords, window_bounds
from tap_wolkvox.windows import split_window

if TYPE_CHECKING:
    import logging
    from collections.abc import Callable, Generator, Sequence

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
        quiet_parser: RecordParser,
        row_cap: int,
        primary_keys: Sequence[str],
        logger: logging.Logger,
    ) -> None:
        """Fetch with `ask`, type with `parser`; `row_cap` rows mean a cut answer.

        `quiet_parser` types a row once more, its bad values (already counted, or fatal)
        not counted.
        """
        self.report = report
        self._ask = ask
        self._parser = parser
        self._quiet_parser = quiet_parser
        #: Whether windows are typed as they are emitted: detail reports, a row per record.
        self.typed_as_emitted = (
            report.split == "concat" and report.shape == "rows" and not report.rows_at
        )
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
            if self.typed_as_emitted and isinstance(answer.rows, list):
                return WindowRecords(
                    [], 1, not_found_empty=answer.not_found_empty, rows=answer.rows
                )
            records = self._records(answer.rows, request)
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
        calls = 1 + sum(part.calls for part in parts)
        if self.typed_as_emitted:
            rows = [row for part in parts for row in yield_and_free(part.rows)]
            return WindowRecords([], calls, rows=rows, split=True)
        records = combine_halves(
            self.report, [part.records for part in parts], window_bounds(request.window)
        )
        return WindowRecords(records, calls)

    @staticmethod
    def _base(request: ReportRequest) -> dict[str, Any]:
        """What every record of the answer carries: partition, listed values, bounds."""
        base: dict[str, Any] = dict(request.context or {})
        base.update(request.listed)
        if request.window is not None:
            base.update(window_bounds(request.window))
        return base

    def _records(self, data: Any, request: ReportRequest) -> Records:  # noqa: ANN401
        """Typed records of one answer; a key repeated in a summed report is added up."""
        records = self._parser.records(data, self._base(request), request.where, consume=True)
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

    def typed_rows(
        self, request: ReportRequest, fetched: WindowRecords
    ) -> Generator[dict[str, Any], None, int]:
        """A detail window's records, each row decoded and typed as it is emitted; their count.

        On the main thread, as the stream emits. As `_records` does for a whole answer: a
        record that repeats an earlier one of the window exactly is dropped (a row sent twice
        is one interaction); another with the key of an earlier one counts as a repeated key,
        and in a window fetched in halves it is dropped (the first record of each key is
        kept, as `combine_halves` does). Only each key and its first row are remembered, not
        the records; the first record of a key seen again is typed once more from its row,
        without counting its bad values twice.
        """
        base = self._base(request)
        read = self._parser.reader(base, request.where)
        read_again = self._quiet_parser.reader(base, request.where)
        key = self._key
        first: dict[Any, Any] = {}  # each key seen: the row of its first record
        again: dict[Any, list[dict[str, Any]]] = {}  # each key seen twice: its records
        emitted = repeated = 0
        for row in yield_and_free(fetched.rows):
            record = read(row)
            identity = key(record)
            earlier = first.setdefault(identity, row)
            if earlier is not row:
                if earlier == row:  # the same row, sent twice
                    continue
                kept = again.get(identity)
                if kept is None:
                    kept = again[identity] = [read_again(earlier)]
                if record in kept:
                    continue
                kept.append(record)
                repeated += 1
                if fetched.split:
                    continue
            emitted += 1
            yield record
        with self._lock:
            self.repeated_keys += repeated
        return emitted
