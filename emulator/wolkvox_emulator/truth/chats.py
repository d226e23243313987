"""chat_1, chat_2 and chat_16: every chat, every message, and chats per agent."""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING

from wolkvox_emulator.roster import AGENTS
from wolkvox_emulator.truth.world import (
    Record,
    Request,
    Truth,
    World,
    agent_ids,
    average,
    iso,
    share,
)

if TYPE_CHECKING:
    from wolkvox_emulator.events import Chat


def chats(world: World, rq: Request) -> list[Record]:
    """chat_1: every chat."""
    return [
        {
            "conn_id": c.conn_id,
            "channel": c.channel,
            "date": iso(world, c.start),
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
            "date": iso(world, m.at),
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
            **agent_ids(agent, dni=False),
            "total_chats": len(own),
            "time": sum(c.seconds for c in own),
            "tmo": average(sum(c.seconds for c in own), len(own)),
            "percent_transfer": share(sum(c.transferred for c in own), len(own)),
        }
        for agent in AGENTS
        if (own := per_agent[agent.id])
    ]


TRUTH: dict[str, Truth] = {
    "chats": chats,
    "chat_messages": chat_messages,
    "chat_agent_productivity": chat_agent_productivity,
}
