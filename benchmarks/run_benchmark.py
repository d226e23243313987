"""Benchmark tap-wolkvox against the emulator: every figure beside its floor or peer.

    uv run python benchmarks/run_benchmark.py            # full run, about 20 minutes
    uv run python benchmarks/run_benchmark.py --quick    # smaller and fewer runs, a smoke check
    uv run python benchmarks/run_benchmark.py --cases agents detail budget daily  # ~13 min
    uv run python benchmarks/run_benchmark.py --cases memory  # issue 15's memory goal, ~2 min

Each case runs its commands interleaved (A B A B ...) several times and prints the median
ratio with its range, one table row as soon as the case is done. Bytecode is compiled
first, as an image built with it would have. Figures are whole `tap-wolkvox` runs, of
campaign_10 and of the 20-field cdr_1 report (`call_details`), answered at chosen sizes.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import random
import statistics
import sys
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

import requests
from harness import (
    TAP,
    compile_bytecode,
    measure,
    pipeline,
    spread,
    target_jsonl,
)
from importtime import extra_imports
from plain_loop import plain_cpu
from scale_cases import budget_backfill, detail_backfill, many_agents
from sized_answers import CDR_STREAM, answers, kinds

from tap_wolkvox.catalogue.report import REPORTS_ENDPOINT
from tap_wolkvox.tap import TapWolkvox
from wolkvox_emulator import Dataset, Emulator, EmulatorState

if TYPE_CHECKING:
    from collections.abc import Callable

TOKEN = "bench-token"  # noqa: S105 - the emulator's throwaway token
CODES = "turbo_dial_machine_codes"


class Bench:
    """The emulator, a scratch folder, and the run count shared by every case."""

    def __init__(self, emulator: Emulator, workdir: Path, runs: int, *, quick: bool) -> None:
        """Cases run `runs` times each, smaller with `quick`."""
        self.emulator = emulator
        self.state = emulator.state
        self.workdir = workdir
        self.runs = runs
        self.quick = quick

    def config(self, name: str, **settings: Any) -> str:  # noqa: ANN401
        """Write a tap config file; return its path."""
        path = self.workdir / f"{name}.json"
        config = {"api_token": TOKEN, "api_url": self.emulator.url, "campaign_ids": ["all"]}
        path.write_text(json.dumps({**config, **settings}))
        return str(path)

    def tap(self, stream: str, config: str, streams: tuple[str, ...] = ()) -> list[str]:
        """The command that syncs `stream`, or `streams` (by default only campaign_10)."""
        if stream == CODES and not streams:
            return [TAP, "--config", config]
        chosen = streams or (stream,)
        catalog = TapWolkvox(config=json.loads(Path(config).read_text())).catalog_dict
        for entry in catalog["streams"]:
            for item in entry["metadata"]:
                if not item["breadcrumb"]:
                    item["metadata"]["selected"] = entry["tap_stream_id"] in chosen
        path = self.workdir / f"catalog-{stream}.json"
        path.write_text(json.dumps(catalog))
        return [TAP, "--config", config, "--catalog", str(path)]

    def bodies(self, api: str, days: int) -> list[bytes]:
        """The emulator's answers for `days` daily windows from 2025-03-01, as the tap gets them."""
        out = []
        for day in range(days):
            date = (dt.date(2025, 3, 1) + dt.timedelta(days=day)).strftime("%Y%m%d")
            params = {"api": api, "campaign_id": "all", "date_ini": f"{date}000000"}
            out.append(
                requests.get(
                    self.emulator.url + REPORTS_ENDPOINT,
                    params={**params, "date_end": f"{date}235959"},
                    headers={"wolkvox-token": TOKEN},
                    timeout=60,
                ).content
            )
        return out


def row(*cells: str) -> None:
    """One table row, printed at once."""
    print("| " + " | ".join(cells) + " |", flush=True)


def varying(seed: int) -> Callable[[dict[str, str]], float]:
    """Latency drawn from [0.1, 0.5] s for each (campaign, window), by seed."""

    def latency(params: dict[str, str]) -> float:
        key = f"{seed}|{params.get('campaign_id')}|{params.get('date_ini')}"
        return random.Random(key).uniform(0.1, 0.5)  # noqa: S311

    return latency


