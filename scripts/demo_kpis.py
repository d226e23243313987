"""Print the KPIs analysts ask for first, from the demo's DuckDB file.

Runs in target-duckdb's own environment, which has the duckdb module. Arguments: the database
file, its schema, the operation's time zone and the demo's end (a day it cuts short is partial).
target-duckdb stores date-times as UTC; the local day is computed here from the time zone.
"""

from __future__ import annotations

import datetime as dt
import sys

import duckdb

CALLS_PER_AGENT_DAY = """
    select cast(timezone($tz, timezone('UTC', "date")) as date) as day, agent_name,
           count(*) as calls, avg(time_seg) as aht_seconds
    from {schema}.call_details
    where agent_id is not null
    group by all
    order by day, agent_name
"""
SERVICE_LEVEL_PER_SKILL = """
    select skill_name, sum(inbound_calls), sum(answer_calls), sum(abandon_calls),
           sum(service_level_20seg * inbound_calls) / nullif(sum(inbound_calls), 0)
    from {schema}.skill_service_levels
    group by all
    order by skill_name
"""
TURBO_DIAL_PER_CAMPAIGN = """
    select c.campaign_name, sum(m.cantidad) as dials,
           sum(m.cantidad) filter (where m.machinecode = 'answer') as answered,
           sum(m.cantidad) filter (where m.machinecode = 'answer machine') as machines,
           sum(m.cantidad) filter (where m.machinecode = 'no answer') as no_answer,
           sum(m.cantidad) filter (where m.machinecode = 'busy') as busy
    from {schema}.turbo_dial_machine_codes m
    join {schema}.campaigns c using (campaign_id)
    group by all
    order by 1
"""
DUPLICATE_KEYS = """
    select (select count(*) - count(distinct conn_id) from {schema}.call_details)
         + (select count(*) - count(distinct (skill_id, window_start))
            from {schema}.skill_service_levels)
         + (select count(*) - count(distinct (campaign_id, window_start, machinecode))
            from {schema}.turbo_dial_machine_codes)
"""


def minutes(seconds: float) -> str:
    """`m:ss`."""
    whole = round(seconds)
    return f"{whole // 60}:{whole % 60:02d}"


def table(head: list[str], rows: list[list[str]]) -> None:
    """A Markdown table, columns as wide as their widest cell."""
    widths = [max(len(h), *(len(r[i]) for r in rows)) for i, h in enumerate(head)]
    print("| " + " | ".join(h.ljust(w) for h, w in zip(head, widths, strict=True)) + " |")
    print("|" + "|".join("-" * (w + 2) for w in widths) + "|")
    for row in rows:
        cells = [row[0].ljust(widths[0])] + [
            c.rjust(w) for c, w in zip(row[1:], widths[1:], strict=True)
        ]
        print("| " + " | ".join(cells) + " |")


def main(path: str, schema: str, zone: str, end: str) -> None:
    """The three KPI tables, then a check that no key was loaded twice."""
    cut = dt.datetime.fromisoformat(end)
    with duckdb.connect(path, read_only=True) as db:
        per_agent = db.execute(CALLS_PER_AGENT_DAY.format(schema=schema), {"tz": zone}).fetchall()
        per_skill = db.execute(SERVICE_LEVEL_PER_SKILL.format(schema=schema)).fetchall()
        per_campaign = db.execute(TURBO_DIAL_PER_CAMPAIGN.format(schema=schema)).fetchall()
        (duplicates,) = db.execute(DUPLICATE_KEYS.format(schema=schema)).fetchone() or (0,)
    print(f"\nKPIs from {path} (schema {schema}), days in {zone}")
    agents = sorted({agent for _, agent, _, _ in per_agent})
    cells = {(day, agent): f"{n} · {minutes(aht)}" for day, agent, n, aht in per_agent}
    print("\nCalls and average handle time (m:ss) per agent per local day:")
    days = sorted({day for day, _, _, _ in per_agent})
    partial = cut.date() if cut.time() != dt.time() else None  # the demo's end cuts this day
    label = {d: f"{d} (to {cut:%H:%M})" if d == partial else str(d) for d in days}
    table(
        ["day", *agents],
        [[label[d], *(cells.get((d, a), "-") for a in agents)] for d in days],
    )
    print("\nService level per skill (answered within 20 s, of inbound calls):")
    table(
        ["skill", "inbound", "answered", "abandoned", "service level 20 s"],
        [[s, str(i), str(a), str(b), f"{sl:.1f} %"] for s, i, a, b, sl in per_skill],
    )
    print("\nTurbo Dial results per campaign:")
    table(
        ["campaign", "dials", "answered", "answering machine", "no answer", "busy", "answer rate"],
        [
            [name, str(n), str(a), str(m), str(na), str(b), f"{100 * a / n:.1f} %"]
            for name, n, a, m, na, b in per_campaign
        ],
    )
    print(f"\n{duplicates} keys loaded twice (reruns upsert: run the demo again, still 0).")
    if duplicates:
        sys.exit("duplicate keys in the demo's tables")


if __name__ == "__main__":
    main(*sys.argv[1:5])
