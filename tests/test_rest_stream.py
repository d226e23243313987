"""Every stream is a Singer SDK RESTStream: its requests come from the SDK's hooks."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit
from zoneinfo import ZoneInfo

from singer_sdk import RESTStream

from tap_wolkvox.report_request import ReportRequest
from tap_wolkvox.report_stream import ReportStream
from tap_wolkvox.settings import parse_instant
from tap_wolkvox.tap import TapWolkvox
from tap_wolkvox.windows import plan_windows
from tests.helpers import TOKEN, base_config


def stream_of(**config: object) -> ReportStream:
    settings = {**base_config("http://127.0.0.1:9"), "start_date": "2025-08-01", **config}
    stream = TapWolkvox(config=settings).streams["turbo_dial_machine_codes"]
    assert isinstance(stream, ReportStream)
    return stream


def test_a_window_request_is_built_by_the_sdk_hooks() -> None:
    stream = stream_of(campaign_ids=["101"])
    assert isinstance(stream, RESTStream)
    tz = ZoneInfo("America/Bogota")
    start, end = (parse_instant(day, tz) for day in ("2025-08-01", "2025-08-02"))
    window = plan_windows(start, end, 1, tz)[0]
    prepared = stream.prepare(ReportRequest(stream.report, "101", window))
    assert prepared.headers["wolkvox-token"] == TOKEN
    assert prepared.headers["User-Agent"].startswith("tap-wolkvox/")
    url = urlsplit(prepared.url or "")
    assert (url.netloc, url.path) == ("127.0.0.1:9", "/api/v2/reports_manager.php")
    assert parse_qs(url.query) == {
        "api": ["campaign_10"],
        "campaign_id": ["101"],
        "date_ini": ["20250801000000"],
        "date_end": ["20250801235959"],
    }
    assert TOKEN not in (prepared.url or "")


def test_url_base_comes_from_server_without_api_url() -> None:
    stream = stream_of(api_url=None, server="0042")
    assert stream.url_base == "https://wv0042.wolkvox.com"
