"""Agent reports (`agent_*`): time by status, sessions, events, transfers, preview time."""

from __future__ import annotations

from tap_wolkvox.catalogue.report import Report
from tap_wolkvox.catalogue.vocabulary import DAY, fields
from tap_wolkvox.fields import Field

#: The counters and times agent_1, 4, 5, 6, 8 and 11 share.
_STATUS_TIMES = (
    "calls inbound outbound internal ready_time inbound_time outbound_time acw_time ring_time "
    "login_time aht occupancy aux_time"
)
_TIME = Field("time", "duration", "Time in the state or event.")
_TOTAL_TIME = Field("total_time", "duration", "Total time.")

REPORTS = (
    Report(
        "agent_1",
        "agent_status_times",
        "Agent time by status",
        fields(
            f"agent_id* agent_dni agent_name {_STATUS_TIMES} hits rpc aht_outbund aht_inbound "
            "login logout",
            Field("login", "datetime", "First login in the window."),
            Field("logout", "datetime", "Last logout in the window."),
        ),
    ),
    Report(
        "agent_2",
        "agent_events",
        "Event log for one agent",
        fields(
            "agent_id agent_status time date_ini* date_end conn_id type_interaction destiny "
            "telephone campaign_id",
            _TIME,
        ),
        partition="agent_id",
        split="concat",
    ),
    Report(
        "agent_3",
        "agent_aux_times",
        "Auxiliary (break) time per agent",
        fields(
            "agent_id* agent_dni agent_name aux_state* time",
            Field("time", "duration", "Time in the auxiliary state."),
        ),
        split="sum",
    ),
    Report(
        "agent_4",
        "agent_campaign_status_times",
        "Agent statuses by campaign",
        fields(f"agent_id* agent_name {_STATUS_TIMES} campaign_id*"),
    ),
    Report(
        "agent_5",
        "agent_hourly_statuses",
        "Statuses per hour for each agent",
        fields("agent_name agent_id*"),
        shape="nested",
        nested_field="status_x_hour",
        item_fields=fields(f"hour* {_STATUS_TIMES}"),
    ),
    Report(
        "agent_6",
        "hourly_status_times",
        "Statuses per hour (all agents)",
        fields(f"hour* {_STATUS_TIMES}"),
    ),
    Report(
        "agent_7",
        "agent_sessions",
        "Login/logout session times",
        fields(
            "agent_name agent_id* agent_dni date login* logout login_time",
            DAY,
            Field("login", "datetime", "Login time."),
            Field("login_time", "duration", "Time logged in during the session."),
        ),
        split="concat",
    ),
    Report(
        "agent_8",
        "agent_hourly_status_times",
        "Agent statuses hour by hour",
        fields(f"agent_name agent_dni agent_id* date* hour* {_STATUS_TIMES}", DAY),
        split="concat",  # a row per agent, day and hour: halves cut on whole hours never share one
    ),
    Report(
        "agent_8_1",
        "agent_half_hourly_status_times",
        "Agent statuses per 30-minute interval",
        fields(f"agent_name agent_id* agent_dni date* hour* {_STATUS_TIMES}", DAY),
        split="concat",
    ),
    Report(
        "agent_9",
        "agent_hold_mute_times",
        "Hold and mute time per agent",
        fields(
            "agent_name* count hold_time mute_time total_time",
            Field("count", "count", "Holds and mutes."),
            _TOTAL_TIME,
        ),
        split="sum",
    ),
    Report(
        "agent_10",
        "hold_mute_events",
        "Hold and mute event detail",
        fields(
            "agent_name agent_id type_action* conn_id* type_interaction time skill_id date* "
            "telephone customer_id",
            _TIME,
        ),
        split="concat",
    ),
    Report(
        "agent_11",
        "skill_agent_status_times",
        "Agent time by status, grouped by skill",
        fields("skill_name*"),
        shape="nested",
        nested_field="agents",
        item_fields=fields(
            f"agent_name agent_dni agent_id* {_STATUS_TIMES} hits rpc aht_outbound aht_inbound"
        ),
    ),
    Report(
        "agent_12",
        "agent_transfer_conference_totals",
        "Agent conferences and transfers totals",
        fields(
            "agent_name agent_id* skill_name transfer_calls conference_calls total_time",
            _TOTAL_TIME,
        ),
        split="sum",
    ),
    Report(
        "agent_13",
        "transfer_conference_details",
        "Transfers and conferences, detailed",
        fields("agent_name agent_id* conn_id* date* telephone type_interaction time", _TIME),
        split="concat",
    ),
    Report(
        "agent_13_1",
        "transfer_conference_call_details",
        "Specific transfer and conference call detail",
        fields(
            "conn_id_transfer* skill_id date ani origin_agent_id origin_agent_name "
            "destiny_agent_id destiny_agent_name dnis time type_call id_call_origin",
            Field("date", "datetime", "When the transfer or conference happened."),
            _TIME,
        ),
        split="concat",
    ),
    Report(
        "agent_14",
        "agent_all_events",
        "Total events per agent",
        fields(
            "agent_id* agent_status time date_ini* date_end conn_id type_interaction destinity "
            "telephone campaign_id agent_dni agent_name",
            _TIME,
        ),
        split="concat",
    ),
    Report(
        "agent_15",
        "preview_call_details",
        "Preview-time detail per call",
        fields(
            "id_call* id_agent agent_name type_call date_preview time_preview ready talk "
            "not_ready_acw auxiliary_times ring total_duration preview_percent"
        ),
        split="concat",
    ),
    Report(
        "agent_16",
        "agent_preview_times",
        "Preview time grouped by agent",
        fields(
            "id_agent* agent_name calls time_preview ready talk not_ready_acw auxiliary_times "
            "ring total_duration preview_percent"
        ),
    ),
)
