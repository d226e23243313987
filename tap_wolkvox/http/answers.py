"""Reading a Wolkvox answer: the envelope, and its errors sorted into what the tap does next.

The Reports Manager answers `{"code", "error", "msg", "data"}`. Its documented errors all
come back as HTTP 400/401/403 and are told apart by their message text (docs/wolkvox-api.md §4).
"""

from __future__ import annotations

import datetime as dt
import json
import math
import re
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import msgspec

from tap_wolkvox.exceptions import (
    AuthError,
    DataError,
    IpNotAllowedError,
    NotOnServerError,
    QuotaExceededError,
    RequestRejectedError,
    RetriableWolkvoxError,
    WolkvoxFatalError,
)
from tap_wolkvox.scrubbing import scrub

if TYPE_CHECKING:
    import requests

_MAX_RETRY_AFTER = 600.0
_NOT_FOUND = 404
_EMPTY_WINDOW_TEXT = "VALIDATE DATES"
_NO_SUCH_API_TEXT = "DOES NOT EXIST"  # HTTP 400: "THE API YOU WANT TO CONSULT DOES NOT EXIST"
#: Words of Wolkvox's maintenance (or backup) message, English or Spanish: only this 403 waits.
_MAINTENANCE_WORDS = ("MAINTENANCE", "MANTENIMIENTO", "BACKUP", "RESPALDO")
_BODY_SHOWN = 200  # characters of an unknown 403's body quoted in its error
#: "YOUR IP IS NOT AUTHORIZED", in English or Spanish: the IP allow-list refused the caller.
_IP_REFUSED = re.compile(r"\bIP\b.*\b(NOT AUTHORI[ZS]ED|NOT ALLOWED|NO (?:ESTÁ |ESTA )?AUTORIZAD)")
# The labels Wolkvox puts in `error` (docs/wolkvox-api.md §4), and the HTTP status each goes with.
_STATUS_OF_LABEL = {
    "BAD REQUEST": 400,
    "UNAUTHORIZED": 401,
    "FORBIDDEN": 403,
    "NOT FOUND": 404,
    "TOO MANY REQUESTS": 429,
    "INTERNAL SERVER ERROR": 500,
    "BAD GATEWAY": 502,
    "SERVICE UNAVAILABLE": 503,
}


#: The body's top level, each value left undecoded (a view into the body).
_ENVELOPE = msgspec.json.Decoder(dict[str, msgspec.Raw] | list[msgspec.Raw])
_ROWS = msgspec.json.Decoder(list[msgspec.Raw])


@dataclass(frozen=True)
class Answer:
    """The rows of one successful answer; `not_found_empty` marks Wolkvox's 404 "no data".

    A list of rows holds each row undecoded (`msgspec.Raw`, a view into the body): the
    rows are counted without being decoded, and decoded one by one as they are typed.
    """

    rows: list[Any] | dict[str, Any]  # an object for reports keyed by bucket (cdr_4)
    not_found_empty: bool = False


def read_answer(
    response: requests.Response, report: str, where: str, data_key: str | None = "data"
) -> Answer:
    """Return the `data` rows of a successful answer, or raise the matching error.

    `data_key` names the body's rows (campaign_15: `records`); None: a 2xx body may be the
    bare list of rows itself (real_time `campaigns`).

    `report` is the `api=` name and `where` names the partition, window and request
    parameters, for messages; the token is scrubbed from any text the server sent back.
    The live API answers an empty window with HTTP 404 "Validate dates entered"
    (docs/wolkvox-api.md §3), as a status or as the body's `code`: that is an empty answer, not
    an error.
    """
    status = response.status_code
    body = _json_object(response, data_key)
    code = _envelope_code(body)
    summary = scrub(_summary(response, body))
    if 300 <= status < 400:  # noqa: PLR2004
        raise WolkvoxFatalError(
            f"Wolkvox answered a redirect (HTTP {status}) for {where}; redirects are not "
            "followed, so the token is never sent to another host: check server / api_url"
        )
    failing = status if status >= 400 else (code if code is not None and code >= 400 else None)  # noqa: PLR2004
    if failing is None and body is not None and _has_error_text(body) and not body.get("data"):
        # A 2xx carrying an error label is that error: treat it as its HTTP status would be.
        failing = _STATUS_OF_LABEL.get(str(body["error"]).strip().upper(), 400)
    if failing == _NOT_FOUND:
        if _EMPTY_WINDOW_TEXT in summary.upper():
            return Answer([], not_found_empty=True)
        raise NotOnServerError(
            f"Wolkvox has no report api={report} on this server (HTTP 404: {summary}); "
            f"asked for {where}"
        )
    if failing == 400 and _NO_SUCH_API_TEXT in summary.upper():  # noqa: PLR2004
        raise NotOnServerError(
            f"Wolkvox has no report api={report} on this server (HTTP 400: {summary}); "
            f"asked for {where}"
        )
    if failing is not None:
        raise _error_for(failing, summary, where, response)
    if body is None:
        raise RetriableWolkvoxError(
            f"Wolkvox answered HTTP {status} with a body that is not a JSON object for {where}: "
            f"{summary}",
            response,
            kind="bad_body",
        )
    data = body.get(data_key or "data")  # a bare list is read as {"data": list}
    if data is None:
        return Answer([])
    if not isinstance(data, (list, dict)):
        raise DataError(
            f"Wolkvox answer for {where} has 'data' of type {type(data).__name__}, "
            "not a list (or, for reports keyed by bucket, an object)"
        )
    return Answer(data)


