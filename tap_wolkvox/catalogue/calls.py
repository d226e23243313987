"""Call detail reports (`cdr_*`): calls, costs, SMS, email, NLP use, cobrowsing."""

from __future__ import annotations

from tap_wolkvox.catalogue.report import Report
from tap_wolkvox.catalogue.vocabulary import WHEN, fields
from tap_wolkvox.fields import Field

REPORTS = (
    Report(
        "cdr_1",
        "call_details",
        "Call detail records",
        fields(
            "agent_name date destiny telephone cost time_seg time_min cod_act description_cod_act "
            "cod_act_2 description_cod_act_2 type_interaction customer_id hang_up campaign_id "
            "conn_id* skill_id skill_name agent_id comment",
            Field("date", "datetime", "When the call started."),
        ),
        split="concat",
    ),
    Report(
        "cdr_2",
        "agent_call_costs",
        "Calls and phone cost per agent",
        fields("calls agent_name* cost"),
        split="sum",
    ),
    Report(
        "cdr_3",
        "sms_details",
        "SMS detail",
        fields(
            "agent_id agent_name date destiny telephone message channel customer_id conn_id*", WHEN
        ),
        split="concat",
    ),
    Report(
        "cdr_4",
        "call_duration_buckets",
        "Calls bucketed by duration",
        fields(
            "bucket* calls minutes cost percentage",
            Field("bucket", "text", "Duration bucket, e.g. `0_5_seg`, `greater_than_121`."),
        ),
        split="sum",
        shape="keyed",
        nested_field="bucket",
        percent_of=(("percentage", "calls"),),
    ),
    Report(
        "cdr_5",
        "unconnected_call_details",
        "Unconnected calls detail",
        fields(
            "agent_name date destiny telephone ring_time result type_interaction customer_id "
            "campaign_id agent_id conn_id*",
            Field("date", "datetime", "When the call was dialled."),
            Field("ring_time", "duration", "Ringing time."),
        ),
        split="concat",
    ),
    Report(
        "cdr_6",
        "unconnected_call_results",
        "Unconnected calls counted by result",
        fields("result* count", Field("count", "count", "Unconnected calls with this result.")),
        split="sum",
    ),
    Report(
        "cdr_7",
        "nlp_usage_details",
        "NLP usage detail",
        fields("type_nlp* nlp_channel* chars_send chars_answer total_chars date*"),
        split="concat",
    ),
    Report(
        "cdr_8",
        "nlp_usage_by_type",
        "NLP usage grouped by type",
        fields("type_nlp* nlp_amount chars_send chars_answer total_chars"),
    ),
    Report(
        "cdr_9",
        "email_details",
        "Email detail",
        fields("channel date* from* to* subject* body"),
        split="concat",
    ),
    Report(
        "cdr_10",
        "cobrowsing_sessions",
        "Cobrowsing sessions",
        fields("agent_id* agent_name date_ini* date_end time hung_up"),
        split="concat",
    ),
    Report(
        "cdr_11",
        "law2300_releases",
        "Customers released under Law 2300",
        fields("protected_nit agent_id* name_agent operation date* item* value*"),
        split="concat",
    ),
)
