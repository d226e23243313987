"""meltano.yml is written the way Meltano itself writes it, so `meltano select` changes one line."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.test_meltano import meltano_bin

pytestmark = pytest.mark.integration

ROOT = Path(__file__).resolve().parent.parent


def test_meltano_select_adds_one_line_and_drops_nothing(tmp_path: Path) -> None:
    before = (ROOT / "meltano.yml").read_text()
    assert "#" not in before  # Meltano drops comments when it rewrites the file: docs/ explain
    shutil.copy(ROOT / "meltano.yml", tmp_path / "meltano.yml")
    done = subprocess.run(
        [meltano_bin(), "select", "tap-wolkvox", "call_details", "*"],
        cwd=tmp_path,
        env={**os.environ, "MELTANO_SEND_ANONYMOUS_USAGE_STATS": "false"},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    selected = "\n    - campaigns.*\n"
    assert before.count(selected) == 1
    expected = before.replace(selected, selected + "    - call_details.*\n")
    assert (tmp_path / "meltano.yml").read_text() == expected
