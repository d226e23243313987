"""A local stand-in for Wolkvox's HTTP APIs, for the demo, tests and benchmarks.

It reads the tap's report declarations (`tap_wolkvox.catalogue`); the tap never imports it.
What a test or benchmark needs is here: `Emulator(EmulatorState(dataset=Dataset(), tokens=...))`
serves on 127.0.0.1, and `Fault`s queue misbehaviours. The command is `wolkvox-emulator`.
"""

from wolkvox_emulator.dataset import Dataset
from wolkvox_emulator.faults import Fault
from wolkvox_emulator.server import Emulator
from wolkvox_emulator.state import EmulatorState

__all__ = ["Dataset", "Emulator", "EmulatorState", "Fault"]
