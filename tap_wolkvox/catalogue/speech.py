"""Speech analytics (`speech_*`) and wvx Copilot (`wizard_*`) reports."""

from __future__ import annotations

from tap_wolkvox.catalogue.report import Report
from tap_wolkvox.catalogue.vocabulary import fields
from tap_wolkvox.fields import Field

_AGENT = "agent_id* agent_name agent_dni"

REPORTS = (
    Report(
        "speech_1",
        "speech_analytics_calls",
        "Speech analytics call records",
        fields(
            "agent_id agent_name agent_dni conn_id* time customer_id date time_silence "
            "customer_phone cod_act description_cod_act greeting slow_to_greet greeting_agent_name "
            "audio_text feeling channel category01",
            Field("time", "duration", "Call duration."),
            Field("slow_to_greet", "text", "Whether the agent was slow to greet: `yes` or `no`."),
        ),
        split="concat",
    ),
    Report(
        "speech_2", "agent_silence", "Silence percentage per agent", fields(f"{_AGENT} silence")
    ),
    Report(
        "speech_3",
        "agent_slow_greetings",
        "Slow-greeting percentage per agent",
        fields(f"{_AGENT} slow_to_greet"),
    ),
    Report(
        "speech_4",
        "agent_sentiment",
        "Average sentiment level per agent",
        fields(f"{_AGENT} feeling"),
    ),
    Report(
        "speech_5",
        "speech_analytics_texts",
        "On-demand speech analytics",
        fields("id_agent id_text* text summary feeling date total_chars"),
        split="concat",
    ),
    Report(
        "wizard_1",
        "copilot_questions",
        "wvx Copilot questions and answers",
        fields("agent_id question answer conn_id* date*"),
        split="concat",
    ),
    Report(
        "wizard_2",
        "copilot_positive_ratings",
        "Copilot answers rated positive",
        fields("agent_id* question answer date*"),
        split="concat",
    ),
    Report(
        "wizard_3",
        "copilot_negative_ratings",
        "Copilot answers rated negative",
        fields("agent_id* question answer explation date*"),
        split="concat",
    ),
)
