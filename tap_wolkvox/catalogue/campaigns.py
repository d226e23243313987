"""Campaign reports (`campaign_*`), asked per campaign (`all` for every one).

campaign_1, 4, 6, 8 and 10 keep the fields (and descriptions) of the streams that read them
before this catalogue, so their output does not change.
"""

from __future__ import annotations

from tap_wolkvox.catalogue.report import Report
from tap_wolkvox.catalogue.vocabulary import WHEN, fields
from tap_wolkvox.fields import Field

_OPTIONS = " ".join(f"opt{n}" for n in range(1, 13))
_RESULTS = (
    Field("result", "text", "Outcome (machine code), e.g. `no-answer`, `answer-machine`."),
    Field("records", "count", "Calls or dial attempts with this outcome in the window."),
    Field("percent", "percent", "Share of the window's total.", aliases=("porcent",)),
)


def _results(api: str, stream: str, title: str) -> Report:
    """campaign_1 and campaign_4 share one shape: outcome, records, percent."""
    return Report(
        api,
        stream,
        title,
        fields("result* records percent", *_RESULTS),
        partition="campaign_id",
        split="sum",
        percent_of=(("percent", "records"),),
    )


REPORTS = (
    _results("campaign_1", "campaign_final_results", "Campaign final machine results"),
    Report(
        "campaign_2",
        "campaign_activity_code_results",
        "Campaign results by disposition code",
        fields(
            "cod_act* records percent",
            Field("records", "count", "Records with this activity code in the window."),
        ),
        partition="campaign_id",
        split="sum",
        percent_of=(("percent", "records"),),
    ),
    Report(
        "campaign_3",
        "campaign_phone_results",
        "Campaign results phone by phone",
        fields(
            "campaign_id customer_name customer_last_name id_type customer_id date telephone "
            f"result {_OPTIONS} conn_id*",
            # Wolkvox writes campaign_3's attempt dates in GMT-5 whatever the operation's zone.
            Field("date", "datetime", "When the number was dialled.", utc_offset="-05:00"),
            Field("result", "text", "Result of the attempt, e.g. `ANSWER`, `NO-ANSWER`."),
        ),
        partition="campaign_id",
        split="concat",
    ),
    _results("campaign_4", "campaign_attempt_results", "Campaign machine results per attempt"),
    Report(
        "campaign_5",
        "preview_campaign_call_details",
        "Campaign call detail, per call",
        fields(
            "type_of_row* campaign_id customer_name customer_last_name result last_code_act "
            "comments_customer_reg customer_id* agent_id conn_id* telephone hang_up "
            "type_interaction call_result date time cod_act comments",
            WHEN,
        ),
        partition="campaign_id",
        split="concat",
    ),
    Report(
        "campaign_6",
        "amd_accumulated",
        "Answering-machine detection (AMD) totals",
        fields(
            "campaign_id total_amd",
            Field(
                "campaign_id", "text", "The campaign the row counts (with `all`, each campaign)."
            ),
            Field("total_amd", "count", "Answering-machine detections in the window."),
        ),
        partition="campaign_id",
        split="sum",
    ),
    Report(
        "campaign_7",
        "amd_details",
        "Answering-machine detection (AMD) detail",
        fields(
            "customer_id* campaign_id file_name telephone* result date*",
            Field("date", "datetime", "When the answering machine was detected."),
            Field("result", "text", "Detection result."),
        ),
        partition="campaign_id",
        split="concat",
    ),
    Report(
        "campaign_8",
        "machine_codes_by_telephone",
        "Machine results grouped by phone",
        fields(
            "telephone* total_machine_recognitions no_answer answer_machine busy congestion failed",
            Field("telephone", "text", "The telephone number dialled."),
            Field("total_machine_recognitions", "count", "Machine codes detected for the number."),
            Field("no_answer", "count", "`no answer` codes."),
            Field("answer_machine", "count", "`answer machine` codes."),
            Field("busy", "count", "`busy` codes."),
            Field("congestion", "count", "`congestion` codes."),
            Field("failed", "count", "`failed` codes."),
        ),
        partition="campaign_id",
        split="sum",
    ),
    Report(
        "campaign_9",
        "whatsapp_campaign_records",
        "WhatsApp campaign record statuses",
        fields(
            "campaing_id telephone* status errors date* last_update",
            Field("status", "text", "`accepted`, `delivered`, `submitted` or `failed`."),
        ),
        partition="campaign_id",
        split="concat",
    ),
    Report(
        "campaign_10",
        "turbo_dial_machine_codes",
        "Turbo dial grouped by machine code",
        fields(
            "machinecode* cantidad",
            Field("machinecode", "text", "Machine code as Wolkvox names it, e.g. `no answer`."),
            Field(
                "cantidad", "count", "How many times the machine code was detected in the window."
            ),
        ),
        partition="campaign_id",
        split="sum",
        selected_by_default=True,
    ),
)
