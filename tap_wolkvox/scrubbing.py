"""The one scrubbing path: the API token never reaches a message, whatever carries it.

`keep_secret(token)` records the token (of any type: a number given as `api_token` is
still the token) as soon as the settings are read. `scrub(text)` replaces it in any text:
setting errors, data errors that quote a value, HTTP errors that quote a body, warnings.
`ScrubFilter`, on the log handlers, passes every log line (its arguments and traceback
included) through `scrub`.
"""

from __future__ import annotations

import logging
from typing import Any

MASK = "***"
_SECRETS: set[str] = set()


def keep_secret(value: Any) -> None:  # noqa: ANN401 - a token may arrive as any JSON value
    """Scrub `value` (as text, and stripped) from every message from now on."""
    if value is None:
        return
    if isinstance(value, (dict, list)):  # the settings error may quote the whole value
        for item in value.values() if isinstance(value, dict) else value:
            keep_secret(item)
    for text in (str(value), str(value).strip()):
        if text.strip():
            _SECRETS.add(text)


def scrub(text: str) -> str:
    """`text` with every kept secret replaced by `***` (longest first)."""
    for secret in sorted(_SECRETS, key=len, reverse=True):
        if secret in text:
            text = text.replace(secret, MASK)
    return text


class ScrubFilter(logging.Filter):
    """Scrubs a log record's message, arguments and traceback before any handler writes it."""

    def filter(self, record: logging.LogRecord) -> bool:
        """Always let the record through, scrubbed."""
        if not _SECRETS:
            return True
        message = record.getMessage()
        clean = scrub(message)
        if clean != message:
            record.msg, record.args = clean, None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = scrub(record.exc_text)
        if record.stack_info:
            record.stack_info = scrub(record.stack_info)
        return True


def scrub_log_handlers() -> None:
    """Put a `ScrubFilter` on every handler of the root logger (where all log lines go)."""
    for handler in logging.getLogger().handlers:
        if not any(isinstance(f, ScrubFilter) for f in handler.filters):
            handler.addFilter(ScrubFilter())
