"""The records the tap should read on the paths outside the Reports Manager: the truth.

Typed records, as the tap should read them (without the fields it adds); `more_endpoints`
writes them out the way the collection shows each endpoint. Dated reports: a few rows on each
day of the range, at both edges and in the middle, so a window's truth is exact. Snapshots
(billing, real time) change between calls: `serial` counts the calls to that (path, api), and
the rolling lists move on by one call per call.
"""

from __future__ import annotations

import datetime as dt
import decimal
import zlib
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from tap_wolkvox.windows import API_DATE_FORMAT, localize
from wolkvox_emulator.generic import day_moments
from wolkvox_emulator.roster import AGENTS, SKILLS

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

    from tap_wolkvox.catalogue import Report
    from tap_wolkvox.fields import Field
    from wolkvox_emulator.dataset import Dataset
    from wolkvox_emulator.values import Record

DATES = ("date_ini", "date_end")
_AGENTS = tuple(agent.id for agent in AGENTS[:3])  # the roster's, as the reports' own
_SKILLS = tuple(SKILLS)
_SURVEYS = ("Encuesta ventas", "Encuesta soporte")
_TEMPLATES = 3  # per connector
_BASE = 4  # records in a campaign's base
_ROLLING = 3  # conn_ids in the rolling lists; one new per call


def truth(dataset: Dataset, report: Report, params: Mapping[str, str], serial: int) -> list[Record]:
    """The records the tap should read from this answer (without the fields it adds)."""
    zone = ZoneInfo(dataset.timezone)
    value = _partition_value(report, params)
    if report.dated:
        first, last = (dt.datetime.strptime(params[k], API_DATE_FORMAT) for k in DATES)
        return _dated(report, first, last, value, zone)
    if report.snapshot:
        return _snapshot(dataset, report, params, serial, zone)
    if report.stream == "quality_matrix":
        return [
            {"survey": survey, **_values(report.item_fields, f"{survey}|{n}", n, zone)}
            for survey in _SURVEYS
            for n in range(3)
        ]
    if report.stream == "whatsapp_templates":
        return [
            _values(report.fields, f"{value}|{n}", n, zone, tag=f"{value}-{n}")
            for n in range(_TEMPLATES)
        ]
    return [  # campaign_15: the campaign's base
        _values(report.fields, f"{value}|{n}", n, zone, tag=f"{value}-{n}") for n in range(_BASE)
    ]


def _partition_value(report: Report, params: Mapping[str, str]) -> str:
    kind = report.partition_kind
    return params[kind.param] if kind is not None else "all"


def _dated(
    report: Report, first: dt.datetime, last: dt.datetime, value: str, zone: ZoneInfo
) -> list[Record]:
    """Rows at fixed moments of each day in [first, last]; gamification: a day per agent."""
    moments = day_moments(first, last)
    if report.shape == "nested":  # agents_kpi: each agent's stats, one per day, newest first
        days = sorted({m.date() for m in moments}, reverse=True)
        return [
            {
                **_values(report.fields, agent, 0, zone, tag=agent),
                **_values(report.item_fields, f"{agent}|{d}", 0, zone, when=_midnight(d)),
            }
            for agent in _AGENTS
            for d in days
        ]
    return [
        _values(report.fields, f"{value}|{m}", n, zone, when=m, tag=f"{value}-{m:%Y%m%d%H%M%S}")
        for n, m in enumerate(moments)
    ]


def _midnight(day: dt.date) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day)


