"""The information.php lists the event model knows: agents, skills, codes, routing points."""

from __future__ import annotations

import datetime as dt

from wolkvox_emulator.events import HOUR
from wolkvox_emulator.roster import AGENTS, CODES, ROUTING_POINTS, SKILLS
from wolkvox_emulator.truth.world import ListTruth, Record, World, agent_ids, iso

_LIST_LAST_USE = dt.datetime(2025, 1, 15, 8, 30)


def agents(world: World) -> list[Record]:
    """The agents list."""
    return [
        {
            **agent_ids(agent),
            "agent_status": "Active",
            "last_use": iso(world, _LIST_LAST_USE + n * 7 * HOUR),
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
            "last_use": iso(world, _LIST_LAST_USE + n * 5 * HOUR),
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
            "last_use": iso(world, _LIST_LAST_USE + n * HOUR),
        }
        for n, (rp, name) in enumerate(ROUTING_POINTS.items())
    ]


LISTS: dict[str, ListTruth] = {
    "agents": agents,
    "skills": skills,
    "activity_codes": activity_codes,
    "routing_points": routing_points,
}
