"""What a report is, as plain data: one `Report` per Wolkvox api.

A declaration says how to ask for the report (endpoint, partition, fixed parameters, the
longest window), what comes back (fields and row shape) and what to do when an answer is cut
at the 60,000-row cap (the split rule). The schema, the key, the record parser, the README
table and the emulator's answers are all derived from it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from tap_wolkvox.windows import MAX_WINDOW_DAYS

if TYPE_CHECKING:
    from tap_wolkvox.fields import Field

REPORTS_ENDPOINT = "/api/v2/reports_manager.php"
INFORMATION_ENDPOINT = "/api/v2/information.php"
CUSTOMER_ENDPOINT = "/api/v2/customer.php"
GAMIFICATION_ENDPOINT = "/api/v2/gamification.php"
SPEECH_ENDPOINT = "/api/v2/speech_analytics.php"
CAMPAIGN_ENDPOINT = "/api/v2/campaign.php"
QUALITY_ENDPOINT = "/api/v2/quality.php"
WHATSAPP_ENDPOINT = "/api/v2/whatsapp.php"
BILLING_ENDPOINT = "/api/v2/billing.php"
REAL_TIME_ENDPOINT = "/api/v2/real_time.php"

Partition = Literal[
    "none",
    "campaign_id",
    "skill_id",
    "cod_act",
    "agent_id",
    "campaign_record",
    "listed_campaign",
    "connector_id",
]
Shape = Literal["rows", "keyed", "nested", "grouped"]
Split = Literal["concat", "sum", "refuse"]


@dataclass(frozen=True)
class PartitionKind:
    """A query parameter a report is asked for once per value, and the record field it fills."""

    param: str
    field: str
    description: str
    values: tuple[str, ...] = ()  # a fixed set; empty when settings or a list supply them
    in_body: bool = False  # sent in a JSON body on the GET, not in the query (list_templates)
    from_list: bool = False  # campaign IDs the campaigns list knows; `all` is each of them
    #: A parameter the campaigns list gives for each campaign (campaign.php detail's
    #: `type_campaign`): sent with the value and written into each record.
    listed_param: str | None = None


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
    "campaign_record": PartitionKind(
        "campaign_id",
        "campaign_id",
        "The campaign (its numeric ID; `all` and `*` are read from the campaigns list).",
        from_list=True,
        listed_param="type_campaign",
    ),
    "listed_campaign": PartitionKind(
        "campaign_id",
        "campaign_id",
        "The campaign (its numeric ID; `all` and `*` are read from the campaigns list).",
        from_list=True,
    ),
    "connector_id": PartitionKind(
        "connector_id",
        "connector_id",
        "The WhatsApp connector, from the `whatsapp_connector_ids` setting.",
        in_body=True,
    ),
}


@dataclass(frozen=True)
class Report:
    """One Wolkvox report (or information list) and the stream it becomes.

    - `partition`: the parameter asked once per value (`none`: one request per window).
    - `dated`: whether it takes `date_ini`/`date_end` (information lists mostly do not).
    - `shape`: `rows`, a list of flat rows; `keyed`, an object of entries (one record per
      entry, its key in the `nested_field` record field); `nested`, rows holding a list
      `nested_field` (one record per item, with the row's `fields` and the item's
      `item_fields`, and its 1-based position in `item_number` when set); `grouped`, an
      object of lists (one record per item, the list's name in the `nested_field` field).
    - `data_key`: where the rows are in the body (`data`; campaign_15 `records`; None: the
      body is the list itself), and `rows_at`, the path from there to the rows
      (list_templates `meta_templates`; latency `0`, `by_agent`). A snapshot's single object
      there (real_time `info_server`) is its one row.
    - `snapshot`: no dates; each record carries `snapshot_at`, the instant the answer came.
    - `snapshot_day`: records also carry `snapshot_date` (the operation's local date of
      `snapshot_at`), and the key takes the day: the day's last snapshot wins (billing).
    - `own_key`: the rows' key fields identify a record on their own: neither the window
      start nor `snapshot_at` is part of the key.
    - `optional`: a 404 means the server lacks the feature: one INFO line, no records.
    - `split` at the row cap: `concat` the halves, dropping records whose key repeats
      (detail rows); `sum` the halves' counts per key (additive aggregates, `percent_of`
      recomputed); `refuse` (averages, occupancy, service levels): fail naming the window.
    - `max_rows`: Wolkvox asks for shorter ranges above this many rows (diagram_9: 6,000).
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
    selected_by_default: bool = False
    data_key: str | None = "data"
    rows_at: tuple[str | int, ...] = ()
    snapshot: bool = False
    snapshot_day: bool = False  # also `snapshot_date`, which replaces `snapshot_at` in the key
    own_key: bool = False
    optional: bool = False
    #: A partition kind of its own: billing's products, each its own `api` (which `api` then
    #: only names the family).
    own_partition: PartitionKind | None = None

    @property
    def partition_kind(self) -> PartitionKind | None:
        """The partition's parameter and record field; None for `none`."""
        return self.own_partition or PARTITIONS.get(self.partition)

    @property
    def all_fields(self) -> tuple[Field, ...]:
        """The fields read from Wolkvox: the row's, then each nested item's."""
        return self.fields + self.item_fields

    def query(self, partition_value: str | None = None) -> dict[str, str]:
        """The query parameters besides the dates: `api`, fixed ones, the partition's."""
        query = {"api": self.api, **dict(self.params)}
        kind = self.partition_kind
        if kind is not None and not kind.in_body:
            if partition_value is None:
                raise ValueError(f"{self.api} is asked per {kind.param}: give its value")
            query[kind.param] = partition_value
        return query

    def body(self, partition_value: str | None = None) -> dict[str, str] | None:
        """The JSON body sent with the GET (list_templates), or None."""
        kind = self.partition_kind
        if kind is None or not kind.in_body or partition_value is None:
            return None
        return {kind.param: partition_value}

    def describe(self) -> str:
        """`api` and stream, for messages."""
        return f"{self.api} ({self.stream})"
