"""Print docs/more-endpoints.md's stream table; `--update docs/more-endpoints.md` rewrites it.

uv run python scripts/more_endpoints_table.py
uv run python scripts/more_endpoints_table.py --update docs/more-endpoints.md
"""

from __future__ import annotations

import argparse
from pathlib import Path

from tap_wolkvox.catalogue import MORE_NOT_STREAMS, MORE_REPORTS
from tap_wolkvox.catalogue.more_table import END, START, more_endpoints_table


def main() -> None:
    """Print the table, or splice it into a file between its markers."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--update", type=Path, help="a markdown file with the markers")
    args = parser.parse_args()
    table = more_endpoints_table(MORE_REPORTS, MORE_NOT_STREAMS)
    if args.update is None:
        print(table, end="")
        return
    text = args.update.read_text(encoding="utf-8")
    head, rest = text.split(START, 1)
    _, tail = rest.split(END, 1)
    args.update.write_text(f"{head}{START}\n{table}{END}{tail}", encoding="utf-8")


if __name__ == "__main__":
    main()
