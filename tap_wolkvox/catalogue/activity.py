"""Activity (disposition) code reports (`act_*`), asked per code type `cod_act1`/`cod_act2`."""

from __future__ import annotations

from tap_wolkvox.catalogue.report import Report
from tap_wolkvox.catalogue.vocabulary import WHEN, fields
from tap_wolkvox.fields import Field

_COUNT = Field("count", "count", "Interactions coded with it.")

REPORTS = (
    Report(
        "act_1",
        "agent_activity_codes",
        "Disposition codes per agent",
        fields("count agent_name agent_dni* cod_act* description_cod_act", _COUNT),
        partition="cod_act",
        split="sum",
    ),
    Report(
        "act_2",
        "skill_activity_codes",
        "Disposition codes classified by code",
        fields("count skill_id* cod_act* description_cod_act", _COUNT),
        partition="cod_act",
        split="sum",
    ),
    Report(
        "act_3",
        "activity_code_details",
        "Disposition code detail per interaction",
        fields(
            "conn_id* agent_id agent_name agent_dni skill_id date cod_act description_cod_act "
            "cod_act_2 description_cod_act_2 comments type_interaction telephone destiny time "
            "hang_up customer_id campaign_id",
            WHEN,
        ),
        partition="cod_act",
        split="concat",
    ),
    Report(
        "act_4",
        "agent_uncoded_calls",
        "Uncoded calls per agent",
        fields("uncode_calls agent_id* agent_name"),
        split="sum",  # the only act_* report that takes no cod_act
    ),
    Report(
        "act_5",
        "activity_code_totals",
        "Disposition codes grouped by code",
        fields("count cod_act* description_cod_act", _COUNT),
        partition="cod_act",
        split="sum",
    ),
)
