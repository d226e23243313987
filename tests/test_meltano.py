"""Real Meltano pipelines into DuckDB and PostgreSQL, compared row for row with the emulator.

These install Meltano plugins (once per session, into the project's .meltano/) and start a
throwaway PostgreSQL server from the machine's server packages.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

import pytest

from tap_wolkvox.catalogue import ALL_REPORTS
from tests.helpers import TOKEN, report_calls

if TYPE_CHECKING:
    from collections.abc import Iterator

    from wolkvox_emulator import Emulator

pytestmark = pytest.mark.integration

ROOT = Path(__file__).resolve().parent.parent
BOGOTA = ZoneInfo("America/Bogota")
CAMPAIGNS = ["101", "103"]
START = "2025-03-30"
FIRST_END = "2025-04-02T12:00:00"  # the last window of run one is partial...
SECOND_END = "2025-04-04"  # ...and is fetched again, whole, by run two
Row = tuple[str, dt.datetime, str]


def meltano_bin() -> str:
    found = shutil.which("meltano")
    if not found:
        pytest.fail("meltano is not on PATH: run the tests through scripts/test.sh")
    return found


def meltano(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(
        [meltano_bin(), *args],
        cwd=ROOT,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, f"meltano {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}"
    assert TOKEN not in done.stdout + done.stderr
    return done


@pytest.fixture(scope="session")
def installed() -> None:
    meltano("install", "tap-wolkvox", "target-duckdb", "target-postgres", env={})


@pytest.fixture
def meltano_env(tmp_path: Path, emulator: Emulator, installed: None) -> dict[str, str]:
    """Settings for one test: its own system database (state), its own output files."""
    return {
        "MELTANO_DATABASE_URI": f"sqlite:///{tmp_path / 'meltano.db'}",
        "MELTANO_SEND_ANONYMOUS_USAGE_STATS": "false",
        "TAP_WOLKVOX_API_TOKEN": TOKEN,
        "TAP_WOLKVOX_API_URL": emulator.url,
        "TAP_WOLKVOX_START_DATE": START,
        "TAP_WOLKVOX_CAMPAIGN_IDS": json.dumps(CAMPAIGNS),
        "TARGET_DUCKDB_FILEPATH": str(tmp_path / "warehouse_duckdb"),
    }


def expected_rows(emulator: Emulator, end: str) -> dict[Row, int]:
    """The emulator's truth per (campaign, window start in UTC, machine code), daily windows."""
    start_at = dt.datetime.fromisoformat(START)
    end_at = dt.datetime.fromisoformat(end)
    rows: dict[Row, int] = {}
    day = start_at
    while day < end_at:
        last = min(day + dt.timedelta(days=1), end_at) - dt.timedelta(seconds=1)
        utc_start = day.replace(tzinfo=BOGOTA).astimezone(dt.timezone.utc).replace(tzinfo=None)
        for campaign in CAMPAIGNS:
            counts = emulator.state.dataset.counts(
                campaign, f"{day:%Y%m%d%H%M%S}", f"{last:%Y%m%d%H%M%S}"
            )
            for code, n in counts.items():
                rows[(campaign, utc_start, code)] = n
        day += dt.timedelta(days=1)
    return rows


def _duckdb(path: Path, expression: str) -> Any:
    """Evaluate `expression` (with `db` open on `path`) in target-duckdb's venv; return its JSON."""
    python = ROOT / ".meltano/loaders/target-duckdb/venv/bin/python"
    script = (
        "import duckdb, json, sys\n"
        "db = duckdb.connect(sys.argv[1], read_only=True)\n"
        f"print(json.dumps({expression}))\n"
    )
    out = subprocess.run(
        [python, "-c", script, str(path)], capture_output=True, text=True, check=True
    )
    return json.loads(out.stdout)


def duckdb_rows(path: Path) -> list[tuple[str, dt.datetime, str, int]]:
    rows = _duckdb(
        path,
        "[[c, s.isoformat(), m, int(n)] for c, s, m, n in db.execute('select campaign_id, "
        "window_start, machinecode, cantidad from wolkvox.turbo_dial_machine_codes').fetchall()]",
    )
    return [(c, dt.datetime.fromisoformat(s), m, n) for c, s, m, n in rows]


def duckdb_tables(path: Path) -> dict[str, int]:
    return dict(
        _duckdb(
            path,
            "{t: db.execute(f'select count(*) from wolkvox.{t}').fetchone()[0] for (t,) in "
            'db.execute("select table_name from information_schema.tables '
            "where table_schema = 'wolkvox'\").fetchall()}",
        )
    )


def as_table(rows: list[tuple[str, dt.datetime, str, int]]) -> dict[Row, int]:
    table = {(c, s, m): n for c, s, m, n in rows}
    assert len(table) == len(rows), "duplicate keys in the warehouse table"
    return table


