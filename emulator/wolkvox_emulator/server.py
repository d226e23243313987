"""An HTTP server that answers like Wolkvox's Reports Manager and campaigns list.

It keeps the documented limits: the `wolkvox-token` header, 2 simultaneous requests per
token, a daily call quota, 31 days per query, inclusive `date_end`, string values in the
envelope. Faults can be queued to exercise a client's error handling. Wording that the
public docs do not quote (range errors, maintenance) is this emulator's own.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import signal
import socket
import struct
import sys
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs, urlsplit
from zoneinfo import ZoneInfo

from wolkvox_emulator.answers import answer_rows, request_problem
from wolkvox_emulator.dataset import Dataset
from wolkvox_emulator.more_endpoints import MORE_PATHS, more_answer

if TYPE_CHECKING:
    from collections.abc import Callable

REPORTS_PATH = "/api/v2/reports_manager.php"
INFORMATION_PATH = "/api/v2/information.php"
ROW_CAP = 60_000  # records Wolkvox returns per call at most
DEFAULT_TOKEN_LIMIT = 100_000  # token_info's limit when no --quota or --token-limit is given
SIMULTANEOUS_LIMIT = 2
DEFAULT_TOKEN = "demo-token"  # noqa: S105 - the emulator's public demo token, not a secret

_ERRORS = {
    "missing_token": (401, "UNAUTHORIZED", "PLEASE ENTER THE WOLKVOX-TOKEN"),
    "invalid_token": (403, "FORBIDDEN", "PLEASE VALIDATE TOKEN"),
    "quota": (403, "FORBIDDEN", "TOKEN LIMIT EXCEEDED"),
    "concurrency": (
        403,
        "FORBIDDEN",
        f"EXCEEDS THE LIMIT OF SIMULTANEOUS REQUESTS PER TOKEN ({SIMULTANEOUS_LIMIT})",
    ),
    "maintenance": (403, "FORBIDDEN", "SERVER UNDER MAINTENANCE, PLEASE TRY AGAIN LATER"),
    "ip_refused": (403, "FORBIDDEN", "YOUR IP IS NOT AUTHORIZED"),
    "missing_params": (400, "BAD REQUEST", "SOME PARAMETERS ARE REQUIRED"),
    "unknown_api": (400, "BAD REQUEST", "THE API YOU WANT TO CONSULT DOES NOT EXIST"),
    "bad_date": (400, "BAD REQUEST", "INVALID DATE FORMAT, USE YYYYmmddHHiiss"),
    "range": (400, "BAD REQUEST", "THE MAXIMUM RANGE OF DAYS TO CONSULT IS 31"),
    "empty_window": (404, "NOT FOUND", "Validate dates entered"),
    "not_dedicated": (404, "NOT FOUND", "THIS SERVER IS NOT DEDICATED"),
    "rate_limit": (429, "TOO MANY REQUESTS", "TOO MANY REQUESTS"),
    "server_error": (500, "INTERNAL SERVER ERROR", "INTERNAL SERVER ERROR"),
    "bad_gateway": (502, "BAD GATEWAY", "BAD GATEWAY"),
    "unavailable": (503, "SERVICE UNAVAILABLE", "SERVICE UNAVAILABLE"),
}
FAULT_KINDS = (*_ERRORS, "html", "truncated", "reset", "timeout", "redirect", "body", "trickle")


@dataclass
class Fault:
    """A queued misbehaviour: the next `times` matching requests get `kind`.

    `match` maps a query parameter to a substring its value must contain. `kind` is one of
    `FAULT_KINDS`; `body`, `status` and `encoding` (e.g. `utf-8-sig` for a BOM, `utf-16`)
    serve `kind="body"`, `delay` serves `timeout` (the
    wait) and `trickle` (the wait between bytes of a valid answer), `retry_after` adds that
    header as given.
    """

    kind: str
    times: int = 1
    match: dict[str, str] = field(default_factory=dict)
    status: int = 200
    body: str = ""
    encoding: str = "utf-8"
    delay: float = 2.0
    retry_after: float | str | None = None

    def __post_init__(self) -> None:
        """Refuse a kind the emulator cannot serve."""
        if self.kind not in FAULT_KINDS:
            raise ValueError(f"unknown fault kind {self.kind!r}; one of {', '.join(FAULT_KINDS)}")

    def matches(self, params: dict[str, str]) -> bool:
        """Whether this fault applies to a request with these parameters."""
        return all(part in params.get(key, "") for key, part in self.match.items())


@dataclass
class EmulatorState:
    """What the emulator is set to do, and what it has seen."""

    dataset: Dataset
    tokens: frozenset[str]
    quota: int | None = None
    latency: float = 0.0
    latency_of: Callable[[dict[str, str]], float] | None = None  # per query; replaces `latency`
    code_as_int: bool = False
    # An empty window: "404" is what the live API answers (HTTP 404 "Validate dates
    # entered", docs/wolkvox-api.md §3); "list", "null" and "missing" are the doc samples'
    # `data` forms.
    empty_data: str = "404"
    # Wolkvox records a call when it ends: a call shows up this many minutes after its stamp.
    late_minutes: float = 0.0
    # The operation's wall-clock "now" for late calls (None: the real clock).
    now: dt.datetime | None = None
    # Values that replace the campaigns list's own, per campaign (e.g. a campaign stopped).
    campaign_changes: dict[str, dict[str, str]] = field(default_factory=dict)
    percent_field: str = "percent"  # a public client reads campaign_1's field as "porcent"
    row_cap: int = ROW_CAP
    # token_info's answer: the day's limit (None: `quota`, else DEFAULT_TOKEN_LIMIT), and the
    # calls other integrations made today before this emulator's own count.
    token_limit: int | None = None
    token_used: int = 0
    # The agents list: this many agents (1001, 1002, ...) instead of the event model's five.
    agent_count: int | None = None
    faults: list[Fault] = field(default_factory=list)
    calls: list[dict[str, Any]] = field(default_factory=list)
    in_flight: dict[str, int] = field(default_factory=dict)
    peak_in_flight: int = 0
    connections: int = 0  # TCP connections accepted
    usage: dict[tuple[str, dt.date], int] = field(default_factory=dict)
    # real_time info_server answers on dedicated servers only (else a 404)
    dedicated_server: bool = False
    snapshot_calls: dict[tuple[str, str], int] = field(default_factory=dict)  # per (path, api)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def recorded_by(self) -> dt.datetime | None:
        """Calls stamped after this wall-clock time are not recorded yet (None: all are)."""
        if not self.late_minutes:
            return None
        now = self.now or dt.datetime.now(ZoneInfo(self.dataset.timezone)).replace(tzinfo=None)
        return now - dt.timedelta(minutes=self.late_minutes)

    def stats(self) -> dict[str, Any]:
        """Calls seen (with their answers), the peak of simultaneous requests, connections."""
        with self.lock:
            return {
                "calls": list(self.calls),
                "peak_in_flight": self.peak_in_flight,
                "connections": self.connections,
            }

    def reset(self) -> None:
        """Forget calls, faults, quota use, the concurrency peak and the connection count."""
        with self.lock:
            self.faults.clear()
            self.calls.clear()
            self.usage.clear()
            self.snapshot_calls.clear()
            self.peak_in_flight = 0
            self.connections = 0

    def request_latency(self, params: dict[str, str]) -> float:
        """The seconds this request waits before its answer: `latency_of(params)` or `latency`."""
        return self.latency if self.latency_of is None else self.latency_of(params)

    def take_fault(self, params: dict[str, str]) -> Fault | None:
        """The first queued fault matching this request, consumed once."""
        with self.lock:
            for fault in self.faults:
                if fault.times > 0 and fault.matches(params):
                    fault.times -= 1
                    return fault
        return None


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # headers and body go in separate writes: no 40 ms stalls
    server: _Server
    _started = 0.0
    _latency = 0.0
    _counted_token: str | None = None  # whose in-flight count this request holds

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002, ANN401
        """Quiet: the emulator's record of calls is `stats()`."""

    def setup(self) -> None:
        """Count each TCP connection accepted."""
        super().setup()
        with self.server.state.lock:
            self.server.state.connections += 1

    def do_GET(self) -> None:
        """Serve a report, or the emulator's own stats."""
        url = urlsplit(self.path)
        if url.path == "/_emulator/stats":
            self._send_json(200, self.server.state.stats())
            return
        if url.path not in {REPORTS_PATH, INFORMATION_PATH} | MORE_PATHS:
            self._send_json(404, {"code": 404, "error": "NOT FOUND", "msg": "NOT FOUND"})
            return
        params = {k: v[-1] for k, v in parse_qs(url.query, keep_blank_values=True).items()}
        params.update(self._json_body())  # a GET with a JSON body (whatsapp list_templates)
        self._started = time.monotonic()
        if url.path in MORE_PATHS:
            self._serve(params, lambda query: self._answer_more(url.path, query))
        else:
            self._serve(params, lambda query: self._answer(url.path, query))

    def _json_body(self) -> dict[str, str]:
        """The keys of a JSON object sent with the request, as strings."""
        length = int(self.headers.get("Content-Length") or 0)
        if not length:
            return {}
        try:
            body = json.loads(self.rfile.read(length))
        except ValueError:
            return {}
        return {str(k): str(v) for k, v in body.items()} if isinstance(body, dict) else {}

    def _answer_more(self, path: str, params: dict[str, str]) -> None:
        """customer, gamification, speech, campaign, quality, whatsapp, billing, real time."""
        state = self.server.state
        with state.lock:
            key = (path, params.get("api", ""))
            state.snapshot_calls[key] = serial = state.snapshot_calls.get(key, 0) + 1
        problem, body = more_answer(
            state.dataset,
            path,
            params,
            serial,
            dedicated=state.dedicated_server,
            code_as_int=state.code_as_int,
        )
        if problem is not None:
            self._answer_error(problem, params)
            return
        self._record(params, 200, "")
        self._send_json(200, body)

    def do_POST(self) -> None:
        """`/_emulator/faults` queues faults (a JSON list); `/_emulator/reset` clears all."""
        state = self.server.state
        length = int(self.headers.get("Content-Length") or 0)
        payload = json.loads(self.rfile.read(length) or b"null")
        if self.path == "/_emulator/faults":
            with state.lock:
                state.faults.extend(Fault(**item) for item in payload)
            self._send_json(200, {"queued": len(payload)})
        elif self.path == "/_emulator/reset":
            state.reset()
            self._send_json(200, {"reset": True})
        else:
            self._send_json(404, {"msg": "NOT FOUND"})

    def _serve(self, params: dict[str, str], answer: Callable[[dict[str, str]], None]) -> None:
        state = self.server.state
        token = self.headers.get("wolkvox-token")
        if not token:
            self._answer_error("missing_token", params)
            return
        if token not in state.tokens:
            self._answer_error("invalid_token", params)
            return
        with state.lock:
            state.in_flight[token] = in_flight = state.in_flight.get(token, 0) + 1
            state.peak_in_flight = max(state.peak_in_flight, in_flight)
        self._counted_token = token
        try:
            if in_flight > SIMULTANEOUS_LIMIT:
                self._answer_error("concurrency", params)
                return
            if self._over_quota(token):
                self._answer_error("quota", params)
                return
            fault = state.take_fault(params)
            self._latency = state.request_latency(params)
            time.sleep(self._latency)
            if fault is not None and fault.kind == "timeout":
                self._release()  # a request left to time out no longer counts as in flight
                self._record(params, 0, "timeout")
                time.sleep(fault.delay)
                self._drop_connection()
            elif fault is not None:
                self._serve_fault(fault, params)
            else:
                answer(params)
        finally:
            self._release()

    def _release(self) -> None:
        """The request stops counting as in flight once its answer is ready to send."""
        if self._counted_token is not None:
            with self.server.state.lock:
                self.server.state.in_flight[self._counted_token] -= 1
            self._counted_token = None

    def _over_quota(self, token: str) -> bool:
        state = self.server.state
        key = (token, dt.datetime.now().date())  # noqa: DTZ005 - the server's own day
        with state.lock:
            state.usage[key] = state.usage.get(key, 0) + 1
            return state.quota is not None and state.usage[key] > state.quota

    def _answer(self, path: str, params: dict[str, str]) -> None:
        """Any declared report or list, from the catalogue's declarations and the dataset."""
        state = self.server.state
        problem = request_problem(path, params)
        if problem is not None:
            self._answer_error(problem, params)
            return
        data = answer_rows(
            state.dataset,
            params["api"],
            params,
            percent_field=state.percent_field,
            recorded_by=state.recorded_by(),
        )
        if params["api"] == "token_info":
            data = [self._token_info()]
        if params["api"] == "agents" and state.agent_count is not None:
            data = _many_agents(state.agent_count)
        if params["api"] == "campaigns" and isinstance(data, list):
            data = [{**row, **state.campaign_changes.get(row["campaign_id"], {})} for row in data]
        if not data and path == REPORTS_PATH and state.empty_data == "404":
            self._answer_error("empty_window", params)
            return
        self._answer_rows(params, data[: state.row_cap] if isinstance(data, list) else data)

    def _token_info(self) -> dict[str, str]:
        """The token's limit and today's use (this call included), as strings."""
        state = self.server.state
        limit = state.token_limit or state.quota or DEFAULT_TOKEN_LIMIT
        token = self.headers.get("wolkvox-token", "")
        with state.lock:
            used = state.token_used + state.usage.get((token, dt.datetime.now().date()), 0)  # noqa: DTZ005
        return {
            "description": "API token",
            "token_limit": str(limit),
            "token_use_today": str(used),
            "all_token_today": str(used),
            "available_consumption_options": str(max(0, limit - used)),
        }

    def _answer_rows(
        self, params: dict[str, str], rows: list[dict[str, Any]] | dict[str, Any]
    ) -> None:
        state = self.server.state
        body: dict[str, Any] = {
            "code": 200 if state.code_as_int else "200",
            "error": None,
            "msg": f"{len(rows)} records were found",
        }
        if rows or state.empty_data == "list":
            body["data"] = rows
        elif state.empty_data == "null":
            body["data"] = None
        self._record(params, 200, "")
        self._send_json(200, body)

    def _answer_error(
        self, name: str, params: dict[str, str], retry_after: float | str | None = None
    ) -> None:
        status, label, message = _ERRORS[name]
        code: int | str = status if self.server.state.code_as_int else str(status)
        self._record(params, status, name)
        headers = {} if retry_after is None else {"Retry-After": _header(retry_after)}
        self._send_json(status, {"code": code, "error": label, "msg": message}, headers)

    def _serve_fault(self, fault: Fault, params: dict[str, str]) -> None:
        if fault.kind in _ERRORS:
            self._answer_error(fault.kind, params, fault.retry_after)
            return
        self._record(params, fault.status if fault.kind == "body" else 200, fault.kind)
        if fault.kind == "html":
            self._send_raw(200, b"<html><body><h1>502 Bad Gateway</h1></body></html>", "text/html")
        elif fault.kind == "truncated":
            self._send_raw(
                200,
                b'{"code":"200","error":null,"msg":"2 records were found",'
                b'"data":[{"machinecode":"bu',
            )
        elif fault.kind == "redirect":
            self._send_raw(302, b"", headers={"Location": "http://collector.invalid/steal"})
        elif fault.kind == "body":
            self._send_raw(fault.status, fault.body.encode(fault.encoding))
        elif fault.kind == "trickle":
            self._trickle(json.dumps({"code": "200", "error": None, "data": []}).encode(), fault)
        else:  # reset
            self._release()
            self._drop_connection()

    def _trickle(self, payload: bytes, fault: Fault) -> None:
        """A valid answer sent one byte at a time, `fault.delay` seconds apart."""
        self._release()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        for byte in payload:
            self.wfile.write(bytes([byte]))
            self.wfile.flush()
            time.sleep(fault.delay)

    def _record(self, params: dict[str, str], status: int, fault: str) -> None:
        with self.server.state.lock:
            self.server.state.calls.append(
                {
                    **params,
                    "status": status,
                    "fault": fault,
                    "user_agent": self.headers.get("User-Agent", ""),
                    "started": self._started,
                    "latency": self._latency,
                    "finished": time.monotonic(),
                }
            )

    def _drop_connection(self) -> None:
        """Close with a TCP reset, as a proxy dropping the call would."""
        self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        self.close_connection = True
        self.connection.close()

    def _send_json(self, status: int, body: Any, headers: dict[str, str] | None = None) -> None:  # noqa: ANN401
        self._send_raw(status, json.dumps(body).encode(), headers=headers)

    def _send_raw(
        self,
        status: int,
        payload: bytes,
        content_type: str = "application/json",
        headers: dict[str, str] | None = None,
    ) -> None:
        self._release()
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(payload)))
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        self.end_headers()
        self.wfile.write(payload)


