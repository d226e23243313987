"""Benchmark tap-wolkvox against the emulator and print one table.

    uv run python benchmarks/run_benchmark.py            # full run, about 2 minutes
    uv run python benchmarks/run_benchmark.py --quick    # smaller figures, for a smoke check

Figures: backfill wall time at 1 and 2 requests in flight against the ideal, the emulator's
peak of simultaneous requests, startup against a bare `import singer_sdk`, the writer's
emit rate against plain `json.dumps`, and peak RSS for a long daily backfill.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import math
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from contextlib import redirect_stdout
from pathlib import Path
from typing import Any

from singer_sdk.contrib.msgspec import MsgSpecWriter
from singer_sdk.singerlib.encoding.simple import RecordMessage, SimpleSingerWriter

from tap_wolkvox.emulator.dataset import Dataset
from tap_wolkvox.emulator.server import Emulator, EmulatorState

TOKEN = "bench-token"  # noqa: S105 - the emulator's throwaway token
TAP = str(Path(sys.executable).with_name("tap-wolkvox"))


def run_tap(url: str, workdir: Path, **settings: Any) -> tuple[float, int, int]:  # noqa: ANN401
    """Run the CLI once; return wall seconds, records emitted and peak RSS (KiB).

    Peak RSS is the child's own VmHWM, polled from /proc: rusage's ru_maxrss would also count
    the benchmark process's pages that the child saw between fork and exec.
    """
    config = {"api_token": TOKEN, "api_url": url, **settings}
    path = workdir / "config.json"
    path.write_text(json.dumps(config))
    peak = [0]
    started = time.perf_counter()
    with subprocess.Popen(
        [TAP, "--config", str(path)], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL
    ) as proc:
        watcher = threading.Thread(target=_watch_rss, args=(proc, peak), daemon=True)
        watcher.start()
        records = sum(1 for line in proc.stdout or () if line.startswith(b'{"type":"RECORD"'))
        watcher.join()
    elapsed = time.perf_counter() - started
    if proc.returncode != 0:
        sys.exit(f"tap-wolkvox failed with exit code {proc.returncode}")
    return elapsed, records, peak[0]


def _watch_rss(proc: subprocess.Popen[bytes], peak: list[int]) -> None:
    status = Path(f"/proc/{proc.pid}/status")
    while proc.poll() is None:
        try:
            for line in status.read_text().splitlines():
                if line.startswith("VmHWM:"):
                    peak[0] = max(peak[0], int(line.split()[1]))
        except (FileNotFoundError, ProcessLookupError):
            return
        time.sleep(0.02)


def median_startups(commands: dict[str, list[str]], runs: int) -> dict[str, float]:
    """Median wall time of each command over `runs` runs, interleaved after one warm-up each."""
    times: dict[str, list[float]] = {name: [] for name in commands}
    for round_ in range(runs + 1):
        for name, command in commands.items():
            started = time.perf_counter()
            subprocess.run(command, check=True, capture_output=True)
            if round_:  # round 0 warms the file cache
                times[name].append(time.perf_counter() - started)
    return {name: statistics.median(values) for name, values in times.items()}


def emit_rates(count: int) -> dict[str, float]:
    """Records per second written to /dev/null by each writer, and by plain json.dumps."""
    extracted = dt.datetime.now(dt.timezone.utc)
    messages = [
        RecordMessage(
            stream="turbo_dial_machine_codes",
            record={
                "campaign_id": str(100 + i % 7),
                "window_start": "2025-03-01T00:00:00-05:00",
                "window_end": "2025-03-02T00:00:00-05:00",
                "machinecode": "no answer",
                "cantidad": i,
            },
            time_extracted=extracted,
        )
        for i in range(count)
    ]
    rates = {}
    with open(os.devnull, "w", encoding="utf-8") as sink:  # noqa: PTH123
        for label, writer in (
            ("msgspec writer (tap)", MsgSpecWriter()),
            ("simplejson writer (SDK default)", SimpleSingerWriter()),
        ):
            with redirect_stdout(sink):
                started = time.perf_counter()
                for message in messages:
                    writer.write_message(message)
                rates[label] = count / (time.perf_counter() - started)
        dicts = [m.to_dict() for m in messages]
        for d in dicts:
            d["time_extracted"] = extracted.isoformat()
        started = time.perf_counter()
        for d in dicts:
            sink.write(json.dumps(d) + "\n")
        rates["plain json.dumps"] = count / (time.perf_counter() - started)
    return rates


def main() -> None:
    """Run every benchmark and print the table."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--quick", action="store_true", help="smaller figures for a smoke check")
    args = parser.parse_args()
    windows, latency = (10, 0.1) if args.quick else (60, 0.3)
    campaigns = ["101", "102"]
    long_days = 60 if args.quick else 730

    state = EmulatorState(dataset=Dataset(), tokens=frozenset({TOKEN}), latency=latency)
    emulator = Emulator(state).start()
    start = dt.date(2024, 1, 1)
    rows: list[tuple[str, str]] = []
    try:
        with tempfile.TemporaryDirectory() as tmp:
            workdir = Path(tmp)
            backfill = {
                "start_date": start.isoformat(),
                "end_date": (start + dt.timedelta(days=windows)).isoformat(),
                "campaign_ids": campaigns,
            }
            ideal = math.ceil(windows * len(campaigns) / 2) * latency
            times = {}
            for limit in (1, 2):
                state.reset()
                times[limit], _, _ = run_tap(
                    emulator.url, workdir, max_concurrent_requests=limit, **backfill
                )
                peak = state.stats()["peak_in_flight"]
                rows.append(
                    (
                        (
                            f"backfill {windows} windows x {len(campaigns)} campaigns "
                            f"@ {latency * 1000:.0f} ms, max_concurrent_requests={limit}"
                        ),
                        f"{times[limit]:.2f} s (peak in flight {peak})",
                    )
                )
            rows.append(("ideal ceil(W*C/2) x latency", f"{ideal:.2f} s"))
            rows.append(("ratio with 2 / ideal (goal <= 1.10)", f"{times[2] / ideal:.3f}"))
            rows.append(("speed-up 2 vs 1", f"{times[1] / times[2]:.2f}x"))

            for runs in (5, 21):  # 5 as the goal states it; 21 for a steadier figure
                startup = median_startups(
                    {
                        "about": [TAP, "--about"],
                        "bare": [sys.executable, "-c", "import singer_sdk"],
                    },
                    runs,
                )
                about, bare = startup["about"], startup["bare"]
                rows.append((f"startup: tap-wolkvox --about (median of {runs})", f"{about:.3f} s"))
                rows.append(
                    (f"startup: python -c 'import singer_sdk' (median of {runs})", f"{bare:.3f} s")
                )
                rows.append((f"startup ratio, {runs} runs (goal <= 1.05)", f"{about / bare:.3f}"))

            for label, rate in emit_rates(200_000 if not args.quick else 20_000).items():
                rows.append((f"emit rate, {label}", f"{rate:,.0f} records/s"))

            state.latency = 0.0
            for days in (60, long_days) if long_days != 60 else (30, 60):
                state.reset()
                seconds, records, rss = run_tap(
                    emulator.url,
                    workdir,
                    start_date=start.isoformat(),
                    end_date=(start + dt.timedelta(days=days)).isoformat(),
                    campaign_ids=campaigns,
                )
                rows.append(
                    (
                        f"daily backfill {days} days x {len(campaigns)} campaigns, no latency",
                        f"{seconds:.2f} s, {records} records, peak RSS {rss / 1024:.1f} MiB",
                    )
                )
    finally:
        emulator.stop()

    print(
        f"tap-wolkvox benchmark, {dt.datetime.now(dt.timezone.utc):%Y-%m-%d}, "
        f"{platform.python_implementation()} "
        f"{platform.python_version()}, {os.cpu_count()} cores, {platform.machine()}"
    )
    width = max(len(name) for name, _ in rows)
    print(f"| {'measure':<{width}} | value |")
    print(f"| {'-' * width} | ----- |")
    for name, value in rows:
        print(f"| {name:<{width}} | {value} |")


if __name__ == "__main__":
    main()
