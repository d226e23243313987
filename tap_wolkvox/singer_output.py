"""Singer output: the SDK's msgspec writer, flushed at STATE messages instead of each message.

The SDK's writers write and flush every message: a system call per RECORD. This writer keeps
lines in a buffer of its own (so `PYTHONUNBUFFERED`, common in container images, does not
bring the system calls back) and writes them out in blocks of `BLOCK` bytes, at every STATE
message, at the end of every stream, and when the process exits. A target therefore still
sees every window's records before that window's STATE.
"""

from __future__ import annotations

import atexit
import contextlib
import sys
import weakref
from typing import TYPE_CHECKING

from singer_sdk.contrib.msgspec import MsgSpecWriter
from singer_sdk.singerlib import StateMessage

if TYPE_CHECKING:
    from singer_sdk.singerlib.encoding.base import GenericSingerWriter
    from singer_sdk.singerlib.encoding.simple import Message

BLOCK = 64 * 1024


class StateFlushedWriter(MsgSpecWriter):
    """The msgspec writer, flushing stdout at STATE messages and at the end only."""

    def __init__(self) -> None:
        """An empty buffer, flushed at exit at the latest."""
        super().__init__()
        self._pending = bytearray()
        #: Bytes of every message so far, of the STATE messages among them, and of the last.
        self.bytes_out = self.state_bytes = self.last_state = 0
        atexit.register(_flush_at_exit, weakref.ref(self))

    def state_fits(self, share: float, last: int) -> bool:
        """Whether one more STATE the size of the last keeps STATE within `share` of output.

        Room is kept for the stream's last STATE, which may take `last` bytes.
        """
        return self.state_bytes + self.last_state + last <= share * self.bytes_out

    def write_message(self, message: Message) -> None:
        """Buffer one message; write a full block out, and flush after a STATE."""
        line = self.format_message(message)
        self._pending += line
        self.bytes_out += len(line)
        if isinstance(message, StateMessage):
            self.state_bytes += len(line)
            self.last_state = len(line)
            self.flush()
        elif len(self._pending) >= BLOCK:
            sys.stdout.buffer.write(self._pending)
            self._pending.clear()

    def flush(self) -> None:
        """Write out and flush everything buffered."""
        if self._pending:
            sys.stdout.buffer.write(self._pending)
            self._pending.clear()
        sys.stdout.flush()


def _flush_at_exit(writer: weakref.ref[StateFlushedWriter]) -> None:
    """What a run that stopped on an error left in the buffer (stdout may be gone by then)."""
    alive = writer()
    if alive is not None:
        with contextlib.suppress(OSError, ValueError):
            alive.flush()


def state_fits(writer: GenericSingerWriter, share: float, last: int) -> bool:
    """Whether STATE now, and a last one of `last` bytes, stay within `share` of the output.

    True when the writer does not count its output.
    """
    return not isinstance(writer, StateFlushedWriter) or writer.state_fits(share, last)


def flush_output(writer: GenericSingerWriter) -> None:
    """Flush `writer` if it buffers (the end of a window or of a stream)."""
    if isinstance(writer, StateFlushedWriter):
        writer.flush()
