"""Skill reports (`skill_*`), asked per skill (`all` for every one): calls and service levels."""

from __future__ import annotations

from tap_wolkvox.catalogue.report import Report
from tap_wolkvox.catalogue.vocabulary import WHEN, fields

_LEVELS = (
    "inbound_calls answer_calls abandon_calls service_level_10seg service_level_20seg "
    "service_level_30seg"
)
# The agent reports write aht as HH:MM:SS; the skill reports' format is undocumented.
REPORTS = (
    Report(
        "skill_1",
        "skill_service_levels",
        "Calls and service level per skill",
        fields(f"skill_name skill_id {_LEVELS} abandon asa ata"),
        partition="skill_id",
    ),
    Report(
        "skill_2",
        "abandoned_call_details",
        "Abandoned calls detail",
        fields(
            "skill_name skill_id conn_id* date result ani abandon_time type_interaction "
            "customer_id",
            WHEN,
        ),
        partition="skill_id",
        split="concat",
    ),
    Report(
        "skill_3",
        "skill_daily_service_levels",
        "Calls and service level per day",
        fields(f"skill_name* date* {_LEVELS} wait_time abandon asa ata aht"),
        partition="skill_id",
    ),
    Report(
        "skill_4",
        "skill_hourly_service_levels",
        "Calls and service level per hour",
        fields(f"skill_id hour* {_LEVELS} asa abandon aht ata att acw"),
        partition="skill_id",
    ),
    Report(
        "skill_4_1",
        "skill_half_hourly_service_levels",
        "Calls and service level per 30 minutes",
        fields(f"skill_id hour* {_LEVELS} asa abandon ata aht att acw"),
        partition="skill_id",
    ),
    Report(
        "skill_4_2",
        "skill_ten_minute_service_levels",
        "Calls and service level per 10 minutes",
        fields(f"skill_id hour* {_LEVELS} asa abandon ata aht acw att"),
        partition="skill_id",
    ),
    Report(
        "skill_5",
        "skill_hourly_workforce",
        "Workforce (agents needed) per hour",
        fields("skill_id hour* inbound_calls inbound_calls_unique_customers aht agents_needed"),
        partition="skill_id",
        max_window_days=1,
    ),
    Report(
        "skill_6",
        "dnis_service_levels",
        "Calls and service level per DNIS",
        fields(f"dnis* {_LEVELS} abandon asa ata"),
        partition="skill_id",
    ),
    Report(
        "skill_7",
        "skill_daily_hourly_service_levels",
        "Hourly calls and service level, all skills, daily",
        fields(f"date* skill_id skill_name hour* {_LEVELS} wait_time abandon aht asa ata"),
        partition="skill_id",
        split="concat",  # a row per skill, day and hour: halves cut on whole hours never share one
    ),
    Report(
        "skill_8",
        "answered_calls_by_wait",
        "Answered calls by wait-time bucket",
        fields(
            "skill_id skill_name answer_calls answer_0seg_10seg answer_11seg_20seg "
            "answer_21seg_30seg answer_31seg_40seg answer_41seg_50seg anwers_greater_than_51seg"
        ),
        partition="skill_id",
        split="sum",
    ),
    Report(
        "skill_9",
        "abandoned_calls_by_wait",
        "Abandoned calls by wait-time bucket",
        fields(
            "skill_id skill_name abandon_calls abandon_0seg_10seg abandon_11seg_20_seg "
            "abandon_21seg_30seg abandon_31seg_40seg abandon_41seg_50seg "
            "abandon_greater_than_51seg"
        ),
        partition="skill_id",
        split="sum",
    ),
    Report(
        "skill_10",
        "skill_answered_call_details",
        "Answered calls detail",
        fields(
            "conn_id* skill_id skill_name date result ani answer_time agent_id type_interaction",
            WHEN,
        ),
        partition="skill_id",
        split="concat",
    ),
    Report(
        "skill_11",
        "interaction_type_service_levels",
        "Calls and service level per interaction type",
        fields(f"type_interaction* {_LEVELS} abandon asa ata"),
        partition="skill_id",
    ),
)
