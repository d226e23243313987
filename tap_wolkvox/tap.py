"""tap-wolkvox: Wolkvox Reports Manager reports as Singer streams."""

from __future__ import annotations

import copy
import io
import json
import sys
from typing import TYPE_CHECKING, Any

import click
from singer_sdk import Tap
from singer_sdk.exceptions import ConfigValidationError
from singer_sdk.tap_base import CliTestOptionValue

from tap_wolkvox.errors import WolkvoxFatalError
from tap_wolkvox.pipeline import ConcurrencyGate
from tap_wolkvox.run import Interrupted, RunState
from tap_wolkvox.settings import (
    CONFIG_SCHEMA,
    campaign_order,
    clean_token,
    config_problems,
    unknown_settings,
    with_numbers_parsed,
)
from tap_wolkvox.state_input import FIX, parse_state_text, state_problems

if TYPE_CHECKING:
    from types import FrameType

    from singer_sdk import Stream
    from singer_sdk.singerlib.encoding.base import GenericSingerWriter


class SettingsError(click.ClickException):
    """Bad settings: the CLI prints one line naming each setting, and exits 1."""


class StateError(click.ClickException):
    """A state the tap cannot resume from: one line naming the place, exit 1."""


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
        self.run = RunState(ConcurrencyGate(2))
        try:
            super().__init__(*args, validate_config=validate_config, **kwargs)
        except ConfigValidationError as exc:
            raise SettingsError("invalid settings: " + "; ".join(exc.errors)) from None
        if validate_config and (problems := config_problems(self.config)):
            raise SettingsError("invalid settings: " + "; ".join(problems))
        for message in unknown_settings(self.config, self.config_jsonschema["properties"]):
            self.logger.warning("%s", message)
        self.run.gate = ConcurrencyGate(self.config.get("max_concurrent_requests", 2))
        self._campaigns: list[dict[str, Any]] | None = None
        self._report_campaigns: list[str] | None = None

    def _validate_config(self, *, raise_errors: bool = True) -> list[str]:
        """Clean the token, and read numbers given as strings (`"0.5"` from Meltano), first."""
        self._config = with_numbers_parsed(self._config)
        if isinstance(self._config.get("api_token"), str):
            self._config["api_token"] = clean_token(self._config["api_token"])
        return super()._validate_config(raise_errors=raise_errors)

    def load_state(self, state: dict[str, Any]) -> None:
        """Refuse, in one line, a state whose shape or bookmarks cannot be resumed from."""
        if problems := state_problems(state):
            raise StateError(f"invalid state: {'; '.join(problems)}; {FIX}")
        super().load_state(state)

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
        if self._report_campaigns is None:
            only_started = self.config["only_started"]
            chosen = [
                c["campaign_id"]
                for c in self._listed_campaigns()
                if not only_started or c["status"] == "Started"
            ]
            self._report_campaigns = sorted(set(chosen), key=campaign_order)
            if not self._report_campaigns:
                self.logger.info(
                    'campaign_ids ["*"] selects no campaign (%d listed, none %s): nothing '
                    "to extract",
                    len(self.campaign_list()),
                    "started and of the chosen types" if only_started else "of the chosen types",
                )
        return list(self._report_campaigns)

    def stopped_campaigns(self) -> list[tuple[str, str | None]]:
        """With `*` and `only_started`: each stopped campaign and its `last_use`."""
        if self.config["campaign_ids"] != ["*"] or not self.config["only_started"]:
            return []
        return [
            (c["campaign_id"], c["last_use"])
            for c in self._listed_campaigns()
            if c["status"] != "Started"
        ]

    def _listed_campaigns(self) -> list[dict[str, Any]]:
        """The listed campaigns of the chosen types whose IDs can be asked for."""
        types = self.config.get("campaign_types")
        listed = [c for c in self.campaign_list() if not types or c["type_campaign"] in types]
        odd = sorted({str(c["campaign_id"]) for c in listed if not _is_campaign_id(c)})
        if odd and self._report_campaigns is None:
            self.logger.warning(
                "The campaigns list has IDs that are not numbers, skipped: %s", ", ".join(odd)
            )
        return [c for c in listed if _is_campaign_id(c)]

    def test_selected_streams(self) -> int:
        """`--test`: one window of each selected stream; one line per failing stream.

        Returns the number of streams that failed.
        """
        self.run.test_mode = True
        failures = 0
        for stream in self.streams.values():
            if not stream.selected:
                continue
            try:
                self.run_sync_dry_run(dry_run_record_limit=None, streams=[stream])
            except WolkvoxFatalError as exc:
                failures += 1
                self.logger.error("--test failed for %s: %s", stream.name, exc)  # noqa: TRY400
        if not failures:
            self.logger.info("--test passed: every selected stream answered")
        return failures

    @classmethod
    def cb_test(cls, ctx: click.Context, param: click.Option, value: str) -> None:
        """`--test`: only the selected streams, one request each.

        `--test=schema` writes the schemas, as the SDK does.
        """
        if value == CliTestOptionValue.Disabled.value:
            return
        if value == CliTestOptionValue.Schema.value:
            super().cb_test(ctx, param, value)
            return
        config = ctx.params.get("config")
        catalog = ctx.params.get("catalog")  # given before --test, as Meltano does
        tap = cls(
            config=config.config if config else None,
            catalog=json.load(catalog) if catalog else None,
            parse_env_config=config.parse_env if config else False,
            validate_config=True,
        )
        ctx.exit(1 if tap.test_selected_streams() else 0)

    def _handle_termination(self, signum: int, frame: FrameType | None) -> None:  # noqa: ARG002
        """SIGINT/SIGTERM: stop after the last complete window (whose STATE is written)."""
        self.run.on_signal(signum)

    @classmethod
    def invoke(cls, *args: Any, **kwargs: Any) -> None:  # noqa: ANN401
        """Run the CLI; a fatal failure or an interruption ends with one line, not a traceback."""
        state = kwargs.get("state")
        if state is not None:
            try:
                parsed = parse_state_text(state.read())
            except ValueError as exc:
                raise StateError(f"invalid state: {exc}; {FIX}") from None
            if problems := state_problems(parsed):
                raise StateError(f"invalid state: {'; '.join(problems)}; {FIX}")
            kwargs["state"] = io.StringIO(json.dumps(parsed))
        try:
            super().invoke(*args, **kwargs)
        except WolkvoxFatalError as exc:
            cls.logger.error("%s", exc)  # noqa: TRY400 - the message is the whole story
            sys.exit(1)
        except Interrupted as exc:
            cls.logger.error("%s", exc)  # noqa: TRY400
            sys.exit(exc.exit_code)


def _is_campaign_id(campaign: dict[str, Any]) -> bool:
    return str(campaign["campaign_id"]).isdigit()


if __name__ == "__main__":
    TapWolkvox.cli()
