"""The floor for the tap's per-record work: a plain loop that parses, types and dumps.

It reads the same answer bodies the tap gets, types each value the simplest way (text as
is, counts and durations in seconds with `int`, numbers with `float`, date-times with
`strptime`, empty as null), adds the window fields and writes a Singer RECORD line with
`json.dumps`: no validation, no SDK, no HTTP.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import time
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

_BOGOTA = dt.timezone(dt.timedelta(hours=-5))
TYPERS: dict[str, Callable[[Any], Any]] = {
    "text": lambda v: v,
    "count": lambda v: int(v) if v else None,
    "duration": lambda v: int(v) if v else None,  # seconds, as the benchmark's answers send
    "number": lambda v: float(v) if v else None,
    "datetime": lambda v: (
        dt.datetime.strptime(v, "%Y-%m-%d %H:%M:%S").replace(tzinfo=_BOGOTA).isoformat()
        if v
        else None
    ),
}


def plain_cpu(bodies: Sequence[bytes], stream: str, kinds: dict[str, str]) -> tuple[float, int]:
    """CPU seconds to parse, type and dump every row of `bodies`, and the records made."""
    typers = [(name, TYPERS[kind]) for name, kind in kinds.items()]
    window = {
        "campaign_id": "all",
        "window_start": "2025-03-01T00:00:00-05:00",
        "window_end": "2025-03-02T00:00:00-05:00",
    }
    records = 0
    with open(os.devnull, "w", encoding="utf-8") as sink:  # noqa: PTH123
        started = time.process_time()
        for body in bodies:
            for row in json.loads(body)["data"]:
                record = {**window, **{name: typer(row.get(name)) for name, typer in typers}}
                now = dt.datetime.now(dt.timezone.utc).isoformat()
                message = {"type": "RECORD", "stream": stream, "record": record}
                sink.write(json.dumps({**message, "time_extracted": now}) + "\n")
                records += 1
        return time.process_time() - started, records
