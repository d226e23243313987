"""Checking the state a run starts from, so that a bad one ends with one line, not a traceback."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any
from zoneinfo import ZoneInfo

from tap_wolkvox.settings import parse_instant
from tap_wolkvox.state_shape import GROUPED

_UTC = ZoneInfo("UTC")
_FIX = "fix it (meltano state set), or run a full refresh"
_EXAMPLE = dt.datetime(2025, 7, 1, tzinfo=dt.timezone(dt.timedelta(hours=-5))).isoformat()


class UnusableStateError(ValueError):
    """A state the tap cannot resume from; its message is the whole line to show."""

    def __init__(self, problems: list[str]) -> None:
        """Name every problem, and the fix."""
        super().__init__(f"invalid state: {'; '.join(problems)}; {_FIX}")


def parse_state_text(text: str) -> Any:  # noqa: ANN401
    """The state file's JSON, checked with `check_state`."""
    if not text.strip():
        raise UnusableStateError(["the state file is empty"])
    try:
        state = json.loads(text)
    except json.JSONDecodeError as exc:
        reason = f"the state file is not valid JSON ({exc.msg} at line {exc.lineno})"
        raise UnusableStateError([reason]) from None
    check_state(state)
    return state


def check_state(state: Any) -> None:  # noqa: ANN401
    """Raise `UnusableStateError` if the tap cannot resume from `state`."""
    if problems := state_problems(state):
        raise UnusableStateError(problems)


def state_problems(state: Any) -> list[str]:  # noqa: ANN401
    """What in a state the tap cannot resume from, each naming its place in the state."""
    if not isinstance(state, dict):
        return [f"the state is a JSON {type(state).__name__}, not an object"]
    bookmarks = state.get("bookmarks", {})
    if not isinstance(bookmarks, dict):
        return ["bookmarks is not an object"]
    problems: list[str] = []
    for stream, entry in bookmarks.items():
        where = f"bookmarks.{stream}"
        if not isinstance(entry, dict):
            problems.append(f"{where} is not an object")
            continue
        partitions = entry.get("partitions", [])
        if not isinstance(partitions, list):
            problems.append(f"{where}.partitions is not a list")
            continue
        problems.extend(_bookmark_problem(entry, where))
        problems.extend(_grouped_problems(entry.get(GROUPED), f"{where}.{GROUPED}"))
        for index, partition in enumerate(partitions):
            place = f"{where}.partitions[{index}]"
            if not isinstance(partition, dict) or not isinstance(partition.get("context"), dict):
                problems.append(f"{place} is not an object with a context")
                continue
            problems.extend(_bookmark_problem(partition, place))
    return problems


def _grouped_problems(grouped: Any, where: str) -> list[str]:  # noqa: ANN401
    """Bookmarks grouped by value: {field: {bookmark: [value, ...]}}."""
    if grouped is None:
        return []
    shape = f"{where} is not an object of {{field: {{bookmark: [values]}}}}"
    if not isinstance(grouped, dict) or not all(isinstance(g, dict) for g in grouped.values()):
        return [shape]
    problems = []
    for field, groups in grouped.items():
        for bookmark, values in groups.items():
            if not isinstance(values, list):
                return [shape]
            problems += _bookmark_problem({"replication_key_value": bookmark}, f"{where}.{field}")
    return problems


def _bookmark_problem(entry: dict[str, Any], where: str) -> list[str]:
    value = entry.get("replication_key_value")
    if value is None:
        return []
    try:
        if isinstance(value, str):
            parse_instant(value, _UTC)
            return []
    except (ValueError, OverflowError):
        pass
    return [
        (
            f"{where}.replication_key_value is {json.dumps(value)[:40]}, not an ISO 8601 "
            f"date-time such as {_EXAMPLE}"
        )
    ]