def test_meltano_run_into_duckdb_equals_the_truth_and_reruns_upsert(
    emulator: Emulator, meltano_env: dict[str, str], tmp_path: Path
) -> None:
    # the range has calls on the last second before, and the first second of, a midnight
    dataset = emulator.state.dataset
    hours = [dt.datetime(2025, 3, 31) + dt.timedelta(days=d) for d in range(3)]
    campaigns = dataset.campaigns
    before = [dataset.hour_events(c, h - dt.timedelta(hours=1)) for c in campaigns for h in hours]
    assert any(second == 3599 for events in before for second, _ in events)
    after = [dataset.hour_events(c, h) for c in campaigns for h in hours]
    assert any(second == 0 for events in after for second, _ in events)
    # at DEBUG, so that the token check in meltano() covers Meltano's and the tap's debug logs
    meltano(
        "--log-level=debug",
        "run",
        "tap-wolkvox",
        "target-duckdb",
        env={**meltano_env, "TAP_WOLKVOX_END_DATE": FIRST_END},
    )
    assert as_table(duckdb_rows(tmp_path / "warehouse_duckdb")) == expected_rows(
        emulator, FIRST_END
    )
    # meltano.yml selects the machine codes and the campaigns list, and nothing else
    tables = duckdb_tables(tmp_path / "warehouse_duckdb")
    assert set(tables) == {"turbo_dial_machine_codes", "campaigns"}
    assert tables["campaigns"] == len(emulator.state.dataset.campaigns)
    emulator.state.reset()
    meltano(
        "run",
        "tap-wolkvox",
        "target-duckdb",
        env={**meltano_env, "TAP_WOLKVOX_END_DATE": SECOND_END},
    )
    # run two started at the partial window (2025-04-02) and requested nothing earlier
    calls = report_calls(emulator)
    assert min(c["date_ini"] for c in calls if "date_ini" in c) == "20250402000000"
    assert as_table(duckdb_rows(tmp_path / "warehouse_duckdb")) == expected_rows(
        emulator, SECOND_END
    )


@pytest.fixture(scope="session")
def postgres() -> Iterator[dict[str, str]]:
    """A throwaway PostgreSQL server on a free port, stopped at the end of the session."""
    folder = Path(tempfile.mkdtemp(prefix="wolkvox-pg-"))
    as_postgres: list[str] = []
    if os.geteuid() == 0:  # PostgreSQL refuses to run as root
        shutil.chown(folder, "postgres", "postgres")
        as_postgres = ["runuser", "-u", "postgres", "--"]
    data = str(folder / "data")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = str(probe.getsockname()[1])
    _pg(*as_postgres, _pg_binary("initdb"), "-D", data, "-U", "wolkvox", "--auth=trust")
    options = f"-p {port} -k {folder} -c listen_addresses=127.0.0.1"
    pg_ctl = [*as_postgres, _pg_binary("pg_ctl"), "-D", data, "-w"]
    _pg(*pg_ctl, "-o", options, "-l", str(folder / "log"), "start")
    try:
        _pg(_pg_binary("createdb"), "-h", "127.0.0.1", "-p", port, "-U", "wolkvox", "warehouse")
        # trust authentication: target-postgres insists on a password, any one will do
        yield {
            "host": "127.0.0.1",
            "port": port,
            "user": "wolkvox",
            "database": "warehouse",
            "password": "trust-auth",
        }
    finally:
        _pg(*pg_ctl, "-m", "fast", "stop")
        shutil.rmtree(folder, ignore_errors=True)


def _pg(*command: str) -> str:
    done = subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, f"{command[0]} failed: {done.stderr}"
    return done.stdout


def _pg_binary(name: str) -> str:
    installed = sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{name}"))
    found = shutil.which(name) or (str(installed[-1]) if installed else None)
    if not found:
        pytest.fail(f"PostgreSQL's {name} is not installed (scripts/test.sh installs it)")
    return found


def postgres_rows(pg: dict[str, str], schema: str) -> list[tuple[str, dt.datetime, str, int]]:
    utc_start = "to_char(window_start at time zone 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS')"
    query = (
        f"select json_agg(json_build_array(campaign_id, {utc_start}, machinecode, cantidad)) "
        f"from {schema}.turbo_dial_machine_codes"
    )
    out = _pg(
        _pg_binary("psql"),
        "-h",
        pg["host"],
        "-p",
        pg["port"],
        "-U",
        pg["user"],
        "-d",
        pg["database"],
        "-At",
        "-c",
        query,
    )
    return [(c, dt.datetime.fromisoformat(s), m, n) for c, s, m, n in json.loads(out)]


