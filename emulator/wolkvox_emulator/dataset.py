"""Deterministic synthetic dial events, and the exact truth for any date range.

Events are generated per campaign and wall-clock hour from a seed, so any range can be
answered (and checked) without storing anything. Many fall on the first or last second of
an hour, so every window edge (00:00:00, 23:59:59) is exercised. Each event is one dial
attempt: its machine code, the telephone dialled, and whether it was the record's final one.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from tap_wolkvox.windows import API_DATE_FORMAT

if TYPE_CHECKING:
    from collections.abc import Iterator

MACHINE_CODES = (
    "answer machine",
    "no answer",
    "failed",
    "answer",
    "congestion",
    "abandon",
    "busy",
    "chanunavail",
)
_HOUR = dt.timedelta(hours=1)
_EDGE_SHARE = 0.15  # share of events on the first second of an hour, and again on the last
_PHONES_PER_CAMPAIGN = 150
_FINAL_SHARE = 0.6  # share of attempts that are a record's final one


@dataclass(frozen=True)
class Call:
    """One dial attempt."""

    campaign: str
    code: str
    telephone: str
    final: bool


@dataclass(frozen=True)
class Dataset:
    """Dial events for a set of campaigns; `all` means their union."""

    seed: int = 42
    campaigns: tuple[str, ...] = ("101", "102", "103")
    max_events_per_hour: int = 12
    timezone: str = "America/Bogota"
    _cache: dict[tuple[str, dt.datetime], tuple[tuple[int, str], ...]] = field(
        default_factory=dict, compare=False, repr=False
    )
    _details: dict[tuple[str, dt.datetime], tuple[tuple[str, bool], ...]] = field(
        default_factory=dict, compare=False, repr=False
    )

    def selected(self, campaign_id: str) -> tuple[str, ...]:
        """The campaigns a request's `campaign_id` names (`all`, any case, names every one)."""
        if campaign_id.lower() == "all":
            return self.campaigns
        return (campaign_id,) if campaign_id in self.campaigns else ()

    def campaign_info(self, campaign: str) -> dict[str, str]:
        """The campaigns list's row for one campaign, all values strings as Wolkvox sends them."""
        rng = random.Random(f"{self.seed}|{campaign}|info")  # noqa: S311
        kind = self.campaigns.index(campaign) % 3  # predictive+started, preview, stopped
        purpose = rng.choice(["Cobranza", "Ventas", "Encuestas"])
        last_use = dt.datetime(2025, 1, 1) + dt.timedelta(hours=rng.randrange(6000))
        return {
            "campaign_id": campaign,
            "campaign_name": f"Campaña {campaign} - {purpose}",
            "campaign_description": f"Synthetic campaign {campaign}",
            "type_campaign": "preview" if kind == 1 else "predictive",
            "status": "Stopped" if kind == 2 else "Started",  # noqa: PLR2004
            "records": str(rng.randint(500, 50000)),
            "speed": str(rng.randint(1, 5)),
            "dial_mode": rng.choice(["autopilot", "strategy", "phone1 - ring: 30(sec)"]),
            "last_use": f"{last_use:%Y-%m-%d %H:%M:%S}",
            "recycled": str(rng.randint(0, 5000)),
            "turbo_dial": rng.choice(["yes", "no"]),
        }

    def calls(self, campaign_id: str, date_ini: str, date_end: str) -> Iterator[Call]:
        """Every attempt in [date_ini, date_end], both inclusive wall-clock strings."""
        return (call for _, call in self.dated_calls(campaign_id, date_ini, date_end))

    def dated_calls(
        self, campaign_id: str, date_ini: str, date_end: str
    ) -> Iterator[tuple[dt.datetime, Call]]:
        """Every attempt in [date_ini, date_end] with its wall-clock time, hour by hour."""
        first = dt.datetime.strptime(date_ini, API_DATE_FORMAT)
        last = dt.datetime.strptime(date_end, API_DATE_FORMAT)
        hour = first.replace(minute=0, second=0)
        while hour <= last:
            lo = (first - hour).total_seconds() if hour < first else 0
            hi = (last - hour).total_seconds()
            for campaign in self.selected(campaign_id):
                events = self.hour_events(campaign, hour)
                details = self._hour_details(campaign, hour, len(events))
                for (second, code), (telephone, final) in zip(events, details, strict=True):
                    if lo <= second <= hi:
                        yield (
                            hour + dt.timedelta(seconds=second),
                            Call(campaign, code, telephone, final),
                        )
            hour += _HOUR

    def _hour_details(
        self, campaign: str, hour: dt.datetime, n: int
    ) -> tuple[tuple[str, bool], ...]:
        key = (campaign, hour)
        if key not in self._details:
            rng = random.Random(f"{self.seed}|{campaign}|{hour:%Y%m%d%H}|details")  # noqa: S311
            base = 3_000_000_000 + int(campaign) * 1000 if campaign.isdigit() else 3_100_000_000
            self._details[key] = tuple(
                (str(base + rng.randrange(_PHONES_PER_CAMPAIGN)), rng.random() < _FINAL_SHARE)
                for _ in range(n)
            )
        return self._details[key]

    def hour_events(self, campaign: str, hour: dt.datetime) -> tuple[tuple[int, str], ...]:
        """(second of hour, machine code) of each event in one wall-clock hour."""
        key = (campaign, hour)
        if key not in self._cache and not _exists(hour, ZoneInfo(self.timezone)):
            self._cache[key] = ()  # a wall-clock hour skipped by DST has no calls
        if key not in self._cache:
            rng = random.Random(f"{self.seed}|{campaign}|{hour:%Y%m%d%H}")  # noqa: S311
            busy = 1.0 if 8 <= hour.hour < 20 else 0.3  # noqa: PLR2004 - day shifts dial more
            events = []
            for _ in range(rng.randint(0, round(self.max_events_per_hour * busy))):
                roll = rng.random()
                second = (
                    0
                    if roll < _EDGE_SHARE
                    else 3599
                    if roll < 2 * _EDGE_SHARE
                    else rng.randrange(3600)
                )
                events.append((second, rng.choice(MACHINE_CODES)))
            self._cache[key] = tuple(sorted(events))
        return self._cache[key]

    def counts(self, campaign_id: str, date_ini: str, date_end: str) -> Counter[str]:
        """Events per machine code in [date_ini, date_end], both inclusive wall-clock strings."""
        return Counter(call.code for call in self.calls(campaign_id, date_ini, date_end))


def _exists(hour: dt.datetime, tz: ZoneInfo) -> bool:
    """Whether a wall-clock hour happens in `tz` (DST skips one a year in some zones)."""
    aware = hour.replace(tzinfo=tz)
    return aware.astimezone(dt.timezone.utc).astimezone(tz).replace(tzinfo=None) == hour
