"""tap-wolkvox: Wolkvox Reports Manager reports as Singer streams."""

from __future__ import annotations

import copy
import io
import json
import sys
from functools import cached_property
from typing import IO, TYPE_CHECKING, Any

import click
from singer_sdk import Tap
from singer_sdk.exceptions import ConfigValidationError
from singer_sdk.tap_base import CliTestOptionValue

from tap_wolkvox.about import print_about
from tap_wolkvox.run_control import Interrupted, RunState
from tap_wolkvox.scrubbing import keep_secret, scrub, scrub_log_handlers
from tap_wolkvox.settings import (
    CONFIG_SCHEMA,
    clean_token,
    config_problems,
    unknown_settings,
    with_numbers_parsed,
)
from tap_wolkvox.summary import RunSummary, drop_deselected_lines

if TYPE_CHECKING:
    from types import FrameType

    from singer_sdk import Stream
    from singer_sdk.singerlib.encoding.base import GenericSingerWriter

    from tap_wolkvox.bad_values import BadValueLog
    from tap_wolkvox.http.answers import Answer
    from tap_wolkvox.http.client import WolkvoxClient
    from tap_wolkvox.partitions import PartitionValues
    from tap_wolkvox.report_request import ReportRequest
    from tap_wolkvox.run_plan import RunPlan


