"""tap-wolkvox: Wolkvox Reports Manager reports as Singer streams."""

from __future__ import annotations

import copy
import sys
from typing import TYPE_CHECKING, Any

import click
from singer_sdk import Tap
from singer_sdk.exceptions import ConfigValidationError

from tap_wolkvox.errors import WolkvoxFatalError
from tap_wolkvox.pipeline import ConcurrencyGate
from tap_wolkvox.run import RunState
from tap_wolkvox.settings import CONFIG_SCHEMA, config_problems

if TYPE_CHECKING:
    from singer_sdk import Stream
    from singer_sdk.singerlib.encoding.base import GenericSingerWriter


class SettingsError(click.ClickException):
    """Bad settings: the CLI prints one line naming each setting, and exits 1."""


class TapWolkvox(Tap):
    """Singer tap for Wolkvox's Reports Manager API."""

    name = "tap-wolkvox"
    # A copy: the SDK adds its built-in settings (stream_maps, …) to this dict in place.
    config_jsonschema = copy.deepcopy(CONFIG_SCHEMA)

    @property
    def message_writer_class(self) -> type[GenericSingerWriter]:  # type: ignore[override]
        """The msgspec writer, flushed at STATE messages only (imported only to sync)."""
        from tap_wolkvox.output import StateFlushedWriter  # noqa: PLC0415

        return StateFlushedWriter

    def __init__(self, *args: Any, validate_config: bool = True, **kwargs: Any) -> None:  # noqa: ANN401
        """Validate the settings, including what their JSON schema cannot say."""
        try:
            super().__init__(*args, validate_config=validate_config, **kwargs)
        except ConfigValidationError as exc:
            raise SettingsError("invalid settings: " + "; ".join(exc.errors)) from None
        if validate_config and (problems := config_problems(self.config)):
            raise SettingsError("invalid settings: " + "; ".join(problems))
        self.run = RunState(ConcurrencyGate(self.config.get("max_concurrent_requests", 2)))
        self._campaigns: list[dict[str, Any]] | None = None

    def discover_streams(self) -> list[Stream]:
        """The campaigns list and the report streams.

        Only turbo_dial_machine_codes is selected by default: choose others in the catalog.
        Imported here, not at module level, so that `--about` starts as fast as the SDK.
        """
        from tap_wolkvox.streams import (  # noqa: PLC0415
            AmdAccumulatedStream,
            CampaignAttemptResultsStream,
            CampaignFinalResultsStream,
            CampaignsStream,
            MachineCodesByTelephoneStream,
            TurboDialMachineCodesStream,
        )

        return [
            TurboDialMachineCodesStream(self),
            CampaignsStream(self),
            CampaignFinalResultsStream(self),
            CampaignAttemptResultsStream(self),
            AmdAccumulatedStream(self),
            MachineCodesByTelephoneStream(self),
        ]

    def campaign_list(self) -> list[dict[str, Any]]:
        """The campaigns list, requested at most once per run."""
        if self._campaigns is None:
            self._campaigns = self.streams["campaigns"].fetch_campaigns()  # type: ignore[attr-defined]
        return self._campaigns

    def report_campaign_ids(self) -> list[str]:
        """The campaigns each report runs for; `*` expands the campaigns list, filtered."""
        configured = [str(c) for c in self.config["campaign_ids"]]
        if configured != ["*"]:
            return configured
        types = self.config.get("campaign_types")
        chosen = [
            c["campaign_id"]
            for c in self.campaign_list()
            if (not types or c["type_campaign"] in types)
            and (not self.config["only_started"] or c["status"] == "Started")
        ]
        return sorted(set(chosen), key=lambda c: (len(c), c))

    @classmethod
    def invoke(cls, *args: Any, **kwargs: Any) -> None:  # noqa: ANN401
        """Run the CLI; a fatal Wolkvox failure ends with its one line, not a traceback."""
        try:
            super().invoke(*args, **kwargs)
        except WolkvoxFatalError as exc:
            cls.logger.error("%s", exc)  # noqa: TRY400 - the message is the whole story
            sys.exit(1)


if __name__ == "__main__":
    TapWolkvox.cli()
