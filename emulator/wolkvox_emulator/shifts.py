"""One agent's day, planned from the seed: sessions, then activities hour by hour inside them.

Inside a session, activities follow one another and each stays within one wall-clock hour: a
window or a half cut on whole hours holds an activity whole.
"""

from __future__ import annotations

import calendar
import datetime as dt
import random
from typing import Literal

from wolkvox_emulator.events import HOUR, AgentDay, Aux, Call, Chat, Customer, Message, Session
from wolkvox_emulator.roster import AUX_STATES, CHANNELS, CODES, UNCONNECTED, Agent

_FIRST = ("Ana", "Juan", "Lucía", "Pedro", "Sofía", "Mateo", "Valentina", "Diego")
_LAST = ("Gómez", "Rodríguez", "López", "Martínez", "Pérez", "Sánchez", "Ramírez")


class Shift:
    """Plans one agent's day: sessions, then activities hour by hour inside them."""

    def __init__(self, seed: int, agent: Agent, day: dt.date) -> None:
        """The day of `agent` on `day`, from `seed`; nothing is planned until `plan()`."""
        self.agent = agent
        self.rng = random.Random(f"{seed}|{agent.id}|{day:%Y%m%d}|day")  # noqa: S311
        self.midnight = dt.datetime.combine(day, dt.time())
        self.calls: list[Call] = []
        self.aux: list[Aux] = []
        self.chats: list[Chat] = []

    def plan(self) -> AgentDay:
        """The day's sessions, calls, breaks and chats (a day off: none)."""
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
                conn_id(self.agent.id, arrival, len(self.calls)),
                "inbound" if inbound else "outbound",
                arrival,
                random_customer(rng),
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
        customer = random_customer(rng)
        first_reply, seconds = rng.randint(3, 90), rng.randint(120, 1500)
        messages = [Message("CUSTOMER", start, "Hola, necesito ayuda")]
        at = start + dt.timedelta(seconds=first_reply)
        for n in range(rng.randint(1, 5)):
            sender: Literal["CUSTOMER", "AGENT"] = "AGENT" if n % 2 == 0 else "CUSTOMER"
            messages.append(Message(sender, at, f"Mensaje {n + 2} de la conversación"))
            at += dt.timedelta(seconds=rng.randint(0, seconds // 6))
        self.chats.append(
            Chat(
                conn_id(self.agent.id, start, 900 + len(self.chats)),
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


def conn_id(prefix: str, at: dt.datetime, n: int) -> str:
    """An interaction ID shaped like Wolkvox's, e.g. `1001.0277.1740830400.3`."""
    return f"{prefix}.0277.{calendar.timegm(at.timetuple())}.{n}"


def random_customer(rng: random.Random) -> Customer:
    """A made-up customer: an ID, a Spanish name and a mobile number."""
    return Customer(
        str(rng.randrange(10**7, 10**8)),
        f"{rng.choice(_FIRST)} {rng.choice(_LAST)}",
        f"3{rng.randrange(10**9):09d}",
    )
