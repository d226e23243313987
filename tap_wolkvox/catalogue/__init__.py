"""Every Wolkvox report the tap reads, one declaration each (reports-catalogue.json).

Importing this builds plain data only; schemas and parsers are derived when asked for.
"""

from __future__ import annotations

from tap_wolkvox.catalogue import (
    activity,
    agents,
    calls,
    campaigns,
    chats,
    diagram,
    lists,
    quality,
    skills,
    speech,
)
from tap_wolkvox.catalogue.report import PARTITIONS, PartitionKind, Report

#: Catalogue entries that are not streams: each needs an input the tap cannot list.
NOT_STREAMS = {
    "law2300_info": "checks one phone number (`nit`, `phone`)",
    "get_dnc": "needs a do-not-call list `type` and returns the list, not history",
}
REPORTS: tuple[Report, ...] = (
    *lists.REPORTS,
    *agents.REPORTS,
    *skills.REPORTS,
    *calls.REPORTS,
    *activity.REPORTS,
    *diagram.REPORTS,
    *quality.REPORTS,
    *campaigns.REPORTS,
    *chats.REPORTS,
    *speech.REPORTS,
)
BY_API: dict[str, Report] = {report.api: report for report in REPORTS}
BY_STREAM: dict[str, Report] = {report.stream: report for report in REPORTS}

__all__ = ["BY_API", "BY_STREAM", "NOT_STREAMS", "PARTITIONS", "REPORTS", "PartitionKind", "Report"]
