"""Reading an answer's body within the request's time limit, however slowly it trickles in.

`requests` bounds each socket read, not the whole call: a server sending a byte every few
seconds could hold a request for ever. The body is read in pieces instead, each socket read
bounded by the time left, and failures are raised as the `requests` errors the retries know.

The body is read into a memory mapping of its own (`MappedBody`), not into the heap: a
60,000-row answer is about 32 MB, and once freed, heap memory of that size can stay with the
process (each fetch thread's malloc arena keeps its own), so a backfill of large windows
would grow from window to window. A mapping is given back to the system when it is freed.
"""

from __future__ import annotations

import mmap
import time
from typing import TYPE_CHECKING

import requests
from urllib3 import exceptions as urllib3_errors

if TYPE_CHECKING:
    import socket

_PIECE = 1 << 16
_MAX_PRESIZE = 1 << 30  # a Content-Length past this is not believed in advance


def read_within(response: requests.Response, deadline: float, limit: float) -> None:
    """Read the whole body of a `stream=True` response by `deadline` (monotonic), or raise.

    A body that is not complete in time raises `requests.exceptions.ReadTimeout`, a
    transient failure that is retried like any other timeout.
    """
    too_slow = f"the answer took longer than request_timeout_seconds ({limit:g} s)"
    body = MappedBody(_length(response))
    try:
        while piece := _next_piece(response, deadline, too_slow):
            body.add(piece)
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
    # what `response.content` would hold: a view of the body, read by msgspec without a copy
    response._content = body.view()  # type: ignore[assignment]  # noqa: SLF001
    response._content_consumed = True  # type: ignore[attr-defined]  # noqa: SLF001
    response.raw.release_conn()  # the kept-alive connection goes back to its pool


class MappedBody:
    """A body read piece by piece into one anonymous memory mapping, grown as needed.

    Pages are only taken as they are written, so the mapping starts at the announced length.
    """

    def __init__(self, expected: int) -> None:
        """An empty body, with room for `expected` bytes."""
        self._map = _mapping(max(expected, mmap.PAGESIZE))
        self._size = 0

    def add(self, piece: bytes) -> None:
        """Append `piece`."""
        end = self._size + len(piece)
        if end > len(self._map):
            self._grow(max(end, 2 * len(self._map)))
        self._map[self._size : end] = piece
        self._size = end

    def view(self) -> memoryview:
        """The body: a view that keeps the mapping alive as long as it (or a part) is used."""
        return memoryview(self._map)[: self._size]

    def _grow(self, size: int) -> None:
        try:
            self._map.resize(size)  # Linux moves the pages (mremap): nothing is copied
        except (OSError, SystemError):  # no mremap (macOS, the BSDs): copy to a larger one
            larger = _mapping(size)
            with memoryview(self._map) as old:
                larger[: self._size] = old[: self._size]
            self._map.close()
            self._map = larger


def _mapping(size: int) -> mmap.mmap:
    """Anonymous memory of `size` bytes.

    Private on Unix: a shared anonymous mapping that grows faults (SIGBUS) past its first size.
    """
    if hasattr(mmap, "MAP_PRIVATE"):
        return mmap.mmap(-1, size, flags=mmap.MAP_PRIVATE)
    return mmap.mmap(-1, size)  # Windows


def _length(response: requests.Response) -> int:
    """The body's announced length (Content-Length, when not compressed), or 0."""
    headers = response.headers
    if headers.get("Content-Encoding", "identity").strip().lower() not in {"", "identity"}:
        return 0
    try:
        return max(0, min(int(headers.get("Content-Length", "")), _MAX_PRESIZE))
    except ValueError:
        return 0


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
