"""The request half of every stream, on the SDK's `RESTStream` hooks.

`url_base`, the `wolkvox-token` authenticator, the user agent, `get_url_params`,
`validate_response` (Wolkvox's envelope and error table) and the backoff hooks are the SDK's
own. What the SDK cannot do is the project's own: the request is sent by the run's client
(`http.client`: 2 requests in flight across all streams, one kept-alive connection per slot,
a deadline on the whole answer, the call budget), and a window is the "page" a request
asks for: `ReportRequest` is the stream's page token.
"""

from __future__ import annotations

import sys
from functools import cached_property
from typing import TYPE_CHECKING, Any

import backoff
import requests
from singer_sdk import RESTStream
from singer_sdk.authenticators import APIKeyAuthenticator
from singer_sdk.exceptions import RetriableAPIError

from tap_wolkvox import __version__
from tap_wolkvox.exceptions import RetriableWolkvoxError, RetriesExhaustedError
from tap_wolkvox.http.answers import Answer, read_answer
from tap_wolkvox.http.retries import RetryPolicy, jitter

if TYPE_CHECKING:
    import threading
    from collections.abc import Callable, Generator

    from backoff.types import Details
    from singer_sdk.helpers.types import Context

    from tap_wolkvox.http.client import WolkvoxClient
    from tap_wolkvox.report_request import ReportRequest
    from tap_wolkvox.run_services import RunServices

#: What is retried: the SDK's list (`RESTStream.request_decorator`), Wolkvox's among them.
RETRIABLE_FAILURES = (
    ConnectionResetError,
    RetriableAPIError,
    requests.exceptions.Timeout,
    requests.exceptions.ConnectionError,
    requests.exceptions.ChunkedEncodingError,
    requests.exceptions.ContentDecodingError,
)
#: Where `validate_response` leaves the answer it read, on the response, for `answer_of`.
_ANSWER = "wolkvox_answer"


class WolkvoxStream(RESTStream["ReportRequest"]):
    """A stream whose requests are Wolkvox GETs: one per partition value and window."""

    _tap: RunServices  # type: ignore[assignment]  # the SDK types it as any Tap

    @property
    def client(self) -> WolkvoxClient:
        """The run's HTTP client."""
        return self._tap.client

    @property
    def url_base(self) -> str:
        """`api_url`, or `https://wv{server}.wolkvox.com`."""
        return self.client.base_url

    @cached_property
    def authenticator(self) -> APIKeyAuthenticator:
        """The token goes in the `wolkvox-token` header, and nowhere else."""
        return APIKeyAuthenticator(key="wolkvox-token", value=self.config["api_token"])

    @cached_property
    def user_agent(self) -> str:
        """`tap-wolkvox/<version>`."""
        return f"tap-wolkvox/{__version__}"

    @property
    def http_headers(self) -> dict[str, str]:
        """The user agent (the token is the authenticator's)."""
        return {"User-Agent": self.user_agent}

    def get_url_params(
        self,
        context: Context | None,  # noqa: ARG002 - the request names its partition value
        next_page_token: ReportRequest | None,
    ) -> dict[str, Any]:
        """`api`, fixed and partition parameters, and the window's dates."""
        return {} if next_page_token is None else next_page_token.params

    def prepare(self, request: ReportRequest) -> requests.PreparedRequest:
        """The authenticated GET for `request` (some carry a JSON body)."""
        prepared = requests.Request(
            "GET",
            self.url_base + request.path,
            params=self.get_url_params(request.context, request),
            headers=self.http_headers,
            json=request.body,
        ).prepare()
        return self.authenticator(prepared)

    def answer(self, request: ReportRequest, cancelled: threading.Event | None = None) -> Answer:
        """One successful answer, after retrying transient failures (or one clear error).

        Once `cancelled` is set, no further request or retry is sent.
        """
        try:
            response = self._send_with_retries(self.prepare(request), request, cancelled)
        except RETRIABLE_FAILURES as exc:
            reason = (
                str(exc)
                if isinstance(exc, RetriableWolkvoxError)
                else f"{type(exc).__name__}: {exc}"
            )
            raise RetriesExhaustedError(
                f"Gave up on {request.describe()} after retries; last failure: {reason:.400}"
            ) from None
        return answer_of(response)

    @cached_property
    def _send_with_retries(self) -> Callable[..., requests.Response]:
        """`_send` within the SDK's retries, decorated once (each call gets fresh waits)."""
        return self.request_decorator(self._send)

    def _send(
        self,
        prepared: requests.PreparedRequest,
        request: ReportRequest,
        cancelled: threading.Event | None,
    ) -> requests.Response:
        response = self.client.send(prepared, request.describe(), cancelled)
        self.validate_response(response, request)
        return response

    def validate_response(
        self, response: requests.Response, request: ReportRequest | None = None
    ) -> None:
        """Raise the error Wolkvox's answer means (`http.answers`), retriable or not.

        The answer is read once, here; `answer_of` hands its rows on.
        """
        if request is None:  # the SDK's own callers: a status check only
            super().validate_response(response)
            return
        answer = read_answer(response, request.params["api"], request.describe(), request.data_key)
        vars(response)[_ANSWER] = answer

    def request_decorator(self, func: Callable[..., Any]) -> Callable[..., Any]:
        """The SDK's retries, without backoff's own log lines (`backoff_handler` says one)."""
        decorated: Callable[..., Any] = backoff.on_exception(
            self.backoff_wait_generator,
            RETRIABLE_FAILURES,
            max_tries=self.backoff_max_tries,
            on_backoff=self.backoff_handler,
            jitter=self.backoff_jitter,
            logger=None,
        )(func)
        return decorated

    def backoff_wait_generator(self) -> Generator[float, Any, None]:
        """A fresh `RetryPolicy` per request: the retry budget is per window."""
        config = self.config
        return RetryPolicy(
            max_retries=config["max_retries"],
            base_wait=float(config["retry_wait_seconds"]),
            maintenance_max_wait=float(config["maintenance_max_wait_seconds"]),
            on_concurrency_limit=self.client.lower_concurrency,
        ).waits()

    def backoff_max_tries(self) -> int:
        """No count: the wait generator gives up, by failure kind (`max_retries`, maintenance)."""
        return sys.maxsize

    def backoff_jitter(self, value: float) -> float:
        """Up to 10 % more, never less (`http.retries.jitter`)."""
        return jitter(value)

    def backoff_handler(self, details: Details) -> None:
        """Count the retry and log it: what failed, for which request, how long the tap waits."""
        self.client.count_retry()
        failure = details.get("exception")
        request: ReportRequest = details["args"][1]
        what = (
            str(failure)
            if isinstance(failure, RetriableWolkvoxError)
            else f"{type(failure).__name__} ({failure!s:.200}) for {request.describe()}"
        )
        self.client.logger.warning(
            "Retry %d in %.1f s: %s", details["tries"], details.get("wait") or 0.0, what
        )


def answer_of(response: requests.Response) -> Answer:
    """The answer `validate_response` read from `response`."""
    answer: Answer = vars(response).pop(_ANSWER)
    return answer
