"""The tap's settings: their JSON schema, the checks a schema cannot express, and helpers."""

from __future__ import annotations

import contextlib
import datetime as dt
import math
import re
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from singer_sdk import typing as th

from tap_wolkvox.windows import MAX_WINDOW_DAYS, localize

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping

DEFAULT_TIMEZONE = "America/Bogota"
_SERVER_RE = re.compile(r"[A-Za-z0-9]+")
_ID_RE = re.compile(r"all|[0-9]+")
_CONNECTOR_RE = re.compile(r"[A-Za-z0-9_-]+")
# Visible Latin-1 characters, with single inner spaces: what an HTTP header value can carry.
_HEADER_VALUE_RE = re.compile(r"[!-~\xa1-\xff]+(?: [!-~\xa1-\xff]+)*")
_EARLIEST = dt.datetime(2000, 1, 1)  # noqa: DTZ001 - wall clock, localized where used
_LATEST_END = dt.datetime(2101, 1, 1, tzinfo=dt.timezone.utc)
CAMPAIGN_TYPES = ("predictive", "preview")

CONFIG_SCHEMA: dict[str, Any] = th.PropertiesList(
    th.Property(
        "api_token",
        th.StringType(nullable=False),
        required=True,
        secret=True,
        title="API token",
        description="Wolkvox API token, sent in the `wolkvox-token` header.",
    ),
    th.Property(
        "server",
        th.StringType,
        title="Server",
        description=(
            "Operation server code, e.g. `0042` for https://wv0042.wolkvox.com. Letters and "
            "digits only. Required unless `api_url` is set."
        ),
    ),
    th.Property(
        "api_url",
        th.StringType,
        title="API base URL",
        description=(
            "Base URL override (a proxy, or the local emulator), e.g. http://127.0.0.1:8080. "
            "When set, `server` may be omitted and is ignored."
        ),
    ),
    th.Property(
        "start_date",
        th.StringType(nullable=False),
        required=True,
        title="Start date",
        description=(
            "First instant to extract, ISO 8601 date or date-time. Without an offset it is "
            "wall-clock time in `timezone`."
        ),
    ),
    th.Property(
        "end_date",
        th.StringType,
        title="End date",
        description=(
            "End of extraction (exclusive), ISO 8601. Defaults to now; a later value is cut "
            "at now so that no future window is bookmarked."
        ),
    ),
    th.Property(
        "campaign_ids",
        th.ArrayType(th.StringType),
        default=["all"],
        title="Campaign IDs",
        description=(
            "Campaigns to extract: `all` (every campaign in one request) or numeric IDs, each with "
            "its own bookmark; or `*` alone, for every campaign in the campaigns list."
        ),
    ),
    th.Property(
        "campaign_types",
        th.ArrayType(th.StringType),
        title="Campaign types",
        description="With `*`: only campaigns of these types (`predictive`, `preview`).",
    ),
    th.Property(
        "only_started",
        th.BooleanType,
        default=False,
        title="Only started campaigns",
        description="With `*`: only campaigns whose status is `Started`.",
    ),
    th.Property(
        "skill_ids",
        th.ArrayType(th.StringType),
        default=["all"],
        title="Skill IDs",
        description=(
            "Skills the skill reports (`skill_*`) are asked for: `all` (every skill in one "
            "request) or numeric IDs, each with its own bookmark; or `*` alone, for every skill "
            "in the skills list."
        ),
    ),
    th.Property(
        "whatsapp_connector_ids",
        th.ArrayType(th.StringType),
        title="WhatsApp connector IDs",
        description=(
            "WhatsApp connectors whose message templates the `whatsapp_templates` stream lists "
            "(one call each per run)."
        ),
    ),
    th.Property(
        "timezone",
        th.StringType,
        default=DEFAULT_TIMEZONE,
        title="Time zone",
        description="IANA zone the operation keeps its reports in; API dates are its wall clock.",
    ),
    th.Property(
        "window_days",
        th.IntegerType(minimum=1, maximum=31),
        default=1,
        title="Window size (days)",
        description="Days per request window, 1 to 31 (the API's limit).",
    ),
    th.Property(
        "lookback_minutes",
        th.IntegerType(minimum=0, maximum=1440),
        default=60,
        title="Look-back (minutes)",
        description=(
            "Wolkvox records a call when it ends: a window that ended less than this many "
            "minutes before the run started is fetched again by the next run, so late calls are "
            "not lost; an older window is final."
        ),
    ),
    th.Property(
        "detail_window_days",
        th.CustomType({"type": ["string", "integer"]}),
        default="auto",
        title="Detail report window (days)",
        description=(
            "Days per request window for detail reports (one row per call, chat, session...): "
            "`auto` picks the length from the volume seen, aiming at half the per-call row cap, "
            "up to 31; or a fixed 1 to 31. May change between runs."
        ),
    ),
    th.Property(
        "state_interval_seconds",
        th.NumberType(minimum=0, maximum=3600),
        default=10,
        title="STATE interval (s)",
        description=(
            "Write STATE at most this often while a stream runs; it is always written at the end "
            "of each stream and before any stop. A kill -9 loses at most this much progress, "
            "which the next run fetches again."
        ),
    ),
    th.Property(
        "quota_reserve_percent",
        th.NumberType(minimum=0, maximum=100),
        default=20,
        title="Quota reserve (%)",
        description=(
            "Share of the token's daily call limit (read from token_info) this run leaves to the "
            "operation's other integrations."
        ),
    ),
    th.Property(
        "max_calls_per_run",
        th.IntegerType(minimum=1),
        title="Calls per run at most",
        description=(
            "Most API calls one run makes (lists and retries included); when the plan needs "
            "more, the oldest windows go first and the next run continues."
        ),
    ),
    th.Property(
        "max_concurrent_requests",
        th.IntegerType(minimum=1, maximum=2),
        default=2,
        title="Concurrent requests",
        description="Requests in flight at once, 1 or 2 (the API allows 2 per token).",
    ),
    th.Property(
        "max_retries",
        th.IntegerType(minimum=0, maximum=20),
        default=5,
        title="Retries",
        description=(
            "Retries of one window after a transient failure (429, 5xx, timeout, reset, bad "
            "body, concurrency limit) before the run fails."
        ),
    ),
    th.Property(
        "retry_wait_seconds",
        th.NumberType(minimum=0, maximum=600),
        default=2,
        title="Retry base wait (s)",
        description=(
            "First wait before a retry; it doubles each try (with jitter). A `Retry-After` "
            "header takes precedence."
        ),
    ),
    th.Property(
        "maintenance_max_wait_seconds",
        th.IntegerType(minimum=0, maximum=86400),
        default=1800,
        title="Maintenance wait (s)",
        description=(
            "How long to keep waiting out a server-maintenance 403 for one window before failing."
        ),
    ),
    th.Property(
        "request_timeout_seconds",
        th.NumberType(minimum=1, maximum=600),
        default=75,
        title="Request timeout (s)",
        description=(
            "Longest time one request may take, body included (a slow trickle is cut too); "
            "Wolkvox stops a call at 60 s. A request cut short is retried."
        ),
    ),
    th.Property(
        "on_bad_value",
        th.StringType,
        allowed_values=["warn", "fail"],
        default="warn",
        title="On a bad value",
        description=(
            "What to do with a value Wolkvox sent that does not read as its field's kind: `warn` "
            "writes it as null and logs one WARNING per stream and field with the count and an "
            "example; `fail` stops the run."
        ),
    ),
    th.Property(
        "max_records_per_call",
        th.IntegerType(minimum=2, maximum=60000),
        default=60000,
        title="Records per call cap",
        description=(
            "Wolkvox's cap on rows per answer: an answer this long is fetched again in halves, "
            "down to one hour. Lower it only for a proxy with a smaller cap."
        ),
    ),
).to_dict()


