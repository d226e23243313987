"""billing.php: month-to-date usage of each billed product, one snapshot stream.

Each product is its own `api`; the stream asks each once per run (27 calls) and keeps the
product's api name in `product`. The key is the product and the snapshot's local day, so the
day's last snapshot wins.
"""

from __future__ import annotations

from tap_wolkvox.catalogue.more_words import more_fields
from tap_wolkvox.catalogue.report import BILLING_ENDPOINT, PartitionKind, Report
from tap_wolkvox.fields import Field

#: Every billing.php product (its `api` name), as the collection lists them.
PRODUCTS = (
    "agent_script",
    "intelligent_dial",
    "gamification",
    "ivr_minutes",
    "rec_minutes",
    "amazon_s3",
    "rsync",
    "rsync_s3_mp3",
    "rec_screen",
    "interactions",
    "rec_screen_on_demand",
    "speech_analytics",
    "wp_connectors",
    "sentiment_analysis",
    "chat_licenses",
    "interaction_licenses",
    "video_call",
    "pbx_licenses",
    "ivr_calls",
    "asr_calls",
    "vision",
    "tts_chars",
    "wp_connectors_official",
    "contact_center_licenses",
    "amd_ai",
    "stereo_rec",
    "nlp_ai",
)
PRODUCT = PartitionKind(
    "api", "product", "The billed product: its billing.php `api` name.", values=PRODUCTS
)

REPORTS = (
    Report(
        "billing",
        "billing_usage",
        "Month-to-date usage per billed product",
        more_fields(
            "operation description items date",
            Field("date", "text", "The date Wolkvox gives the usage, as it writes it."),
        ),
        endpoint=BILLING_ENDPOINT,
        dated=False,
        own_partition=PRODUCT,
        snapshot=True,
        snapshot_day=True,
    ),
)