def _snapshot(
    dataset: Dataset, report: Report, params: Mapping[str, str], serial: int, zone: ZoneInfo
) -> list[Record]:
    """What a real-time or billing answer says at call `serial`: it changes every call."""
    # the hour, not the second: a truth computed a moment later reads the same date-times
    now = dt.datetime.now(zone).replace(tzinfo=None, minute=0, second=0, microsecond=0)
    if report.stream == "billing_usage":
        product = params["api"]
        return [
            {
                "operation": "demo",
                "description": f"Month-to-date usage of {product}",
                "items": decimal.Decimal(zlib.crc32(product.encode()) % 1000 + serial),
                "date": f"{now:%Y-%m-%d}",
            }
        ]
    if report.stream in {"realtime_calls_last_10_minutes", "realtime_hits_last_hour"}:
        ids = range(serial, serial + _ROLLING)  # one conn_id leaves, one comes, per call
        return [
            _values(report.fields, f"{report.api}|{k}", k, zone, when=now, tag=f"{report.api}-{k}")
            for k in ids
        ]
    if report.stream == "realtime_campaigns":
        return [_campaign(report, c, serial, zone) for c in dataset.campaigns]
    if report.stream == "realtime_skills":
        asked = params["skill_id"]
        skills = _SKILLS if asked == "all" else (asked,)
        return [
            {**_values(report.fields, f"{s}|{serial}", serial, zone), "skill_id": s} for s in skills
        ]
    rows = 2 + serial % 2  # the number of rows changes too
    if report.shape == "nested":
        return [
            {
                **_values(report.fields, f"{agent}|{serial}", 0, zone, tag=agent),
                **_values(
                    report.item_fields,
                    f"{agent}|{serial}|{n}",
                    n,
                    zone,
                    when=now,
                    tag=f"{agent}-{serial}-{n}",
                ),
            }
            for agent in _AGENTS[:2]
            for n in range(rows)
        ]
    if report.stream == "realtime_server":
        rows = 1
    return [
        _values(
            report.fields, f"{report.stream}|{serial}|{n}", n, zone, when=now, tag=f"{serial}-{n}"
        )
        for n in range(rows)
    ]


def _campaign(report: Report, campaign: str, serial: int, zone: ZoneInfo) -> Record:
    record = _values(report.fields, f"{campaign}|{serial}", serial, zone)
    share = (int(campaign) + serial) % 100
    record["campaign"] = f"{campaign} - Campaña {campaign} - tel1 {share} % tel2 {100 - share} %"
    record["campaign_id"] = campaign
    return record


def _values(  # noqa: PLR0913 - one argument per thing a value depends on
    fields: Sequence[Field],
    seed_text: str,
    n: int,
    zone: ZoneInfo,
    *,
    when: dt.datetime | None = None,
    tag: str = "",
) -> Record:
    """A value of each field's kind; key text is unique to `tag`; some other values null."""
    moment = when or dt.datetime(2025, 1, 15, 8, 30)
    record: Record = {}
    for field in fields:
        seed = zlib.crc32(f"{seed_text}|{field.name}".encode())
        if not field.key and seed % 5 == 0 and field.kind != "list":
            record[field.name] = None  # written as a placeholder
        else:
            record[field.name] = _value(field, seed, n, moment, zone=zone, tag=tag)
    return record


def _value(  # noqa: PLR0911, PLR0913 - one return per kind; what a value depends on
    field: Field, seed: int, n: int, moment: dt.datetime, *, zone: ZoneInfo, tag: str
) -> Any:  # noqa: ANN401
    if field.kind in {"count", "duration"}:
        return seed % (500 if field.kind == "count" else 200_000)
    if field.kind == "number":
        return decimal.Decimal(seed % 100000) / 1000
    if field.kind == "percent":
        return decimal.Decimal(seed % 1_500_000) / 100  # up to 15,000.00 %
    if field.kind == "datetime":
        return localize(moment, zone).isoformat()
    if field.kind == "date":
        return moment.date().isoformat()
    if field.kind == "hour":
        return f"{moment.hour:02d}:00"
    if field.kind == "list":
        return _nested_list(field.name, n)
    if field.kind == "leading_id":
        return str(100 + n)
    return f"{field.name}-{tag or n}"


def _nested_list(name: str, n: int) -> list[Record]:
    """A chat's messages, or a template's parts (buttons nested again)."""
    if name == "conversation":
        return [
            {"from": who, "msg": f"mensaje {k} de {n}", "date": f"2025-01-15 08:3{k}:00"}
            for k, who in enumerate(("customer", "agent"))
        ]
    return [
        {"type": "HEADER", "text": f"Hola {n}"},
        {"type": "BODY", "text": "Su pedido {{1}} está listo"},
        {"type": "BUTTONS", "buttons": [{"type": "URL", "text": "Ver", "url": "https://x.test"}]},
    ]
