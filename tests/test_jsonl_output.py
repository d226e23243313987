"""target-jsonl, as meltano.yml sets it up, writes each run to files of its own."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

import pytest

from tests.test_meltano import (
    FIRST_END,
    expected_rows,
    installed,  # noqa: F401 - a fixture
    meltano,
    meltano_env,  # noqa: F401 - a fixture
)

if TYPE_CHECKING:
    from pathlib import Path

    from wolkvox_emulator import Emulator

pytestmark = pytest.mark.integration


def test_a_full_refresh_writes_new_files_instead_of_doubling_the_last(
    emulator: Emulator,
    meltano_env: dict[str, str],  # noqa: F811 - the fixture
    tmp_path: Path,
) -> None:
    out = tmp_path / "jsonl"
    env = {
        **meltano_env,
        "TAP_WOLKVOX_END_DATE": FIRST_END,
        "TARGET_JSONL_DESTINATION_PATH": str(out),
    }
    meltano("install", "target-jsonl", env=env)
    meltano("run", "tap-wolkvox", "target-jsonl", env=env)
    meltano("run", "--full-refresh", "tap-wolkvox", "target-jsonl", env=env)
    files = sorted(out.glob("turbo_dial_machine_codes*.jsonl"))
    assert len(files) == 2
    truth = len(expected_rows(emulator, FIRST_END))
    for file in files:
        rows = [json.loads(line) for line in file.read_text().splitlines()]
        assert len(rows) == truth
