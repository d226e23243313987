"""Chat and interaction reports (`chat_*`): chats, messages, transfers, channels, WhatsApp."""

from __future__ import annotations

from tap_wolkvox.catalogue.report import Report
from tap_wolkvox.catalogue.vocabulary import WHEN, fields
from tap_wolkvox.fields import Field

_CLOSED = "interactions close_time"

REPORTS = (
    Report(
        "chat_1",
        "chats",
        "Chat sessions detail",
        fields(
            "conn_id* channel date customer_name customer_email customer_phone customer_chars "
            "agent_id agent_name agent_chars time_on_agent chat_duration cod_act "
            "description_cod_act comments customer_id skill_id asa last_participant_who_spoke "
            "extra_field comment user_id feeling agent_anwers",
            Field("date", "datetime", "When the chat started."),
        ),
        split="concat",
    ),
    Report(
        "chat_2",
        "chat_messages",
        "Chat conversation messages",
        fields("conn_id* agent_name customer_name"),
        split="concat",
        shape="nested",
        nested_field="conversation",
        item_fields=fields(
            "channel from from_name to_name date message customer_id customer_phone",
            Field("from", "text", "Who wrote: `AGENT` or `CUSTOMER`."),
            Field("date", "datetime", "When the message was written."),
        ),
        item_number="message_number",
    ),
    Report(
        "chat_3",
        "channel_closed_interactions",
        "Closed interactions per channel",
        fields("channel* interactions closing_time"),
    ),
    Report(
        "chat_4",
        "interaction_details",
        "Interactions (email/social) detail",
        fields(
            "channel agent_name skill_id case_id* subject from to body answer date_creation "
            "close_date evaluation_survey cod_act cod_description comments attachments status"
        ),
        split="concat",
        params=(("attach_array", "no"), ("include_attachments", "false")),
    ),
    Report(
        "chat_5",
        "agent_closed_interactions",
        "Closed interactions per agent",
        fields(f"agent_name* {_CLOSED}"),
    ),
    Report(
        "chat_6",
        "daily_closed_interactions",
        "Closed interactions per day",
        fields(f"date* {_CLOSED}"),
    ),
    Report(
        "chat_7",
        "agent_code_closed_interactions",
        "Closed interactions per agent and code",
        fields("interactions agent_name* cod_act* description_cod_act"),
        split="sum",
    ),
    Report(
        "chat_8",
        "bot_to_agent_chats",
        "Chats transferred from bot to agent",
        fields(
            "conn_id* session_id* times_chatted start_date end_date time_on_chatbot rp_id "
            "channel go_to_agent customer_phone customer_name agent_id agent_name "
            "time_with_agent total_time customer_chars agent_chars total_chars asa last_sender "
            "customer_id customer_email",
        ),
        split="concat",
    ),
    Report(
        "chat_9",
        "interaction_transfers",
        "Interaction transfers between agents",
        fields(
            "conn_id* transfer_agent_id transfer_agent_name receiver_agent_id "
            "receiver_agent_name channel date*",
            WHEN,
        ),
        split="concat",
    ),
    Report(
        "chat_10",
        "whatsapp_billing",
        "Official WhatsApp billing",
        fields("conn_id* session_id* date customer_phone template destiny", WHEN),
        split="concat",
    ),
    Report(
        "chat_11",
        "chat_transfers",
        "Chat transfers between agents",
        fields(
            "conn_id* transfer_agent_id transfer_agent_name transfer_agent_dni receiver_agent_id "
            "receiver_agent_name receiver_agent_dni channel date*",
            WHEN,
        ),
        split="concat",
    ),
    Report(
        "chat_12",
        "agent_sent_interactions",
        "Interactions sent per agent",
        fields(
            "conn_id* agent_id agent_name channel from to subject body date cod_act "
            "description_cod_act"
        ),
        split="concat",
    ),
    Report(
        "chat_13",
        "channel_closed_chats",
        "Closed chats per channel",
        fields("chanel* interaction"),
        split="sum",
    ),
    Report(
        "chat_14",
        "click_to_whatsapp_details",
        "Click-to-WhatsApp detail",
        fields(
            "source_url source_type source_id* chat_id* rp_id agent_id media_type media_url date "
            "cod_act"
        ),
        split="concat",
    ),
    Report(
        "chat_15",
        "click_to_whatsapp_summary",
        "Click-to-WhatsApp summary",
        fields("ad_chatbot ad_agents post_chatbot post_agents total_chatbot total_agents"),
    ),
    Report(
        "chat_16",
        "chat_agent_productivity",
        "Chat agent productivity",
        fields(
            "agent_id* agent_name total_chats time tmo percent_transfer",
            Field("time", "duration", "Time on chats."),
        ),
    ),
)
