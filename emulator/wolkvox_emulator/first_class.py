"""The first-class reports' records, computed from the event model: the emulator's truth.

Each function returns the records the tap's parser should produce for one request (without
the window and partition fields the tap adds), typed: counts and durations as integers,
percentages and money as decimals, date-times as ISO 8601 with the operation's offset.
`values.answer_data` writes them out as Wolkvox would. Every report reads the same events,
so, for one range, agent_1's calls are cdr_1's and cdr_5's rows of that agent, agent_8's hours
add up to agent_1, skill_1's answered calls are skill_10's rows, and campaign_3's attempts
and campaign_7's detections are campaign_4's and campaign_6's counts.
"""

from __future__ import annotations

import calendar
import datetime as dt
import decimal
from collections import Counter, defaultdict
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from tap_wolkvox.windows import localize
from wolkvox_emulator.events import AGENTS, CODES, HOUR, ROUTING_POINTS, SKILLS, Operation

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable
    from zoneinfo import ZoneInfo

    from wolkvox_emulator.dataset import Dataset
    from wolkvox_emulator.events import Agent, Aux, Call, Chat, Session

Record = dict[str, Any]
_CENT = decimal.Decimal("0.01")
_SECOND = dt.timedelta(seconds=1)
_GMT_5 = dt.timezone(dt.timedelta(hours=-5))  # campaign_3 writes its dates in GMT-5
_ATTEMPT_RESULT = {
    "answer machine": "ANSWER-MACHINE",
    "no answer": "NO-ANSWER",
    "failed": "FAILED",
    "answer": "ANSWER",
    "congestion": "CONGESTION",
    "abandon": "ABANDON",
    "busy": "BUSY",
    "chanunavail": "CHANUNAVAIL",
}
_LIST_LAST_USE = dt.datetime(2025, 1, 15, 8, 30)


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
        return self.last + _SECOND

    @property
    def api_dates(self) -> tuple[str, str]:
        """`date_ini`, `date_end`."""
        return f"{self.first:%Y%m%d%H%M%S}", f"{self.last:%Y%m%d%H%M%S}"


# -- agents ------------------------------------------------------------------------------


def agent_status_times(world: World, rq: Request) -> list[Record]:
    """agent_1: each agent's time by status over the range."""
    calls, aux, sessions = _by_agent(world, rq)
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
                **_agent(agent),
                **_status_times(mine, aux[agent.id], _overlap(own, rq.first, rq.end)),
                "hits": sum(1 for c in connected if c.code is not None and c.code.hit),
                "rpc": sum(1 for c in connected if c.direction == "outbound"),
                "aht_outbund": _handle_time([c for c in connected if c.direction == "outbound"]),
                "aht_inbound": _handle_time([c for c in connected if c.direction == "inbound"]),
                "login": _iso(world, min(logins)) if logins else None,
                "logout": _iso(world, max(logouts)) if logouts else None,
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
            **_agent(agent),
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
            "login": _iso(world, s.login),
            "logout": _iso(world, s.logout),
            "login_time": int((s.logout - s.login).total_seconds()),
        }
        for s in sorted(
            world.operation.sessions(rq.first, rq.last), key=lambda s: (s.login, s.agent.id)
        )
        if rq.first <= s.login <= rq.last
    ]


def agent_hourly_status_times(world: World, rq: Request) -> list[Record]:
    """agent_8: each agent's time by status, hour by hour."""
    calls, aux, sessions = _by_agent(world, rq)
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


def _by_agent(
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
        "aht": _handle_time(connected),
        "occupancy": _share(talk, login - aux_time),
        "aux_time": aux_time,
    }


def _overlap(sessions: Iterable[Session], start: dt.datetime, end: dt.datetime) -> int:
    """Seconds of `sessions` inside [start, end)."""
    return sum(
        max(0, int((min(s.logout, end) - max(s.login, start)).total_seconds())) for s in sessions
    )


# -- skills ------------------------------------------------------------------------------


def skill_service_levels(world: World, rq: Request) -> list[Record]:
    """skill_1: calls and service levels per skill."""
    return [
        {"skill_name": SKILLS[skill], "skill_id": skill, **_levels(calls)}
        for (skill,), calls in _skill_groups(world, rq, lambda _: ())
    ]


