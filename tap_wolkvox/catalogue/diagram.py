"""Diagram reports (`diagram_*`): IVR, smart wait, surveys, speech services, routing bots."""

from __future__ import annotations

from tap_wolkvox.catalogue.report import Report
from tap_wolkvox.catalogue.vocabulary import WHEN, fields
from tap_wolkvox.fields import Field

_QUESTIONS = " ".join(f"q{n:02d}" for n in range(1, 11))
_DAILY_IVR = "day* calls ivr_minutes"

REPORTS = (
    Report(
        "diagram_1",
        "ivr_call_details",
        "IVR calls detail",
        fields(
            "rp_id* rp_name cod_opc_menu* dn_transfer date result ani time customer_id conn_id*",
            WHEN,
        ),
        split="concat",
    ),
    Report(
        "diagram_1_1",
        "ivr_daily_usage",
        "IVR calls and minutes per day",
        fields(_DAILY_IVR),
        split="sum",
    ),
    Report(
        "diagram_1_2",
        "ivr_usage_over_time",
        "IVR calls and minutes over time",
        fields(f"{_DAILY_IVR} date"),
        split="sum",
    ),
    Report(
        "diagram_1_3",
        "ivr_menu_option_usage",
        "IVR calls and minutes per menu option",
        fields("rp_id* calls time cod_opc_menu*"),
    ),
    Report(
        "diagram_2",
        "smart_wait_summary",
        "Smart-wait (callback) summary",
        fields(
            "skill_id* treatment* customer_say_no customer_say_yes recall_fail recall_ok "
            "service_level_up"
        ),
    ),
    Report(
        "diagram_3",
        "smart_wait_details",
        "Smart-wait (callback) detail",
        fields(
            "skill_id date_inbound_call* date_last_outbound_call status attempts ani* dial_phone "
            "time_between_calls time billed_minutes customer_id"
        ),
        split="concat",
    ),
    Report(
        "diagram_4",
        "survey_responses",
        "Smart survey responses detail",
        fields(
            f"agent_id agent_name agent_dni skill_id skill_name date conn_id* ani customer_id "
            f"{_QUESTIONS} voice_message_duration type_interaction result time voice_message "
            "feeling"
        ),
        split="concat",
    ),
    Report(
        "diagram_5",
        "agent_survey_results",
        "Smart survey results per agent",
        fields(f"agent_id* agent_name surveys {_QUESTIONS} average"),
    ),
    Report(
        "diagram_6",
        "skill_survey_results",
        "Smart survey results per skill",
        fields(f"skill_id* skill_name surveys {_QUESTIONS} average"),
    ),
    Report(
        "diagram_7",
        "asr_records",
        "Speech recognition (ASR) records",
        fields("time language recognized_text* date* rp_id*"),
        split="concat",
    ),
    Report(
        "diagram_8",
        "tts_records",
        "Text-to-speech (TTS) records",
        fields("tts_text* credits characters recognized_text date* rp_id*"),
        split="concat",
    ),
    Report(
        "diagram_9",
        "routing_chatbot_records",
        "Interaction routing and chatbot records",
        fields(
            "session_id* channel rp_id date* customer_name customer_email customer_phone "
            "customer_query routing_answer customer_id conn_id*",
            WHEN,
        ),
        split="concat",
        max_rows=6000,
    ),
    Report(
        "diagram_10",
        "tts_text_ranking",
        "TTS texts ranked by usage",
        fields("total characters tts_text*"),
        split="sum",
    ),
    Report(
        "diagram_11",
        "ivr_agent_transfers",
        "IVR versus transferred-to-agent per call",
        fields(
            "conn_id* time_on_rp end_date_rp rp_id ani customer_id time_on_skill skill_id "
            "skill_result go_to_agent agent_id agent_name time_with_agent cod_act cod_act_2 "
            "type_interaction total_time"
        ),
        split="concat",
    ),
    Report(
        "diagram_12",
        "sentiment_records",
        "Sentiment analysis records",
        fields("units text* date*"),
        split="concat",
    ),
    Report(
        "diagram_13",
        "menu_option_selections",
        "Menu option selection records",
        fields(
            "rp_id conn_id* customer_id channel attempt telephone date* second_event cod_opc_menu*"
        ),
        split="concat",
    ),
    Report(
        "diagram_14",
        "menu_option_totals",
        "Menu options grouped by code",
        fields(
            "cod_act* description_cod_act count percent",
            Field("count", "count", "Selections of the option."),
        ),
        split="sum",
        percent_of=(("percent", "count"),),
    ),
    Report(
        "diagram_15",
        "voice_conversations",
        "Voice conversations usage (IVR, ASR, TTS, NLP)",
        fields(
            "conversational_id* connect_id date ivr_time nlp_credits asr_time tts_credits",
            Field("date", "datetime", "When the conversation started."),
        ),
        split="concat",
    ),
)