class SettingsError(click.ClickException):
    """Bad settings: the CLI prints one line naming each setting, and exits 1."""

    def __init__(self, message: str) -> None:
        """The line, scrubbed: a schema error quotes the value, the token's too."""
        super().__init__(scrub(message))


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
        from tap_wolkvox.singer_output import StateFlushedWriter  # noqa: PLC0415

        return StateFlushedWriter

    def __init__(self, *args: Any, validate_config: bool = True, **kwargs: Any) -> None:  # noqa: ANN401
        """Validate the settings, including what their JSON schema cannot say."""
        self.run = RunState()
        scrub_log_handlers()
        self.summary = RunSummary()
        try:
            super().__init__(*args, validate_config=validate_config, **kwargs)
        except ConfigValidationError as exc:
            raise SettingsError("invalid settings: " + "; ".join(exc.errors)) from None
        if validate_config and (problems := config_problems(self.config)):
            raise SettingsError("invalid settings: " + "; ".join(problems))
        for message in unknown_settings(self.config, self.config_jsonschema["properties"]):
            self.logger.warning("%s", message)
        self.logger.addFilter(drop_deselected_lines)

    # SDK private: the only step before the schema check sees (and quotes) the raw values.
    def _validate_config(self, *, raise_errors: bool = True) -> list[str]:
        """Clean the token, and read numbers given as strings (`"0.5"` from Meltano), first."""
        keep_secret(self._config.get("api_token"))  # whatever its type: errors quote it
        self._config = with_numbers_parsed(self._config)
        if isinstance(self._config.get("api_token"), str):
            self._config["api_token"] = clean_token(self._config["api_token"])
        return super()._validate_config(raise_errors=raise_errors)

    def load_state(self, state: dict[str, Any]) -> None:
        """Refuse, in one line, a state whose shape or bookmarks cannot be resumed from."""
        from tap_wolkvox.state_file import UnusableStateError, check_state  # noqa: PLC0415

        try:
            check_state(state)
        except UnusableStateError as exc:
            raise StateError(str(exc)) from None
        super().load_state(state)

    def discover_streams(self) -> list[Stream]:
        """A stream per declared report; only turbo_dial_machine_codes is selected by default.

        Imported here, not at module level, so that `--about` starts as fast as the SDK.
        """
        from tap_wolkvox.catalogue import ALL_REPORTS  # noqa: PLC0415
        from tap_wolkvox.report_stream import ReportStream  # noqa: PLC0415

        return [ReportStream(self, report) for report in ALL_REPORTS]

    @classmethod
    def print_about(cls, output_format: str | None = None) -> None:
        """`--about`: the SDK's, and in text each setting's description and default too."""
        print_about(cls._get_about_info(), output_format)

    def sync_all(self) -> None:  # type: ignore[misc]  # final in the SDK; only wrapped here
        """Sync the selected streams; then (also after a failure) log the run's summary."""
        try:
            super().sync_all()
        finally:
            self.run_ended()

    @cached_property
    def client(self) -> WolkvoxClient:
        """The run's one HTTP client (made when the first request is)."""
        from tap_wolkvox.http.client import WolkvoxClient  # noqa: PLC0415

        return WolkvoxClient(self.config, self.logger)

    @cached_property
    def partition_values(self) -> PartitionValues:
        """Where partition values come from; the lists behind them are read once per run."""
        from tap_wolkvox.partitions import PartitionValues  # noqa: PLC0415

        return PartitionValues(self.config, self._ask, self.logger, self.bad_value_log.of)

    def _ask(self, request: ReportRequest) -> Answer:
        """A list's answer, asked by the list's own stream (its SDK request hooks)."""
        from tap_wolkvox.report_stream import ReportStream  # noqa: PLC0415

        stream = self.streams[request.report.stream]
        assert isinstance(stream, ReportStream)  # noqa: S101 - every stream is one
        return stream.answer(request)

    @cached_property
    def bad_value_log(self) -> BadValueLog:
        """Values written as null in this run, per stream and field (`on_bad_value`)."""
        from tap_wolkvox.bad_values import BadValueLog  # noqa: PLC0415

        return BadValueLog(self.config.get("on_bad_value", "warn"))

    def run_ended(self) -> None:
        """The run's end, done or stopped: what was written as null, then the run's summary."""
        self.bad_value_log.log_summary(self.logger)
        client = vars(self).get("client")  # made by the first request, if any
        calls, retries = (client.calls, client.retries) if client else (0, 0)
        bookmarks = self.state.get("bookmarks", {})
        self.logger.info("%s", self.summary.line(calls, retries, bookmarks))

    @cached_property
    def plan(self) -> RunPlan:
        """The run's plan and budget, made before the first report request (once per run)."""
        from tap_wolkvox.run_plan import RunPlan, make_plan, read_budget  # noqa: PLC0415

        self.run.before_stop = self.write_pending_state
        if self.run.test_mode:
            return RunPlan()
        budget = read_budget(self.config, self.partition_values, self.client, self.logger)
        self.client.call_limit = budget.calls
        from tap_wolkvox.report_stream import ReportStream  # noqa: PLC0415

        selected = [s for s in self.streams.values() if s.selected and isinstance(s, ReportStream)]
        return make_plan(selected, budget, self.client, self.logger)

    def write_pending_state(self) -> None:
        """Write the state if it changed since the last STATE (before a stop)."""
        from tap_wolkvox.singer_output import flush_output  # noqa: PLC0415

        self.state_writer.write_state(self.state)
        flush_output(self.message_writer)

    def test_selected_streams(self) -> int:
        """`--test`: one window of each selected stream; one line per failing stream.

        Returns the number of streams that failed.
        """
        from tap_wolkvox.exceptions import WolkvoxFatalError  # noqa: PLC0415

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

    # SDK private: its signal handler; the SDK has no public hook for SIGINT/SIGTERM.
    def _handle_termination(self, signum: int, frame: FrameType | None) -> None:  # noqa: ARG002
        """SIGINT/SIGTERM: stop after the last complete window (whose STATE is written)."""
        self.run.on_signal(signum)

    @classmethod
    def invoke(cls, *args: Any, **kwargs: Any) -> None:  # noqa: ANN401
        """Run the CLI; a fatal failure or an interruption ends with one line, not a traceback."""
        if kwargs.get("state") is not None:
            kwargs["state"] = _checked_state(kwargs["state"])
        try:
            super().invoke(*args, **kwargs)
        except Interrupted as exc:
            cls.logger.error("%s", exc)  # noqa: TRY400 - the message is the whole story
            sys.exit(exc.exit_code)
        except Exception as exc:
            from tap_wolkvox.exceptions import (  # noqa: PLC0415 - not at start-up
                BudgetSpentError,
                WolkvoxFatalError,
            )

            if not isinstance(exc, WolkvoxFatalError):
                raise
            if isinstance(exc, BudgetSpentError):
                cls.logger.warning("%s", exc)
                sys.exit(0)
            cls.logger.error("%s", exc)  # noqa: TRY400
            sys.exit(1)


def _checked_state(state: IO[str]) -> IO[str]:
    """The state file, refused in one line if it is empty, not JSON, or not resumable."""
    from tap_wolkvox.state_file import UnusableStateError, parse_state_text  # noqa: PLC0415

    try:
        parsed = parse_state_text(state.read())
    except UnusableStateError as exc:
        raise StateError(str(exc)) from None
    return io.StringIO(json.dumps(parsed))


if __name__ == "__main__":
    TapWolkvox.cli()
