"""Running the tap against the emulator, and reading what it emitted."""

from __future__ import annotations

import datetime as dt
import io
import json
import logging
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from contextlib import redirect_stderr, redirect_stdout
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from tap_wolkvox.catalogue.schema import local_name
from tap_wolkvox.exceptions import WolkvoxFatalError
from tap_wolkvox.tap import TapWolkvox
from tap_wolkvox.windows import API_DATE_FORMAT

if TYPE_CHECKING:
    from collections.abc import Callable

    from tap_wolkvox.catalogue import Report
    from wolkvox_emulator import Dataset, Emulator

TOKEN = "tok-7f3a9c-SECRET-e21b"  # noqa: S105 - checked to appear in no output
TAP = str(Path(sys.executable).with_name("tap-wolkvox"))
FAST_RETRIES = {"retry_wait_seconds": 0.01, "maintenance_max_wait_seconds": 1}


@dataclass
class Run:
    """One tap run: exit code, Singer messages and logs."""

    returncode: int
    messages: list[dict[str, Any]]
    stderr: str
    stdout: str

    @property
    def records(self) -> list[dict[str, Any]]:
        """RECORD payloads in order."""
        return [m["record"] for m in self.messages if m["type"] == "RECORD"]

    @property
    def states(self) -> list[dict[str, Any]]:
        """STATE values in order."""
        return [m["value"] for m in self.messages if m["type"] == "STATE"]


def report_calls(emulator: Emulator) -> list[dict[str, Any]]:
    """The calls the emulator saw, less the run's one `token_info` read (its call budget)."""
    return [c for c in emulator.state.stats()["calls"] if c.get("api") != "token_info"]


def base_config(url: str, **overrides: Any) -> dict[str, Any]:
    """A config for the emulator at `url`."""
    return {"api_token": TOKEN, "api_url": url, "max_retries": 3, **FAST_RETRIES, **overrides}


def run_tap(  # noqa: PLR0913 - each option is one CLI flag
    config: dict[str, Any],
    tmp_path: Path,
    *,
    state: dict[str, Any] | str | None = None,
    args: tuple[str, ...] = (),
    env: dict[str, str] | None = None,
    streams: tuple[str, ...] = (),
) -> Run:
    """Run the `tap-wolkvox` CLI in a subprocess; `streams` selects streams by catalog.

    A `state` given as text is written to the state file as it is.
    """
    config_file = tmp_path / "config.json"
    config_file.write_text(json.dumps(config))
    command = [TAP, "--config", str(config_file), *args]
    if streams:
        catalog_file = tmp_path / "catalog.json"
        catalog_file.write_text(json.dumps(catalog_selecting(config, streams)))
        command += ["--catalog", str(catalog_file)]
    if state is not None:
        state_file = tmp_path / "state.json"
        state_file.write_text(state if isinstance(state, str) else json.dumps(state))
        command += ["--state", str(state_file)]
    done = subprocess.run(
        command,
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, **(env or {})},
        check=False,
    )
    return Run(done.returncode, parse_messages(done.stdout), done.stderr, done.stdout)


def run_tap_streamed(
    config: dict[str, Any],
    tmp_path: Path,
    *,
    stop_when: Callable[[list[str]], bool] = lambda _: False,
    signum: int = signal.SIGKILL,
) -> tuple[Run, list[float]]:
    """Run the `tap-wolkvox` CLI as a process and read its stdout line by line as it comes.

    After each line, `stop_when(lines so far)` may stop the tap: it gets `signum`, and what it
    writes after that is read too. Returns the run and when each line read before the stop
    arrived (`time.monotonic()`). stderr goes to a file, so a chatty run cannot block on it.
    """
    config_file = tmp_path / "config.json"
    config_file.write_text(json.dumps(config))
    lines: list[str] = []
    arrived: list[float] = []
    with (
        (tmp_path / "stderr.log").open("w+", encoding="utf-8") as err,
        subprocess.Popen(
            [TAP, "--config", str(config_file)], stdout=subprocess.PIPE, stderr=err, text=True
        ) as proc,
    ):
        assert proc.stdout is not None
        for line in proc.stdout:
            lines.append(line)
            arrived.append(time.monotonic())
            if stop_when(lines):
                proc.send_signal(signum)
                break
        lines.append(proc.stdout.read())  # with what the reader buffered (communicate() skips it)
        proc.wait(timeout=60)
        err.seek(0)
        stderr = err.read()
    stdout = "".join(lines)
    return Run(proc.returncode, parse_messages(stdout), stderr, stdout), arrived


def catalog_selecting(config: dict[str, Any], streams: tuple[str, ...]) -> dict[str, Any]:
    """The discovered catalog with exactly `streams` selected."""
    catalog = TapWolkvox(config=config).catalog_dict
    for stream in catalog["streams"]:
        for entry in stream["metadata"]:
            if not entry["breadcrumb"]:
                entry["metadata"]["selected"] = stream["tap_stream_id"] in streams
    return catalog


