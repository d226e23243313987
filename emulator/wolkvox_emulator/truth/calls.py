"""cdr_1 and cdr_5: every connected call, and every outbound call that did not connect."""

from __future__ import annotations

import decimal

from wolkvox_emulator.roster import SKILLS
from wolkvox_emulator.truth.world import (
    CENT,
    Record,
    Request,
    Truth,
    World,
    iso,
)


def call_details(world: World, rq: Request) -> list[Record]:
    """cdr_1: every connected call."""
    return [
        {
            "agent_name": c.agent.name if c.agent else None,
            "date": iso(world, c.arrival),
            "destiny": SKILLS[c.skill] if c.skill else "external",
            "telephone": c.customer.phone,
            "cost": (decimal.Decimal(c.talk) / 1000).quantize(CENT)
            if c.direction == "outbound"
            else decimal.Decimal("0.00"),
            "time_seg": c.talk,
            "time_min": (decimal.Decimal(c.talk) / 60).quantize(CENT),
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
            "date": iso(world, c.arrival),
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


TRUTH: dict[str, Truth] = {
    "call_details": call_details,
    "unconnected_call_details": unconnected_call_details,
}
