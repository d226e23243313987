"""Print the README's report table; `--update README.md` rewrites it between its markers.

uv run python scripts/report_table.py
uv run python scripts/report_table.py --update README.md
"""

from __future__ import annotations

import argparse
from pathlib import Path

from tap_wolkvox.catalogue import REPORTS
from tap_wolkvox.catalogue.table import END, START, reports_table


def main() -> None:
    """Print the table, or splice it into a file between the reports markers."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--update", type=Path, help="a markdown file with the markers")
    args = parser.parse_args()
    table = reports_table(REPORTS)
    if args.update is None:
        print(table, end="")
        return
    text = args.update.read_text(encoding="utf-8")
    head, rest = text.split(START, 1)
    _, tail = rest.split(END, 1)
    args.update.write_text(f"{head}{START}\n{table}{END}{tail}", encoding="utf-8")


if __name__ == "__main__":
    main()
