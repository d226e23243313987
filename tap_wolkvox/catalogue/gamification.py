"""gamification.php: each agent's points and KPIs per day (dated, one record per day)."""

from __future__ import annotations

from tap_wolkvox.catalogue.more_words import more_fields
from tap_wolkvox.catalogue.report import GAMIFICATION_ENDPOINT, Report
from tap_wolkvox.catalogue.vocabulary import DAY
from tap_wolkvox.fields import Field

REPORTS = (
    Report(
        "agents_kpi",
        "gamification_agent_kpis",
        "Gamification points and KPIs per agent per day",
        more_fields("agent_id* agent_name agent_dni"),
        endpoint=GAMIFICATION_ENDPOINT,
        shape="nested",
        nested_field="stats",
        item_fields=more_fields(
            "date* points hits calls aht_time acw_time occupancy login_time",
            DAY,
            Field("occupancy", "percent", "Occupancy."),
        ),
        own_key=True,  # a day's KPIs are the same whichever window asked for them
    ),
)
