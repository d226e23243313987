"""docs/more-endpoints.md's stream table (`scripts/more_endpoints_table.py` prints it)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from tap_wolkvox.catalogue.schema import record_key

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping

    from tap_wolkvox.catalogue.report import Report

START = "<!-- more-endpoints:start -->"
END = "<!-- more-endpoints:end -->"


def more_endpoints_table(
    reports: Iterable[Report], not_streams: Mapping[tuple[str, str], str]
) -> str:
    """Markdown: one row per stream (endpoint, api, how it is read, key), then the others."""
    lines = [
        "| endpoint | api | stream | read as | asked per | key |",
        "|---|---|---|---|---|---|",
    ]
    for report in reports:
        kind = report.partition_kind
        per = "-" if kind is None else f"`{kind.param}`" + (" (JSON body)" if kind.in_body else "")
        api = f"`{report.api}`"
        if kind is not None and kind.param == "api":  # billing: one api per product
            per = f"product ({len(kind.values)})"
            api = f"`{kind.values[0]}` … `{kind.values[-1]}`"
        lines.append(
            f"| `{report.endpoint.rsplit('/', 1)[-1]}` | {api} | `{report.stream}` | "
            f"{_read_as(report)} | {per} | {', '.join(record_key(report))} |"
        )
    lines += ["", "| endpoint | api | not a stream because it |", "|---|---|---|"]
    lines += [
        f"| `{path.rsplit('/', 1)[-1]}` | `{api}` | {why} |"
        for (path, api), why in not_streams.items()
    ]
    return "\n".join(lines) + "\n"


def _read_as(report: Report) -> str:
    if report.dated:
        return "dated windows"
    if report.snapshot:
        return "snapshot" + (", optional" if report.optional else "")
    return "whole list"
