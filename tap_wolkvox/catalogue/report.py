"""What a report is, as plain data: one `Report` per Wolkvox api.

A declaration says how to ask for the report (endpoint, partition, fixed parameters, the
longest window), what comes back (fields and row shape) and what to do when an answer is cut
at the 60,000-row cap (the split rule). The schema, the key, the record parser, the README
table and the emulator's answers are all derived from it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from tap_wolkvox.fields import Field

REPORTS_ENDPOINT = "/api/v2/reports_manager.php"
INFORMATION_ENDPOINT = "/api/v2/information.php"
MAX_WINDOW_DAYS = 31

Partition = Literal["none", "campaign_id", "skill_id", "cod_act", "agent_id"]
Shape = Literal["rows", "keyed", "nested"]
Split = Literal["concat", "sum", "refuse"]


@dataclass(frozen=True)
class PartitionKind:
    """A query parameter a report is asked for once per value, and the record field it fills."""

    param: str
    field: str
    description: str
    values: tuple[str, ...] = ()  # a fixed set; empty when settings or a list supply them


PARTITIONS: dict[str, PartitionKind] = {
    "campaign_id": PartitionKind(
        "campaign_id", "campaign_id", "The campaign: `all` or its numeric ID."
    ),
    "skill_id": PartitionKind("skill_id", "skill_id", "The skill: `all` or its numeric ID."),
    "cod_act": PartitionKind(
        "cod_act",
        "type_code",
        "The activity-code type asked for (`cod_act1` or `cod_act2`), as in the activity_codes "
        "list's type_code.",
        values=("cod_act1", "cod_act2"),
    ),
    "agent_id": PartitionKind("agent_id", "agent_id", "The agent the report was asked for."),
}


@dataclass(frozen=True)
class Report:
    """One Wolkvox report (or information list) and the stream it becomes.

    - `partition`: the parameter asked once per value (`none`: one request per window).
    - `dated`: whether it takes `date_ini`/`date_end` (information lists mostly do not).
    - `shape`: `rows`, a list of flat rows; `keyed`, an object of entries (one record per
      entry, its key in the `nested_field` record field); `nested`, rows holding a list
      `nested_field` (one record per item, with the row's `fields` and the item's
      `item_fields`, and its 1-based position in `item_number` when set).
    - `split` at the row cap: `concat` the halves, dropping records whose key repeats
      (detail rows); `sum` the halves' counts per key (additive aggregates, `percent_of`
      recomputed); `refuse` (averages, occupancy, service levels): fail naming the window.
    - `max_rows`: Wolkvox asks for shorter ranges above this many rows (diagram_9: 6,000).
    - `first_class`: a public stream name with exact-value tests against the emulator.
    """

    api: str
    stream: str
    title: str
    fields: tuple[Field, ...]
    partition: Partition = "none"
    dated: bool = True
    split: Split = "refuse"
    shape: Shape = "rows"
    nested_field: str | None = None
    item_fields: tuple[Field, ...] = ()
    item_number: str | None = None
    percent_of: tuple[tuple[str, str], ...] = ()  # (percent field, count field it shares)
    max_window_days: int = MAX_WINDOW_DAYS
    max_rows: int | None = None
    endpoint: str = REPORTS_ENDPOINT
    params: tuple[tuple[str, str], ...] = ()  # fixed query parameters
    first_class: bool = False
    selected_by_default: bool = False

    @property
    def partition_kind(self) -> PartitionKind | None:
        """The partition's parameter and record field; None for `none`."""
        return PARTITIONS.get(self.partition)

    @property
    def all_fields(self) -> tuple[Field, ...]:
        """The fields read from Wolkvox: the row's, then each nested item's."""
        return self.fields + self.item_fields

    def query(self, partition_value: str | None = None) -> dict[str, str]:
        """The query parameters besides the dates: `api`, fixed ones, the partition's."""
        query = {"api": self.api, **dict(self.params)}
        kind = self.partition_kind
        if kind is not None:
            if partition_value is None:
                raise ValueError(f"{self.api} is asked per {kind.param}: give its value")
            query[kind.param] = partition_value
        return query

    def describe(self) -> str:
        """`api` and stream, for messages."""
        return f"{self.api} ({self.stream})"
