"""`--about` as text: the SDK's listing, with each setting's description and default."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from singer_sdk.about import AboutFormatter

if TYPE_CHECKING:
    from singer_sdk.about import AboutInfo


def print_about(info: AboutInfo, output_format: str | None) -> None:
    """Print `info` as the SDK does; in text, every setting also says what it is for."""
    formatter = AboutFormatter.get_formatter(output_format or "text")
    text = formatter.format_about(info)
    if (output_format or "text") == "text":
        text = text.split("\nSettings:\n", 1)[0] + "\nSettings:\n" + settings_text(info)
    print(text)  # noqa: T201 - the CLI's output


def settings_text(info: AboutInfo) -> str:
    """One block per setting: name, type, environment variable, default, description."""
    lines = []
    for name, schema in info.settings.get("properties", {}).items():
        lines += [
            f"  - Name: {name}",
            f"    Type: {schema.get('type')}",
            f"    Environment Variable: {info.env_var_prefix}{name.upper().replace('-', '_')}",
        ]
        if "default" in schema:
            lines.append(f"    Default: {json.dumps(schema['default'])}")
        if schema.get("description"):
            lines.append(f"    Description: {schema['description']}")
    return "\n".join(lines) + "\n"
