"""real_time.php: what is happening now, one snapshot stream per view.

None of these takes dates: each run stores what the answer says at that moment, with
`snapshot_at`. The rolling lists (calls of the last 10 minutes, hits of the last hour) are
keyed by `conn_id` alone, so polling more often than their span repeats nothing after upsert.
"""

from __future__ import annotations

import functools

from tap_wolkvox.catalogue.more_words import more_fields
from tap_wolkvox.catalogue.report import REAL_TIME_ENDPOINT, Report
from tap_wolkvox.fields import Field

_TIMES = "ready_time inbound_time outbound_time acw_time ring_time login_time aht_time"
_CALL = "conn_id* type_interaction date telephone customer_id"
_RESULT = Field("result", "text", "Machine code, e.g. `answer machine`, `no answer`.")
_LATENCY = "latency"


#: A real_time.php snapshot stream: no dates, each record stamped with `snapshot_at`.
_snapshot = functools.partial(Report, endpoint=REAL_TIME_ENDPOINT, dated=False, snapshot=True)


REPORTS = (
    _snapshot(
        "agents",
        "realtime_agents",
        "Agents now: status and today's totals",
        more_fields(
            "agent_id* agent_name agent_status calls inbound outbound internal time_state_now "
            f"{_TIMES} ocupation aux_time",
        ),
    ),
    _snapshot(
        "skills",
        "realtime_skills",
        "Skills now: queue and service level",
        more_fields(
            "skill_id* skill_name calls_in_queue_now stat_inbound stat_answer stat_abandon "
            "service_level_10seg service_level_20seg service_level_30seg by_abandon",
        ),
        partition="skill_id",
    ),
    _snapshot(
        "campaigns",
        "realtime_campaigns",
        "Campaigns now: dialling progress",
        more_fields(
            "campaign_id* campaign speed status skill_id records clean dial answer no_answer "
            "busy/congestion/failed answer_machine penetration_day penetration_now hits "
            "calls_x_min recycled",
            Field(
                "campaign_id",
                "leading_id",
                "Campaign ID: the number the `campaign` text starts with.",
                aliases=("campaign",),
            ),
            Field("answer", "count", "Calls answered."),
        ),
        data_key=None,
    ),
    _snapshot(
        "chats",
        "realtime_chats",
        "Active chats now, one record per chat, messages nested",
        more_fields(
            "agent_id",
        ),
        shape="nested",
        nested_field="active_chats",
        item_fields=more_fields("conn_id* channel connector_id customer_phone conversation"),
    ),
    _snapshot(
        "interactions",
        "realtime_interactions",
        "Active interactions (email, social) now, one record per interaction",
        more_fields(
            "agent_id",
        ),
        shape="nested",
        nested_field="active_interactions",
        item_fields=more_fields("conn_id* subject fromname date"),
    ),
    _snapshot(
        _LATENCY,
        "realtime_latency_by_agent",
        "Network latency now, per agent",
        more_fields(
            "agent_id* latency_ms ip version agent_status tx_jitter rx_jitter tx_ploss rx_ploss "
            "network_rejection connection_type platform last_date",
        ),
        rows_at=(0, "by_agent"),
    ),
    _snapshot(
        _LATENCY,
        "realtime_latency_by_ip",
        "Network latency now, per IP address",
        more_fields(
            "ip* total_agents average_latency maximum minimum network_rejection",
        ),
        rows_at=(0, "by_ip"),
    ),
    _snapshot(
        _LATENCY,
        "realtime_latency_by_pbx",
        "Network quality now, per PBX user",
        more_fields(
            "user* status tx_jitter rx_jitter tx_ploss rx_ploss",
            Field("user", "text", "PBX user."),
        ),
        rows_at=(0, "by_pbx"),
    ),
    _snapshot(
        "info_server",
        "realtime_server",
        "Dedicated server health now (CPU, memory, calls, agents)",
        more_fields(
            "cpu_avg_10s cpu_max_10s cpu_min_10s ram calls connected_agents",
            Field("calls", "count", "Calls in progress."),
        ),
        optional=True,
    ),
    _snapshot(
        "recall",
        "scheduled_recalls",
        "Campaign recalls scheduled now",
        more_fields(
            "type_recall date_recall* phone_number* id_campaing* id_agent",
        ),
        params=(("type", "all"),),
    ),
    _snapshot(
        "calls_last_10",
        "realtime_calls_last_10_minutes",
        "Calls of the last 10 minutes (keyed by conn_id)",
        more_fields(
            f"{_CALL} result",
            _RESULT,
        ),
        own_key=True,
    ),
    _snapshot(
        "hits_last_hour",
        "realtime_hits_last_hour",
        "Calls and hits of the last hour (keyed by conn_id)",
        more_fields(
            f"{_CALL} hit",
            Field("date", "text", "When the call happened, `YYYYmmddHHiiss` per the docs."),
            Field("hit", "text", "`HIT` when the call was coded as a hit."),
        ),
        own_key=True,
    ),
)