def run_in_process(config: dict[str, Any], state: dict[str, Any] | None = None) -> Run:
    """Run the tap in this process (for property tests), as the CLI would.

    Any other exception propagates: the CLI would have shown it as a traceback.
    """
    out = io.TextIOWrapper(io.BytesIO(), encoding="utf-8")
    err = io.StringIO()
    handler = logging.StreamHandler(err)
    handler.setFormatter(logging.Formatter("%(levelname)s | %(name)s | %(message)s"))
    logger = logging.getLogger("tap-wolkvox")
    logger.addHandler(handler)
    code = 0
    try:
        with redirect_stdout(out), redirect_stderr(err):
            TapWolkvox(config=config, state=state).sync_all()
    except WolkvoxFatalError as exc:  # what the CLI turns into one line and exit code 1
        logger.error("%s", exc)  # noqa: TRY400
        code = 1
    finally:
        logger.removeHandler(handler)
    out.seek(0)
    text = out.read()
    return Run(code, parse_messages(text), err.getvalue(), text)


def parse_messages(stdout: str) -> list[dict[str, Any]]:
    """Each line must be a Singer message."""
    return [json.loads(line) for line in stdout.splitlines() if line.strip()]


def last_state(run: Run) -> dict[str, Any]:
    """The last STATE the run emitted."""
    assert run.states, "the run emitted no STATE"
    return run.states[-1]


def bookmarks(run: Run, stream: str = "turbo_dial_machine_codes") -> dict[str, str | None]:
    """Each campaign's bookmark in the run's last STATE."""
    partitions = last_state(run)["bookmarks"][stream]["partitions"]
    return {p["context"]["campaign_id"]: p.get("replication_key_value") for p in partitions}


def upsert(*runs: Run) -> dict[tuple[str, str, str], dict[str, Any]]:
    """Records after upsert by key, as a target with key_properties keeps them."""
    table: dict[tuple[str, str, str], dict[str, Any]] = {}
    for run in runs:
        for record in run.records:
            table[(record["campaign_id"], record["window_start"], record["machinecode"])] = record
    return table


def totals(table: dict[tuple[str, str, str], dict[str, Any]]) -> Counter[tuple[str, str]]:
    """Counts per (campaign, machine code) over the whole table."""
    result: Counter[tuple[str, str]] = Counter()
    for (campaign, _, code), record in table.items():
        result[(campaign, code)] += record["cantidad"] or 0
    return result


def truth(
    dataset: Dataset, campaigns: list[str], start: str, end: str, tz: str = "America/Bogota"
) -> Counter[tuple[str, str]]:
    """The emulator's exact counts for [start, end) wall clock, from its dataset directly."""
    zone = ZoneInfo(tz)
    first = _wall(start, zone)
    last = _wall(end, zone) - dt.timedelta(seconds=1)
    result: Counter[tuple[str, str]] = Counter()
    for campaign in campaigns:
        counts = dataset.counts(
            campaign, first.strftime(API_DATE_FORMAT), last.strftime(API_DATE_FORMAT)
        )
        for code, n in counts.items():
            result[(campaign, code)] += n
    return result


def _wall(value: str, zone: ZoneInfo) -> dt.datetime:
    moment = dt.datetime.fromisoformat(value)
    if moment.tzinfo is not None:
        moment = moment.astimezone(zone).replace(tzinfo=None)
    return moment


KIND_TO_TYPE = {
    "string": "string",
    "date_iso8601": "string",
    "integer": "integer",
    "boolean": "boolean",
    "array": "array",
    "object": "object",
}


def kind_fits(kind: str, prop: dict[str, Any]) -> bool:
    """Whether a Meltano setting kind declares a tap setting of this JSON schema.

    Number settings are declared `string`: Meltano 4.4.1's `decimal` kind crashes on a value
    from the environment, and the tap reads a numeric string as a number.
    """
    if "number" in prop["type"]:
        return kind == "string"
    return KIND_TO_TYPE[kind] in prop["type"]


def problem_lines(stderr: str) -> list[str]:
    """The lines of a failed run other than INFO logs and the SDK's Python 3.10 notice."""
    notice = ("py.warnings", "warn_python_eol()", "Python 3.10 reached its end of life")
    return [
        line
        for line in stderr.splitlines()
        if line.strip() and "| INFO" not in line and not any(n in line for n in notice)
    ]


def with_local_times(report: Report, record: dict[str, Any]) -> dict[str, Any]:
    """`record` (typed truth) with the `F_local` the tap adds beside each datetime field F."""
    for field in report.all_fields:
        if field.kind == "datetime":
            value = record.get(field.name)
            record[local_name(field)] = None if value is None else value[:19]
    return record