def _has_error_text(body: dict[str, Any]) -> bool:
    error = body.get("error")
    return error is not None and str(error).strip() not in {"", "null", "None"}


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
        return _forbidden(summary, where, response, retry_after)
    return RequestRejectedError(
        f"Wolkvox rejected the request (HTTP {status}: {summary}) for {where}"
    )


def _forbidden(
    summary: str, where: str, response: requests.Response, retry_after: float | None
) -> Exception:
    """A 403 that is not about the token: maintenance, the IP allow-list, or anything else.

    Only Wolkvox's maintenance message is waited out; a 403 from a firewall, a proxy or a
    WAF page would never go away by waiting, so it stops the run at once.
    """
    upper = summary.upper()
    if any(word in upper for word in _MAINTENANCE_WORDS):
        return RetriableWolkvoxError(
            f"Wolkvox is under maintenance (HTTP 403: {summary}) for {where}",
            response,
            kind="maintenance",
            retry_after=retry_after,
        )
    if _IP_REFUSED.search(upper):
        return IpNotAllowedError(
            f"Wolkvox refused this machine's IP address (HTTP 403: {summary}): add its public IP "
            "to the operation's IP allow-list in Wolkvox Manager (Configuration → Integrations), "
            "then run again"
        )
    body = _one_line(_text(response))[:_BODY_SHOWN] or "empty body"
    return RequestRejectedError(f"Wolkvox answered HTTP 403 for {where}: {body}")


def _text(response: requests.Response) -> str:
    """The body as text, decoded as its JSON would be when it is JSON."""
    try:
        text = json_text(response.content)
    except UnicodeDecodeError:
        return str(response.content, "utf-8", "replace")
    return text if isinstance(text, str) else str(text, "utf-8", "replace")


def _json_object(response: requests.Response, data_key: str | None) -> dict[str, Any] | None:
    """The body as a JSON object, or None; with no `data_key`, a list is read as its `data`.

    The rows (at `data_key`) stay undecoded views into the body, a list of `msgspec.Raw`;
    the envelope's other values are decoded. msgspec reads the bytes directly: the body is
    never copied (`json.loads` would first decode a copy of it to text).
    """
    try:
        body = _ENVELOPE.decode(json_text(response.content))
    except (ValueError, UnicodeDecodeError):  # msgspec.DecodeError is a ValueError
        return None
    if isinstance(body, list):
        return {"data": body} if data_key is None else None
    rows_key = data_key or "data"
    return {key: _rows(raw) if key == rows_key else _decode(raw) for key, raw in body.items()}


def _rows(raw: msgspec.Raw) -> Any:  # noqa: ANN401 - whatever Wolkvox sent
    """A list of undecoded rows, or whatever else the value is, decoded."""
    try:
        return _ROWS.decode(raw)
    except msgspec.ValidationError:  # not a list
        return _decode(raw)


def _decode(raw: msgspec.Raw) -> Any:  # noqa: ANN401 - whatever Wolkvox sent
    return msgspec.json.decode(raw)


def json_text(content: bytes | memoryview) -> bytes | memoryview | str:
    """The JSON text of a body, whatever Unicode encoding it came in, read once.

    UTF-8 (the common case) is handed to msgspec as it is, a UTF-8 BOM skipped without a
    copy; UTF-16 and UTF-32, with or without a BOM, are detected as `json.loads` does.
    """
    encoding = json.detect_encoding(bytes(content[:4]))
    if encoding == "utf-8":
        return content
    if encoding == "utf-8-sig":
        return memoryview(content)[3:]
    return str(content, encoding)


def _envelope_code(body: dict[str, Any] | None) -> int | None:
    if body is None or body.get("code") is None:
        return None
    try:
        return int(str(body["code"]).strip())
    except ValueError:
        return None


def _summary(response: requests.Response, body: dict[str, Any] | None) -> str:
    """The server's `error: msg` (or the start of its body) on one line."""
    if body is not None:
        parts = [_one_line(str(body[key])) for key in ("error", "msg") if body.get(key)]
        if any(parts):
            return ": ".join(part for part in parts if part)[:300]
    text = _one_line(_text(response))
    return (text[:120] + "…") if len(text) > 120 else (text or "empty body")  # noqa: PLR2004


def _one_line(text: str) -> str:
    """`text` with control characters (line breaks among them) as single spaces."""
    return " ".join("".join(c if c.isprintable() else " " for c in text).split())


def _retry_after(response: requests.Response) -> float | None:
    """The `Retry-After` hint in seconds, clamped to [0, 600]; None when it is not usable."""
    import email.utils  # noqa: PLC0415 - rarely needed, and slow to import at start-up

    value = response.headers.get("Retry-After", "").strip()
    try:
        seconds = float(value)
    except ValueError:
        try:
            parsed = email.utils.parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError):
            return None
        if parsed.tzinfo is None:  # an HTTP date is GMT
            parsed = parsed.replace(tzinfo=dt.timezone.utc)
        seconds = parsed.timestamp() - time.time()
    if math.isnan(seconds):
        return None
    return min(max(seconds, 0.0), _MAX_RETRY_AFTER)