def backfill(bench: Bench) -> None:
    """Fixed 300 ms and varying 0.1-0.5 s latency, interleaved: span / ideal, in flight, TCP."""
    days = 10 if bench.quick else 40
    config = bench.config(
        "backfill",
        start_date="2024-01-01",
        end_date=(dt.date(2024, 1, 1) + dt.timedelta(days=days)).isoformat(),
        campaign_ids=["101", "102"],
    )
    cases: dict[str, Callable[[int], Callable[[dict[str, str]], float]]] = {
        "fixed 300 ms": lambda _: lambda _params: 0.3,
        "varying 0.1-0.5 s": varying,
    }
    found: dict[str, list[tuple[float, float, int, int]]] = {name: [] for name in cases}
    for run in range(bench.runs):
        for name, latency in cases.items():
            bench.state.reset()
            bench.state.latency_of = latency(run)
            measure([TAP, "--config", config])
            stats = bench.state.stats()
            calls = stats["calls"]
            span = max(c["finished"] for c in calls) - min(c["started"] for c in calls)
            # the run's token_info read comes alone, before the plan it decides: its latency
            # is not shared; every window's is, by the 2 requests in flight
            alone = sum(c["latency"] for c in calls if c.get("api") == "token_info")
            ideal = alone + sum(c["latency"] for c in calls if c.get("api") != "token_info") / 2
            found[name].append((span, ideal, stats["peak_in_flight"], stats["connections"]))
    bench.state.latency_of = None
    for name, results in found.items():
        spans, ideals, peaks, connections = zip(*results, strict=True)
        row(
            f"backfill 2 campaigns x {days} windows, {name}",
            f"HTTP span {statistics.median(spans):.2f} s; peak in flight {max(peaks)}; "
            f"TCP connections {max(connections)} for {len(calls)} requests",
            f"ideal token_info + sum(window latency)/2 = {statistics.median(ideals):.2f} s",
            spread([s / i for s, i, *_ in results]),
            "<= 1.03; <= 2 connections",
        )


def daily_run(bench: Bench) -> None:
    """A daily run at 02:00: requests per campaign (the design: yesterday again, and today)."""
    campaigns = ["101", "102", "103"]
    state = {
        "bookmarks": {
            CODES: {
                "partitions": [
                    {
                        "context": {"campaign_id": c},
                        "replication_key": "window_start",
                        "replication_key_value": "2025-09-09T00:00:00-05:00",
                    }
                    for c in campaigns
                ]
            }
        }
    }
    state_file = bench.workdir / "daily-state.json"
    state_file.write_text(json.dumps(state))
    config = bench.config(
        "daily", start_date="2025-01-01", end_date="2025-09-10T02:00:00", campaign_ids=campaigns
    )
    bench.state.reset()
    measure([TAP, "--config", config, "--state", str(state_file)])
    calls = len([c for c in bench.state.stats()["calls"] if c["api"] != "token_info"])
    row(
        f"daily run at 02:00, {len(campaigns)} campaigns",
        f"{calls / len(campaigns):.1f} requests per partition",
        "2 by design (yesterday again, today)",
        f"{calls / len(campaigns) / 2:.2f}",
        "1.00",
    )


def marginal_cpu(bench: Bench) -> None:
    """CPU per record beyond a run's fixed costs, against the plain loop over the same answers."""
    days, small, large = 8, 10, (1000 if bench.quick else 5000)
    config = bench.config("cpu", start_date="2025-03-01", end_date="2025-03-09")
    shapes = {  # stream: (api, what it is, the CLI that runs it)
        CODES: ("campaign_10", "campaign_10 (2 fields, 5 per record)", "tap-wolkvox"),
        CDR_STREAM: ("cdr_1", "cdr_1 call_details (20 string fields)", "tap-wolkvox"),
    }
    commands = {stream: bench.tap(stream, config) for stream in shapes}
    ratios: dict[str, list[tuple[float, float]]] = {stream: [] for stream in shapes}
    for _ in range(bench.runs):
        for stream, (api, *_) in shapes.items():
            tap: dict[int, tuple[float, int]] = {}
            plain: dict[int, tuple[float, int]] = {}
            for rows in (small, large):
                with answers(rows):
                    measured = measure(commands[stream])
                    tap[rows] = (measured.cpu, measured.records)
                    plain[rows] = plain_cpu(bench.bodies(api, days), stream, kinds(stream))
            ratios[stream].append(
                (_per_record(tap, small, large), _per_record(plain, small, large))
            )
    for stream, (_, label, program) in shapes.items():
        taps, plains = zip(*ratios[stream], strict=True)
        row(
            f"marginal CPU per record, {label}",
            f"{statistics.median(taps) * 1e6:.1f} us ({program}, "
            f"{days} windows x {large} vs {small} rows)",
            f"plain parse-type-dump loop {statistics.median(plains) * 1e6:.1f} us",
            spread([t / p for t, p in ratios[stream]], ".2f"),
            "<= 2.5",
        )


