"""meltano.yml's real-time and billing extractors, run by real Meltano into DuckDB and PostgreSQL.

Two real-time runs then one billing run: after upsert, history streams hold both snapshots,
the rolling lists each conn_id once, and billing one row per product for the day.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from tap_wolkvox.catalogue import BY_STREAM
from tap_wolkvox.catalogue.schema import record_key
from tests.helpers import TOKEN
from tests.test_meltano import _pg, _pg_binary, duckdb_tables, meltano
from tests.test_meltano import postgres as postgres  # noqa: PLC0414 - the session's server
from tests.test_more_endpoints_docs import selected
from wolkvox_emulator.more_truth import truth

if TYPE_CHECKING:
    from pathlib import Path

    from wolkvox_emulator import Emulator

pytestmark = pytest.mark.integration


def expected_counts(emulator: Emulator, runs: int) -> dict[str, int]:
    """Rows per real-time table after `runs` runs and upsert, from the emulator's truth."""
    counts = {}
    for stream in selected("tap-wolkvox--realtime"):
        report = BY_STREAM[stream]
        params = {"skill_id": "all"} if report.partition_kind is not None else {}
        snapshots = [
            truth(emulator.state.dataset, report, params, serial) for serial in range(1, runs + 1)
        ]
        if report.own_key:
            keys = {tuple(r[k] for k in record_key(report)) for s in snapshots for r in s}
            counts[stream] = len(keys)
        else:
            counts[stream] = sum(map(len, snapshots))
    return {**counts, "billing_usage": 27}


def env_for(tmp_path: Path, emulator: Emulator) -> dict[str, str]:
    return {
        "MELTANO_DATABASE_URI": f"sqlite:///{tmp_path / 'meltano.db'}",
        "MELTANO_SEND_ANONYMOUS_USAGE_STATS": "false",
        "TAP_WOLKVOX_API_TOKEN": TOKEN,
        "TAP_WOLKVOX_API_URL": emulator.url,
        "TAP_WOLKVOX_START_DATE": "2025-03-01",
        "TARGET_DUCKDB_FILEPATH": str(tmp_path / "warehouse_duckdb"),
    }


def test_realtime_and_billing_runs_into_duckdb_keep_history_and_upsert_rolling_lists(
    tmp_path: Path, emulator: Emulator
) -> None:
    meltano("install", "tap-wolkvox", "target-duckdb", env={})
    env = env_for(tmp_path, emulator)
    for _ in range(2):
        meltano("run", "tap-wolkvox--realtime", "target-duckdb", env=env)
    meltano("run", "tap-wolkvox--billing", "target-duckdb", env=env)
    assert duckdb_tables(tmp_path / "warehouse_duckdb") == expected_counts(emulator, 2)


def test_the_scheduled_jobs_load_postgresql_with_slashes_and_nested_lists(
    tmp_path: Path, emulator: Emulator, postgres: dict[str, str]
) -> None:
    meltano("install", "tap-wolkvox", "target-postgres", env={})
    schema = "wolkvox_realtime"
    env = {
        **env_for(tmp_path, emulator),
        **{f"TARGET_POSTGRES_{k.upper()}": v for k, v in postgres.items()},
        "TARGET_POSTGRES_DEFAULT_TARGET_SCHEMA": schema,
    }
    for _ in range(2):
        meltano("run", "realtime", env=env)  # the job the 5-minute schedule runs
    meltano("run", "billing", env=env)
    expected = expected_counts(emulator, 2)
    query = " union all ".join(
        f"select '{table}', count(*) from {schema}.{table}" for table in expected
    )
    out = _pg(
        _pg_binary("psql"),
        *("-h", postgres["host"], "-p", postgres["port"], "-U", postgres["user"]),
        *("-d", postgres["database"], "-tAF", "|", "-c", query),
    )
    counts = {name: int(n) for name, n in (line.split("|") for line in out.split())}
    assert counts == expected
