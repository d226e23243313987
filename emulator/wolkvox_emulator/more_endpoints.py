"""What the emulator answers on the paths outside the Reports Manager (more-endpoints.json).

Every answer is built from the catalogue's declarations: the truth first (`more_truth`), then
written the way the collection shows each endpoint, with the live API's habits
(docs/wolkvox-api.md §3): an empty dated window is HTTP 404 "Validate dates entered", `code` is
a string. The collection's variants are kept: campaign_15's `records` envelope, real_time
`campaigns` as a bare list, `data` as an object (`info_server`, `quality_matrix`,
`list_templates`), nested lists (latency, chats, gamification `stats[]`, template buttons),
keys with slashes or typos and Spanish keys as sent. The two example bodies that are not
valid JSON (`info_server`'s `"error": ,`, agents_kpi's trailing comma) are sent repaired.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from tap_wolkvox.catalogue import ENDPOINTS, MORE_REPORTS
from tap_wolkvox.catalogue.report import BILLING_ENDPOINT
from tap_wolkvox.windows import API_DATE_FORMAT
from wolkvox_emulator.more_truth import DATES, truth
from wolkvox_emulator.values import Record, wolkvox_value

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

    from tap_wolkvox.catalogue import Report
    from tap_wolkvox.fields import Field
    from wolkvox_emulator.dataset import Dataset

MORE_PATHS = frozenset(report.endpoint for report in MORE_REPORTS)


def find_report(path: str, api: str) -> Report | None:
    """The declaration answering (path, api), if it is one of these paths'."""
    reports = ENDPOINTS.get((path, api))
    return reports[0] if reports and path in MORE_PATHS else None


def more_answer(  # noqa: PLR0913 - the request, and what the emulator is set to do
    dataset: Dataset,
    path: str,
    params: Mapping[str, str],
    serial: int,
    *,
    dedicated: bool,
    code_as_int: bool = False,
) -> tuple[str | None, Any]:
    """(an error name of the server's, None) or (None, the body) for one request.

    `params` holds the query and any JSON body's keys; `serial` numbers the calls to this
    (path, api) from 1; `dedicated`: whether `info_server` answers (dedicated servers only);
    `code_as_int`: `code` 200 as a number, as in most of the collection's examples.
    """
    api = params.get("api", "")
    report = find_report(path, api)
    if report is None:
        return ("unknown_api" if api else "missing_params"), None
    problem = _request_problem(report, params)
    if problem is not None:
        return problem, None
    if report.api == "info_server" and not dedicated:
        return "not_dedicated", None
    records = truth(dataset, report, params, serial)
    if report.dated and not records:
        return "empty_window", None
    body = _body(dataset, report, params, records, serial)
    if code_as_int and isinstance(body, dict) and body["code"] == "200":
        body["code"] = 200
    return None, body


def _request_problem(report: Report, params: Mapping[str, str]) -> str | None:
    kind = report.partition_kind
    wanted = [name for name, _ in report.params]
    wanted += [kind.param] if kind is not None else []
    wanted += [kind.listed_param] if kind is not None and kind.listed_param else []
    wanted += list(DATES) if report.dated else []
    if any(not params.get(name) for name in wanted):
        return "missing_params"
    if not report.dated:
        return None
    try:
        first, last = (dt.datetime.strptime(params[k], API_DATE_FORMAT) for k in DATES)
    except ValueError:
        return "bad_date"
    if last < first or last - first >= dt.timedelta(days=report.max_window_days):
        return "range"
    return None


# -- writing the answer ---------------------------------------------------------------------


def _body(
    dataset: Dataset, report: Report, params: Mapping[str, str], records: list[Record], serial: int
) -> Any:  # noqa: ANN401
    """The whole body, in the endpoint's own envelope."""
    if report.stream == "realtime_campaigns":
        return [_row(report.fields, r) for r in records]  # a bare list, no envelope
    if report.stream == "campaign_records":
        return {
            "code": "200",
            "total_records": str(len(records)),
            "campaign_id": params["campaign_id"],
            "records": [_row(report.fields, r) for r in records],
        }
    data = _data(dataset, report, params, records, serial)
    if report.stream == "realtime_server":  # the doc's `"error": ,` repaired; code ""
        return {"code": "", "error": None, "msg": "", "data": data}
    message = (
        "Information found for the current month"
        if report.endpoint == BILLING_ENDPOINT
        else f"{len(records)} records were found"
    )
    return {"code": "200", "error": None, "msg": message, "data": data}


def _data(
    dataset: Dataset, report: Report, params: Mapping[str, str], records: list[Record], serial: int
) -> Any:  # noqa: ANN401
    if report.stream == "realtime_server":
        return _row(report.fields, records[0])  # an object, not a list
    if report.api == "latency":  # one object holding the three views' lists
        views = ENDPOINTS[(report.endpoint, report.api)]
        return [
            {
                str(view.rows_at[-1]): [
                    _row(view.fields, r) for r in truth(dataset, view, params, serial)
                ]
                for view in views
            }
        ]
    if report.shape == "grouped":
        groups: dict[str, list[Record]] = {}
        for r in records:
            groups.setdefault(r["survey"], []).append(_row(report.item_fields, r))
        return groups
    if report.rows_at:  # list_templates
        return {str(report.rows_at[0]): [_row(report.fields, r) for r in records]}
    if report.shape == "nested":
        return _nest(report, records)
    return [_row(report.fields, r) for r in records]


def _nest(report: Report, records: list[Record]) -> list[Record]:
    """Consecutive records of one parent become one row holding their items."""
    rows: list[Record] = []
    parents = [f.name for f in report.fields]
    for record in records:
        parent = [record.get(n) for n in parents]
        if not rows or rows[-1]["_parent"] != parent:
            rows.append(
                {"_parent": parent, **_row(report.fields, record), str(report.nested_field): []}
            )
        rows[-1][str(report.nested_field)].append(_row(report.item_fields, record))
    for row in rows:
        del row["_parent"]
    return rows


def _row(fields: Sequence[Field], record: Record) -> Record:
    """One row as Wolkvox writes it: strings (placeholders for nulls), lists as they are."""
    row: Record = {}
    for turn, field in enumerate(fields):
        value = record.get(field.name)
        if field.kind == "leading_id":
            continue  # read from another key (real_time campaigns' `campaign`)
        row[field.name] = value if field.kind == "list" else wolkvox_value(field, value, turn)
    return row
