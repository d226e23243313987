"""speech_analytics.php: each analysed call with transcript, summary and AI scores (dated)."""

from __future__ import annotations

from tap_wolkvox.catalogue.more_words import more_fields
from tap_wolkvox.catalogue.report import SPEECH_ENDPOINT, Report
from tap_wolkvox.catalogue.vocabulary import WHEN
from tap_wolkvox.fields import Field

REPORTS = (
    Report(
        "speech_calls",
        "speech_calls",
        "Speech analytics per call: transcript, summary and AI scores",
        more_fields(
            "conn_id* agent_id customer_phone time date cod_act silence audio_text customer_id "
            "summary feeling channel topic fcr fcr_justification csat csat_justification",
            WHEN,
            Field("time", "duration", "Call duration."),
            Field("channel", "text", "`voice`, `chat-whatsapp` or `chat-sms`."),
        ),
        endpoint=SPEECH_ENDPOINT,
        split="concat",
    ),
)
