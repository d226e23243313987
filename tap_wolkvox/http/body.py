"""Reading an answer's body within the request's time limit, however slowly it trickles in.

`requests` bounds each socket read, not the whole call: a server sending a byte every few
seconds could hold a request for ever. The body is read in pieces instead, each socket read
bounded by the time left, and failures are raised as the `requests` errors the retries know.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

import requests
from urllib3 import exceptions as urllib3_errors

if TYPE_CHECKING:
    import socket

_PIECE = 1 << 16


def read_within(response: requests.Response, deadline: float, limit: float) -> None:
    """Read the whole body of a `stream=True` response by `deadline` (monotonic), or raise.

    A body that is not complete in time raises `requests.exceptions.ReadTimeout`, a
    transient failure that is retried like any other timeout.
    """
    too_slow = f"the answer took longer than request_timeout_seconds ({limit:g} s)"
    pieces = []
    try:
        while piece := _next_piece(response, deadline, too_slow):
            pieces.append(piece)
    except (TimeoutError, urllib3_errors.ReadTimeoutError) as exc:
        response.close()
        raise requests.exceptions.ReadTimeout(too_slow) from exc
    except urllib3_errors.DecodeError as exc:
        response.close()
        raise requests.exceptions.ContentDecodingError(exc) from exc
    except (urllib3_errors.ProtocolError, urllib3_errors.SSLError, OSError) as exc:
        response.close()
        raise requests.exceptions.ChunkedEncodingError(exc) from exc
    except requests.exceptions.ReadTimeout:
        response.close()
        raise
    response._content = b"".join(pieces)  # noqa: SLF001 - what `response.content` would hold
    response._content_consumed = True  # type: ignore[attr-defined]  # noqa: SLF001
    response.raw.release_conn()  # the kept-alive connection goes back to its pool


def _next_piece(response: requests.Response, deadline: float, too_slow: str) -> bytes:
    left = deadline - time.monotonic()
    if left <= 0:
        raise requests.exceptions.ReadTimeout(too_slow)
    sock = _socket(response)
    if sock is not None:
        sock.settimeout(left)
    return bytes(response.raw.read1(_PIECE, decode_content=True))


def _socket(response: requests.Response) -> socket.socket | None:
    """The connection's socket while the body is being read (None once released)."""
    connection = getattr(response.raw, "connection", None)
    return getattr(connection, "sock", None)