def parse_instant(value: str, tz: ZoneInfo) -> dt.datetime:
    """Parse an ISO 8601 date or date-time; a value without offset is wall clock in `tz`."""
    text = value.strip()
    if text.endswith(("Z", "z")):
        text = text[:-1] + "+00:00"
    parsed = dt.datetime.fromisoformat(text)
    if parsed.tzinfo is None:
        return localize(parsed, tz)
    return parsed.astimezone(tz)


def base_url(config: Mapping[str, Any]) -> str:
    """The API's base URL: `api_url` if set, else the operation's Wolkvox host."""
    if config.get("api_url"):
        url = str(config["api_url"]).rstrip("/")
        return url.removesuffix("/api/v2")
    return f"https://wv{config['server']}.wolkvox.com"


def config_problems(config: Mapping[str, Any]) -> list[str]:
    """Semantic checks the JSON schema cannot express, each a sentence naming its setting."""
    problems = _token_problems(config.get("api_token"))
    tz_name = config.get("timezone", DEFAULT_TIMEZONE)
    try:
        tz = ZoneInfo(tz_name)
    except (ZoneInfoNotFoundError, ValueError, TypeError):
        problems.append(f"timezone: '{tz_name}' is not an IANA time zone (e.g. America/Bogota)")
        tz = ZoneInfo(DEFAULT_TIMEZONE)

    problems.extend(_host_problems(config))
    now = dt.datetime.now(tz)
    start = _checked_instant(config, "start_date", tz, problems, latest=now)
    end = _checked_instant(config, "end_date", tz, problems, latest=_LATEST_END)
    if start and end and end <= start:
        problems.append(f"end_date: {end.isoformat()} is not after start_date {start.isoformat()}")

    problems.extend(_id_problems("campaign_ids", "campaign", config.get("campaign_ids")))
    problems.extend(_id_problems("skill_ids", "skill", config.get("skill_ids")))
    problems.extend(_detail_window_problems(config.get("detail_window_days", "auto")))
    problems.extend(
        f"whatsapp_connector_ids: '{value}' is not a connector ID (letters, digits, _ and -)"
        for value in config.get("whatsapp_connector_ids") or ()
        if not _CONNECTOR_RE.fullmatch(str(value))
    )
    problems.extend(
        f"campaign_types: '{kind}' is not one of {', '.join(CAMPAIGN_TYPES)}"
        for kind in config.get("campaign_types") or ()
        if kind not in CAMPAIGN_TYPES
    )
    return problems


