"""The emulator on 127.0.0.1: a threaded HTTP server, served from a background thread."""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING

from wolkvox_emulator.handler import Handler, WolkvoxServer

if TYPE_CHECKING:
    from wolkvox_emulator.faults import Fault
    from wolkvox_emulator.state import EmulatorState


class Emulator:
    """The emulator on 127.0.0.1, served from a background thread."""

    def __init__(self, state: EmulatorState, host: str = "127.0.0.1", port: int = 0) -> None:
        """Bind now (port 0 picks a free port); serve after `start()`."""
        self.state = state
        self._server = WolkvoxServer((host, port), Handler)
        self._server.state = state
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    @property
    def url(self) -> str:
        """Base URL to give the tap as `api_url`."""
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    def start(self) -> Emulator:
        """Serve in the background."""
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving and release the port."""
        self._server.shutdown()
        self._server.server_close()

    def add_faults(self, *faults: Fault) -> None:
        """Queue faults for the next matching requests."""
        with self.state.lock:
            self.state.faults.extend(faults)
