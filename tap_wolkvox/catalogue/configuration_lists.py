"""Whole configuration lists outside the Reports Manager: quality matrix, WhatsApp templates."""

from __future__ import annotations

from tap_wolkvox.catalogue.more_words import more_fields
from tap_wolkvox.catalogue.report import QUALITY_ENDPOINT, WHATSAPP_ENDPOINT, Report
from tap_wolkvox.fields import Field

REPORTS = (
    Report(
        "quality_matrix",
        "quality_matrix",
        "Quality matrix: one record per survey item",
        (Field("survey", "text", "Survey name (Wolkvox's key for the item's list).", key=True),),
        endpoint=QUALITY_ENDPOINT,
        dated=False,
        shape="grouped",
        nested_field="survey",
        item_fields=more_fields(
            "category* attribute* error_type percent",
            Field("percent", "percent", "Weight of the attribute in the survey."),
        ),
    ),
    Report(
        "list_templates",
        "whatsapp_templates",
        "WhatsApp message templates, per connector",
        more_fields(
            "id* name previous_category parameter_format language status category components",
            Field("name", "text", "Template name."),
            Field("status", "text", "Meta's review status: `APPROVED`, `PENDING`, `REJECTED`."),
            Field("category", "text", "`UTILITY`, `MARKETING` or `AUTHENTICATION`."),
        ),
        partition="connector_id",
        endpoint=WHATSAPP_ENDPOINT,
        dated=False,
        rows_at=("meta_templates",),
    ),
)
