"""The report table of docs/streams.md (`scripts/docs.py` writes it)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from tap_wolkvox.catalogue.schema import record_key
from tap_wolkvox.windows import MAX_WINDOW_DAYS

if TYPE_CHECKING:
    from collections.abc import Iterable

    from tap_wolkvox.catalogue.report import Report

START = "<!-- reports:start -->"
END = "<!-- reports:end -->"
_AT_CAP = {"concat": "halves joined", "sum": "halves summed", "refuse": "stops"}


def reports_table(reports: Iterable[Report]) -> str:
    """Markdown: one row per report, api -> stream, and how it is read."""
    lines = [
        "| api | stream | asked per | key | at the 60,000-row cap | notes |",
        "|---|---|---|---|---|---|",
    ]
    for report in reports:
        kind = report.partition_kind
        per = f"`{kind.param}`" if kind is not None else "-"
        key = ", ".join(record_key(report)) or "-"
        lines.append(
            f"| `{report.api}` | `{report.stream}` | {per} | {key} | "
            f"{_AT_CAP[report.split] if report.dated else '-'} | {_notes(report)} |"
        )
    return "\n".join(lines) + "\n"


def _notes(report: Report) -> str:
    notes = []
    if report.selected_by_default:
        notes.append("selected by default")
    if not report.dated:
        notes.append("list, no dates")
    if report.max_window_days != MAX_WINDOW_DAYS:
        notes.append(f"{report.max_window_days} day per query")
    if report.max_rows is not None:
        notes.append(f"shorter ranges above {report.max_rows:,} rows")
    if report.shape != "rows":
        notes.append(f"{report.shape} rows")
    notes += [f"{name}={value}" for name, value in report.params]
    return "; ".join(notes)
