"""A small contact centre, deterministic from a seed: agents, skills, sessions, calls, chats.

Each agent's day is generated on its own (from the seed, the agent and the date), so any
range can be answered without storing anything. Inside a session, activities follow one
another and each stays within one wall-clock hour: a window or a half cut on whole hours
holds an activity whole, and the reports built from these events (agent_1, agent_8,
skill_1, cdr_1, ...) agree with each other. Calls abandoned in a skill's queue are generated
per skill and hour. All times are naive wall-clock times of the operation's zone.
"""

from __future__ import annotations

import calendar
import datetime as dt
import random
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from collections.abc import Iterator

HOUR = dt.timedelta(hours=1)
_DAY = dt.timedelta(days=1)


@dataclass(frozen=True)
class Agent:
    """An agent and the skills they take calls for."""

    id: str
    dni: str
    name: str
    skills: tuple[str, ...]


@dataclass(frozen=True)
class ActivityCode:
    """A disposition code an agent gives an interaction."""

    code: str
    description: str
    type_code: str  # cod_act1 or cod_act2
    hit: bool


AGENTS = (
    Agent("1001", "52100201", "COM-ANA TORRES", ("201", "202")),
    Agent("1002", "80233412", "COM-LUIS PARRA", ("201",)),
    Agent("1003", "10204455", "ING-MARTA GIL", ("202", "203")),
    Agent("1004", "79011288", "COM-CAMILO PATINO", ("203",)),
    Agent("1005", "43122890", "ING-SANDRA ROLDAN", ("201", "203")),
)
SKILLS = {"201": "Ventas", "202": "Cobranza", "203": "Soporte"}
CODES = (
    ActivityCode("VENTA", "Sale closed", "cod_act1", hit=True),
    ActivityCode("NOINT", "Not interested", "cod_act1", hit=False),
    ActivityCode("PROMESA", "Promise to pay", "cod_act1", hit=True),
    ActivityCode("VOLVER", "Call back later", "cod_act2", hit=False),
    ActivityCode("TIMEOUTACW", "After-call work timed out", "cod_act2", hit=False),
)
ROUTING_POINTS = {"301": "IVR Principal", "302": "Bot WhatsApp"}
AUX_STATES = ("Break", "Lunch", "Training")
CHANNELS = ("whatsapp", "web", "facebook", "instagram")
UNCONNECTED = ("BUSY", "NO-ANSWER", "FAILED")
_FIRST = ("Ana", "Juan", "Lucía", "Pedro", "Sofía", "Mateo", "Valentina", "Diego")
_LAST = ("Gómez", "Rodríguez", "López", "Martínez", "Pérez", "Sánchez", "Ramírez")


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

    def agent(self, agent_id: str) -> Agent | None:
        """The agent with this ID, if any."""
        return next((a for a in AGENTS if a.id == agent_id), None)

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
                        _conn_id(skill, arrival, n),
                        "inbound",
                        arrival,
                        _customer(rng),
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
            self._days[key] = _Shift(self.seed, agent, day).plan()
        return self._days[key]


