"""Quality reports (`quality_*`): evaluations and their results."""

from __future__ import annotations

from tap_wolkvox.catalogue.report import Report
from tap_wolkvox.catalogue.vocabulary import WHEN, fields

_PRECISION = "precision_unit_critical_error precision_opportunity_critical_error accuracy"

REPORTS = (
    Report(
        "quality_1",
        "agent_quality_results",
        "Quality results per agent",
        fields(f"agent_id* agent_name evaluations {_PRECISION}"),
    ),
    Report(
        "quality_2",
        "quality_evaluations",
        "Evaluation results per agent and interaction",
        fields(
            "conn_id* agent_id agent_name comments precision_unit_critical_error "
            "precision_opportunity_error accuracy date survey* cod_act channel feedback skill_id",
            WHEN,
        ),
        split="concat",
    ),
    Report(
        "quality_3",
        "quality_evaluation_attributes",
        "Evaluation detail per attribute",
        fields(
            "conn_id* agent_id agent_name attribute* type_error yes/no date survey* category "
            "quality_analyst channel ai_comment",
            WHEN,
        ),
        split="concat",
    ),
    Report(
        "quality_4",
        "quality_attribute_results",
        "Results per quality attribute",
        fields("attribute* yes no percent survey* category*"),
    ),
    Report(
        "quality_5",
        "quality_analyst_results",
        "Results per quality analyst",
        fields(f"quality_analyst* evaluations {_PRECISION}"),
    ),
)