def test_meltano_run_into_postgres_equals_the_truth_and_reruns_upsert(
    emulator: Emulator, meltano_env: dict[str, str], postgres: dict[str, str], tmp_path: Path
) -> None:
    schema = f"wolkvox_{tmp_path.name[-6:].lower()}".replace("-", "_")
    env = {
        **meltano_env,
        **{f"TARGET_POSTGRES_{k.upper()}": v for k, v in postgres.items()},
        "TARGET_POSTGRES_DEFAULT_TARGET_SCHEMA": schema,
    }
    meltano("run", "tap-wolkvox", "target-postgres", env={**env, "TAP_WOLKVOX_END_DATE": FIRST_END})
    assert as_table(postgres_rows(postgres, schema)) == expected_rows(emulator, FIRST_END)
    meltano(
        "run", "tap-wolkvox", "target-postgres", env={**env, "TAP_WOLKVOX_END_DATE": SECOND_END}
    )
    assert as_table(postgres_rows(postgres, schema)) == expected_rows(emulator, SECOND_END)


def test_meltano_invoke_about_discover_and_config_test(
    emulator: Emulator, meltano_env: dict[str, str]
) -> None:
    about = meltano("invoke", "tap-wolkvox", "--about", "--format", "json", env=meltano_env)
    settings = set(json.loads(about.stdout)["settings"]["properties"])
    assert {"api_token", "server", "api_url", "start_date", "window_days"} <= settings
    catalog = json.loads(meltano("invoke", "tap-wolkvox", "--discover", env=meltano_env).stdout)
    streams = {s["tap_stream_id"] for s in catalog["streams"]}
    assert {
        "turbo_dial_machine_codes",
        "campaigns",
        "campaign_final_results",
        "campaign_attempt_results",
        "amd_accumulated",
        "machine_codes_by_telephone",
        "call_details",
        "chats",
        "skill_service_levels",
    } <= streams
    assert len(streams) == len(ALL_REPORTS)
    tested = meltano(
        "config", "test", "tap-wolkvox", env={**meltano_env, "TAP_WOLKVOX_END_DATE": FIRST_END}
    )
    assert "Plugin configuration is valid" in tested.stdout
    assert report_calls(emulator), "the configuration test did not reach the API"
    # `meltano install` gives the tap its package alone: the emulator stays out of its venv
    bin_dir = ROOT / ".meltano/extractors/tap-wolkvox/venv/bin"
    assert (bin_dir / "tap-wolkvox").exists()
    assert not (bin_dir / "wolkvox-emulator").exists()
    probe = "import importlib.util as u; print(u.find_spec('wolkvox_emulator'))"
    found = subprocess.run(
        [bin_dir / "python", "-c", probe], capture_output=True, text=True, check=True
    )
    assert found.stdout.strip() == "None"


def test_meltano_state_is_per_campaign(meltano_env: dict[str, str]) -> None:
    meltano(
        "run",
        "tap-wolkvox",
        "target-duckdb",
        env={**meltano_env, "TAP_WOLKVOX_END_DATE": FIRST_END},
    )
    state: dict[str, Any] = json.loads(
        meltano("state", "get", "dev:tap-wolkvox-to-target-duckdb", env=meltano_env).stdout
    )
    partitions = state["singer_state"]["bookmarks"]["turbo_dial_machine_codes"]["partitions"]
    assert {
        p["context"]["campaign_id"]: p["replication_key_value"] for p in partitions
    } == dict.fromkeys(CAMPAIGNS, "2025-04-02T12:00:00-05:00")  # FIRST_END: every window final


def test_number_settings_from_the_environment_work_in_meltano(
    meltano_env: dict[str, str], emulator: Emulator
) -> None:
    env = {
        **meltano_env,
        "TAP_WOLKVOX_END_DATE": "2025-04-01",
        "TAP_WOLKVOX_RETRY_WAIT_SECONDS": "0.5",
        "TAP_WOLKVOX_REQUEST_TIMEOUT_SECONDS": "30.5",
        "TAP_WOLKVOX_LOOKBACK_MINUTES": "30",
        "TAP_WOLKVOX_MAX_RETRIES": "2",
    }
    tested = meltano("config", "test", "tap-wolkvox", env=env)
    assert "Plugin configuration is valid" in tested.stdout
    config = json.loads(meltano("config", "print", "tap-wolkvox", env=env).stdout)
    assert (config["retry_wait_seconds"], config["lookback_minutes"]) == ("0.5", 30)
    meltano("run", "tap-wolkvox", "target-duckdb", env=env)
    asked = {c["date_ini"] for c in report_calls(emulator) if "date_ini" in c}
    assert asked == {"20250330000000", "20250331000000"}
