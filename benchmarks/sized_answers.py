"""Emulator answers of a chosen size, for the benchmark only.

`answers(n)` makes the in-process emulator answer every `campaign_10` request with `n`
distinct machine codes, and every `cdr_1` request (the `call_details` stream) with `n` call
detail rows: 20 fields, every value a string as Wolkvox sends it.
"""

from __future__ import annotations

from contextlib import contextmanager
from functools import cache
from typing import TYPE_CHECKING, Any

from tap_wolkvox.catalogue import BY_API
from wolkvox_emulator import handler

if TYPE_CHECKING:
    from collections.abc import Iterator

CDR_STREAM = "call_details"


@cache
def codes_rows(n: int) -> list[dict[str, str]]:
    """`n` campaign_10 rows, each a distinct machine code."""
    return [{"machinecode": f"machine code {i:06d}", "cantidad": str(i % 977)} for i in range(n)]


@cache
def cdr_rows(n: int) -> list[dict[str, str]]:
    """`n` cdr_1 rows, every value a string as Wolkvox sends it."""
    return [
        {
            "conn_id": f"12462.0277.{1_782_400_000 + i}.{i % 99_999:05d}",
            "agent_name": f"Agente {i % 97} Pérez",
            "date": f"2025-03-01 {i % 24:02d}:{i % 60:02d}:{i % 59:02d}",
            "destiny": "outbound",
            "telephone": f"57300{i % 9_999_999:07d}",
            "cod_act": "TIMEOUTACW",
            "description_cod_act": "Tiempo de ACW agotado",
            "cod_act_2": "" if i % 3 else "VENTA",
            "description_cod_act_2": "" if i % 3 else "Venta cerrada",
            "type_interaction": "call",
            "customer_id": f"{10_000_000 + i * 7}",
            "hang_up": "agent" if i % 2 else "customer",
            "campaign_id": "101",
            "skill_id": f"{200 + i % 5}",
            "skill_name": f"Cobranza {i % 5}",
            "agent_id": f"{3000 + i % 97}",
            "comment": "" if i % 5 else "cliente pide volver a llamar",
            "time_seg": str(i % 600),
            "time_min": f"{i % 600 / 60:.2f}",
            "cost": f"{(i % 600) * 0.0125:.4f}",
        }
        for i in range(n)
    ]


@contextmanager
def answers(n: int) -> Iterator[None]:
    """While inside, the in-process emulator answers campaign_10 and cdr_1 with `n` rows."""
    original = handler.answer_rows
    sized = {"campaign_10": codes_rows, "cdr_1": cdr_rows}

    def answer_rows(dataset: Any, api: str, params: Any, **options: Any) -> Any:  # noqa: ANN401
        return sized[api](n) if api in sized else original(dataset, api, params, **options)

    handler.answer_rows = answer_rows
    try:
        yield
    finally:
        handler.answer_rows = original


def kinds(stream: str) -> dict[str, str]:
    """Each field's kind, for the plain loop to type."""
    api = "cdr_1" if stream == CDR_STREAM else "campaign_10"
    return {f.name: f.kind for f in BY_API[api].fields}
