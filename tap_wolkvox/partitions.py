"""Where each partition kind's values come from, and the lists read for them (once per run).

- `campaign_id`: `campaign_ids`; `*` expands the campaigns list (`campaign_types`,
  `only_started`), keeping a stopped campaign while its `last_use` reaches its bookmark.
- `skill_id`: `skill_ids` (`all` by default); `*`, and every undated list asked per skill,
  expand the skills list.
- `agent_id`: the agents list.
- `cod_act`: its fixed values (`cod_act1`, `cod_act2`).
- `campaign_record` and `listed_campaign` (campaign.php): campaign IDs the campaigns list
  knows, `all` meaning each of them; `campaign_record` sends each with its `type_campaign`.
- `connector_id`: `whatsapp_connector_ids`.

IDs read from a list must be digits, each number once (`01001` is `1001`): any other is
skipped, named in one WARNING per list.
"""

from __future__ import annotations

import logging
import threading
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from tap_wolkvox.catalogue import BY_API
from tap_wolkvox.catalogue.records import RecordParser
from tap_wolkvox.report_request import ReportRequest
from tap_wolkvox.settings import parse_instant

if TYPE_CHECKING:
    import datetime as dt
    from collections.abc import Callable, Mapping

    from tap_wolkvox.bad_values import BadValues
    from tap_wolkvox.catalogue import Report
    from tap_wolkvox.catalogue.records import Records
    from tap_wolkvox.http.answers import Answer


