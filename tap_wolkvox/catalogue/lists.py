"""`information.php` lists: dimensions to join reports on, read whole (no dates)."""

from __future__ import annotations

from tap_wolkvox.catalogue.report import INFORMATION_ENDPOINT, Partition, Report
from tap_wolkvox.catalogue.vocabulary import WHEN, fields
from tap_wolkvox.fields import Field
from tap_wolkvox.windows import MAX_WINDOW_DAYS

_MODULES = (
    "pbx screen_recording video_call stereo_recording gamification text_analytics "
    "speech_analytics rsync wolkvox_storage blob_storage aws_s3 intelligentdial bi customer_prot "
    "mr_wizard turbo_dial sso mailgun whatsapp facebook_page facebook_messenger instagram_page "
    "instagram_chat sms_bidireccional chat_web telegram crm email cobrowsing"
)


def _list(  # noqa: PLR0913 - each keyword is one declaration attribute
    api: str,
    stream: str,
    title: str,
    spec: str,
    *overrides: Field,
    partition: Partition = "none",
    max_window_days: int = MAX_WINDOW_DAYS,
) -> Report:
    """An undated `information.php` list."""
    return Report(
        api,
        stream,
        title,
        fields(spec, *overrides),
        partition=partition,
        dated=False,
        max_window_days=max_window_days,
        endpoint=INFORMATION_ENDPOINT,
    )


REPORTS = (
    _list(
        "activity_codes",
        "activity_codes",
        "Activity (disposition) codes list",
        "cod_act* description_cod_act hit rpc chat studio voice type_code* interactions",
        Field("interactions", "text", "Whether the code applies to interactions."),
        Field("rpc", "text", "Whether the code counts as a right-party contact."),
    ),
    _list(
        "agents",
        "agents",
        "Agents list",
        "agent_id* agent_name agent_dni agent_status last_use agent_sso enabled",
    ),
    _list(
        "agents_in_skill",
        "skill_agents",
        "Agents assigned to a skill",
        "agent_id* agent_name last_use expertise",
        partition="skill_id",
    ),
    _list(
        "audio_list",
        "audio_files",
        "Uploaded audio files list",
        "audio_id* created_at size duration",
    ),
    Report(
        "audit_log",
        "audit_log",
        "Audit log entries",
        fields("date* ip user* action* workstation"),
        split="concat",
        endpoint=INFORMATION_ENDPOINT,
    ),
    _list(
        "campaigns",
        "campaigns",
        "Campaigns list",
        "campaign_id* campaign_name campaign_description type_campaign status records speed "
        "dial_mode last_use recycled turbo_dial",
        Field("campaign_id", "text", "Campaign ID, as used in the reports."),
        Field("campaign_name", "text", "Name."),
        Field("campaign_description", "text", "Description."),
        Field("type_campaign", "text", "`predictive` or `preview`."),
        Field("status", "text", "`Started` or `Stopped`."),
        Field("records", "count", "Records loaded in the campaign."),
        Field("speed", "text", "Dialling speed."),
        Field("dial_mode", "text", "e.g. `autopilot`, `strategy`, or a per-phone ring setting."),
        Field("last_use", "datetime", "When the campaign was last used."),
        Field("recycled", "count", "Records recycled."),
        Field("turbo_dial", "text", "Whether Turbo Dial is on."),
    ),
    _list("connectors", "connectors", "Connectors list", "connector_id* rp_id name channel"),
    _list(
        "get_ip",
        "whitelisted_ips",
        "Whitelisted IP addresses",
        "operation ip* last_use type_ip description",
    ),
    Report(
        "get_notification",
        "manager_notifications",
        "wolkvox Manager notifications",
        fields("date* notification*", WHEN),
        split="concat",
        endpoint=INFORMATION_ENDPOINT,
    ),
    _list(
        "routing_points",
        "routing_points",
        "Routing points list",
        "rp_id* rp_name ivr_active chat_active interaction_active crm_active last_use",
    ),
    _list(
        "services",
        "contracted_services",
        "Contracted services and modules",
        f"licenses {_MODULES}",
        *(Field(m, "text", f"Whether the `{m}` module is contracted.") for m in _MODULES.split()),
        max_window_days=1,  # documented, though the list takes no dates
    ),
    _list(
        "skills",
        "skills",
        "Skills list",
        "skill_id* skill_name skill_description last_use",
    ),
    _list("storage", "audio_storage", "Total audio storage used", "storage"),
    _list(
        "token_info",
        "token_usage",
        "Token quota and usage",
        "description token_limit token_use_today all_token_today available_consumption_options",
    ),
)
