"""The fetch workers: window order, no head-of-line blocking, bounded requests and connections,
and a clean stop."""

from __future__ import annotations

import itertools
import threading
import time
from typing import TYPE_CHECKING, Any

import pytest

from tap_wolkvox.ordered_fetch import LOOKAHEAD_PER_WORKER, ROW_BUDGET, OrderedPrefetch
from tap_wolkvox.report_stream import ReportStream
from tap_wolkvox.tap import TapWolkvox
from tests.helpers import TOKEN, base_config, report_calls, run_tap, totals, truth, upsert
from wolkvox_emulator import Fault

if TYPE_CHECKING:
    from pathlib import Path

    from wolkvox_emulator import Emulator

START, END = "2025-08-01", "2025-08-09"  # 8 daily windows


def calls_by_day(emulator: Emulator) -> dict[str, dict[str, Any]]:
    return {c["date_ini"][:8]: c for c in report_calls(emulator)}


def test_a_slow_answer_does_not_hold_up_the_next_windows(
    emulator: Emulator, tmp_path: Path
) -> None:
    emulator.state.latency_of = lambda p: 1.0 if p["date_ini"].startswith("20250801") else 0.02
    config = base_config(
        emulator.url,
        start_date=START,
        end_date=END,
        campaign_ids=["101"],
        state_interval_seconds=0,  # a STATE after every window
    )
    run = run_tap(config, tmp_path)
    assert run.returncode == 0, run.stderr
    calls = calls_by_day(emulator)
    slow = calls["20250801"]
    # the other worker fetched the look-ahead while the first window was outstanding ...
    lookahead = [f"2025080{d}" for d in range(2, 2 * LOOKAHEAD_PER_WORKER + 1)]
    assert all(calls[day]["finished"] < slow["finished"] for day in lookahead)
    # ... and nothing further ahead than that
    assert calls["20250805"]["started"] >= slow["finished"]
    assert emulator.state.stats()["peak_in_flight"] == 2
    # records and bookmarks still come in window order
    starts = [r["window_start"][:10] for r in run.records]
    assert starts == sorted(starts)
    bookmarks = [s["bookmarks"]["turbo_dial_machine_codes"]["partitions"][0] for s in run.states]
    values = [b["replication_key_value"] for b in bookmarks if "replication_key_value" in b]
    assert list(dict.fromkeys(values)) == [f"2025-08-0{d}T00:00:00-05:00" for d in range(2, 10)]
    assert totals(upsert(run)) == truth(emulator.state.dataset, ["101"], START, END)


@pytest.mark.parametrize("limit", [1, 2])
def test_a_run_opens_one_connection_per_request_in_flight(
    emulator: Emulator, tmp_path: Path, limit: int
) -> None:
    # the campaigns list (main thread) and two reports over three campaigns
    emulator.state.latency = 0.02
    config = base_config(
        emulator.url,
        start_date=START,
        end_date=END,
        campaign_ids=["*"],
        max_concurrent_requests=limit,
    )
    run = run_tap(config, tmp_path, streams=("turbo_dial_machine_codes", "campaign_final_results"))
    assert run.returncode == 0, run.stderr
    stats = emulator.state.stats()
    assert len(stats["calls"]) > 20
    assert stats["peak_in_flight"] == limit
    assert stats["connections"] == limit


def stream_for(emulator: Emulator, **overrides: Any) -> ReportStream:
    config = base_config(emulator.url, start_date=START, end_date=END, campaign_ids=["101"])
    stream = TapWolkvox(config={**config, **overrides}).streams["turbo_dial_machine_codes"]
    assert isinstance(stream, ReportStream)
    return stream


def test_closing_the_queue_stops_the_workers_and_their_retries(emulator: Emulator) -> None:
    emulator.state.latency = 0.05
    # the third window keeps failing: its worker is between retries when the consumer stops
    emulator.add_faults(Fault("server_error", times=100, match={"date_ini": "20250803"}))
    stream = stream_for(emulator, max_retries=8, retry_wait_seconds=0.2)
    stream._start_queue("101")
    queue = stream._queue
    assert queue is not None
    request, records = next(queue)
    assert request.window is not None
    assert (request.window.date_ini, bool(records)) == ("20250801000000", True)
    deadline = time.monotonic() + 30
    while not any(c["fault"] for c in report_calls(emulator)):
        assert time.monotonic() < deadline
        time.sleep(0.01)  # until the first refusal: the retries have begun
    queue.close()
    workers = [t for t in threading.enumerate() if t.name.startswith("wolkvox-fetch")]
    assert len(workers) == 2
    for thread in workers:
        thread.join(timeout=30)  # a request already sent may finish; nothing else is sent
        assert not thread.is_alive()
    assert emulator.state.in_flight == {TOKEN: 0}
    calls = report_calls(emulator)
    assert len([c for c in calls if c["fault"]]) <= 3, "the retries went on after the stop"
    # one window taken: at most the look-ahead beyond it was ever requested
    assert {c["date_ini"][:8] for c in calls} <= {f"2025080{d}" for d in range(1, 6)}


def test_a_first_answer_that_may_be_large_is_fetched_alone() -> None:
    lock = threading.Lock()
    running: set[int] = set()
    overlapped: set[int] = set()  # calls that had another call in flight beside them
    calls = itertools.count()

    def fetch(size: int, _cancelled: threading.Event) -> list[int]:
        with lock:
            call = next(calls)
            if running:
                overlapped.update({call, *running})
            running.add(call)
        time.sleep(0.05)  # an answer on the wire, so that a second worker could overlap it
        with lock:
            running.discard(call)
        return [0] * size

    big = ROW_BUDGET
    small = list(OrderedPrefetch(fetch, [10, 10, 10, 10], 2, first_size=big))
    assert [item for item, _ in small] == [10, 10, 10, 10]
    assert 0 not in overlapped  # nothing ran beside the first request
    assert overlapped  # once its answer proved small: both workers again
    overlapped.clear()
    large = list(OrderedPrefetch(fetch, [big] * 3, 2, first_size=big))
    assert [item for item, _ in large] == [big] * 3
    assert not overlapped  # answers at the cap: one at a time
