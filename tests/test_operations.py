"""Many operations, one Meltano project: meltano.yml's tap-wolkvox--op-a and --op-b run at once.

Each runs against its own emulator, with its own token, into its own PostgreSQL schema.
"""

from __future__ import annotations

import json
import os
import subprocess
from typing import TYPE_CHECKING

import pytest

from tests.test_meltano import (
    CAMPAIGNS,
    FIRST_END,
    ROOT,
    START,
    as_table,
    expected_rows,
    installed,  # noqa: F401 - a fixture
    meltano,
    meltano_bin,
    postgres,  # noqa: F401 - a fixture
    postgres_rows,
)
from wolkvox_emulator import Dataset, Emulator, EmulatorState

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

pytestmark = pytest.mark.integration

TOKENS = {"op_a": "tok-opA-5d1e-SECRET", "op_b": "tok-opB-90c2-SECRET"}
SHARED_TOKEN = "tok-base-77aa-SECRET"  # noqa: S105 - set for tap-wolkvox; must reach no operation


@pytest.fixture
def emulators() -> Iterator[dict[str, Emulator]]:
    """One emulator per operation, with different data. Each accepts every token, so that a token
    sent to the wrong operation would be answered, and seen."""
    accepted = frozenset({*TOKENS.values(), SHARED_TOKEN})
    servers = {
        op: Emulator(EmulatorState(dataset=Dataset(seed=seed), tokens=accepted)).start()
        for op, seed in (("op_a", 42), ("op_b", 7))
    }
    yield servers
    for server in servers.values():
        server.stop()


def test_two_operations_run_at_once_each_into_its_own_schema_with_its_own_token(
    emulators: dict[str, Emulator],
    postgres: dict[str, str],  # noqa: F811 - the fixture
    installed: None,  # noqa: F811 - the fixture
    tmp_path: Path,
) -> None:
    env = {
        **os.environ,
        "MELTANO_DATABASE_URI": f"sqlite:///{tmp_path / 'meltano.db'}",
        "MELTANO_SEND_ANONYMOUS_USAGE_STATS": "false",
        "TAP_WOLKVOX_API_TOKEN": SHARED_TOKEN,
        **{f"TARGET_POSTGRES_{k.upper()}": v for k, v in postgres.items()},
    }
    for op, server in emulators.items():
        prefix = f"TAP_WOLKVOX__{op.upper()}_"
        env |= {
            f"{prefix}API_TOKEN": TOKENS[op],
            f"{prefix}API_URL": server.url,
            f"{prefix}START_DATE": START,
            f"{prefix}END_DATE": FIRST_END,
            f"{prefix}CAMPAIGN_IDS": json.dumps(CAMPAIGNS),
        }
    # the first command on a new system database creates it: never two at once (see the README)
    meltano("state", "list", env=env)
    runs = {
        op: subprocess.Popen(
            [meltano_bin(), "run", f"tap-wolkvox--{op.replace('_', '-')}", "target-postgres"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        for op in emulators
    }
    try:
        outputs = {op: run.communicate(timeout=600)[0] for op, run in runs.items()}
    finally:
        for run in runs.values():
            run.kill()
            run.wait()
    for op, run in runs.items():
        assert run.returncode == 0, f"tap-wolkvox--{op} failed:\n{outputs[op]}"
        assert not any(token in outputs[op] for token in (*TOKENS.values(), SHARED_TOKEN))

    truths = {op: expected_rows(server, FIRST_END) for op, server in emulators.items()}
    assert truths["op_a"] != truths["op_b"], "the two operations must differ for this test"
    for op, server in emulators.items():
        assert as_table(postgres_rows(postgres, f"wolkvox_{op}")) == truths[op]
        assert {token for token, _ in server.state.usage} == {TOKENS[op]}
        assert server.state.stats()["peak_in_flight"] <= 2  # the per-token limit, per operation

    states = meltano("state", "list", env=env)
    assert {
        "dev:tap-wolkvox--op-a-to-target-postgres",
        "dev:tap-wolkvox--op-b-to-target-postgres",
    } <= set(states.stdout.split())


def test_an_operation_without_its_own_token_gets_none(tmp_path: Path) -> None:
    env = {
        "MELTANO_DATABASE_URI": f"sqlite:///{tmp_path / 'meltano.db'}",
        "TAP_WOLKVOX_API_TOKEN": SHARED_TOKEN,
        "TAP_WOLKVOX__OP_A_API_TOKEN": TOKENS["op_a"],
    }
    config = {
        op: json.loads(meltano("config", "--unsafe", "print", f"tap-wolkvox--{op}", env=env).stdout)
        for op in ("op-a", "op-b")
    }
    assert config["op-a"]["api_token"] == TOKENS["op_a"]
    assert "api_token" not in config["op-b"]  # so the tap stops: api_token is required