def skill_daily_service_levels(world: World, rq: Request) -> list[Record]:
    """skill_3: calls and service levels per skill and day."""
    return [
        {
            "skill_name": SKILLS[skill],
            "date": day.isoformat(),
            **_levels(calls),
            "wait_time": sum(c.wait for c in calls),
            "aht": _handle_time(_answered(calls)),
        }
        for (skill, day), calls in _skill_groups(world, rq, lambda c: (c.arrival.date(),))
    ]


def skill_hourly_service_levels(world: World, rq: Request) -> list[Record]:
    """skill_4: calls and service levels per skill and hour of the day."""
    return [
        {
            "skill_id": skill,
            "hour": f"{hour:02d}:00",
            **_levels(calls),
            "aht": _handle_time(_answered(calls)),
            "att": None,
            "acw": None,
        }
        for (skill, hour), calls in _skill_groups(world, rq, lambda c: (c.arrival.hour,))
    ]


def skill_hourly_workforce(world: World, rq: Request) -> list[Record]:
    """skill_5: inbound calls and the agents they needed (80 % busy), per hour."""
    records = []
    for (skill, hour), calls in _skill_groups(world, rq, lambda c: (c.arrival.hour,)):
        handle = _handle_time(_answered(calls))
        records.append(
            {
                "skill_id": skill,
                "hour": f"{hour:02d}:00",
                "inbound_calls": len(calls),
                "inbound_calls_unique_customers": len({c.customer.id for c in calls}),
                "aht": handle,
                "agents_needed": -(-len(calls) * handle // 2880),
            }
        )
    return records


def skill_answered_call_details(world: World, rq: Request) -> list[Record]:
    """skill_10: every answered inbound call."""
    return [
        {
            "conn_id": c.conn_id,
            "skill_id": c.skill,
            "skill_name": SKILLS[str(c.skill)],
            "date": _iso(world, c.arrival),
            "result": c.result,
            "ani": c.customer.phone,
            "answer_time": c.wait,
            "agent_id": c.agent.id if c.agent else None,
            "type_interaction": "inbound",
        }
        for _, calls in _skill_groups(world, rq, lambda _: ())
        for c in _answered(calls)
    ]


def _skill_groups(
    world: World, rq: Request, by: Callable[[Call], tuple[Any, ...]]
) -> list[tuple[tuple[Any, ...], list[Call]]]:
    """Inbound calls of the asked skill(s), grouped by skill then `by`, in order."""
    groups: dict[tuple[Any, ...], list[Call]] = defaultdict(list)
    for call in world.operation.calls(rq.first, rq.last):
        if call.direction == "inbound" and rq.value in {"all", call.skill}:
            groups[(call.skill, *by(call))].append(call)
    return sorted(groups.items())


def _levels(calls: list[Call]) -> Record:
    """Inbound, answered and abandoned calls, service levels and average waits."""
    answered = _answered(calls)
    abandoned = [c for c in calls if c.result == "ABANDONED"]
    return {
        "inbound_calls": len(calls),
        "answer_calls": len(answered),
        "abandon_calls": len(abandoned),
        **{
            f"service_level_{limit}seg": _share(sum(c.wait <= limit for c in answered), len(calls))
            for limit in (10, 20, 30)
        },
        "abandon": _share(len(abandoned), len(calls)),
        "asa": _average(sum(c.wait for c in answered), len(answered)),
        "ata": _average(sum(c.wait for c in abandoned), len(abandoned)),
    }


def _answered(calls: list[Call]) -> list[Call]:
    return [c for c in calls if c.result == "ANSWERED"]


# -- calls -------------------------------------------------------------------------------


def call_details(world: World, rq: Request) -> list[Record]:
    """cdr_1: every connected call."""
    return [
        {
            "agent_name": c.agent.name if c.agent else None,
            "date": _iso(world, c.arrival),
            "destiny": SKILLS[c.skill] if c.skill else "external",
            "telephone": c.customer.phone,
            "cost": (decimal.Decimal(c.talk) / 1000).quantize(_CENT)
            if c.direction == "outbound"
            else decimal.Decimal("0.00"),
            "time_seg": c.talk,
            "time_min": (decimal.Decimal(c.talk) / 60).quantize(_CENT),
            "cod_act": c.code.code if c.code else None,
            "description_cod_act": c.code.description if c.code else None,
            "cod_act_2": None,
            "description_cod_act_2": None,
            "type_interaction": c.direction,
            "customer_id": c.customer.id,
            "hang_up": c.hang_up,
            "campaign_id": None,
            "conn_id": c.conn_id,
            "skill_id": c.skill,
            "skill_name": SKILLS[c.skill] if c.skill else None,
            "agent_id": c.agent.id if c.agent else None,
            "comment": None,
        }
        for c in world.operation.calls(rq.first, rq.last)
        if c.connected
    ]


def unconnected_call_details(world: World, rq: Request) -> list[Record]:
    """cdr_5: every outbound call that did not connect."""
    return [
        {
            "agent_name": c.agent.name if c.agent else None,
            "date": _iso(world, c.arrival),
            "destiny": "external",
            "telephone": c.customer.phone,
            "ring_time": c.ring,
            "result": c.result,
            "type_interaction": "outbound",
            "customer_id": c.customer.id,
            "campaign_id": None,
            "agent_id": c.agent.id if c.agent else None,
            "conn_id": c.conn_id,
        }
        for c in world.operation.calls(rq.first, rq.last)
        if c.direction == "outbound" and not c.connected
    ]


# -- chats -------------------------------------------------------------------------------


def chats(world: World, rq: Request) -> list[Record]:
    """chat_1: every chat."""
    return [
        {
            "conn_id": c.conn_id,
            "channel": c.channel,
            "date": _iso(world, c.start),
            "customer_name": c.customer.name,
            "customer_email": c.customer.email,
            "customer_phone": c.customer.phone,
            "customer_chars": sum(len(m.text) for m in c.messages if m.sender == "CUSTOMER"),
            "agent_id": c.agent.id,
            "agent_name": c.agent.name,
            "agent_chars": sum(len(m.text) for m in c.messages if m.sender == "AGENT"),
            "time_on_agent": c.seconds - c.first_reply,
            "chat_duration": c.seconds,
            "cod_act": c.code.code,
            "description_cod_act": c.code.description,
            "comments": None,
            "customer_id": c.customer.id,
            "skill_id": c.skill,
            "asa": c.first_reply,
            "last_participant_who_spoke": c.messages[-1].sender,
            "extra_field": None,
            "comment": None,
            "user_id": None,
            "feeling": "neutral",
            "agent_anwers": sum(m.sender == "AGENT" for m in c.messages),
        }
        for c in world.operation.chats(rq.first, rq.last)
    ]


def chat_messages(world: World, rq: Request) -> list[Record]:
    """chat_2: every message of every chat, in order."""
    return [
        {
            "conn_id": c.conn_id,
            "agent_name": c.agent.name,
            "customer_name": c.customer.name,
            "message_number": number,
            "channel": c.channel,
            "from": m.sender,
            "from_name": c.agent.name if m.sender == "AGENT" else c.customer.name,
            "to_name": c.customer.name if m.sender == "AGENT" else c.agent.name,
            "date": _iso(world, m.at),
            "message": m.text,
            "customer_id": c.customer.id,
            "customer_phone": c.customer.phone,
        }
        for c in world.operation.chats(rq.first, rq.last)
        for number, m in enumerate(c.messages, 1)
    ]


def chat_agent_productivity(world: World, rq: Request) -> list[Record]:
    """chat_16: chats, chat time and transfers per agent."""
    per_agent: dict[str, list[Chat]] = defaultdict(list)
    for chat in world.operation.chats(rq.first, rq.last):
        per_agent[chat.agent.id].append(chat)
    return [
        {
            **_agent(agent, dni=False),
            "total_chats": len(own),
            "time": sum(c.seconds for c in own),
            "tmo": _average(sum(c.seconds for c in own), len(own)),
            "percent_transfer": _share(sum(c.transferred for c in own), len(own)),
        }
        for agent in AGENTS
        if (own := per_agent[agent.id])
    ]


# -- campaigns (the dial events of emulator.dataset) --------------------------------------


def campaign_phone_results(world: World, rq: Request) -> list[Record]:
    """campaign_3: every dial attempt, its date in GMT-5."""
    return [
        {
            "campaign_id": call.campaign,
            "customer_name": f"Cliente {customer}",
            "customer_last_name": "Prueba",
            "id_type": "CC",
            "customer_id": customer,
            "date": localize(at, world.zone).astimezone(_GMT_5).isoformat(),
            "telephone": call.telephone,
            "result": _ATTEMPT_RESULT[call.code],
            "opt1": "final" if call.final else None,
            **{f"opt{n}": None for n in range(2, 13)},
            "conn_id": conn_id,
        }
        for at, call, conn_id, customer in _attempts(world, rq)
    ]


def amd_details(world: World, rq: Request) -> list[Record]:
    """campaign_7: every answering machine detected."""
    return [
        {
            "customer_id": customer,
            "campaign_id": call.campaign,
            "file_name": f"amd-{conn_id}.wav",
            "telephone": call.telephone,
            "result": "AMD",
            "date": _iso(world, at),
        }
        for at, call, conn_id, customer in _attempts(world, rq)
        if call.code == "answer machine"
    ]


def _attempts(world: World, rq: Request) -> Iterable[tuple[dt.datetime, Any, str, str]]:
    """Dial attempts with an ID and a customer of their own (several can share a second)."""
    seen: Counter[tuple[str, dt.datetime]] = Counter()
    for at, call in world.dataset.dated_calls(rq.value, *rq.api_dates):
        n = seen[call.campaign, at]
        seen[call.campaign, at] += 1
        epoch = calendar.timegm(at.timetuple())
        yield at, call, f"{call.campaign}.0277.{epoch}.{n}", f"{call.telephone[-4:]}{epoch}{n}"


# -- lists -------------------------------------------------------------------------------


def agents(world: World) -> list[Record]:
    """The agents list."""
    return [
        {
            **_agent(agent),
            "agent_status": "Active",
            "last_use": _iso(world, _LIST_LAST_USE + n * 7 * HOUR),
            "agent_sso": None,
            "enabled": "yes",
        }
        for n, agent in enumerate(AGENTS)
    ]


def skills(world: World) -> list[Record]:
    """The skills list."""
    return [
        {
            "skill_id": skill,
            "skill_name": name,
            "skill_description": f"{name} queue",
            "last_use": _iso(world, _LIST_LAST_USE + n * 5 * HOUR),
        }
        for n, (skill, name) in enumerate(SKILLS.items())
    ]


def activity_codes(_: World) -> list[Record]:
    """The activity codes list."""
    return [
        {
            "cod_act": code.code,
            "description_cod_act": code.description,
            "hit": "yes" if code.hit else "no",
            "rpc": "no",
            "chat": "yes",
            "studio": "no",
            "voice": "yes",
            "type_code": code.type_code,
            "interactions": "yes",
        }
        for code in CODES
    ]


def routing_points(world: World) -> list[Record]:
    """The routing points list."""
    return [
        {
            "rp_id": rp,
            "rp_name": name,
            "ivr_active": "yes" if n == 0 else "no",
            "chat_active": "no" if n == 0 else "yes",
            "interaction_active": "no",
            "crm_active": "no",
            "last_use": _iso(world, _LIST_LAST_USE + n * HOUR),
        }
        for n, (rp, name) in enumerate(ROUTING_POINTS.items())
    ]


# -- shared ------------------------------------------------------------------------------


def _agent(agent: Agent, *, dni: bool = True) -> Record:
    ids = {"agent_id": agent.id, "agent_name": agent.name}
    return {**ids, "agent_dni": agent.dni} if dni else ids


def _iso(world: World, wall: dt.datetime) -> str:
    return localize(wall, world.zone).isoformat()


def _handle_time(calls: list[Call]) -> int:
    """Average talk and after-call work, in whole seconds (0 without calls)."""
    return _average(sum(c.talk + c.acw for c in calls), len(calls))


def _average(total: int, count: int) -> int:
    return (2 * total + count) // (2 * count) if count else 0


def _share(part: int, whole: int) -> decimal.Decimal:
    """`part` as a percentage of `whole`, to the cent (0.00 when `whole` is 0)."""
    if whole <= 0:
        return decimal.Decimal("0.00")
    return (decimal.Decimal(100 * part) / whole).quantize(_CENT, decimal.ROUND_HALF_UP)


TRUTH: dict[str, Callable[[World, Request], list[Record]]] = {
    "agent_1": agent_status_times,
    "agent_3": agent_aux_times,
    "agent_7": agent_sessions,
    "agent_8": agent_hourly_status_times,
    "skill_1": skill_service_levels,
    "skill_3": skill_daily_service_levels,
    "skill_4": skill_hourly_service_levels,
    "skill_5": skill_hourly_workforce,
    "skill_10": skill_answered_call_details,
    "cdr_1": call_details,
    "cdr_5": unconnected_call_details,
    "chat_1": chats,
    "chat_2": chat_messages,
    "chat_16": chat_agent_productivity,
    "campaign_3": campaign_phone_results,
    "campaign_7": amd_details,
}
LISTS: dict[str, Callable[[World], list[Record]]] = {
    "agents": agents,
    "skills": skills,
    "activity_codes": activity_codes,
    "routing_points": routing_points,
}
