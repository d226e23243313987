"""Property test: whatever body Wolkvox sends, the tap emits valid typed records or fails
with one clear line naming the window; never a traceback, never part of a window."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

import pytest
from hypothesis import HealthCheck, event, example, given, settings
from hypothesis import strategies as st

from tests.helpers import TOKEN, base_config, run_in_process
from wolkvox_emulator import Dataset, Emulator, EmulatorState, Fault

if TYPE_CHECKING:
    from collections.abc import Iterator

FAULTED_DAY = "2025-07-02"
FAULTED = "20250702000000"

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3)
    ),
    max_leaves=8,
)
counts = st.one_of(
    st.integers(min_value=-5, max_value=10**25).map(str),
    st.integers(min_value=-5, max_value=10**25),
    st.sampled_from(["", " 7 ", "3.0", "1e3", "١٢", "twelve", "0x1f"]),
    json_values,
)
codes = st.one_of(
    st.sampled_from(["busy", "no answer", "chanunavail", "", "contestó 📞"]), json_values
)
rows = st.one_of(
    st.fixed_dictionaries(
        {"machinecode": codes, "cantidad": counts}, optional={"extra": json_values}
    ),
    st.fixed_dictionaries({}, optional={"machinecode": codes, "cantidad": counts}),
    json_values,
)
envelopes = st.fixed_dictionaries(
    {},
    optional={
        "code": st.one_of(
            st.sampled_from([200, "200", " 200 ", "204", 500, "403", "x"]), json_values
        ),
        "error": st.one_of(st.none(), st.text(max_size=10)),
        "msg": st.one_of(
            st.text(max_size=20), st.sampled_from(["TOKEN LIMIT EXCEEDED", "PLEASE VALIDATE TOKEN"])
        ),
        "data": st.one_of(st.none(), st.lists(rows, max_size=6), json_values),
    },
)
bodies = st.one_of(envelopes.map(json.dumps), json_values.map(json.dumps), st.text(max_size=40))


@pytest.fixture(scope="module")
def shared_emulator() -> Iterator[Emulator]:
    server = Emulator(EmulatorState(dataset=Dataset(), tokens=frozenset({TOKEN}))).start()
    yield server
    server.stop()


def is_typed(record: dict[str, Any]) -> bool:
    return (
        isinstance(record["machinecode"], str)
        and (
            record["cantidad"] is None
            or (isinstance(record["cantidad"], int) and 0 <= record["cantidad"] < 2**63)
        )
        and set(record)
        == {"campaign_id", "window_start", "window_end", "window_date", "machinecode", "cantidad"}
    )


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(body=bodies, status=st.sampled_from([200, 200, 200, 500, 403, 400]))
@example(body='{"error": "\\r"}', status=400)  # a line break in the body: still one line
def test_any_body_gives_typed_records_or_one_clear_error(
    shared_emulator: Emulator, body: str, status: int
) -> None:
    shared_emulator.state.reset()
    shared_emulator.add_faults(
        Fault("body", times=10, status=status, body=body, match={"date_ini": FAULTED})
    )
    config = base_config(
        shared_emulator.url,
        start_date="2025-07-01",
        end_date="2025-07-04",
        campaign_ids=["101"],
        max_retries=1,
        max_concurrent_requests=1,
        maintenance_max_wait_seconds=0,
    )
    run = run_in_process(config)  # an unexpected exception here fails the test
    event(f"exit {run.returncode}")
    assert all(is_typed(r) for r in run.records)
    faulted = [r for r in run.records if r["window_start"].startswith(FAULTED_DAY)]
    if run.returncode == 0:
        assert {r["window_start"][:10] for r in run.records} <= {
            "2025-07-01",
            FAULTED_DAY,
            "2025-07-03",
        }
    else:
        assert run.returncode == 1
        assert not faulted, "a failed window was partly emitted"
        errors = [
            line for line in run.stderr.splitlines() if line.startswith("ERROR | tap-wolkvox |")
        ]
        assert len(errors) == 1, run.stderr
        assert "Wolkvox" in errors[0] or "api_token" in errors[0]
        assert "\n" not in errors[0]
        if "api_token" not in errors[0] and "token limit" not in errors[0]:
            assert f"date_ini={FAULTED}" in errors[0]
        assert TOKEN not in run.stderr
        bookmark = run.states[-1]["bookmarks"]["turbo_dial_machine_codes"]["partitions"][0]
        assert bookmark.get("replication_key_value") == "2025-07-02T00:00:00-05:00"
