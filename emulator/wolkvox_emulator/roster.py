"""The contact centre's fixed cast: agents, skills, activity codes and routing points.

Also the names of break states, chat channels and unconnected call results.
"""

from __future__ import annotations

from dataclasses import dataclass


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
