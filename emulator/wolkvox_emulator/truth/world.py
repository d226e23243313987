"""What every report's truth reads (the world, one request) and the arithmetic they share.

Records are typed as the tap's parser should return them: counts and durations as integers,
percentages and money as decimals, date-times as ISO 8601 with the operation's offset.
"""

from __future__ import annotations

import datetime as dt
import decimal
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from tap_wolkvox.windows import API_DATE_FORMAT, localize
from wolkvox_emulator.values import Record

if TYPE_CHECKING:
    from zoneinfo import ZoneInfo

    from wolkvox_emulator.dataset import Dataset
    from wolkvox_emulator.events import Call
    from wolkvox_emulator.operation import Operation
    from wolkvox_emulator.roster import Agent

CENT = decimal.Decimal("0.01")
SECOND = dt.timedelta(seconds=1)


@dataclass(frozen=True)
class World:
    """What the emulator knows: the campaign dial events and the contact centre's events."""

    dataset: Dataset
    operation: Operation
    zone: ZoneInfo


@dataclass(frozen=True)
class Request:
    """One call: its wall-clock range (both ends inclusive) and partition value."""

    first: dt.datetime
    last: dt.datetime
    value: str = "all"

    @property
    def end(self) -> dt.datetime:
        """Exclusive end."""
        return self.last + SECOND

    @property
    def api_dates(self) -> tuple[str, str]:
        """`date_ini`, `date_end`."""
        return f"{self.first:{API_DATE_FORMAT}}", f"{self.last:{API_DATE_FORMAT}}"


def agent_ids(agent: Agent, *, dni: bool = True) -> Record:
    """The agent's ID and name, and DNI unless `dni` is False."""
    ids = {"agent_id": agent.id, "agent_name": agent.name}
    return {**ids, "agent_dni": agent.dni} if dni else ids


def iso(world: World, wall: dt.datetime) -> str:
    """A wall-clock time of the operation as ISO 8601 with its offset."""
    return localize(wall, world.zone).isoformat()


def handle_time(calls: list[Call]) -> int:
    """Average talk and after-call work, in whole seconds (0 without calls)."""
    return average(sum(c.talk + c.acw for c in calls), len(calls))


def average(total: int, count: int) -> int:
    """`total / count` rounded half up to a whole number (0 without a count)."""
    return (2 * total + count) // (2 * count) if count else 0


def share(part: int, whole: int) -> decimal.Decimal:
    """`part` as a percentage of `whole`, to the cent (0.00 when `whole` is 0)."""
    if whole <= 0:
        return decimal.Decimal("0.00")
    return (decimal.Decimal(100 * part) / whole).quantize(CENT, decimal.ROUND_HALF_UP)


Truth = Callable[[World, Request], list[Record]]  # a dated report's records for one request
ListTruth = Callable[[World], list[Record]]  # an undated list's records
