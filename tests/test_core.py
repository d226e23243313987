"""The SDK's standard tap tests, run against the Wolkvox emulator over HTTP."""

from __future__ import annotations

from typing import Any

from singer_sdk.testing import get_tap_test_class

from tap_wolkvox.tap import TapWolkvox
from tests.helpers import TOKEN, base_config
from wolkvox_emulator import Dataset, Emulator, EmulatorState

# The class is built at import, so its emulator lives for the whole session (daemon thread).
_EMULATOR = Emulator(
    EmulatorState(dataset=Dataset(), tokens=frozenset({TOKEN}), dedicated_server=True)
).start()

SAMPLE_CONFIG = base_config(
    _EMULATOR.url,
    start_date="2025-03-01",
    end_date="2025-03-08",
    campaign_ids=["101", "102"],
    whatsapp_connector_ids=["55"],
)


def _all_selected() -> dict[str, Any]:
    """The discovered catalog with every stream selected (only one is by default)."""
    catalog = TapWolkvox(config=SAMPLE_CONFIG).catalog_dict
    for stream in catalog["streams"]:
        for entry in stream["metadata"]:
            if not entry["breadcrumb"]:
                entry["metadata"]["selected"] = True
    return catalog


TestTapWolkvox = get_tap_test_class(
    tap_class=TapWolkvox, config=SAMPLE_CONFIG, catalog=_all_selected()
)
