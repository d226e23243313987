"""Print the demo's DuckDB: machine codes per day, then per campaign name (a join).

Runs in target-duckdb's own environment, which has the duckdb module. Arguments: the
database file, and the demo's end (a day it cuts short is marked partial).
"""

from __future__ import annotations

import datetime as dt
import sys
from collections import defaultdict
from zoneinfo import ZoneInfo

import duckdb

ZONE = ZoneInfo("America/Bogota")  # target-duckdb stores window_start in UTC
BY_CAMPAIGN_NAME = """
    select c.campaign_name, m.machinecode, sum(m.cantidad) as calls
    from wolkvox.turbo_dial_machine_codes m
    join wolkvox.campaigns c using (campaign_id)
    group by 1, 2
    order by 1, 2
"""


def main(path: str, end: str) -> None:
    """Pivot the table: one row per local day, one column per machine code."""
    cut = dt.datetime.fromisoformat(end)
    with duckdb.connect(path, read_only=True) as db:
        rows = db.execute(
            "select window_start, machinecode, sum(cantidad) from wolkvox.turbo_dial_machine_codes "
            "group by 1, 2"
        ).fetchall()
        by_name = db.execute(BY_CAMPAIGN_NAME).fetchall()
        total, distinct = db.execute(
            "select count(*), count(distinct (campaign_id, window_start, machinecode)) "
            "from wolkvox.turbo_dial_machine_codes"
        ).fetchone()
    table: dict[str, dict[str, int]] = defaultdict(dict)
    for start, code, count in rows:
        day = start.replace(tzinfo=ZoneInfo("UTC")).astimezone(ZONE).date().isoformat()
        table[day][code] = count
    codes = sorted({code for per_day in table.values() for code in per_day})
    print("\nTurbo Dial machine codes per day, all campaigns (output/wolkvox_duckdb):")
    print("| day                   | " + " | ".join(codes) + " |")
    print("|-----------------------|" + "|".join("-" * (len(c) + 2) for c in codes) + "|")
    for day in sorted(table):
        cells = [f"{table[day].get(c, 0):>{len(c)}}" for c in codes]
        partial = cut.time() != dt.time()
        label = f"{day} (to {cut:%H:%M})" if partial and day == cut.date().isoformat() else day
        print(f"| {label:<21} | " + " | ".join(cells) + " |")
    if cut.time() != dt.time():
        print(f"The last day is partial: the demo's end_date is {end}.")
    print(f"{total} rows, {distinct} distinct (campaign_id, window_start, machinecode) keys")
    print("\nThe same, per campaign name (turbo_dial_machine_codes joined to campaigns):")
    names = sorted({name for name, _, _ in by_name})
    width = max(len(n) for n in names)
    print(f"| {'campaign':<{width}} | " + " | ".join(codes) + " |")
    print(f"|{'-' * (width + 2)}|" + "|".join("-" * (len(c) + 2) for c in codes) + "|")
    for name in names:
        calls = {code: n for row_name, code, n in by_name if row_name == name}
        cells = [f"{calls.get(c, 0):>{len(c)}}" for c in codes]
        print(f"| {name:<{width}} | " + " | ".join(cells) + " |")
    if distinct != total:
        sys.exit("duplicate keys in the table")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
