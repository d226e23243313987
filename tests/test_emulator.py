"""The emulator keeps Wolkvox's documented behaviour and limits, over real HTTP.

See docs/wolkvox-api.md.
"""

from __future__ import annotations

import datetime as dt
import signal
import subprocess
import sys
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Any

import requests

from tests.helpers import TOKEN

if TYPE_CHECKING:
    from wolkvox_emulator import Emulator


def get(emulator: Emulator, token: str | None = TOKEN, **params: str) -> requests.Response:
    query = {"api": "campaign_10", "campaign_id": "all", **params}
    headers = {"wolkvox-token": token} if token else {}
    return requests.get(
        f"{emulator.url}/api/v2/reports_manager.php", params=query, headers=headers, timeout=10
    )


def day(emulator: Emulator, token: str | None = TOKEN, **params: str) -> requests.Response:
    return get(emulator, token, date_ini="20250301000000", date_end="20250301235959", **params)


def test_envelope_has_string_values_and_inclusive_end(emulator: Emulator) -> None:
    body: dict[str, Any] = day(emulator).json()
    assert body["code"] == "200"
    assert body["error"] is None
    assert body["msg"].endswith("records were found")
    assert body["data"]
    assert all(isinstance(row["cantidad"], str) for row in body["data"])
    # one second is a valid, inclusive range
    one = get(emulator, date_ini="20250301000000", date_end="20250301000000").json()
    expected = emulator.state.dataset.counts("all", "20250301000000", "20250301000000")
    assert {r["machinecode"]: int(r["cantidad"]) for r in one["data"]} == dict(expected)


def test_all_is_the_union_of_campaigns(emulator: Emulator) -> None:
    def counts(campaign: str) -> dict[str, int]:
        rows = day(emulator, campaign_id=campaign).json()["data"]
        return {r["machinecode"]: int(r["cantidad"]) for r in rows}

    union: dict[str, int] = {}
    for campaign in emulator.state.dataset.campaigns:
        for code, n in counts(campaign).items():
            union[code] = union.get(code, 0) + n
    assert counts("all") == union


def test_an_empty_window_is_404_validate_dates_as_on_the_live_api(emulator: Emulator) -> None:
    empty = day(emulator, campaign_id="999")
    assert empty.status_code == 404
    assert empty.json()["msg"] == "Validate dates entered"
    assert "data" not in empty.json()


def test_the_doc_samples_empty_list_is_an_option(emulator: Emulator) -> None:
    emulator.state.empty_data = "list"
    empty = day(emulator, campaign_id="999")
    assert (empty.status_code, empty.json()["data"]) == (200, [])


def test_late_calls_show_up_after_their_delay(emulator: Emulator) -> None:
    emulator.state.late_minutes = 30
    emulator.state.now = dt.datetime(2025, 3, 2, 0, 10)
    early = {r["machinecode"]: int(r["cantidad"]) for r in day(emulator).json()["data"]}
    emulator.state.now = dt.datetime(2025, 3, 2, 0, 40)
    later = {r["machinecode"]: int(r["cantidad"]) for r in day(emulator).json()["data"]}
    truth = emulator.state.dataset.counts("all", "20250301000000", "20250301235959")
    last_calls = emulator.state.dataset.counts("all", "20250301234000", "20250301235959")
    assert later == dict(truth)
    assert sum(last_calls.values()) > 0
    assert sum(early.values()) == sum(truth.values()) - sum(last_calls.values())


def test_token_errors(emulator: Emulator) -> None:
    missing = day(emulator, token=None)
    assert (missing.status_code, missing.json()["msg"]) == (401, "PLEASE ENTER THE WOLKVOX-TOKEN")
    wrong = day(emulator, token="nope")  # noqa: S106
    assert (wrong.status_code, wrong.json()["msg"]) == (403, "PLEASE VALIDATE TOKEN")


def test_request_errors(emulator: Emulator) -> None:
    unknown = day(emulator, api="campaign_99").json()
    assert unknown["msg"] == "THE API YOU WANT TO CONSULT DOES NOT EXIST"
    missing = get(emulator, date_ini="20250301000000")
    assert (missing.status_code, missing.json()["msg"]) == (400, "SOME PARAMETERS ARE REQUIRED")
    assert get(emulator, date_ini="2025-03-01", date_end="20250302000000").status_code == 400


def test_31_days_is_the_longest_range(emulator: Emulator) -> None:
    assert get(emulator, date_ini="20250101000000", date_end="20250131235959").status_code == 200
    too_long = get(emulator, date_ini="20250101000000", date_end="20250201000000")
    assert too_long.status_code == 400


def test_daily_quota(emulator: Emulator) -> None:
    emulator.state.quota = 2
    assert [day(emulator).status_code for _ in range(2)] == [200, 200]
    refused = day(emulator)
    assert (refused.status_code, refused.json()["msg"]) == (403, "TOKEN LIMIT EXCEEDED")


def test_a_third_simultaneous_request_is_refused(emulator: Emulator) -> None:
    emulator.state.latency = 0.5
    answers: list[requests.Response] = []
    threads = [threading.Thread(target=lambda: answers.append(day(emulator))) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(a.status_code for a in answers) == [200, 200, 403]
    assert "SIMULTANEOUS" in next(a for a in answers if a.status_code == 403).json()["msg"]
    assert emulator.state.stats()["peak_in_flight"] == 3


def test_latency_per_query_is_kept_and_connections_are_counted(emulator: Emulator) -> None:
    emulator.state.latency_of = lambda params: 0.04 if params["date_ini"] < "20250302" else 0.01
    with requests.Session() as session:  # one kept-alive connection for three requests
        for date in ("20250301", "20250302", "20250301"):
            session.get(
                f"{emulator.url}/api/v2/reports_manager.php",
                params={
                    "api": "campaign_10",
                    "campaign_id": "all",
                    "date_ini": f"{date}000000",
                    "date_end": f"{date}235959",
                },
                headers={"wolkvox-token": TOKEN},
                timeout=10,
            ).raise_for_status()
    day(emulator)  # requests.get: a connection of its own
    stats = emulator.state.stats()
    assert [call["latency"] for call in stats["calls"]] == [0.04, 0.01, 0.04, 0.04]
    assert all(call["finished"] - call["started"] >= call["latency"] for call in stats["calls"])
    assert stats["connections"] == 2


def test_the_command_the_set_up_installs_serves_with_the_documented_options(
    tmp_path: Path,
) -> None:
    port_file = tmp_path / "port"
    command: list[str | Path] = [
        Path(sys.executable).with_name("wolkvox-emulator"),
        *("--port", "0", "--port-file", str(port_file), "--token", TOKEN),
        *("--agents", "3", "--quota", "40", "--token-limit", "50", "--token-used", "7"),
    ]
    with subprocess.Popen(command, stderr=subprocess.PIPE, text=True) as server:
        assert server.stderr is not None
        assert "wolkvox-emulator listening on http://127.0.0.1:" in server.stderr.readline()
        url = f"http://127.0.0.1:{port_file.read_text()}/api/v2/information.php"

        def data(api: str) -> Any:
            answer = requests.get(
                url, params={"api": api}, headers={"wolkvox-token": TOKEN}, timeout=10
            )
            return answer.json()["data"]

        agents = data("agents")
        (usage,) = data("token_info")
        server.send_signal(signal.SIGTERM)
    assert server.returncode == 0
    assert [a["agent_id"] for a in agents] == ["1001", "1002", "1003"]
    assert (usage["token_limit"], usage["token_use_today"]) == ("50", "9")  # 7 + these 2 calls
