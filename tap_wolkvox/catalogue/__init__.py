"""Every Wolkvox report the tap reads, one declaration each (reports-catalogue.json).

`REPORTS` are the Reports Manager and information.php lists, where an `api` name is unique
(`BY_API`). `MORE_REPORTS` are the other read-only endpoints (customer, gamification, speech,
campaign records, quality, WhatsApp, billing, real time; more-endpoints.json), where the same
`api` exists on several paths: an endpoint is identified by (path, api) (`ENDPOINTS`).
Importing this builds plain data only; schemas and parsers are derived when asked for.
"""

from __future__ import annotations

from tap_wolkvox.catalogue import (
    activity,
    agents,
    billing,
    calls,
    campaign_records,
    campaigns,
    chats,
    configuration_lists,
    customer,
    diagram,
    gamification,
    lists,
    quality,
    realtime,
    skills,
    speech,
    speech_calls,
)
from tap_wolkvox.catalogue.report import (
    CAMPAIGN_ENDPOINT,
    PARTITIONS,
    WHATSAPP_ENDPOINT,
    PartitionKind,
    Report,
)

#: Catalogue entries that are not streams: each needs an input the tap cannot list.
NOT_STREAMS = {
    "law2300_info": "checks one phone number (`nit`, `phone`)",
    "get_dnc": "needs a do-not-call list `type` and returns the list, not history",
}
#: Endpoints outside the Reports Manager that are not streams, and why.
MORE_NOT_STREAMS = {
    (CAMPAIGN_ENDPOINT, "find_record"): (
        "looks records up by one phone number or customer ID; the whole base is "
        "`campaign_records` and the dialled records are `campaign_record_details`"
    ),
    (WHATSAPP_ENDPOINT, "agent_chat"): (
        "lists one agent's open chats, asked per agent with customer identifiers; active chats "
        "are `realtime_chats` and chat history is in the chat reports"
    ),
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
MORE_REPORTS: tuple[Report, ...] = (
    *customer.REPORTS,
    *gamification.REPORTS,
    *speech_calls.REPORTS,
    *campaign_records.REPORTS,
    *configuration_lists.REPORTS,
    *billing.REPORTS,
    *realtime.REPORTS,
)
ALL_REPORTS: tuple[Report, ...] = REPORTS + MORE_REPORTS
BY_API: dict[str, Report] = {report.api: report for report in REPORTS}
BY_STREAM: dict[str, Report] = {report.stream: report for report in ALL_REPORTS}
#: The streams each (path, api) feeds: real_time latency feeds three, and each billing
#: product (its own `api`) feeds `billing_usage`.
ENDPOINTS: dict[tuple[str, str], tuple[Report, ...]] = {}
for _report in ALL_REPORTS:
    _kind = _report.partition_kind
    _apis = _kind.values if _kind is not None and _kind.param == "api" else (_report.api,)
    for _api in _apis:
        ENDPOINTS[_report.endpoint, _api] = (*ENDPOINTS.get((_report.endpoint, _api), ()), _report)

__all__ = [
    "ALL_REPORTS",
    "BY_API",
    "BY_STREAM",
    "ENDPOINTS",
    "MORE_NOT_STREAMS",
    "MORE_REPORTS",
    "NOT_STREAMS",
    "PARTITIONS",
    "REPORTS",
    "PartitionKind",
    "Report",
]
