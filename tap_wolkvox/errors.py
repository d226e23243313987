"""Reading a Wolkvox answer: the envelope, and its errors sorted into what the tap does next.

The Reports Manager answers `{"code", "error", "msg", "data"}`. Its documented errors all
come back as HTTP 400/401/403 and are told apart by their message text (FACTS.md §3).
"""

from __future__ import annotations

import email.utils
import json
import time
from typing import TYPE_CHECKING, Any

from singer_sdk.exceptions import FatalAPIError, RetriableAPIError

if TYPE_CHECKING:
    import requests

_MAX_RETRY_AFTER = 600.0
_OK_CODES = {200, 204}


class WolkvoxFatalError(FatalAPIError):
    """A failure that retrying cannot fix; its message is the one line shown to the user."""


class AuthError(WolkvoxFatalError):
    """Wolkvox rejected or did not receive the token."""


class QuotaExceededError(WolkvoxFatalError):
    """The token's daily call allowance is used up."""


class RequestRejectedError(WolkvoxFatalError):
    """Wolkvox rejected the request itself (HTTP 400 and other client errors)."""


class DataError(WolkvoxFatalError):
    """The answer was well-formed JSON but its rows do not fit the report's documented shape."""


class RetriesExhaustedError(WolkvoxFatalError):
    """A window kept failing transiently until the retry budget ran out."""


class RetriableWolkvoxError(RetriableAPIError):
    """A transient failure; `kind` picks the wait, `retry_after` is the server's hint."""

    def __init__(
        self,
        message: str,
        response: requests.Response | None = None,
        *,
        kind: str,
        retry_after: float | None = None,
    ) -> None:
        """Keep the failure kind and the server's `Retry-After` hint beside the message."""
        super().__init__(message, response)
        self.kind = kind
        self.retry_after = retry_after


def read_answer(response: requests.Response, where: str, secret: str) -> list[Any]:
    """Return the `data` rows of a successful answer, or raise the matching error.

    `where` names the campaign, window and request parameters for messages; `secret` is
    scrubbed from any text the server sent back.
    """
    status = response.status_code
    body = _json_object(response)
    code = _envelope_code(body)
    summary = (
        _summary(response, body).replace(secret, "***") if secret else _summary(response, body)
    )
    if 300 <= status < 400:  # noqa: PLR2004
        raise WolkvoxFatalError(
            f"Wolkvox answered a redirect (HTTP {status}) for {where}; redirects are not "
            "followed, so the token is never sent to another host: check server / api_url"
        )
    failing = status if status >= 400 else (code if code is not None and code >= 400 else None)  # noqa: PLR2004
    if failing is not None:
        raise _error_for(failing, summary, where, response)
    if body is None:
        raise RetriableWolkvoxError(
            f"Wolkvox answered HTTP {status} with a body that is not a JSON object for {where}: "
            f"{summary}",
            response,
            kind="bad_body",
        )
    if code is not None and code not in _OK_CODES:
        raise RetriableWolkvoxError(
            f"Wolkvox answered code {code} for {where}: {summary}", response, kind="bad_body"
        )
    data = body.get("data")
    if data is None:
        return []
    if not isinstance(data, list):
        raise DataError(
            f"Wolkvox answer for {where} has 'data' of type {type(data).__name__}, not a list"
        )
    return data


def _error_for(status: int, summary: str, where: str, response: requests.Response) -> Exception:
    upper = summary.upper()
    retry_after = _retry_after(response)
    if "TOKEN LIMIT EXCEEDED" in upper:
        return QuotaExceededError(
            f"Wolkvox daily token limit reached (HTTP {status}: {summary}) at {where}; completed "
            "windows are saved in state; rerun after the quota resets"
        )
    if "SIMULTANEOUS" in upper:
        return RetriableWolkvoxError(
            f"Wolkvox refused a simultaneous request (HTTP {status}: {summary}) for {where}",
            response,
            kind="concurrency",
            retry_after=retry_after,
        )
    if status == 401 or (status == 403 and "TOKEN" in upper):  # noqa: PLR2004
        return AuthError(
            f"Wolkvox rejected the credentials (HTTP {status}: {summary}); check the api_token "
            "setting and that it belongs to this server"
        )
    if status == 429 or status >= 500:  # noqa: PLR2004
        return RetriableWolkvoxError(
            f"Wolkvox answered HTTP {status} for {where}: {summary}",
            response,
            kind="server",
            retry_after=retry_after,
        )
    if status == 403:  # noqa: PLR2004
        # Maintenance and backups answer 403 with a body the public docs do not quote.
        return RetriableWolkvoxError(
            f"Wolkvox is unavailable, probably for maintenance (HTTP 403: {summary}) for {where}",
            response,
            kind="maintenance",
            retry_after=retry_after,
        )
    return RequestRejectedError(
        f"Wolkvox rejected the request (HTTP {status}: {summary}) for {where}"
    )


def _json_object(response: requests.Response) -> dict[str, Any] | None:
    try:
        body = json.loads(response.content)
    except (ValueError, UnicodeDecodeError):
        return None
    return body if isinstance(body, dict) else None


def _envelope_code(body: dict[str, Any] | None) -> int | None:
    if body is None or body.get("code") is None:
        return None
    try:
        return int(str(body["code"]).strip())
    except ValueError:
        return None


def _summary(response: requests.Response, body: dict[str, Any] | None) -> str:
    if body is not None:
        parts = [str(body[key]) for key in ("error", "msg") if body.get(key)]
        if parts:  # on one line: an error message is one line, whatever the body holds
            return " ".join(": ".join(parts).split())[:300]
    text = " ".join(response.text.split())
    return (text[:120] + "…") if len(text) > 120 else (text or "empty body")  # noqa: PLR2004


def _retry_after(response: requests.Response) -> float | None:
    value = response.headers.get("Retry-After")
    if not value:
        return None
    try:
        seconds = float(value)
    except ValueError:
        parsed = email.utils.parsedate_to_datetime(value) if value.strip() else None
        if parsed is None:
            return None
        seconds = parsed.timestamp() - time.time()
    return min(max(seconds, 0.0), _MAX_RETRY_AFTER)
