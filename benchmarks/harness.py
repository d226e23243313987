"""Running commands as the benchmark measures them, and what they need (bytecode, a target)."""

from __future__ import annotations

import json
import os
import shutil
import statistics
import subprocess
import sys
import sysconfig
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Sequence

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
TAP = str(BIN / "tap-wolkvox")
RECORD = b'{"type":"RECORD"'
TARGET_JSONL = "target-jsonl==0.1.4"


@dataclass(frozen=True)
class Measured:
    """One finished child: wall seconds, its own CPU seconds, peak RSS, RECORD lines out."""

    wall: float
    cpu: float
    peak_mib: float
    records: int


def measure(argv: Sequence[str], *, rss: bool = False, keep: Path | None = None) -> Measured:
    """Run `argv` with its stdout read through a pipe; fail loudly if it fails.

    CPU is the child's user + system time (`wait4`). With `rss`, peak RSS is the child's
    VmHWM polled from /proc (`ru_maxrss` would also count pages it shared with this
    process); the polling runs in this process, beside the emulator, so only when asked.
    With `keep`, stdout is also written to that file.
    """
    started = time.perf_counter()
    proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    peak = [0]
    if rss:
        threading.Thread(target=_watch_peak, args=(proc.pid, peak), daemon=True).start()
    stderr: list[bytes] = []
    drain = threading.Thread(target=lambda: stderr.append(proc.stderr.read()), daemon=True)  # type: ignore[union-attr]
    drain.start()
    records, tail = 0, b""
    kept = keep.open("wb") if keep is not None else None
    while chunk := proc.stdout.read(1 << 20):  # type: ignore[union-attr]
        records += (tail + chunk).count(RECORD)
        tail = chunk[-(len(RECORD) - 1) :]
        if kept is not None:
            kept.write(chunk)
    if kept is not None:
        kept.close()
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - started
    proc.returncode = os.waitstatus_to_exitcode(status)
    drain.join()
    if proc.returncode != 0:
        sys.exit(
            f"{' '.join(argv)} failed ({proc.returncode}):\n{b''.join(stderr).decode()[-2000:]}"
        )
    return Measured(wall, usage.ru_utime + usage.ru_stime, peak[0] / 1024, records)


def _watch_peak(pid: int, peak: list[int]) -> None:
    status = Path(f"/proc/{pid}/status")
    while True:
        try:
            text = status.read_text()
        except (FileNotFoundError, ProcessLookupError):
            return
        hwm = next((line for line in text.splitlines() if line.startswith("VmHWM:")), None)
        if hwm is None:  # exited (a zombie has no memory)
            return
        peak[0] = max(peak[0], int(hwm.split()[1]))
        time.sleep(0.005)


def spread(values: Sequence[float], fmt: str = ".3f") -> str:
    """`median (min-max, n runs)`: the median is the figure, the range shows the noise."""
    return (
        f"{statistics.median(values):{fmt}} ({min(values):{fmt}}-{max(values):{fmt}}, "
        f"{len(values)} runs)"
    )


def compile_bytecode() -> int:
    """Compile the venv's packages and the project, as an image built with bytecode would.

    This machine sets PYTHONDONTWRITEBYTECODE and `uv sync` does not compile: without this,
    every start compiles ~330 modules again. Returns the number of .pyc files present.
    """
    places = [sysconfig.get_paths()["purelib"], str(ROOT / "tap_wolkvox")]
    subprocess.run(
        [sys.executable, "-m", "compileall", "-q", "-j0", *places],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    return sum(1 for place in places for _ in Path(place).rglob("*.cpython-*.pyc"))


def target_jsonl(workdir: Path) -> list[str]:
    """`target-jsonl --config ...` writing into `workdir`, from Meltano's venv or a new one."""
    executable = ROOT / ".meltano" / "loaders" / "target-jsonl" / "venv" / "bin" / "target-jsonl"
    if not executable.exists():
        venv = workdir / "target-venv"
        uv = [found] if (found := shutil.which("uv")) else ["python3", "-m", "uv"]
        for step in (
            ["venv", "-q", "--python", sys.executable, str(venv)],
            ["pip", "install", "-q", "--python", str(venv / "bin" / "python"), TARGET_JSONL],
        ):
            subprocess.run([*uv, *step], check=True, capture_output=True)
        executable = venv / "bin" / "target-jsonl"
    python = executable.parent / "python"
    subprocess.run(
        [str(python), "-m", "compileall", "-q", "-j0", str(executable.parent.parent / "lib")],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    out = workdir / "jsonl"
    out.mkdir(exist_ok=True)
    config = workdir / "target.json"
    config.write_text(json.dumps({"destination_path": str(out), "do_timestamp_file": False}))
    return [str(executable), "--config", str(config)]


def pipeline(tap: Sequence[str], target: Sequence[str], out: Path) -> tuple[float, int]:
    """Wall seconds of `tap | target`, and the lines the target wrote into `out`."""
    for old in out.glob("*.jsonl"):
        old.unlink()
    started = time.perf_counter()
    producer = subprocess.Popen(tap, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    consumer = subprocess.Popen(
        target, stdin=producer.stdout, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    producer.stdout.close()  # type: ignore[union-attr]
    if consumer.wait() != 0 or producer.wait() != 0:
        sys.exit(f"{' '.join(tap)} | {' '.join(target)} failed")
    wall = time.perf_counter() - started
    lines = sum(path.read_bytes().count(b"\n") for path in out.glob("*.jsonl"))
    return wall, lines
