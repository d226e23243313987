"""The contact centre's events: calls, breaks, sessions and chats, and one agent's day of them.

All times are naive wall-clock times of the operation's zone. `operation.Operation` generates
them for any range; `shifts.Shift` plans one agent's day.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from wolkvox_emulator.roster import ActivityCode, Agent

HOUR = dt.timedelta(hours=1)


@dataclass(frozen=True)
class Customer:
    """Who called, was called or chatted."""

    id: str
    name: str
    phone: str

    @property
    def email(self) -> str:
        """A made-up address."""
        return f"cliente{self.id}@example.com"


@dataclass(frozen=True)
class Call:
    """A voice call: inbound (queued in a skill) or outbound (dialled by an agent).

    An inbound call arrives, waits `wait` seconds in the queue, rings `ring` seconds at the
    agent, and is talked `talk` seconds followed by `acw` seconds of after-call work; one
    abandoned in the queue has no agent and waits `wait` seconds before hanging up. An
    outbound call rings `ring` seconds and is talked only if it connected.
    """

    conn_id: str
    direction: Literal["inbound", "outbound"]
    arrival: dt.datetime  # queued (inbound) or dialled (outbound)
    customer: Customer
    agent: Agent | None
    skill: str | None
    wait: int = 0
    ring: int = 0
    talk: int = 0
    acw: int = 0
    result: str = "ANSWERED"  # ANSWERED, ABANDONED, or an UNCONNECTED result
    code: ActivityCode | None = None
    hang_up: str = "customer"

    @property
    def connected(self) -> bool:
        """Whether an agent talked to the customer."""
        return self.talk > 0


@dataclass(frozen=True)
class Aux:
    """Time an agent spent in an auxiliary (break) state."""

    agent: Agent
    state: str
    start: dt.datetime
    seconds: int


@dataclass(frozen=True)
class Session:
    """From login to logout."""

    agent: Agent
    login: dt.datetime
    logout: dt.datetime


@dataclass(frozen=True)
class Message:
    """One chat message."""

    sender: Literal["CUSTOMER", "AGENT"]
    at: dt.datetime
    text: str


@dataclass(frozen=True)
class Chat:
    """A chat an agent handled."""

    conn_id: str
    agent: Agent
    skill: str
    channel: str
    customer: Customer
    start: dt.datetime
    seconds: int
    first_reply: int  # seconds until the agent's first message
    messages: tuple[Message, ...]
    code: ActivityCode
    transferred: bool


@dataclass(frozen=True)
class AgentDay:
    """What one agent did on one day."""

    sessions: tuple[Session, ...] = ()
    calls: tuple[Call, ...] = ()
    aux: tuple[Aux, ...] = ()
    chats: tuple[Chat, ...] = ()