def with_numbers_parsed(config: Mapping[str, Any]) -> dict[str, Any]:
    """`config` with numeric strings in number settings made numbers.

    Meltano hands a setting read from the environment to the tap as a string when its kind
    is `string` (its `decimal` kind crashes on environment values), e.g. `"0.5"`.
    """
    parsed = dict(config)
    for name, prop in CONFIG_SCHEMA["properties"].items():
        value = parsed.get(name)
        if "number" in prop["type"] and isinstance(value, str):
            with contextlib.suppress(ValueError):
                parsed[name] = float(value) if math.isfinite(float(value)) else value
    return parsed


def clean_token(token: str) -> str:
    """The token without the whitespace or line break that pasting often adds around it."""
    return token.strip()


def _token_problems(token: Any) -> list[str]:  # noqa: ANN401
    """The token must be sendable as an HTTP header value (its value is never shown)."""
    if not isinstance(token, str):
        return []  # the schema check names it
    token = clean_token(token)
    if not token:
        return ["api_token: it is empty"]
    if not _HEADER_VALUE_RE.fullmatch(token):
        return [
            (
                "api_token: it cannot be sent as an HTTP header (it holds a line break, a control "
                "character or a character outside Latin-1): copy it again from Wolkvox"
            )
        ]
    return []


