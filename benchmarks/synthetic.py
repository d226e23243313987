"""Synthetic answers of a chosen size, for the benchmark only.

`answers(n)` makes the in-process emulator answer every `campaign_10` request with `n` rows
of campaign_10's shape (distinct machine codes), and every `bench_cdr_1` request with `n`
rows of a 20-field report shaped like cdr_1 (call detail records: every value a string; 17
kept as text, 2 counts, 1 number). The tap has no cdr_1 stream yet, so `BenchTap` is
tap-wolkvox plus a `bench_cdr_1` stream on the same window engine; run it as
`python benchmarks/synthetic.py --config ... --catalog ...`, exactly like `tap-wolkvox`.
"""

from __future__ import annotations

from contextlib import contextmanager
from functools import cache
from typing import TYPE_CHECKING

from tap_wolkvox.emulator.reports import REPORTS
from tap_wolkvox.fields import Field
from tap_wolkvox.tap import TapWolkvox
from tap_wolkvox.windowed import WindowedReportStream, windowed_keys, windowed_schema

if TYPE_CHECKING:
    from collections.abc import Iterator

    from singer_sdk import Stream

CDR_REPORT = "bench_cdr_1"
_TEXT = (
    "agent_name",
    "date",
    "destiny",
    "telephone",
    "cod_act",
    "description_cod_act",
    "cod_act_2",
    "description_cod_act_2",
    "type_interaction",
    "customer_id",
    "hang_up",
    "campaign_id",
    "skill_id",
    "skill_name",
    "agent_id",
    "comment",
)
CDR_FIELDS = (
    Field("conn_id", "text", "Interaction ID.", key=True),
    *(Field(name, "text", name) for name in _TEXT),
    Field("time_seg", "count", "Duration in seconds."),
    Field("time_min", "count", "Duration in minutes."),
    Field("cost", "number", "Cost."),
)


class CdrLikeStream(WindowedReportStream):
    """A 20-field report shaped like cdr_1, on the tap's window engine (benchmark only)."""

    name = CDR_REPORT
    report = CDR_REPORT
    selected_by_default = False
    fields = CDR_FIELDS
    schema = windowed_schema(fields)
    primary_keys = windowed_keys(fields)


class BenchTap(TapWolkvox):
    """tap-wolkvox with the synthetic `bench_cdr_1` stream added."""

    def discover_streams(self) -> list[Stream]:
        """The tap's streams and `bench_cdr_1`."""
        return [*super().discover_streams(), CdrLikeStream(self)]


@cache
def codes_rows(n: int) -> list[dict[str, str]]:
    """`n` campaign_10 rows, each a distinct machine code."""
    return [{"machinecode": f"machine code {i:06d}", "cantidad": str(i % 977)} for i in range(n)]


@cache
def cdr_rows(n: int) -> list[dict[str, str]]:
    """`n` cdr_1-like rows, every value a string as Wolkvox sends it."""
    return [
        {
            "conn_id": f"{9_000_000_000 + i}",
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
            "time_min": str(i % 600 // 60),
            "cost": f"{(i % 600) * 0.0125:.4f}",
        }
        for i in range(n)
    ]


@contextmanager
def answers(n: int) -> Iterator[None]:
    """While inside, the in-process emulator answers campaign_10 and bench_cdr_1 with `n` rows."""
    saved = dict(REPORTS)
    REPORTS["campaign_10"] = (lambda *_: codes_rows(n), False)
    REPORTS[CDR_REPORT] = (lambda *_: cdr_rows(n), False)
    try:
        yield
    finally:
        REPORTS.clear()
        REPORTS.update(saved)


def kinds(stream: str) -> dict[str, str]:
    """Each field's kind (`text`, `count`, `number`) for the plain loop to type."""
    if stream == CDR_REPORT:
        return {f.name: f.kind for f in CDR_FIELDS}
    return {"machinecode": "text", "cantidad": "count"}


if __name__ == "__main__":
    BenchTap.cli()
