"""Benchmark rows for scale (issue 15): many partitions, detail backfills, the call budget.

Each function takes the benchmark's `Bench` and prints its rows with `row`.
"""

from __future__ import annotations

import json
import math
import statistics
from typing import TYPE_CHECKING, Any

from harness import TAP, measure

if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path

AGENT_EVENTS = "agent_events"
CDR_STREAM = "call_details"
BUDGET_STREAMS = ("turbo_dial_machine_codes", "campaign_final_results", "amd_accumulated")


def many_agents(bench: Any, row: Callable[..., None]) -> None:  # noqa: ANN401
    """N agents x 1 day of agent_events: wall / ideal, STATE / stdout, CPU vs one STATE, RSS.

    Wall is measured with `latency` per call; CPU, with and without STATE along the way,
    with none (the emulator shares this machine's cores).
    """
    agents, latency = (1000, 0.05) if bench.quick else (5000, 0.05)
    bench.state.agent_count = agents
    common = {"start_date": "2025-06-01", "end_date": "2025-06-02"}
    rated = bench.tap(AGENT_EVENTS, bench.config("agents", **common))
    once = bench.tap(
        AGENT_EVENTS, bench.config("agents-once", state_interval_seconds=3600, **common)
    )
    about = [TAP, "--about"]
    found: list[dict[str, float]] = []
    for _ in range(bench.runs):
        startup = measure(about).wall
        bench.state.reset()
        bench.state.latency = latency
        out: Path = bench.workdir / "agents.jsonl"
        measured = measure(rated, rss=True, keep=out)
        calls = len(bench.state.stats()["calls"])
        state_bytes = sum(len(line) for line in out.read_bytes().splitlines() if b'"STATE"' in line)
        bench.state.latency = 0.0
        bench.state.reset()
        cpu = measure(rated).cpu
        bench.state.reset()
        single = measure(once)
        found.append(
            {
                "wall": measured.wall,
                "ideal": calls * latency / 2 + startup,
                "state": state_bytes,
                "stdout": out.stat().st_size,
                "cpu": cpu,
                "cpu_once": single.cpu,
                "rss": measured.peak_mib,
            }
        )
    bench.state.latency = 0.0
    bench.state.agent_count = None

    def med(key: str) -> float:
        return statistics.median(f[key] for f in found)

    label = f"{agents:,} agents x 1 day, agent_events at {latency * 1000:.0f} ms"
    row(
        f"{label}: wall",
        f"{med('wall'):.1f} s",
        f"calls x latency / 2 + start-up = {med('ideal'):.1f} s",
        f"{med('wall') / med('ideal'):.3f}",
        "<= 1.1",
    )
    row(
        f"{label}: STATE bytes",
        f"{med('state') / 1024:.0f} KiB of {med('stdout') / 1024 / 1024:.1f} MiB stdout",
        "stdout bytes",
        f"{med('state') / med('stdout'):.3f}",
        "<= 0.05",
    )
    row(
        f"{label}: CPU",
        f"{med('cpu'):.2f} s (state_interval_seconds 10, no latency)",
        f"one STATE at the end {med('cpu_once'):.2f} s",
        f"{med('cpu') / med('cpu_once'):.2f}",
        "<= 2",
    )
    row(f"{label}: peak RSS", f"{med('rss'):.0f} MiB", "-", "-", "-")


def detail_backfill(bench: Any, row: Callable[..., None]) -> None:  # noqa: ANN401
    """A 120-day call_details backfill: report calls against the fewest possible."""
    config = bench.config("cdr-120", start_date="2025-01-01", end_date="2025-05-01")
    bench.state.reset()
    measured = measure(bench.tap(CDR_STREAM, config))
    calls = [c for c in bench.state.stats()["calls"] if c["api"] == "cdr_1"]
    days = 120
    fewest = math.ceil(days / 31)
    row(
        f"{days}-day call_details backfill (auto windows)",
        f"{len(calls)} report calls, {measured.records:,} records "
        f"({measured.records / days:.0f} per day)",
        f"fewest: ceil({days} / 31) = {fewest}; one per day: {days}",
        f"{len(calls) / fewest:.2f}",
        "<= 5 calls",
    )


def budget_backfill(bench: Any, row: Callable[..., None]) -> None:  # noqa: ANN401
    """A backfill needing K x the run's budget: runs to complete, calls per run against it."""
    budget, days = 21, 10  # token_info + 20 windows; 3 streams x 2 campaigns x 10 days = 60
    config = bench.config(
        "budget",
        start_date="2025-06-01",
        end_date=f"2025-06-{days + 1:02d}",
        campaign_ids=["101", "102"],
        max_calls_per_run=budget,
    )
    command = bench.tap(BUDGET_STREAMS[0], config, streams=BUDGET_STREAMS)
    state_file = bench.workdir / "budget-state.json"
    per_run: list[int] = []
    state: dict[str, Any] | None = None
    for _ in range(10):
        bench.state.reset()
        out = bench.workdir / "budget.jsonl"
        argv = command if state is None else [*command, "--state", str(state_file)]
        measure(argv, keep=out)
        states = [json.loads(line) for line in out.read_text().splitlines() if '"STATE"' in line]
        per_run.append(len(bench.state.stats()["calls"]))
        state = states[-1]["value"]
        state_file.write_text(json.dumps(state))
        if _done(state, f"2025-06-{days + 1:02d}"):
            break
    k = math.ceil(3 * 2 * days / (budget - 1))
    row(
        f"backfill of {3 * 2 * days} windows, max_calls_per_run {budget}",
        f"{len(per_run)} runs; calls per run {', '.join(map(str, per_run))}",
        f"K = {k} budgets: K + 1 = {k + 1} runs",
        f"max calls / budget {max(per_run) / budget:.2f}",
        f"<= {k + 1} runs; <= 1.00",
    )


def _done(state: dict[str, Any], end: str) -> bool:
    return all(
        p.get("replication_key_value", "").startswith(end)
        for stream in BUDGET_STREAMS
        for p in state["bookmarks"].get(stream, {}).get("partitions", [{}])
    )
