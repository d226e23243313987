"""What the emulator answers for every declared report, and the truth tests compare with.

- `request_problem(path, params)`: which documented error a request gets, if any.
- `answer_rows(dataset, api, params)`: the answer's `data`, as Wolkvox sends it.
- `truth_records(dataset, api, params)`: the records the tap should read from that answer
  (without the window and partition fields it adds).

campaign_1, 4, 6, 8 and 10 and the campaigns list keep their answers from
`campaign_counts` and `Dataset.campaign_info`; the other first-class reports come from the
event model (`truth`, by stream name), every other report from its declaration (`generic`).
"""

from __future__ import annotations

import datetime as dt
import functools
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from tap_wolkvox.catalogue import BY_API
from tap_wolkvox.windows import API_DATE_FORMAT
from wolkvox_emulator.campaign_counts import REPORTS, report_rows
from wolkvox_emulator.generic import generic_records
from wolkvox_emulator.operation import Operation
from wolkvox_emulator.truth import LISTS, TRUTH
from wolkvox_emulator.truth.world import Request, World
from wolkvox_emulator.values import Record, answer_data

if TYPE_CHECKING:
    from collections.abc import Mapping

    from tap_wolkvox.catalogue import Report
    from wolkvox_emulator.dataset import Dataset

#: Served as before this catalogue, with the values the campaign tests pin.
CAMPAIGN_REPORTS = frozenset(REPORTS)


def request_problem(path: str, params: Mapping[str, str]) -> str | None:
    """The error a request gets (an `errors.ERRORS` name), or None if it is answered.

    `unknown_api` for an api this endpoint lacks; `missing_params` without `api`, the dates
    of a dated report, its partition or fixed parameters; `bad_date` for a date not
    `YYYYmmddHHiiss`; `range` for an end before the start or more days than the report allows.
    """
    report = BY_API.get(params.get("api", ""))
    if report is None or report.endpoint != path:
        return "unknown_api" if params.get("api") else "missing_params"
    wanted = [*report.query("-" if report.partition_kind else None)]
    wanted += ["date_ini", "date_end"] if report.dated else []
    if any(not params.get(name) for name in wanted):
        return "missing_params"
    return _date_problem(report, params) if report.dated else None


def _date_problem(report: Report, params: Mapping[str, str]) -> str | None:
    try:
        first, last = _dates(params)
    except ValueError:
        return "bad_date"
    if last < first or last - first >= dt.timedelta(days=report.max_window_days):
        return "range"
    return None


def answer_rows(
    dataset: Dataset,
    api: str,
    params: Mapping[str, str],
    *,
    percent_field: str = "percent",
    recorded_by: dt.datetime | None = None,
) -> list[Record] | Record:
    """The `data` Wolkvox answers for one valid request (before any row cap).

    With `recorded_by`, campaign calls stamped later are left out (not recorded yet).
    """
    if api in CAMPAIGN_REPORTS:
        date_ini, date_end = params["date_ini"], params["date_end"]
        return report_rows(
            dataset,
            api,
            params["campaign_id"],
            date_ini,
            date_end,
            percent_field=percent_field,
            recorded_by=recorded_by,
        )
    if api == "campaigns":
        return [dataset.campaign_info(c) for c in dataset.campaigns]
    return answer_data(BY_API[api], truth_records(dataset, api, params))


def truth_records(dataset: Dataset, api: str, params: Mapping[str, str]) -> list[Record]:
    """The records the tap should read from `answer_rows` for the same request."""
    report = BY_API[api]
    if api in CAMPAIGN_REPORTS or api == "campaigns":
        raise ValueError(f"{api} keeps its string answer: see campaign_counts / Dataset")
    world = _world(dataset)
    if report.stream in LISTS:
        return LISTS[report.stream](world)
    rq = _request(report, params)
    if report.stream in TRUTH and rq is not None:
        return TRUTH[report.stream](world, rq)
    return generic_records(report, rq, world.zone)


def _request(report: Report, params: Mapping[str, str]) -> Request | None:
    if not report.dated:
        return None
    first, last = _dates(params)
    kind = report.partition_kind
    return Request(first, last, params[kind.param] if kind else "all")


def _dates(params: Mapping[str, str]) -> tuple[dt.datetime, dt.datetime]:
    return (
        dt.datetime.strptime(params["date_ini"], API_DATE_FORMAT),
        dt.datetime.strptime(params["date_end"], API_DATE_FORMAT),
    )


@functools.lru_cache(maxsize=8)
def _world(dataset: Dataset) -> World:
    return World(dataset, Operation(seed=dataset.seed), ZoneInfo(dataset.timezone))
