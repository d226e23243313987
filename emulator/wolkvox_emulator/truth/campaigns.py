"""campaign_3 and campaign_7: every dial attempt and every answering machine detected.

They read the dial events of `wolkvox_emulator.dataset`, so campaign_3's attempts and
campaign_7's detections are campaign_4's and campaign_6's counts.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections import Counter
from typing import TYPE_CHECKING, Any

from tap_wolkvox.windows import localize
from wolkvox_emulator.truth.world import (
    Record,
    Request,
    Truth,
    World,
    iso,
)

if TYPE_CHECKING:
    from collections.abc import Iterable


_GMT_5 = dt.timezone(dt.timedelta(hours=-5))  # campaign_3 writes its dates in GMT-5
_ATTEMPT_RESULT = {
    "answer machine": "ANSWER-MACHINE",
    "no answer": "NO-ANSWER",
    "failed": "FAILED",
    "answer": "ANSWER",
    "congestion": "CONGESTION",
    "abandon": "ABANDON",
    "busy": "BUSY",
    "chanunavail": "CHANUNAVAIL",
}


def campaign_phone_results(world: World, rq: Request) -> list[Record]:
    """campaign_3: every dial attempt, its date in GMT-5."""
    return [
        {
            "campaign_id": call.campaign,
            "customer_name": f"Cliente {customer}",
            "customer_last_name": "Prueba",
            "id_type": "CC",
            "customer_id": customer,
            "date": localize(at, world.zone).astimezone(_GMT_5).isoformat(),
            "telephone": call.telephone,
            "result": _ATTEMPT_RESULT[call.code],
            "opt1": "final" if call.final else None,
            **{f"opt{n}": None for n in range(2, 13)},
            "conn_id": conn_id,
        }
        for at, call, conn_id, customer in _attempts(world, rq)
    ]


def amd_details(world: World, rq: Request) -> list[Record]:
    """campaign_7: every answering machine detected."""
    return [
        {
            "customer_id": customer,
            "campaign_id": call.campaign,
            "file_name": f"amd-{conn_id}.wav",
            "telephone": call.telephone,
            "result": "AMD",
            "date": iso(world, at),
        }
        for at, call, conn_id, customer in _attempts(world, rq)
        if call.code == "answer machine"
    ]


def _attempts(world: World, rq: Request) -> Iterable[tuple[dt.datetime, Any, str, str]]:
    """Dial attempts with an ID and a customer of their own (several can share a second)."""
    seen: Counter[tuple[str, dt.datetime]] = Counter()
    for at, call in world.dataset.dated_calls(rq.value, *rq.api_dates):
        n = seen[call.campaign, at]
        seen[call.campaign, at] += 1
        epoch = calendar.timegm(at.timetuple())
        yield at, call, f"{call.campaign}.0277.{epoch}.{n}", f"{call.telephone[-4:]}{epoch}{n}"


TRUTH: dict[str, Truth] = {
    "campaign_phone_results": campaign_phone_results,
    "amd_details": amd_details,
}
