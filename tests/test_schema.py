"""Every emitted record validates against its stream's schema.

The tap types every value itself and turns the SDK's per-record type conformance off
(`TYPE_CONFORMANCE_LEVEL = NONE`), so this test is what holds records and schemas together.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import TYPE_CHECKING

from jsonschema import Draft202012Validator, FormatChecker  # type: ignore[import-untyped]

from tap_wolkvox.tap import TapWolkvox
from tests.helpers import base_config, run_tap
from wolkvox_emulator import Fault

if TYPE_CHECKING:
    from pathlib import Path

    from wolkvox_emulator import Emulator

FORMATS = FormatChecker()


@FORMATS.checks("date-time", raises=ValueError)
def _is_aware_date_time(value: object) -> bool:
    return not isinstance(value, str) or dt.datetime.fromisoformat(value).tzinfo is not None


def test_every_record_of_every_stream_validates_against_its_schema(
    emulator: Emulator, tmp_path: Path
) -> None:
    emulator.state.percent_field = "porcent"  # the other spelling, as some servers send it
    row = {  # one row every report can read, with every count and number empty
        **dict.fromkeys(("result", "machinecode", "telephone"), "busy"),
        "campaign_id": "101",
        **dict.fromkeys(("records", "percent", "cantidad", "total_amd", "no_answer"), ""),
    }
    # nulls in the records of the campaign reports that read this row (campaign_10 first: its
    # name contains campaign_1's)
    emulator.add_faults(
        *(
            Fault(
                "body",
                times=3,
                body=json.dumps({"code": "200", "data": [row]}),
                match={"date_ini": "20250302", "api": api},
            )
            for api in ("campaign_10", "campaign_1", "campaign_4", "campaign_6", "campaign_8")
        )
    )
    emulator.state.dedicated_server = True  # real_time info_server answers
    config = base_config(
        emulator.url,
        start_date="2025-03-01",
        end_date="2025-03-04",
        campaign_ids=["*"],
        whatsapp_connector_ids=["55"],
    )
    streams = tuple(TapWolkvox(config=config).streams)
    run = run_tap(config, tmp_path, streams=streams)
    assert run.returncode == 0, run.stderr
    schemas = {m["stream"]: m["schema"] for m in run.messages if m["type"] == "SCHEMA"}
    assert set(schemas) == set(streams)
    validators = {
        name: Draft202012Validator(schema, format_checker=FORMATS)
        for name, schema in schemas.items()
    }
    seen = dict.fromkeys(streams, 0)
    for message in run.messages:
        if message["type"] == "RECORD":
            errors = list(validators[message["stream"]].iter_errors(message["record"]))
            assert not errors, (message["stream"], json.dumps(message["record"]), errors[0])
            seen[message["stream"]] += 1
    assert all(seen.values()), seen
    assert any(None in m.get("record", {}).values() for m in run.messages), "no null tested"