class _Shift:
    """Plans one agent's day: sessions, then activities hour by hour inside them."""

    def __init__(self, seed: int, agent: Agent, day: dt.date) -> None:
        self.agent = agent
        self.rng = random.Random(f"{seed}|{agent.id}|{day:%Y%m%d}|day")  # noqa: S311
        self.midnight = dt.datetime.combine(day, dt.time())
        self.calls: list[Call] = []
        self.aux: list[Aux] = []
        self.chats: list[Chat] = []

    def plan(self) -> AgentDay:
        rng = self.rng
        if rng.random() > (0.3 if self.midnight.weekday() == 6 else 0.9):  # noqa: PLR2004
            return AgentDay()  # a day off
        login = self._at(7, rng.randrange(3600))
        logout = self._at(16, rng.randrange(7200))
        sessions: tuple[Session, ...]
        if rng.random() < 0.5:  # noqa: PLR2004 - a lunch break between two sessions
            lunch = self._at(12, rng.randrange(1800))
            back = lunch + dt.timedelta(seconds=rng.randint(1800, 3600))
            sessions = (Session(self.agent, login, lunch), Session(self.agent, back, logout))
        else:
            sessions = (Session(self.agent, login, logout),)
        for session in sessions:
            hour = session.login.replace(minute=0, second=0)
            while hour < session.logout:
                self._fill(max(hour, session.login), min(hour + HOUR, session.logout))
                hour += HOUR
        return AgentDay(sessions, tuple(self.calls), tuple(self.aux), tuple(self.chats))

    def _at(self, hour: int, seconds: int) -> dt.datetime:
        return self.midnight + dt.timedelta(hours=hour, seconds=seconds)

    def _fill(self, start: dt.datetime, end: dt.datetime) -> None:
        """Activities one after another in [start, end), within one wall-clock hour."""
        rng, cursor = self.rng, start
        if rng.random() < 0.6:  # noqa: PLR2004
            self._chat(start + dt.timedelta(seconds=rng.randrange(int((end - start).seconds) + 1)))
        while True:
            kind = rng.choices(("inbound", "outbound", "aux"), weights=(6, 3, 1))[0]
            wait, ring = rng.randint(0, 45), rng.randint(2, 25)
            talk, acw = rng.randint(30, 420), rng.randint(5, 90)
            gap = wait if rng.random() < 0.15 else rng.randint(wait, wait + 300)  # noqa: PLR2004
            if kind == "aux":
                length = rng.randint(60, 900)
            elif kind == "outbound" and rng.random() < 0.35:  # noqa: PLR2004 - not connected
                talk = acw = 0
                length = ring
            else:
                length = ring + talk + acw
            begin = cursor + dt.timedelta(seconds=gap)
            if begin + dt.timedelta(seconds=length) > end:
                return
            cursor = begin + dt.timedelta(seconds=length)
            if kind == "aux":
                self.aux.append(Aux(self.agent, rng.choice(AUX_STATES), begin, length))
            else:
                self._call(kind, begin, wait=wait, ring=ring, talk=talk, acw=acw)

    def _call(  # noqa: PLR0913 - one argument per timed part of the call
        self, kind: str, begin: dt.datetime, *, wait: int, ring: int, talk: int, acw: int
    ) -> None:
        rng = self.rng
        inbound = kind == "inbound"
        arrival = begin - dt.timedelta(seconds=wait) if inbound else begin
        self.calls.append(
            Call(
                _conn_id(self.agent.id, arrival, len(self.calls)),
                "inbound" if inbound else "outbound",
                arrival,
                _customer(rng),
                self.agent,
                rng.choice(self.agent.skills) if inbound else None,
                wait=wait if inbound else 0,
                ring=ring,
                talk=talk,
                acw=acw,
                result="ANSWERED" if talk else rng.choice(UNCONNECTED),
                code=rng.choice(CODES) if talk else None,
                hang_up=rng.choice(("agent", "customer")),
            )
        )

    def _chat(self, start: dt.datetime) -> None:
        rng = self.rng
        customer = _customer(rng)
        first_reply, seconds = rng.randint(3, 90), rng.randint(120, 1500)
        messages = [Message("CUSTOMER", start, "Hola, necesito ayuda")]
        at = start + dt.timedelta(seconds=first_reply)
        for n in range(rng.randint(1, 5)):
            sender: Literal["CUSTOMER", "AGENT"] = "AGENT" if n % 2 == 0 else "CUSTOMER"
            messages.append(Message(sender, at, f"Mensaje {n + 2} de la conversación"))
            at += dt.timedelta(seconds=rng.randint(0, seconds // 6))
        self.chats.append(
            Chat(
                _conn_id(self.agent.id, start, 900 + len(self.chats)),
                self.agent,
                rng.choice(self.agent.skills),
                rng.choice(CHANNELS),
                customer,
                start,
                seconds,
                first_reply,
                tuple(messages),
                rng.choice(CODES),
                transferred=rng.random() < 0.1,  # noqa: PLR2004
            )
        )


def _conn_id(prefix: str, at: dt.datetime, n: int) -> str:
    """An interaction ID shaped like Wolkvox's, e.g. `1001.0277.1740830400.3`."""
    return f"{prefix}.0277.{calendar.timegm(at.timetuple())}.{n}"


def _customer(rng: random.Random) -> Customer:
    return Customer(
        str(rng.randrange(10**7, 10**8)),
        f"{rng.choice(_FIRST)} {rng.choice(_LAST)}",
        f"3{rng.randrange(10**9):09d}",
    )
