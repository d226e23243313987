"""What the emulator is set to do (quota, latency, faults, answer forms), and what it has seen."""

from __future__ import annotations

import datetime as dt
import threading
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

if TYPE_CHECKING:
    from collections.abc import Callable

    from wolkvox_emulator.dataset import Dataset
    from wolkvox_emulator.faults import Fault

ROW_CAP = 60_000  # records Wolkvox returns per call at most
DEFAULT_TOKEN_LIMIT = 100_000  # token_info's limit when no --quota or --token-limit is given


@dataclass
class EmulatorState:
    """What the emulator is set to do, and what it has seen."""

    dataset: Dataset
    tokens: frozenset[str]
    quota: int | None = None
    latency: float = 0.0
    latency_of: Callable[[dict[str, str]], float] | None = None  # per query; replaces `latency`
    code_as_int: bool = False
    # An empty window: "404" is what the live API answers (HTTP 404 "Validate dates
    # entered", docs/wolkvox-api.md §3); "list", "null" and "missing" are the doc samples'
    # `data` forms.
    empty_data: str = "404"
    # Wolkvox records a call when it ends: a call shows up this many minutes after its stamp.
    late_minutes: float = 0.0
    # The operation's wall-clock "now" for late calls (None: the real clock).
    now: dt.datetime | None = None
    # Values that replace the campaigns list's own, per campaign (e.g. a campaign stopped).
    campaign_changes: dict[str, dict[str, str]] = field(default_factory=dict)
    percent_field: str = "percent"  # a public client reads campaign_1's field as "porcent"
    row_cap: int = ROW_CAP
    # token_info's answer: the day's limit (None: `quota`, else DEFAULT_TOKEN_LIMIT), and the
    # calls other integrations made today before this emulator's own count.
    token_limit: int | None = None
    token_used: int = 0
    # The agents list: this many agents (1001, 1002, ...) instead of the event model's five.
    agent_count: int | None = None
    faults: list[Fault] = field(default_factory=list)
    calls: list[dict[str, Any]] = field(default_factory=list)
    in_flight: dict[str, int] = field(default_factory=dict)
    peak_in_flight: int = 0
    connections: int = 0  # TCP connections accepted
    usage: dict[tuple[str, dt.date], int] = field(default_factory=dict)
    # real_time info_server answers on dedicated servers only (else a 404)
    dedicated_server: bool = False
    snapshot_calls: dict[tuple[str, str], int] = field(default_factory=dict)  # per (path, api)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def recorded_by(self) -> dt.datetime | None:
        """Calls stamped after this wall-clock time are not recorded yet (None: all are)."""
        if not self.late_minutes:
            return None
        now = self.now or dt.datetime.now(ZoneInfo(self.dataset.timezone)).replace(tzinfo=None)
        return now - dt.timedelta(minutes=self.late_minutes)

    def stats(self) -> dict[str, Any]:
        """Calls seen (with their answers), the peak of simultaneous requests, connections."""
        with self.lock:
            return {
                "calls": list(self.calls),
                "peak_in_flight": self.peak_in_flight,
                "connections": self.connections,
            }

    def reset(self) -> None:
        """Forget calls, faults, quota use, the concurrency peak and the connection count."""
        with self.lock:
            self.faults.clear()
            self.calls.clear()
            self.usage.clear()
            self.snapshot_calls.clear()
            self.peak_in_flight = 0
            self.connections = 0

    def request_latency(self, params: dict[str, str]) -> float:
        """The seconds this request waits before its answer: `latency_of(params)` or `latency`."""
        return self.latency if self.latency_of is None else self.latency_of(params)

    def take_fault(self, params: dict[str, str]) -> Fault | None:
        """The first queued fault matching this request, consumed once."""
        with self.lock:
            for fault in self.faults:
                if fault.times > 0 and fault.matches(params):
                    fault.times -= 1
                    return fault
        return None
