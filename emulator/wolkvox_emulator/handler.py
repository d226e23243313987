"""The HTTP handler: one request in, Wolkvox's answer (or a queued fault) out; and its server.

It keeps the documented limits: the `wolkvox-token` header, 2 simultaneous requests per
token, a daily call quota, and the envelope with string values; `answers` and
`more_endpoints` say what each request gets.
"""

from __future__ import annotations

import datetime as dt
import json
import socket
import struct
import sys
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs, urlsplit

from tap_wolkvox.catalogue.report import INFORMATION_ENDPOINT, REPORTS_ENDPOINT
from wolkvox_emulator.answers import answer_rows, request_problem
from wolkvox_emulator.errors import ERRORS, SIMULTANEOUS_LIMIT
from wolkvox_emulator.faults import Fault
from wolkvox_emulator.more_endpoints import MORE_PATHS, more_answer
from wolkvox_emulator.state import DEFAULT_TOKEN_LIMIT

if TYPE_CHECKING:
    from collections.abc import Callable

    from wolkvox_emulator.state import EmulatorState


class WolkvoxServer(ThreadingHTTPServer):
    """The threaded HTTP server; its handlers read and record the emulator's state."""

    daemon_threads = True
    state: EmulatorState

    def handle_error(self, request: Any, client_address: Any) -> None:  # noqa: ANN401
        """A client hanging up on a kept-alive connection is normal, not worth a traceback."""
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


class Handler(BaseHTTPRequestHandler):
    """One connection's requests: Wolkvox's answer, a queued fault, or the emulator's own stats."""

    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # headers and body go in separate writes: no 40 ms stalls
    server: WolkvoxServer
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
        if url.path not in {REPORTS_ENDPOINT, INFORMATION_ENDPOINT} | MORE_PATHS:
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
        if not data and path == REPORTS_ENDPOINT and state.empty_data == "404":
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
        status, label, message = ERRORS[name]
        code: int | str = status if self.server.state.code_as_int else str(status)
        self._record(params, status, name)
        headers = {} if retry_after is None else {"Retry-After": _header(retry_after)}
        self._send_json(status, {"code": code, "error": label, "msg": message}, headers)

    def _serve_fault(self, fault: Fault, params: dict[str, str]) -> None:
        if fault.kind in ERRORS:
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