class PartitionValues:
    """The values each report is asked for, from the settings and from Wolkvox's lists."""

    def __init__(
        self,
        config: Mapping[str, Any],
        ask: Callable[[ReportRequest], Answer],
        logger: logging.Logger,
        bad_values: Callable[[str], BadValues] | None = None,
    ) -> None:
        """Nothing read yet: a list is requested the first time it is needed.

        `ask` gets a list's answer; `bad_values(stream)` takes a list's values that do not
        read (else they stop the run).
        """
        self._config = config
        self._bad_values = bad_values
        self._ask = ask
        self._logger = logger
        self._tz = ZoneInfo(config["timezone"])
        self._lists: dict[tuple[str, str, str | None], Records] = {}
        self._lock = threading.Lock()
        self._said: set[str] = set()
        #: This run's snapshot answers, shared by the streams one api feeds (`snapshots`).
        self.snapshots: dict[tuple[str, str, str | None], Any] = {}

    def values(  # noqa: PLR0911 - one return per partition kind
        self, report: Report, bookmark_of: Callable[[str], dt.datetime | None]
    ) -> list[str]:
        """The values `report` is asked for; `bookmark_of` gives a value's bookmark."""
        kind = report.partition_kind
        if kind is None:
            return []
        if kind.values:
            return list(kind.values)
        if kind.from_list:
            return self._listed_campaign_ids(bookmark_of)
        if kind.param == "connector_id":
            return self._connectors()
        if kind.param == "campaign_id":
            return self._campaigns(bookmark_of)
        if kind.param == "skill_id":
            configured = self._configured_skills(report)
            return self._listed_ids("skills", "skill_id") if configured is None else configured
        return self._listed_ids("agents", "agent_id")

    def _configured_skills(self, report: Report) -> list[str] | None:
        """`skill_ids` as set; None where the skills list gives them (`*`, lists per skill)."""
        configured = [str(s) for s in self._config.get("skill_ids") or ["all"]]
        return configured if configured != ["*"] and (report.dated or report.snapshot) else None

    def listed(self, report: Report, value: str | None) -> tuple[tuple[str, str], ...]:
        """The parameters the campaigns list gives `value` (detail's `type_campaign`)."""
        kind = report.partition_kind
        if kind is None or kind.listed_param is None or value is None:
            return ()
        listed = {c["campaign_id"]: c for c in self.list_records(BY_API["campaigns"])}
        return ((kind.listed_param, str(listed[value][kind.listed_param])),)

    def _listed_campaign_ids(self, bookmark_of: Callable[[str], dt.datetime | None]) -> list[str]:
        """Campaign IDs that the campaigns list knows (`all` is each listed campaign)."""
        configured = [str(c) for c in self._config["campaign_ids"]]
        listed = {c["campaign_id"] for c in self._listed_campaigns()}
        if configured in (["*"], ["all"]):
            return (
                self._campaigns(bookmark_of)
                if configured == ["*"]
                else sorted(listed, key=id_order)
            )
        unknown = [c for c in configured if c not in listed]
        if unknown:
            self._say_once(
                logging.WARNING,
                "campaign_ids %s: not in the campaigns list, so campaign.php (campaign records "
                "and their detail) skips them",
                ", ".join(unknown),
            )
        return [c for c in configured if c in listed]

    def _connectors(self) -> list[str]:
        connectors = [str(c) for c in self._config.get("whatsapp_connector_ids") or []]
        if not connectors:
            self._say_once(
                logging.INFO,
                "whatsapp_templates is selected but whatsapp_connector_ids is empty: "
                "no connector to list templates for",
            )
        return connectors

    def is_read(self, report: Report, value: str | None = None) -> bool:
        """Whether this run has read the list already (reading it again costs nothing)."""
        with self._lock:
            return (report.endpoint, report.api, value) in self._lists

    def list_records(self, report: Report, value: str | None = None) -> Records:
        """An undated list's typed records, requested at most once per run.

        Only lists asked without a partition are kept for the run (partition lookups read
        them); one asked per value (a campaign's whole base) is read and let go.
        """
        with self._lock:
            key = (report.endpoint, report.api, value)
            if key in self._lists:
                return self._lists[key]
            kind = report.partition_kind
            base = {} if kind is None else {kind.field: value}
            request = ReportRequest(report, value, None)
            answer = self._ask(request)
            bad = None if self._bad_values is None else self._bad_values(report.stream)
            records = RecordParser(report, self._tz, bad).records(answer.rows, base, request.where)
            if kind is None:
                self._lists[key] = records
            return records

    def listed_ids(self, report: Report) -> set[str] | None:  # noqa: PLR0911 - one per kind
        """Every ID in the Wolkvox list `report`'s values come from; None if from settings."""
        kind = report.partition_kind
        if kind is None or kind.values:
            return None
        if kind.param == "campaign_id":
            if [str(c) for c in self._config["campaign_ids"]] != ["*"]:
                return None
            return {str(c["campaign_id"]) for c in self.list_records(BY_API["campaigns"])}
        if kind.param == "skill_id":
            if self._configured_skills(report) is not None:
                return None
            return set(self._listed_ids("skills", "skill_id"))
        if kind.param == "agent_id":
            return set(self._listed_ids("agents", "agent_id"))
        return None  # e.g. WhatsApp connectors: from settings

    def _listed_ids(self, api: str, field: str) -> list[str]:
        rows = self.list_records(BY_API[api])
        ids, odd = _checked_ids([r.get(field) for r in rows])
        if odd:
            self._say_once(
                logging.WARNING,
                f"The {api} list has IDs that cannot be asked for, skipped: %s",
                ", ".join(odd),
            )
        return sorted(ids, key=id_order)

    def _campaigns(self, bookmark_of: Callable[[str], dt.datetime | None]) -> list[str]:
        configured = [str(c) for c in self._config["campaign_ids"]]
        if configured != ["*"]:
            return configured
        only_started = self._config["only_started"]
        chosen = []
        for campaign in self._listed_campaigns():
            started = campaign["status"] == "Started"
            if not only_started or started or self._used_since(campaign, bookmark_of):
                chosen.append(campaign["campaign_id"])
        if not chosen:
            self._say_once(
                logging.INFO,
                'campaign_ids ["*"] selects no campaign (%d listed, none %s): nothing to extract',
                len(self.list_records(BY_API["campaigns"])),
                "started and of the chosen types" if only_started else "of the chosen types",
            )
        return sorted(set(chosen), key=id_order)

    def _used_since(
        self, campaign: dict[str, Any], bookmark_of: Callable[[str], dt.datetime | None]
    ) -> bool:
        """A stopped campaign used at or after its bookmark: its last window is not complete."""
        bookmark, last_use = bookmark_of(campaign["campaign_id"]), campaign.get("last_use")
        if bookmark is None or not last_use:
            return False
        try:
            return parse_instant(str(last_use), self._tz) >= bookmark
        except ValueError:
            return False

    def _listed_campaigns(self) -> Records:
        """The listed campaigns of the chosen types whose IDs can be asked for."""
        types = self._config.get("campaign_types")
        listed = [
            c
            for c in self.list_records(BY_API["campaigns"])
            if not types or c["type_campaign"] in types
        ]
        ids, odd = _checked_ids([c["campaign_id"] for c in listed])
        if odd:
            self._say_once(
                logging.WARNING,
                "The campaigns list has IDs that cannot be asked for, skipped: %s",
                ", ".join(odd),
            )
        kept = set(ids)
        return [
            {**c, "campaign_id": str(c["campaign_id"]).strip()}
            for c in listed
            if str(c["campaign_id"]).strip() in kept
        ]

    def _say_once(self, level: int, message: str, *args: Any) -> None:  # noqa: ANN401
        """Log `message` the first time only (partitions are worked out once per stream)."""
        if message not in self._said:
            self._said.add(message)
            self._logger.log(level, message, *args)


def id_order(value: str) -> tuple[int, str]:
    """IDs in numeric order (`all` first): how partition values are asked."""
    return (len(value), value)


def _checked_ids(raw: list[Any]) -> tuple[list[str], list[str]]:
    """The IDs that can be asked for (digits, each number once), and why the others cannot."""
    ids: list[str] = []
    odd: list[str] = []
    seen: dict[int, str] = {}
    for value in raw:
        text = "" if value is None else str(value).strip()
        if not text:
            odd.append(f"{value!r} (empty)")
        elif not (text.isascii() and text.isdigit()):
            odd.append(f"{value!r} (not digits)")
        elif int(text) in seen:
            first = seen[int(text)]
            why = "listed twice" if first == text else f"is {first!r}"
            odd.append(f"{value!r} ({why})")
        else:
            seen[int(text)] = text
            ids.append(text)
    return ids, odd
