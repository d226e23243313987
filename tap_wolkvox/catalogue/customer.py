"""customer.php: per-call and per-hour detail for the customer's own warehouse (dated)."""

from __future__ import annotations

from tap_wolkvox.catalogue.more_words import more_fields
from tap_wolkvox.catalogue.report import CUSTOMER_ENDPOINT, Report
from tap_wolkvox.catalogue.vocabulary import DAY, WHEN
from tap_wolkvox.fields import Field

_TIMES = "ready_time inbound_time outbound_time acw_time ring_time login_time aht"

REPORTS = (
    Report(
        "agents_detail",
        "customer_agent_call_details",
        "Agent call detail (one row per call and agent)",
        more_fields(
            "operation conn_id* type_call date agent_id* agent_name skill duration cod_act "
            "cod_act_2 telephone hung_up comment screecbox agent_status customer_id destiny time "
            "campaign_id",
            WHEN,
        ),
        endpoint=CUSTOMER_ENDPOINT,
        split="concat",
    ),
    Report(
        "agents_statustime",
        "customer_agent_hourly_status_times",
        "Agent status times per hour",
        more_fields(
            "operation date* hour* agent_id* agent_dni agent_name calls calls_inbound "
            f"calls_outbound calls_internal {_TIMES} occupancy aux_time",
            DAY,
        ),
        endpoint=CUSTOMER_ENDPOINT,
        split="concat",
    ),
    Report(
        "cdr_calls",
        "customer_call_details",
        "Call detail records",
        more_fields(
            "conn_id* type_call talk_time agent_id* agent_name agent_dni skill_id date hour "
            "day_of_week cod_act description_cod_act cod_act_2 description_cod_act_2 hit "
            "telephone_destination telephone_costs telephone hang_up customer_id month "
            "screen_recording operation ring abandon",
            WHEN,
        ),
        endpoint=CUSTOMER_ENDPOINT,
        split="concat",
    ),
    Report(
        "skills_detail",
        "customer_skill_call_details",
        "Skill call detail, with answer-time buckets",
        more_fields(
            "operation conn_id* type_call date agent_id agent_name skill_id* wait_time "
            "calls_ans_10 calls_ans_20 calls_ans_30 calls_ans_40 calls_ans_50 skill_result "
            "ani dnis",
            WHEN,
            Field("skill_result", "text", "Result in the skill: `ANSWER` or `ABANDON`."),
        ),
        endpoint=CUSTOMER_ENDPOINT,
        split="concat",
    ),
)
