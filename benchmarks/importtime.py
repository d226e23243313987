"""Where start-up time goes: modules one command imports that another does not."""

from __future__ import annotations

import subprocess
import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Sequence


def self_times(argv: Sequence[str], runs: int = 5) -> dict[str, float]:
    """Each module's own import time in ms (`python -X importtime`), the median of `runs`."""
    command = [sys.executable, "-X", "importtime", *argv]
    if argv[0] == sys.executable:  # `python -c ...`: no second interpreter name
        command = [sys.executable, "-X", "importtime", *argv[1:]]
    samples: dict[str, list[float]] = {}
    for _ in range(runs):
        done = subprocess.run(command, capture_output=True, text=True, check=True)
        for line in done.stderr.splitlines():
            if not line.startswith("import time:") or "self [us]" in line:
                continue
            own, _, name = line.removeprefix("import time:").split("|")
            samples.setdefault(name.strip(), []).append(int(own) / 1000)
    return {name: sorted(ms)[len(ms) // 2] for name, ms in samples.items()}


def extra_imports(
    command: Sequence[str], baseline: Sequence[str]
) -> tuple[float, list[tuple[str, float]]]:
    """Total ms and the modules (slowest first) `command` imports beyond `baseline`."""
    base = self_times(baseline)
    extra = {name: ms for name, ms in self_times(command).items() if name not in base}
    ranked = sorted(extra.items(), key=lambda item: -item[1])
    return sum(extra.values()), ranked
