"""meltano.yml's real-time and billing extractors, run by real Meltano into DuckDB.

Two real-time runs then one billing run: after upsert, history streams hold both snapshots,
the rolling lists each conn_id once, and billing one row per product for the day.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from tap_wolkvox.catalogue import BY_STREAM
from tap_wolkvox.catalogue.schema import record_key
from tap_wolkvox.emulator.more_endpoints import truth
from tests.helpers import TOKEN
from tests.test_meltano import duckdb_tables, meltano
from tests.test_more_endpoints_docs import selected

if TYPE_CHECKING:
    from pathlib import Path

    from tap_wolkvox.emulator.server import Emulator

pytestmark = pytest.mark.integration


def test_realtime_and_billing_runs_keep_history_and_upsert_rolling_lists(
    tmp_path: Path, emulator: Emulator
) -> None:
    meltano("install", "tap-wolkvox", "target-duckdb", env={})
    env = {
        "MELTANO_DATABASE_URI": f"sqlite:///{tmp_path / 'meltano.db'}",
        "MELTANO_SEND_ANONYMOUS_USAGE_STATS": "false",
        "TAP_WOLKVOX_API_TOKEN": TOKEN,
        "TAP_WOLKVOX_API_URL": emulator.url,
        "TAP_WOLKVOX_START_DATE": "2025-03-01",
        "TARGET_DUCKDB_FILEPATH": str(tmp_path / "warehouse_duckdb"),
    }
    for _ in range(2):
        meltano("run", "tap-wolkvox--realtime", "target-duckdb", env=env)
    meltano("run", "tap-wolkvox--billing", "target-duckdb", env=env)
    tables = duckdb_tables(tmp_path / "warehouse_duckdb")
    dataset = emulator.state.dataset
    for stream in selected("tap-wolkvox--realtime"):
        report = BY_STREAM[stream]
        params = {"skill_id": "all"} if report.partition_kind is not None else {}
        snapshots = [truth(dataset, report, params, serial) for serial in (1, 2)]
        if report.own_key:
            expected = len({tuple(r[k] for k in record_key(report)) for s in snapshots for r in s})
        else:
            expected = sum(map(len, snapshots))
        assert tables[stream] == expected, stream
    assert tables["billing_usage"] == 27