def unknown_settings(config: Mapping[str, Any], known: Iterable[str]) -> list[str]:
    """A sentence for each setting the tap does not know, with the closest known name."""
    import difflib  # noqa: PLC0415 - only when a setting is unknown: not at start-up

    names = sorted(known)
    messages = []
    for key in sorted(set(config) - set(names)):
        guess = difflib.get_close_matches(key, names, n=1, cutoff=0.6)
        hint = f"; did you mean {guess[0]}?" if guess else ""
        messages.append(f"Unknown setting {key} is ignored{hint}")
    return messages


def _host_problems(config: Mapping[str, Any]) -> list[str]:
    """The token goes only to https://wv{server}.wolkvox.com or to an explicit http(s) api_url."""
    api_url, server = config.get("api_url"), config.get("server")
    if api_url:
        parts = urlsplit(str(api_url))
        if parts.scheme not in {"http", "https"} or not parts.hostname:
            return [f"api_url: '{api_url}' is not an http(s) URL with a host"]
        return []
    if not server:
        return ["server: either server or api_url is required"]
    if not _SERVER_RE.fullmatch(str(server)):
        return [
            f"server: '{server}' is not a Wolkvox server code (letters and digits only, e.g. 0042)"
        ]
    return []


def detail_window_setting(value: Any) -> int | None:  # noqa: ANN401
    """`detail_window_days` as days, or None for `auto` (a checked value)."""
    text = str(value).strip().lower()
    return None if text == "auto" else int(text)


def _detail_window_problems(value: Any) -> list[str]:  # noqa: ANN401
    """`auto`, or a whole number of days from 1 to 31 (given as a number or as text)."""
    text = str(value).strip().lower()
    if text == "auto" or (text.isdigit() and 1 <= int(text) <= MAX_WINDOW_DAYS):
        return []
    return [f"detail_window_days: '{value}' is not 'auto' or a number of days from 1 to 31"]


def _id_problems(setting: str, what: str, ids: list[Any] | None) -> list[str]:
    """`all`, numeric IDs each listed once, or `*` alone."""
    if ids is None:
        return []
    if not ids:
        return [f'{setting}: the list is empty; use ["all"] for every {what}']
    if "*" in ids:
        return [] if ids == ["*"] else [f'{setting}: "*" must stand alone']
    problems = [
        f"{setting}: '{value}' is not 'all' or a numeric {what} id"
        for value in ids
        if not _ID_RE.fullmatch(str(value))
    ]
    if problems:
        return problems
    if "all" in ids and len(ids) > 1:
        return [
            (
                f'{setting}: "all" already includes every {what}; with IDs beside it, they '
                "would be counted twice"
            )
        ]
    return _repeated_id(setting, what, ids)


def _repeated_id(setting: str, what: str, ids: list[str]) -> list[str]:
    """An ID listed twice, as the same number (`017` is `17`), would be counted twice."""
    seen: dict[int, str] = {}
    for value in ids:
        if value == "all":
            continue
        number = int(value)
        if number in seen:
            return [
                (
                    f"{setting}: '{seen[number]}' and '{value}' are the same {what}; "
                    "listed twice it would be counted twice"
                )
            ]
        seen[number] = value
    return []


def _checked_instant(
    config: Mapping[str, Any],
    key: str,
    tz: ZoneInfo,
    problems: list[str],
    *,
    latest: dt.datetime,
) -> dt.datetime | None:
    """The setting as an instant, between 2000-01-01 and `latest`; else a problem, and None."""
    value = config.get(key)
    if value is None:
        return None
    try:
        instant = parse_instant(str(value), tz)
    except (ValueError, OverflowError):
        problems.append(f"{key}: '{value}' is not an ISO 8601 date or date-time (e.g. 2025-01-31)")
        return None
    if instant < _EARLIEST.replace(tzinfo=tz):
        problems.append(f"{key}: '{value}' is before 2000-01-01; Wolkvox has no data that old")
        return None
    if instant > latest:
        limit = "now" if key == "start_date" else "the year 2100"
        problems.append(f"{key}: '{value}' is after {limit}")
        return None
    return instant