def _per_record(runs: dict[int, tuple[float, int]], small: int, large: int) -> float:
    (cpu_small, records_small), (cpu_large, records_large) = runs[small], runs[large]
    return (cpu_large - cpu_small) / (records_large - records_small)


def throughput(bench: Bench) -> None:
    """Records per second of the tap into a pipe, and piped into target-jsonl."""
    days, rows = (4, 2000) if bench.quick else (16, 10_000)
    config = bench.config(
        "throughput",
        start_date="2025-03-01",
        end_date=(dt.date(2025, 3, 1) + dt.timedelta(days=days)).isoformat(),
    )
    target = target_jsonl(bench.workdir)
    alone: list[float] = []
    piped: list[float] = []
    with answers(rows):
        plain_seconds, plain_records = plain_cpu(
            bench.bodies("campaign_10", days), CODES, kinds(CODES)
        )
        for _ in range(bench.runs):
            measured = measure([TAP, "--config", config])
            alone.append(measured.records / measured.wall)
            wall, loaded = pipeline([TAP, "--config", config], target, bench.workdir / "jsonl")
            if loaded != measured.records:
                sys.exit(f"target-jsonl wrote {loaded} records of {measured.records}")
            piped.append(loaded / wall)
    total = f"{days} windows x {rows} rows of campaign_10, whole runs"
    row(
        "records/s, tap-wolkvox into a pipe",
        f"{statistics.median(alone):,.0f} records/s ({total})",
        f"plain loop {plain_records / plain_seconds:,.0f} records/s (CPU only, no start-up)",
        spread([a / (plain_records / plain_seconds) for a in alone]),
        "-",
    )
    row(
        "records/s, tap-wolkvox piped into target-jsonl 0.1.4",
        f"{statistics.median(piped):,.0f} records/s",
        f"the tap alone {statistics.median(alone):,.0f} records/s",
        spread([p / a for p, a in zip(piped, alone, strict=True)]),
        "-",
    )


#: Issue 15's memory goal for one 60,000-row window of the 20-field report: 150 MB, in MiB.
WINDOW_PEAK_GOAL_MIB = 150e6 / 2**20
#: A backfill of many such windows stays flat: its peak at most this much over one window's.
BACKFILL_FLAT_GOAL = 1.1


def peak_rss(bench: Bench) -> None:
    """Peak RSS of the 20-field report at 8, 6k and 60k rows per window."""
    sizes = [(8, 4), (6000, 4), (59_999, 1), (59_999, 4)]
    if bench.quick:
        sizes = [(8, 2), (6000, 2)]
    floor, found = _peaks(bench, sizes)
    for (rows, days), peaks in found.items():
        goal = f"< {WINDOW_PEAK_GOAL_MIB:.0f} MiB (150 MB)" if rows > 50_000 else "-"
        _rss_row(rows, days, peaks, floor, goal)


def memory(bench: Bench) -> None:
    """Issue 15's memory goal: one 59,999-row cdr_1 window, and a backfill of 8 of them."""
    one, many = (59_999, 1), (59_999, 2 if bench.quick else 8)
    floor, found = _peaks(bench, [one, many])
    goal = f"< {WINDOW_PEAK_GOAL_MIB:.0f} MiB (150 MB)"
    _rss_row(*one, found[one], floor, goal)
    _rss_row(*many, found[many], floor, goal)
    ratios = [m / o for o, m in zip(found[one], found[many], strict=True)]
    row(
        f"  backfill stays flat: peak of {many[1]} windows / peak of 1",
        f"{statistics.median(found[many]):.0f} MiB / {statistics.median(found[one]):.0f} MiB",
        "1 window",
        spread(ratios, ".2f"),
        f"<= {BACKFILL_FLAT_GOAL}",
    )


def _peaks(
    bench: Bench, sizes: list[tuple[int, int]]
) -> tuple[list[float], dict[tuple[int, int], list[float]]]:
    """Peak RSS of `python -c 'import singer_sdk'`, and of the tap at each (rows, windows)."""
    bare = [sys.executable, "-c", "import singer_sdk"]
    floor = []
    found: dict[tuple[int, int], list[float]] = {size: [] for size in sizes}
    for _ in range(bench.runs):
        floor.append(measure(bare, rss=True).peak_mib)
        for rows, days in sizes:
            config = bench.config(
                f"rss-{rows}-{days}",
                start_date="2025-03-01",
                end_date=(dt.date(2025, 3, 1) + dt.timedelta(days=days)).isoformat(),
                detail_window_days=1,  # one window a day, whatever the volume
            )
            with answers(rows):
                measured = measure(bench.tap(CDR_STREAM, config), rss=True)
            if measured.records != rows * days:
                sys.exit(f"{rows:,} rows x {days} windows emitted {measured.records:,} records")
            found[(rows, days)].append(measured.peak_mib)
    return floor, found


