"""A small contact centre, deterministic from a seed: the events of any range, day by day.

Each agent's day is generated on its own (from the seed, the agent and the date, see
`shifts`), so any range can be answered without storing anything, and the reports built from
these events (agent_1, agent_8, skill_1, cdr_1, ...) agree with each other. Calls abandoned in
a skill's queue are generated per skill and hour. All times are naive wall-clock times of the
operation's zone.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from wolkvox_emulator.events import HOUR, Call
from wolkvox_emulator.roster import AGENTS, SKILLS
from wolkvox_emulator.shifts import Shift, conn_id, random_customer

if TYPE_CHECKING:
    from collections.abc import Iterator

    from wolkvox_emulator.events import AgentDay, Aux, Chat, Session
    from wolkvox_emulator.roster import Agent

_DAY = dt.timedelta(days=1)


@dataclass(frozen=True)
class Operation:
    """The contact centre's events for any range, generated day by day from `seed`."""

    seed: int = 42
    abandons_per_hour: int = 3
    _days: dict[tuple[str, dt.date], AgentDay] = field(
        default_factory=dict, compare=False, repr=False
    )
    _abandoned: dict[tuple[str, dt.datetime], tuple[Call, ...]] = field(
        default_factory=dict, compare=False, repr=False
    )

    def days(self, first: dt.datetime, last: dt.datetime) -> Iterator[AgentDay]:
        """Every agent's day that [first, last] touches."""
        day = first.date()
        while day <= last.date():
            for agent in AGENTS:
                yield self.agent_day(agent, day)
            day += _DAY

    def calls(self, first: dt.datetime, last: dt.datetime) -> list[Call]:
        """Calls that arrived in [first, last] (both inclusive), abandoned ones included."""
        calls = [c for d in self.days(first, last) for c in d.calls if first <= c.arrival <= last]
        hour = first.replace(minute=0, second=0)
        while hour <= last:
            calls += [
                c
                for skill in SKILLS
                for c in self.abandoned(skill, hour)
                if first <= c.arrival <= last
            ]
            hour += HOUR
        return sorted(calls, key=lambda c: (c.arrival, c.conn_id))

    def sessions(self, first: dt.datetime, last: dt.datetime) -> list[Session]:
        """Sessions that overlap [first, last]."""
        return [
            s
            for d in self.days(first - _DAY, last)
            for s in d.sessions
            if s.login <= last and s.logout > first
        ]

    def aux(self, first: dt.datetime, last: dt.datetime) -> list[Aux]:
        """Auxiliary periods that started in [first, last]."""
        return [a for d in self.days(first, last) for a in d.aux if first <= a.start <= last]

    def chats(self, first: dt.datetime, last: dt.datetime) -> list[Chat]:
        """Chats that started in [first, last]."""
        chats = [c for d in self.days(first, last) for c in d.chats if first <= c.start <= last]
        return sorted(chats, key=lambda c: (c.start, c.conn_id))

    def abandoned(self, skill: str, hour: dt.datetime) -> tuple[Call, ...]:
        """Calls abandoned in `skill`'s queue during one wall-clock hour."""
        key = (skill, hour)
        if key not in self._abandoned:
            rng = random.Random(f"{self.seed}|{skill}|{hour:%Y%m%d%H}|abandoned")  # noqa: S311
            busy = 8 <= hour.hour < 20  # noqa: PLR2004 - calls come in by day
            calls = []
            for n in range(rng.randint(0, self.abandons_per_hour if busy else 1)):
                wait = rng.randint(1, 120)
                arrival = hour + dt.timedelta(seconds=rng.randrange(3600 - wait))
                calls.append(
                    Call(
                        conn_id(skill, arrival, n),
                        "inbound",
                        arrival,
                        random_customer(rng),
                        None,
                        skill,
                        wait=wait,
                        result="ABANDONED",
                    )
                )
            self._abandoned[key] = tuple(calls)
        return self._abandoned[key]

    def agent_day(self, agent: Agent, day: dt.date) -> AgentDay:
        """One agent's sessions, calls, breaks and chats on `day`."""
        key = (agent.id, day)
        if key not in self._days:
            self._days[key] = Shift(self.seed, agent, day).plan()
        return self._days[key]
