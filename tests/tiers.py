"""Test tiers, declared once: which reports the tests hold to the emulator's exact values.

`FIRST_CLASS` maps each first-class report's api to its stream. Their stream names are public
(tests/test_catalogue.py pins them), and every value they emit is compared with the emulator's
truth through the CLI: the event model's reports and lists in
tests/test_first_class_reports.py, the campaign reports and list the tap read before the
catalogue in tests/test_reports.py. Every other report is parsed, validated and synced against
the emulator's generic rows (tests/test_emulator_reports.py, tests/test_sync.py).
"""

from __future__ import annotations

FIRST_CLASS: dict[str, str] = {
    # computed from the emulator's event model (wolkvox_emulator.truth)
    "cdr_1": "call_details",
    "cdr_5": "unconnected_call_details",
    "agent_1": "agent_status_times",
    "agent_3": "agent_aux_times",
    "agent_7": "agent_sessions",
    "agent_8": "agent_hourly_status_times",
    "chat_1": "chats",
    "chat_2": "chat_messages",
    "chat_16": "chat_agent_productivity",
    "skill_1": "skill_service_levels",
    "skill_3": "skill_daily_service_levels",
    "skill_4": "skill_hourly_service_levels",
    "skill_5": "skill_hourly_workforce",
    "skill_10": "skill_answered_call_details",
    "campaign_3": "campaign_phone_results",
    "campaign_7": "amd_details",
    "agents": "agents",
    "skills": "skills",
    "activity_codes": "activity_codes",
    "routing_points": "routing_points",
    # the streams the tap had before the catalogue: counts of the dial events
    # (wolkvox_emulator.campaign_counts) and the campaigns list
    "campaign_10": "turbo_dial_machine_codes",
    "campaign_1": "campaign_final_results",
    "campaign_4": "campaign_attempt_results",
    "campaign_6": "amd_accumulated",
    "campaign_8": "machine_codes_by_telephone",
    "campaigns": "campaigns",
}
