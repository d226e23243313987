"""docs/more-endpoints.md and meltano.yml's real-time and billing runs match the declarations."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import yaml

from tap_wolkvox.catalogue import MORE_NOT_STREAMS, MORE_REPORTS
from tap_wolkvox.catalogue.more_table import END, START, more_endpoints_table
from tap_wolkvox.catalogue.report import REAL_TIME_ENDPOINT

ROOT = Path(__file__).parent.parent
DOCS = ROOT / "docs" / "more-endpoints.md"
RUNS_A_DAY = 24 * 60 // 5


def project() -> dict[str, Any]:
    return yaml.safe_load((ROOT / "meltano.yml").read_text(encoding="utf-8"))


def extractor(name: str) -> dict[str, Any]:
    (plugin,) = [p for p in project()["plugins"]["extractors"] if p["name"] == name]
    return plugin


def selected(name: str) -> list[str]:
    return [entry.removesuffix(".*") for entry in extractor(name)["select"]]


def calls_per_run(streams: list[str]) -> int:
    """One call per endpoint (and partition value) a run asks, shared answers once, and the
    run's one `token_info` read (its call budget)."""
    reports = [r for r in MORE_REPORTS if r.stream in streams]
    calls = set()
    for report in reports:
        kind = report.partition_kind
        values = kind.values if kind is not None and kind.values else ("all",)
        calls |= {(report.endpoint, report.api, value) for value in values}
    return len(calls) + 1


def test_docs_table_matches_the_declarations() -> None:
    text = DOCS.read_text(encoding="utf-8")
    assert text.count(START) == text.count(END) == 1
    table = more_endpoints_table(MORE_REPORTS, MORE_NOT_STREAMS)
    assert text.split(START, 1)[1].split(END, 1)[0] == "\n" + table
    printed = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "more_endpoints_table.py")],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert printed == table
    for report in MORE_REPORTS:
        assert f"`{report.stream}`" in text


def test_the_realtime_extractor_selects_the_real_time_snapshots_every_5_minutes() -> None:
    realtime = extractor("tap-wolkvox--realtime")
    assert realtime["inherit_from"] == "tap-wolkvox"
    expected = [
        r.stream
        for r in MORE_REPORTS
        if r.snapshot and r.endpoint == REAL_TIME_ENDPOINT and not r.optional
    ]
    assert selected("tap-wolkvox--realtime") == expected
    schedules = {s["name"]: s for s in project()["schedules"]}
    jobs = {j["name"]: j["tasks"] for j in project()["jobs"]}
    assert schedules["realtime"]["interval"] == "*/5 * * * *"
    assert jobs[schedules["realtime"]["job"]] == ["tap-wolkvox--realtime target-postgres"]
    calls = calls_per_run(expected)
    assert calls == len(expected) - 2 + 1  # the latency streams share one call; token_info
    text = DOCS.read_text(encoding="utf-8")
    assert f"{RUNS_A_DAY} runs x {calls} calls = **{RUNS_A_DAY * calls:,}**" in text


def test_the_billing_extractor_runs_daily_with_its_27_products() -> None:
    billing = extractor("tap-wolkvox--billing")
    assert billing["inherit_from"] == "tap-wolkvox"
    assert selected("tap-wolkvox--billing") == ["billing_usage"]
    schedules = {s["name"]: s for s in project()["schedules"]}
    minute, hour, *every_day = schedules["billing"]["interval"].split()
    assert minute.isdigit()
    assert hour.isdigit()
    assert every_day == ["*", "*", "*"]
    calls = calls_per_run(["billing_usage"])
    assert calls == 27 + 1
    assert f"1 run x {calls} calls = **{calls}**" in DOCS.read_text(encoding="utf-8")
