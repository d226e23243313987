"""The tap's streams: the campaigns list, and each Reports Manager report as a declaration."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from singer_sdk import typing as th

from tap_wolkvox.client import WolkvoxStream
from tap_wolkvox.errors import DataError
from tap_wolkvox.fields import Field
from tap_wolkvox.windowed import WindowedReportStream, windowed_keys, windowed_schema

if TYPE_CHECKING:
    from collections.abc import Iterable

    from singer_sdk.helpers.types import Context


class TurboDialMachineCodesStream(WindowedReportStream):
    """`campaign_10`: Turbo Dial calls grouped by machine code."""

    name = "turbo_dial_machine_codes"
    report = "campaign_10"
    fields = (
        Field(
            "machinecode", "text", "Machine code as Wolkvox names it, e.g. `no answer`.", key=True
        ),
        Field("cantidad", "count", "How many times the machine code was detected in the window."),
    )
    schema = windowed_schema(fields)
    primary_keys = windowed_keys(fields)


class _ResultsStream(WindowedReportStream):
    """campaign_1 and campaign_4 share one shape: outcome, records, percent."""

    selected_by_default = False
    fields = (
        Field(
            "result",
            "text",
            "Outcome (machine code), e.g. `no-answer`, `answer-machine`.",
            key=True,
        ),
        Field("records", "count", "Calls or dial attempts with this outcome in the window."),
        Field(
            "percent", "number", "Share of the window's total, in percent.", aliases=("porcent",)
        ),
    )
    percent_of: ClassVar[dict[str, str]] = {"percent": "records"}
    schema = windowed_schema(fields)
    primary_keys = windowed_keys(fields)


class CampaignFinalResultsStream(_ResultsStream):
    """`campaign_1`: final result of each record, per outcome."""

    name = "campaign_final_results"
    report = "campaign_1"


class CampaignAttemptResultsStream(_ResultsStream):
    """`campaign_4`: every dial attempt, per outcome."""

    name = "campaign_attempt_results"
    report = "campaign_4"


class AmdAccumulatedStream(WindowedReportStream):
    """`campaign_6`: answering-machine detections per campaign."""

    name = "amd_accumulated"
    report = "campaign_6"
    selected_by_default = False
    fields = (
        Field("campaign_id", "text", "The campaign the row counts (with `all`, each campaign)."),
        Field("total_amd", "count", "Answering-machine detections in the window."),
    )
    schema = windowed_schema(fields)
    primary_keys = windowed_keys(fields)


class MachineCodesByTelephoneStream(WindowedReportStream):
    """`campaign_8`: machine codes per telephone number."""

    name = "machine_codes_by_telephone"
    report = "campaign_8"
    selected_by_default = False
    fields = (
        Field("telephone", "text", "The telephone number dialled.", key=True),
        Field("total_machine_recognitions", "count", "Machine codes detected for the number."),
        Field("no_answer", "count", "`no answer` codes."),
        Field("answer_machine", "count", "`answer machine` codes."),
        Field("busy", "count", "`busy` codes."),
        Field("congestion", "count", "`congestion` codes."),
        Field("failed", "count", "`failed` codes."),
    )
    schema = windowed_schema(fields)
    primary_keys = windowed_keys(fields)


class CampaignsCall:
    """`information.php?api=campaigns`."""

    path = "/api/v2/information.php"
    params: ClassVar[dict[str, str]] = {"api": "campaigns"}

    def describe(self) -> str:
        """For messages."""
        return "the campaigns list (api=campaigns)"


class CampaignsStream(WolkvoxStream):
    """The campaigns list: a dimension to join reports on (full table, key campaign_id)."""

    name = "campaigns"
    primary_keys = ("campaign_id",)
    selected_by_default = False
    fields = (
        Field("campaign_id", "text", "Campaign ID, as used in the reports.", key=True),
        Field("campaign_name", "text", "Name."),
        Field("campaign_description", "text", "Description."),
        Field("type_campaign", "text", "`predictive` or `preview`."),
        Field("status", "text", "`Started` or `Stopped`."),
        Field("records", "count", "Records loaded in the campaign."),
        Field("speed", "text", "Dialling speed."),
        Field("dial_mode", "text", "e.g. `autopilot`, `strategy`, or a per-phone ring setting."),
        Field("last_use", "text", "When the campaign was last used, as Wolkvox writes it."),
        Field("recycled", "count", "Records recycled."),
        Field("turbo_dial", "text", "Whether Turbo Dial is on."),
    )
    schema = th.PropertiesList(*(f.schema() for f in fields)).to_dict()

    def fetch_campaigns(self) -> list[dict[str, Any]]:
        """One call to the campaigns list, typed."""
        call = CampaignsCall()
        campaigns = []
        for row in self.call_api(call).rows:
            if not isinstance(row, dict):
                raise DataError(f"Wolkvox sent a row that is not an object for {call.describe()}")
            campaigns.append({f.name: f.read(row, call.describe()) for f in self.fields})
        return campaigns

    def get_records(self, context: Context | None) -> Iterable[dict[str, Any]]:  # noqa: ARG002
        """The list, read once per run and shared with `campaign_ids: ["*"]`."""
        yield from self._tap.campaign_list()  # type: ignore[attr-defined]