def _rss_row(rows: int, days: int, peaks: list[float], floor: list[float], goal: str) -> None:
    row(
        f"peak RSS, cdr_1 call_details (20 fields), {rows:,} rows/window x {days} windows",
        f"{statistics.median(peaks):.0f} MiB (range {min(peaks):.0f}-{max(peaks):.0f})",
        f"python -c 'import singer_sdk' {statistics.median(floor):.0f} MiB",
        f"{statistics.median(peaks) / statistics.median(floor):.2f}",
        goal,
    )


def startup(bench: Bench) -> None:
    """`tap-wolkvox --about` against `python -c 'import singer_sdk'`, interleaved pairs."""
    pairs = 5 if bench.quick else 21
    about = [TAP, "--about"]
    bare = [sys.executable, "-c", "import singer_sdk"]
    measure(about), measure(bare)  # warm the file cache
    results = [(measure(about), measure(bare)) for _ in range(pairs)]
    walls = [a.wall / b.wall for a, b in results]
    cpus = [a.cpu / b.cpu for a, b in results]
    row(
        "start-up, tap-wolkvox --about (bytecode present)",
        f"{statistics.median(a.wall for a, _ in results) * 1000:.0f} ms wall; CPU ratio "
        f"{spread(cpus)}",
        f"python -c 'import singer_sdk' {statistics.median(b.wall for _, b in results) * 1000:.0f}"
        " ms",
        spread(walls),
        "<= 1.05",
    )
    extra_ms, modules = extra_imports(about, bare)
    own = sum(ms for name, ms in modules if name.startswith("tap_wolkvox"))
    row(
        "  where the difference goes (python -X importtime, medians of 5)",
        f"{extra_ms:.1f} ms importing {len(modules)} modules singer_sdk does not, "
        f"{own:.1f} ms of them tap_wolkvox's own",
        "slowest: " + ", ".join(f"{name} {ms:.1f} ms" for name, ms in modules[:5]),
        "the rest is the SDK's --about: 3 package metadata reads, the settings table",
        "-",
    )


CASES: dict[str, Callable[[Bench], None]] = {
    "backfill": backfill,
    "daily": daily_run,
    "cpu": marginal_cpu,
    "throughput": throughput,
    "rss": peak_rss,
    "memory": memory,
    "startup": startup,
    "agents": lambda bench: many_agents(bench, row),
    "detail": lambda bench: detail_backfill(bench, row),
    "budget": lambda bench: budget_backfill(bench, row),
}


def main() -> None:
    """Run every case and print the table row by row."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--quick", action="store_true", help="smaller and fewer runs")
    parser.add_argument("--runs", type=int, default=None, help="runs per case (default 3)")
    parser.add_argument(
        "--cases", nargs="*", choices=sorted(CASES), help="only these cases (default: all)"
    )
    args = parser.parse_args()
    runs = args.runs or (1 if args.quick else 3)
    compiled = compile_bytecode()
    load = "/".join(f"{x:.1f}" for x in os.getloadavg())
    print(
        f"tap-wolkvox benchmark, {dt.datetime.now(dt.timezone.utc):%Y-%m-%d}, "
        f"{platform.python_implementation()} {platform.python_version()}, {os.cpu_count()} "
        f"cores, load {load} at start; {compiled} .pyc files present; "
        f"PYTHONUNBUFFERED={os.environ.get('PYTHONUNBUFFERED', '')!r}; {runs} runs per case"
    )
    row("case", "figure", "floor or peer", "ratio: median (range)", "goal")
    row(*["---"] * 5)
    emulator = Emulator(EmulatorState(dataset=Dataset(), tokens=frozenset({TOKEN}))).start()
    try:
        with tempfile.TemporaryDirectory() as tmp:
            bench = Bench(emulator, Path(tmp), runs, quick=args.quick)
            for name in args.cases or CASES:
                CASES[name](bench)
    finally:
        emulator.stop()
    print(f"load {'/'.join(f'{x:.1f}' for x in os.getloadavg())} at the end")


if __name__ == "__main__":
    main()
