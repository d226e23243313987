"""The run's plan: the calls each selected stream needs, the budget, and who gets which calls.

Before the first report request the tap reads `token_info` once, works out the run's call
budget (`quota_reserve_percent`, `max_calls_per_run`), plans every selected stream's windows
and logs one line with the calls per stream and in total. When the plan does not fit, the
windows are taken oldest first across all streams and partitions, so every stream advances,
and the rest is left to the next run. The client refuses any call past the budget, so
retries and splits cannot overrun it.
"""

from __future__ import annotations

import datetime as dt
import heapq
import itertools
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from tap_wolkvox.catalogue import BY_API
from tap_wolkvox.errors import (
    AuthError,
    HostNotFoundError,
    IpNotAllowedError,
    QuotaExceededError,
    WolkvoxFatalError,
)

if TYPE_CHECKING:
    import logging
    from collections.abc import Iterator, Mapping

    from tap_wolkvox.client import WolkvoxClient
    from tap_wolkvox.partitions import PartitionValues
    from tap_wolkvox.report_stream import ReportStream
    from tap_wolkvox.windows import Window

#: Streams named in the "windows left" warning, at most.
_NAMED_LEFT = 5


@dataclass(frozen=True)
class Budget:
    """The most calls this run makes in all (None: no limit), and how that was worked out."""

    calls: int | None
    said: str


@dataclass(frozen=True)
class RunPlan:
    """How many windows of each (stream, partition value) this run fetches (None: all)."""

    windows: dict[str, dict[str | None, int]] | None = None

    def allotted(self, stream: str) -> dict[str | None, int] | None:
        """Windows per partition value of `stream`; None when the whole plan fits."""
        return None if self.windows is None else self.windows.get(stream, {})


def read_budget(
    config: Mapping[str, Any],
    lists: PartitionValues,
    client: WolkvoxClient,
    logger: logging.Logger,
) -> Budget:
    """The run's budget from `token_info` (read once) and the settings.

    The day's room is the limit less `quota_reserve_percent` of it, less the calls already
    used today; `max_calls_per_run` caps the run. Without an answer from `token_info` the
    run goes on with `max_calls_per_run` alone, and says so; a refused token, IP or host
    stops the run at once, one call spent instead of two.
    """
    most = config.get("max_calls_per_run")
    most_said = f"max_calls_per_run {most if most is not None else 'none'}"
    reserve = float(config["quota_reserve_percent"])
    try:
        rows = lists.list_records(BY_API["token_info"])
        limit, used = _count(rows, "token_limit"), _count(rows, "token_use_today")
    except (QuotaExceededError, AuthError, IpNotAllowedError, HostNotFoundError):
        raise  # every other call would fail the same way: stop before the first report
    except WolkvoxFatalError as exc:
        logger.info(
            "token_info did not answer (%s): the budget is %s alone", str(exc)[:200], most_said
        )
        return Budget(most, most_said)
    if limit is None or used is None:
        logger.info(
            "token_info has no usable token_limit/token_use_today: the budget is %s alone",
            most_said,
        )
        return Budget(most, most_said)
    room = max(0, int(limit * (100 - reserve) / 100) - used)
    calls = client.calls + room
    said = (
        f"token_info: limit {limit}, used today {used}, quota_reserve_percent {reserve:g}; "
        f"{most_said}"
    )
    return Budget(calls if most is None else min(calls, most), said)


def _count(rows: list[dict[str, Any]], field: str) -> int | None:
    """A whole number from the list's first row (Wolkvox sends strings, e.g. "12,000")."""
    if not rows or rows[0].get(field) is None:
        return None
    text = str(rows[0][field]).strip().replace(",", "")
    try:
        return int(float(text))
    except ValueError:
        return None


def make_plan(
    streams: list[ReportStream],
    budget: Budget,
    client: WolkvoxClient,
    logger: logging.Logger,
) -> RunPlan:
    """Plan every selected stream; log the plan line; allot the budget oldest window first."""
    windows = {s.name: s.planned_windows() for s in streams if s.report.dated}
    undated = {s.name: s.unread_lists() for s in streams if not s.report.dated}
    planned = {
        s.name: undated[s.name]
        if s.name in undated
        else sum(len(w) for w in windows[s.name].values())
        for s in streams
    }
    total = sum(planned.values())
    end = streams[0].run_end.isoformat() if streams else "-"
    logger.info(
        "Plan: %d call(s) up to %s (%s); budget %s (%s)",
        total,
        end,
        ", ".join(f"{name} {calls}" for name, calls in planned.items()) or "no stream selected",
        "unlimited" if budget.calls is None else f"{budget.calls} calls in all",
        budget.said,
    )
    if budget.calls is None or client.calls + total <= budget.calls:
        return RunPlan()
    room = max(0, budget.calls - client.calls - sum(undated.values()))
    allotted: dict[str, dict[str | None, int]] = {name: {} for name in windows}
    for _, name, value in itertools.islice(heapq.merge(*_oldest_first(windows)), room):
        allotted[name][value] = allotted[name].get(value, 0) + 1
    _warn_left(windows, allotted, budget, total, logger)
    return RunPlan(allotted)


def _oldest_first(
    windows: dict[str, dict[str | None, list[Window]]],
) -> list[Iterator[tuple[tuple[dt.datetime, int, int], str, str | None]]]:
    """One sorted iterator per (stream, value): its windows keyed by start, then order."""
    return [
        _keyed(planned, si, vi, name, value)
        for si, (name, by_value) in enumerate(windows.items())
        for vi, (value, planned) in enumerate(by_value.items())
    ]


def _keyed(
    planned: list[Window], si: int, vi: int, name: str, value: str | None
) -> Iterator[tuple[tuple[dt.datetime, int, int], str, str | None]]:
    return (((w.start.astimezone(dt.timezone.utc), si, vi), name, value) for w in planned)


def _warn_left(
    windows: dict[str, dict[str | None, list[Window]]],
    allotted: dict[str, dict[str | None, int]],
    budget: Budget,
    total: int,
    logger: logging.Logger,
) -> None:
    """One WARNING: how many windows are left, and where each stream resumes next time."""
    left: dict[str, tuple[int, dt.datetime]] = {}
    for name, by_value in windows.items():
        for value, planned in by_value.items():
            cut = planned[allotted[name].get(value, 0) :]
            if cut:
                count, first = left.get(name, (0, cut[0].start))
                left[name] = (count + len(cut), min(first, cut[0].start))
    named = sorted(left.items(), key=lambda item: item[1][1])
    where = ", ".join(f"{name} from {at.isoformat()}" for name, (_, at) in named[:_NAMED_LEFT])
    more = f" and {len(named) - _NAMED_LEFT} more stream(s)" if len(named) > _NAMED_LEFT else ""
    logger.warning(
        "The plan needs %d call(s), more than this run's budget of %d: the oldest windows go "
        "first; %d window(s) are left (%s%s); the next run continues",
        total,
        budget.calls,
        sum(count for count, _ in left.values()),
        where,
        more,
    )
