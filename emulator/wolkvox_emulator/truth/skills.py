"""skill_1, skill_3, skill_4, skill_5 and skill_10: inbound calls and service levels per skill.

skill_1's answered calls are skill_10's rows.
"""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING, Any

from wolkvox_emulator.roster import SKILLS
from wolkvox_emulator.truth.world import (
    Record,
    Request,
    Truth,
    World,
    average,
    handle_time,
    iso,
    share,
)

if TYPE_CHECKING:
    from collections.abc import Callable

    from wolkvox_emulator.events import Call


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
            "aht": handle_time(_answered(calls)),
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
            "aht": handle_time(_answered(calls)),
            "att": None,
            "acw": None,
        }
        for (skill, hour), calls in _skill_groups(world, rq, lambda c: (c.arrival.hour,))
    ]


def skill_hourly_workforce(world: World, rq: Request) -> list[Record]:
    """skill_5: inbound calls and the agents they needed (80 % busy), per hour."""
    records = []
    for (skill, hour), calls in _skill_groups(world, rq, lambda c: (c.arrival.hour,)):
        handle = handle_time(_answered(calls))
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
            "date": iso(world, c.arrival),
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
            f"service_level_{limit}seg": share(sum(c.wait <= limit for c in answered), len(calls))
            for limit in (10, 20, 30)
        },
        "abandon": share(len(abandoned), len(calls)),
        "asa": average(sum(c.wait for c in answered), len(answered)),
        "ata": average(sum(c.wait for c in abandoned), len(abandoned)),
    }


def _answered(calls: list[Call]) -> list[Call]:
    return [c for c in calls if c.result == "ANSWERED"]


TRUTH: dict[str, Truth] = {
    "skill_service_levels": skill_service_levels,
    "skill_daily_service_levels": skill_daily_service_levels,
    "skill_hourly_service_levels": skill_hourly_service_levels,
    "skill_hourly_workforce": skill_hourly_workforce,
    "skill_answered_call_details": skill_answered_call_details,
}
