"""Write the generated parts of docs/: the stream tables and the settings table.

Each lies between its markers in its file, and comes from the code: the stream tables of
docs/streams.md and docs/more-endpoints.md from the declarations (`tap_wolkvox/catalogue/`),
the settings table from `CONFIG_SCHEMA`.
Run it after adding a report or a setting: `scripts/uv run python scripts/docs.py`.
`--check` writes nothing and fails, naming the file, if a generated part is out of date.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tap_wolkvox.catalogue import MORE_NOT_STREAMS, MORE_REPORTS, REPORTS, more_table
from tap_wolkvox.catalogue.table import END, START, reports_table
from tap_wolkvox.settings import CONFIG_SCHEMA

if TYPE_CHECKING:
    from collections.abc import Callable

ROOT = Path(__file__).resolve().parent.parent
SETTINGS_START = "<!-- settings:start -->"
SETTINGS_END = "<!-- settings:end -->"


def streams_part() -> str:
    """How many streams there are, then one row per report."""
    dated = sum(r.dated for r in REPORTS)
    return (
        f"{len(REPORTS)} streams: {dated} dated reports and {len(REPORTS) - dated} lists. "
        f"The {len(MORE_REPORTS)} streams "
        "of Wolkvox's other read APIs (customer, gamification, speech, campaign records, "
        "quality, WhatsApp, billing, real time) are in [more-endpoints.md](more-endpoints.md)."
        "\n\n" + reports_table(REPORTS)
    )


def more_endpoints_part() -> str:
    """One row per stream of the read API beyond the Reports Manager."""
    return more_table.more_endpoints_table(MORE_REPORTS, MORE_NOT_STREAMS)


def settings_part(schema: dict[str, Any] = CONFIG_SCHEMA) -> str:
    """One row per setting: name, required, default, environment variable, description."""
    required = set(schema.get("required", []))
    lines = [
        "| setting | required | default | environment variable | description |",
        "|---|---|---|---|---|",
    ]
    for name, prop in schema["properties"].items():
        default = f"`{json.dumps(prop['default'])}`" if "default" in prop else "-"
        description = prop.get("description", "").replace("|", "\\|")
        lines.append(
            f"| `{name}` | {'yes' if name in required else 'no'} | {default} | "
            f"`TAP_WOLKVOX_{name.upper()}` | {description} |"
        )
    return "\n".join(lines) + "\n"


PARTS: dict[str, tuple[str, str, Callable[[], str]]] = {
    "docs/streams.md": (START, END, streams_part),
    "docs/settings.md": (SETTINGS_START, SETTINGS_END, settings_part),
    "docs/more-endpoints.md": (more_table.START, more_table.END, more_endpoints_part),
}


def spliced(text: str, start: str, end: str, part: str) -> str:
    """`text` with what lies between `start` and `end` replaced by `part`."""
    head, rest = text.split(start, 1)
    _, tail = rest.split(end, 1)
    return f"{head}{start}\n{part}{end}{tail}"


def main() -> None:
    """Rewrite the generated parts, or with --check fail if one is stale."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="compare instead of writing")
    check = parser.parse_args().check
    stale = []
    for name, (start, end, make) in PARTS.items():
        path = ROOT / name
        text = path.read_text(encoding="utf-8")
        new = spliced(text, start, end, make())
        if new == text:
            continue
        if check:
            stale.append(name)
        else:
            path.write_text(new, encoding="utf-8")
    if stale:
        sys.exit(f"out of date: {', '.join(stale)}; run `scripts/uv run python scripts/docs.py`")


if __name__ == "__main__":
    main()
