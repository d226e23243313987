"""agent_1, agent_3, agent_7 and agent_8: agents' time by status, breaks and sessions.

agent_1's calls are cdr_1's and cdr_5's rows of that agent; agent_8's hours add up to agent_1.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import TYPE_CHECKING

from wolkvox_emulator.events import HOUR
from wolkvox_emulator.roster import AGENTS
from wolkvox_emulator.truth.world import (
    Record,
    Request,
    Truth,
    World,
    agent_ids,
    handle_time,
    iso,
    share,
)

if TYPE_CHECKING:
    import datetime as dt
    from collections.abc import Iterable

    from wolkvox_emulator.events import Aux, Call, Session


def agent_status_times(world: World, rq: Request) -> list[Record]:
    """agent_1: each agent's time by status over the range."""
    calls, aux, sessions = _byagent_ids(world, rq)
    records = []
    for agent in AGENTS:
        own = sessions[agent.id]
        if not own:
            continue
        mine = calls[agent.id]
        connected = [c for c in mine if c.connected]
        logins = [s.login for s in own if s.login >= rq.first]
        logouts = [s.logout for s in own if s.logout <= rq.last]
        records.append(
            {
                **agent_ids(agent),
                **_status_times(mine, aux[agent.id], _overlap(own, rq.first, rq.end)),
                "hits": sum(1 for c in connected if c.code is not None and c.code.hit),
                "rpc": sum(1 for c in connected if c.direction == "outbound"),
                "aht_outbund": handle_time([c for c in connected if c.direction == "outbound"]),
                "aht_inbound": handle_time([c for c in connected if c.direction == "inbound"]),
                "login": iso(world, min(logins)) if logins else None,
                "logout": iso(world, max(logouts)) if logouts else None,
            }
        )
    return records


def agent_aux_times(world: World, rq: Request) -> list[Record]:
    """agent_3: time in each auxiliary state, per agent."""
    totals: Counter[tuple[str, str]] = Counter()
    for period in world.operation.aux(rq.first, rq.last):
        totals[period.agent.id, period.state] += period.seconds
    return [
        {
            **agent_ids(agent),
            "aux_state": state,
            "time": totals[agent.id, state],
        }
        for agent in AGENTS
        for state in sorted({s for a, s in totals if a == agent.id})
    ]


def agent_sessions(world: World, rq: Request) -> list[Record]:
    """agent_7: every session that began in the range."""
    return [
        {
            "agent_name": s.agent.name,
            "agent_id": s.agent.id,
            "agent_dni": s.agent.dni,
            "date": s.login.date().isoformat(),
            "login": iso(world, s.login),
            "logout": iso(world, s.logout),
            "login_time": int((s.logout - s.login).total_seconds()),
        }
        for s in sorted(
            world.operation.sessions(rq.first, rq.last), key=lambda s: (s.login, s.agent.id)
        )
        if rq.first <= s.login <= rq.last
    ]


def agent_hourly_status_times(world: World, rq: Request) -> list[Record]:
    """agent_8: each agent's time by status, hour by hour."""
    calls, aux, sessions = _byagent_ids(world, rq)
    records = []
    for agent in AGENTS:
        hour = rq.first.replace(minute=0, second=0)
        while hour <= rq.last:
            start, end = max(hour, rq.first), min(hour + HOUR, rq.end)
            login = _overlap(sessions[agent.id], start, end)
            if login:
                records.append(
                    {
                        "agent_name": agent.name,
                        "agent_dni": agent.dni,
                        "agent_id": agent.id,
                        "date": hour.date().isoformat(),
                        "hour": f"{hour:%H}:00",
                        **_status_times(
                            [c for c in calls[agent.id] if start <= c.arrival < end],
                            [a for a in aux[agent.id] if start <= a.start < end],
                            login,
                        ),
                    }
                )
            hour += HOUR
    return records


def _byagent_ids(
    world: World, rq: Request
) -> tuple[dict[str, list[Call]], dict[str, list[Aux]], dict[str, list[Session]]]:
    """The range's calls, breaks and sessions, per agent."""
    calls: dict[str, list[Call]] = defaultdict(list)
    aux: dict[str, list[Aux]] = defaultdict(list)
    sessions: dict[str, list[Session]] = defaultdict(list)
    for call in world.operation.calls(rq.first, rq.last):
        if call.agent is not None:
            calls[call.agent.id].append(call)
    for period in world.operation.aux(rq.first, rq.last):
        aux[period.agent.id].append(period)
    for session in sorted(world.operation.sessions(rq.first, rq.last), key=lambda s: s.login):
        sessions[session.agent.id].append(session)
    return calls, aux, sessions


def _status_times(calls: list[Call], aux: list[Aux], login: int) -> Record:
    """The counters and times agent_1 and agent_8 share, from calls and breaks."""
    connected = [c for c in calls if c.connected]
    aux_time = sum(a.seconds for a in aux)
    talk = sum(c.talk + c.acw for c in connected)
    return {
        "calls": len(calls),
        "inbound": sum(1 for c in calls if c.direction == "inbound"),
        "outbound": sum(1 for c in calls if c.direction == "outbound"),
        "internal": 0,
        "ready_time": max(0, login - talk - sum(c.ring for c in calls) - aux_time),
        "inbound_time": sum(c.talk for c in calls if c.direction == "inbound"),
        "outbound_time": sum(c.talk for c in calls if c.direction == "outbound"),
        "acw_time": sum(c.acw for c in calls),
        "ring_time": sum(c.ring for c in calls),
        "login_time": login,
        "aht": handle_time(connected),
        "occupancy": share(talk, login - aux_time),
        "aux_time": aux_time,
    }


def _overlap(sessions: Iterable[Session], start: dt.datetime, end: dt.datetime) -> int:
    """Seconds of `sessions` inside [start, end)."""
    return sum(
        max(0, int((min(s.logout, end) - max(s.login, start)).total_seconds())) for s in sessions
    )


TRUTH: dict[str, Truth] = {
    "agent_status_times": agent_status_times,
    "agent_aux_times": agent_aux_times,
    "agent_sessions": agent_sessions,
    "agent_hourly_status_times": agent_hourly_status_times,
}
