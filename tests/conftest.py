"""Shared fixtures: a fresh emulator on 127.0.0.1 for each test."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from tests.helpers import TOKEN
from wolkvox_emulator import Dataset, Emulator, EmulatorState

if TYPE_CHECKING:
    from collections.abc import Iterator


@pytest.fixture
def emulator() -> Iterator[Emulator]:
    """The Wolkvox emulator, accepting the tests' token."""
    server = Emulator(EmulatorState(dataset=Dataset(), tokens=frozenset({TOKEN}))).start()
    yield server
    server.stop()