def _many_agents(count: int) -> list[dict[str, Any]]:
    """An agents list of `count` agents, all values strings as Wolkvox sends them."""
    return [
        {
            "agent_id": str(1001 + n),
            "agent_name": f"AGENT {1001 + n}",
            "agent_dni": str(52_000_000 + n),
            "agent_status": "Active",
            "last_use": "2025-01-01 08:00:00",
            "agent_sso": None,
            "enabled": "yes",
        }
        for n in range(count)
    ]


def _header(value: float | str) -> str:
    return value if isinstance(value, str) else f"{value:g}"


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    state: EmulatorState

    def handle_error(self, request: Any, client_address: Any) -> None:  # noqa: ANN401
        """A client hanging up on a kept-alive connection is normal, not worth a traceback."""
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


class Emulator:
    """The emulator on 127.0.0.1, served from a background thread."""

    def __init__(self, state: EmulatorState, host: str = "127.0.0.1", port: int = 0) -> None:
        """Bind now (port 0 picks a free port); serve after `start()`."""
        self.state = state
        self._server = _Server((host, port), _Handler)
        self._server.state = state
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    @property
    def url(self) -> str:
        """Base URL to give the tap as `api_url`."""
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    def start(self) -> Emulator:
        """Serve in the background."""
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving and release the port."""
        self._server.shutdown()
        self._server.server_close()

    def add_faults(self, *faults: Fault) -> None:
        """Queue faults for the next matching requests."""
        with self.state.lock:
            self.state.faults.extend(faults)


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
