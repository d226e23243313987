"""`wolkvox-emulator`: a local stand-in for Wolkvox's Reports Manager and other read APIs.

It keeps the documented limits: the `wolkvox-token` header, 2 simultaneous requests per
token, a daily call quota, 31 days per query, inclusive `date_end`, string values in the
envelope. Faults can be queued to exercise a client's error handling. Wording that the
public docs do not quote (range errors, maintenance) is this emulator's own.
"""

from __future__ import annotations

import argparse
import signal
import sys
import threading

from wolkvox_emulator.dataset import Dataset
from wolkvox_emulator.server import Emulator
from wolkvox_emulator.state import DEFAULT_TOKEN_LIMIT, ROW_CAP, EmulatorState

DEFAULT_TOKEN = "demo-token"  # noqa: S105 - the emulator's public demo token, not a secret


def main(argv: list[str] | None = None) -> None:
    """`wolkvox-emulator`: serve until interrupted."""
    parser = argparse.ArgumentParser(prog="wolkvox-emulator", description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8080, help="0 picks a free port")
    parser.add_argument(
        "--token", action="append", help=f"accepted token (default {DEFAULT_TOKEN})"
    )
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--campaigns", default="101,102,103", help="comma-separated campaign IDs")
    parser.add_argument("--timezone", default="America/Bogota", help="the operation's zone")
    parser.add_argument("--latency", type=float, default=0.0, help="seconds added to each answer")
    parser.add_argument("--quota", type=int, default=None, help="calls per token per day")
    parser.add_argument("--row-cap", type=int, default=ROW_CAP, help="records per call at most")
    parser.add_argument(
        "--token-limit",
        type=int,
        default=None,
        help=f"token_info's daily limit (default: --quota, else {DEFAULT_TOKEN_LIMIT})",
    )
    parser.add_argument(
        "--token-used", type=int, default=0, help="calls other integrations made today"
    )
    parser.add_argument("--agents", type=int, default=None, help="agents in the agents list")
    parser.add_argument(
        "--empty-data",
        choices=("404", "list", "null", "missing"),
        default="404",
        help="an empty window: HTTP 404 'Validate dates entered' as the live API (default), "
        "or the doc samples' data: [] / null / no data",
    )
    parser.add_argument(
        "--late-minutes",
        type=float,
        default=0.0,
        help="calls show up this many minutes after their stamp (recorded as they end)",
    )
    parser.add_argument(
        "--dedicated-server",
        action="store_true",
        help="answer real_time.php info_server, as a dedicated server does (else a 404)",
    )
    parser.add_argument("--port-file", help="write the bound port here once listening")
    args = parser.parse_args(argv)
    state = EmulatorState(
        dataset=Dataset(
            seed=args.seed, campaigns=tuple(args.campaigns.split(",")), timezone=args.timezone
        ),
        tokens=frozenset(args.token or [DEFAULT_TOKEN]),
        quota=args.quota,
        latency=args.latency,
        row_cap=args.row_cap,
        empty_data=args.empty_data,
        late_minutes=args.late_minutes,
        dedicated_server=args.dedicated_server,
        token_limit=args.token_limit,
        token_used=args.token_used,
        agent_count=args.agents,
    )
    emulator = Emulator(state, args.host, args.port)
    if args.port_file:
        with open(args.port_file, "w", encoding="utf-8") as handle:  # noqa: PTH123
            handle.write(emulator.url.rsplit(":", 1)[1])
    sys.stderr.write(f"wolkvox-emulator listening on {emulator.url}\n")
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    emulator.start()
    stop.wait()
    emulator.stop()


if __name__ == "__main__":
    main()
