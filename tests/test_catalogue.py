"""The declarations against Wolkvox's catalogue, and what is derived from them."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from singer_sdk.sinks.core import JSONSchemaValidator

from tap_wolkvox.catalogue import BY_API, BY_STREAM, MORE_REPORTS, NOT_STREAMS, REPORTS, Report
from tap_wolkvox.catalogue.report import INFORMATION_ENDPOINT, MAX_WINDOW_DAYS, REPORTS_ENDPOINT
from tap_wolkvox.catalogue.schema import partition_field, record_key, record_schema
from tap_wolkvox.catalogue.table import END, START, reports_table
from tests.tiers import FIRST_CLASS

ROOT = Path(__file__).parent.parent
# reports-catalogue.json (wolkvox-api), reduced to what the declarations must agree with
CATALOGUE: dict[str, dict[str, Any]] = json.loads(
    (Path(__file__).parent / "data" / "catalogue.json").read_text(encoding="utf-8")
)
# the streams of 0.2.0, before this catalogue (users' tables hang on their catalog entries)
CATALOG_0_2_0: list[dict[str, Any]] = json.loads(
    (Path(__file__).parent / "data" / "catalog-0.2.0.json").read_text(encoding="utf-8")
)["streams"]
# required parameters (besides dates) that are not a partition, and how the tap fills them
FIXED_PARAMS = {"chat_4": {"attach_array", "include_attachments"}}
# the campaigns stream keeps the fields it had before the catalogue
UNDECLARED = {"campaigns": {"skill_id"}}
ALL = pytest.mark.parametrize("report", REPORTS, ids=lambda r: r.api)


def test_every_catalogue_report_is_declared_once_except_those_needing_inputs() -> None:
    assert set(BY_API) == set(CATALOGUE) - set(NOT_STREAMS)
    assert len(BY_API) == len(REPORTS) == len(CATALOGUE) - len(NOT_STREAMS)  # each api once
    # and the endpoints outside the Reports Manager: no stream name taken twice
    assert len(BY_STREAM) == len(REPORTS) + len(MORE_REPORTS)


def test_stream_names_are_unique_snake_case_and_the_public_ones_are_kept() -> None:
    assert len({r.stream for r in REPORTS}) == len(REPORTS)
    for report in REPORTS:
        assert report.stream.isidentifier()
        assert report.stream == report.stream.lower()
    for api, stream in FIRST_CLASS.items():
        assert BY_API[api].stream == stream
    assert {s["tap_stream_id"] for s in CATALOG_0_2_0} <= set(FIRST_CLASS.values())
    assert [r.stream for r in REPORTS if r.selected_by_default] == ["turbo_dial_machine_codes"]


@ALL
def test_declaration_agrees_with_the_catalogue(report: Report) -> None:
    entry = CATALOGUE[report.api]
    assert report.title == entry["title"]
    assert report.endpoint == entry["endpoint"]
    assert report.endpoint in {REPORTS_ENDPOINT, INFORMATION_ENDPOINT}
    assert report.dated == entry["dated"]
    limit = 1 if report.api in {"skill_5", "services"} else MAX_WINDOW_DAYS
    assert report.max_window_days == limit == entry["max_days_per_query"]
    assert report.max_rows == entry["reduce_range_above_records"]
    kind = report.partition_kind
    required = set(entry["required"]) - FIXED_PARAMS.get(report.api, set())
    assert required == ({kind.param} if kind else set())
    assert {name for name, _ in report.params} == FIXED_PARAMS.get(report.api, set())


@ALL
def test_every_field_wolkvox_sends_is_declared_under_its_spelling(report: Report) -> None:
    entry = CATALOGUE[report.api]
    spellings = {s for f in report.fields for s in (f.name, *f.aliases)}
    item_spellings = {s for f in report.item_fields for s in (f.name, *f.aliases)}
    if report.shape == "keyed":  # an object of entries; each entry holds the fields
        assert entry["data_shape"] == "object"
        assert set(entry["item_fields"]) <= spellings
    elif report.shape == "nested":
        assert entry["containers"] == [report.nested_field]
        assert set(entry["fields"]) <= spellings
        assert set(entry["item_fields"]) <= item_spellings
    else:
        assert entry["data_shape"] == "list"
        assert not entry["containers"]
        assert set(entry["fields"]) - UNDECLARED.get(report.api, set()) <= spellings
    for field in report.all_fields:
        assert field.name == field.name.strip().lower()
        assert any(s.strip().lower() == field.name for s in (field.name, *field.aliases))


@ALL
def test_schema_is_valid_and_holds_the_key(report: Report) -> None:
    schema = record_schema(report)
    JSONSchemaValidator(schema, validate_formats=True)  # a target's check of the schema
    properties = schema["properties"]
    key = record_key(report)
    assert len(set(key)) == len(key)
    for name in key:
        assert name in schema["required"]
        assert "null" not in properties[name]["type"]
    names = [f.name for f in report.all_fields]
    assert len(set(names)) == len(names)
    assert set(properties) >= set(names)
    if report.dated:
        assert {"window_start", "window_end"} <= set(schema["required"])
    if report.split == "concat" or not report.dated:
        assert "window_start" not in key
    else:
        assert key[: 2 if report.partition_kind else 1][-1] == "window_start"
    assert partition_field(report) in (key[0] if key else None, None)


@ALL
def test_split_rule_fits_the_values(report: Report) -> None:
    kinds = {f.name: f.kind for f in report.all_fields}
    shares = dict(report.percent_of)
    for percent, count in shares.items():
        assert kinds[percent] in {"percent", "number"}
        assert kinds[count] == "count"
    if report.split == "sum":  # counts are added up; percentages recomputed, never added
        assert any(kind in {"count", "number", "duration"} for kind in kinds.values())
        assert all(f.kind != "percent" or f.name in shares for f in report.all_fields)
    if report.split == "refuse":
        assert not shares


def test_reports_and_aggregates_split_as_the_issue_says() -> None:
    detail = {"cdr_1", "cdr_5", "chat_1", "chat_2", "skill_10", "campaign_3", "campaign_7"}
    assert all(BY_API[api].split == "concat" for api in detail)
    assert BY_API["cdr_1"].fields[15].name == "conn_id"
    assert record_key(BY_API["cdr_1"]) == ("conn_id",)
    assert record_key(BY_API["chat_1"]) == ("conn_id",)
    assert record_key(BY_API["agent_1"]) == ("window_start", "agent_id")
    averages = {"agent_1", "skill_1", "skill_3", "skill_4", "skill_5", "chat_16"}
    assert all(BY_API[api].split == "refuse" for api in averages)
    additive = {"campaign_1", "campaign_4", "campaign_6", "campaign_8", "campaign_10", "agent_3"}
    assert all(BY_API[api].split == "sum" for api in additive)


def test_partitions_follow_the_families() -> None:
    exceptions = {"agent_2": "agent_id", "agents_in_skill": "skill_id", "act_4": "none"}
    for report in REPORTS:
        family = report.api.split("_")[0]
        expected = {"campaign": "campaign_id", "skill": "skill_id", "act": "cod_act"}.get(
            family, "none"
        )
        assert report.partition == exceptions.get(report.api, expected), report.api
    assert BY_API["act_1"].query("cod_act1") == {"api": "act_1", "cod_act": "cod_act1"}
    assert BY_API["chat_4"].query() == {
        "api": "chat_4",
        "attach_array": "no",
        "include_attachments": "false",
    }
    with pytest.raises(ValueError, match="per campaign_id"):
        BY_API["campaign_3"].query()


#: Type changes of 0.2.0 streams, each with a migration note in docs/data-types.md.
TYPE_CHANGED = {("campaigns", "last_use"): (None, "date-time")}


@pytest.mark.parametrize("old", CATALOG_0_2_0, ids=lambda s: s["tap_stream_id"])
def test_existing_streams_keep_their_schema_and_key(old: dict[str, Any]) -> None:
    stream = old["tap_stream_id"]
    report = BY_STREAM[stream]
    schema = record_schema(report)
    assert schema["description"] == report.title
    day = {"window_date"} if report.dated else set()
    added = day | {f"{f.name}_local" for f in report.fields if f.kind == "datetime"}
    assert set(schema["properties"]) == set(old["schema"]["properties"]) | added
    for name, prop in old["schema"]["properties"].items():  # same types, but documented changes
        now = schema["properties"][name]
        if (stream, name) in TYPE_CHANGED:
            assert (prop.get("format"), now.get("format")) == TYPE_CHANGED[stream, name]
        else:
            assert (prop["type"], prop.get("format")) == (now["type"], now.get("format")), name
    assert set(schema["required"]) == set(old["schema"]["required"]) | day
    assert list(record_key(report)) == old["key_properties"]


def test_the_docs_stream_table_matches_the_declarations() -> None:
    text = (ROOT / "docs" / "streams.md").read_text(encoding="utf-8")
    assert text.count(START) == text.count(END) == 1
    between = text.split(START, 1)[1].split(END, 1)[0]
    assert between.endswith("\n" + reports_table(REPORTS))


def test_about_does_not_import_the_catalogue() -> None:
    code = (
        "import sys\n"
        "from tap_wolkvox.tap import TapWolkvox\n"
        "TapWolkvox.print_about(output_format='json')\n"
        "assert not [m for m in sys.modules if m.startswith('tap_wolkvox.catalogue')], 'imported'\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    assert '"name": "tap-wolkvox"' in done.stdout
