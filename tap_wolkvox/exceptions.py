"""The tap's exceptions: what stops a run (with the one line the user sees), and what is retried."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from singer_sdk.exceptions import FatalAPIError, RetriableAPIError

from tap_wolkvox.scrubbing import scrub

if TYPE_CHECKING:
    import requests


class WolkvoxFatalError(FatalAPIError):
    """A failure that retrying cannot fix; its message is the one line shown to the user."""

    def __init__(self, message: str, *args: Any) -> None:  # noqa: ANN401
        """The message, scrubbed of the token (it may quote what the server sent)."""
        super().__init__(scrub(message), *args)


class AuthError(WolkvoxFatalError):
    """Wolkvox rejected or did not receive the token."""


class QuotaExceededError(WolkvoxFatalError):
    """The token's daily call allowance is used up."""


class BudgetSpentError(WolkvoxFatalError):
    """This run's call budget is spent: a clean stop (exit 0), the next run continues."""


class RequestRejectedError(WolkvoxFatalError):
    """Wolkvox rejected the request itself (HTTP 400 and other client errors)."""


class IpNotAllowedError(WolkvoxFatalError):
    """Wolkvox refused the machine's IP address: it is not on the operation's allow-list."""


class HostNotFoundError(WolkvoxFatalError):
    """The server's host name does not resolve: a wrong `server` (or `api_url`) setting."""


class NotOnServerError(RequestRejectedError):
    """HTTP 404 other than an empty window: this server lacks the api (or the feature)."""


class DataError(WolkvoxFatalError):
    """The answer was well-formed JSON but its rows do not fit the report's documented shape."""


class SettingsChangedError(WolkvoxFatalError):
    """The state cannot be resumed with today's settings (or clock)."""


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
        super().__init__(scrub(message), response)
        self.kind = kind
        self.retry_after = retry_after
