"""What the tap shares with its streams during a run, as they see it (no import of the tap)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from singer_sdk.singerlib.encoding.base import GenericSingerWriter

    from tap_wolkvox.bad_values import BadValueLog
    from tap_wolkvox.http.client import WolkvoxClient
    from tap_wolkvox.partitions import PartitionValues
    from tap_wolkvox.run_control import RunState
    from tap_wolkvox.run_plan import RunPlan
    from tap_wolkvox.summary import RunSummary


class RunServices(Protocol):
    """The run's client, signals, partition values, plan, logs of bad values and summary."""

    @property
    def client(self) -> WolkvoxClient:
        """The run's one HTTP client."""

    @property
    def run(self) -> RunState:
        """The run's clock, signals and mode."""

    @property
    def partition_values(self) -> PartitionValues:
        """Where partition values come from (the lists are read once per run)."""

    @property
    def plan(self) -> RunPlan:
        """The run's plan and budget (made before the first report request)."""

    @property
    def bad_value_log(self) -> BadValueLog:
        """Values written as null in this run, per stream and field."""

    @property
    def summary(self) -> RunSummary:
        """What the run did, for its last line."""

    @property
    def message_writer(self) -> GenericSingerWriter:
        """The Singer writer."""
