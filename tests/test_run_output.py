"""What a user sees of a run: quiet logs with one summary, `--about`, stream descriptions."""

from __future__ import annotations

import json
import subprocess
from typing import TYPE_CHECKING

from tap_wolkvox import __version__
from tap_wolkvox.catalogue import ALL_REPORTS
from tests.helpers import TAP, TOKEN, base_config, report_calls, run_tap

if TYPE_CHECKING:
    from pathlib import Path

    from wolkvox_emulator import Emulator

CAMPAIGNS = ["101", "102"]


def config(emulator: Emulator) -> dict[str, object]:
    return base_config(
        emulator.url,
        start_date="2025-03-01",
        end_date="2025-03-04T06:00:00",
        campaign_ids=CAMPAIGNS,
    )


def test_a_run_logs_no_line_per_deselected_stream_and_ends_with_one_summary(
    emulator: Emulator, tmp_path: Path
) -> None:
    run = run_tap(config(emulator), tmp_path, streams=("turbo_dial_machine_codes", "campaigns"))
    assert run.returncode == 0, run.stderr
    assert "Skipping deselected stream" not in run.stderr
    assert "API calls made by this run" not in run.stderr  # the old running total per stream
    (summary,) = [line for line in run.stderr.splitlines() if "Run summary:" in line]
    calls = len(emulator.state.stats()["calls"])
    machine_codes = [r for r in run.records if "machinecode" in r]
    empty = 0  # a window of a campaign with no rows at all, per the emulator's truth
    for campaign in CAMPAIGNS:
        for day in ("01", "02", "03", "04"):
            end = "060000" if day == "04" else "235959"
            counts = emulator.state.dataset.counts(
                campaign, f"202503{day}000000", f"202503{day}{end}"
            )
            empty += not counts
    assert f"Run summary: {calls} Wolkvox API calls (0 of them retries)" in summary
    assert (
        f"turbo_dial_machine_codes: {len(machine_codes)} records, {empty} empty windows, "
        "next run starts at 2025-03-04T06:00:00-05:00" in summary  # every window is final
    )
    campaigns = [r for r in run.records if "campaign_name" in r]
    assert f"campaigns: {len(campaigns)} records (a list, read whole every run)" in summary
    assert f"{len(machine_codes) + len(campaigns)} records, {empty} empty windows;" in summary
    assert TOKEN not in run.stderr


def test_the_summary_is_logged_when_a_run_fails_too(emulator: Emulator, tmp_path: Path) -> None:
    # a refused token stops the run at its first call, the token_info read: no report is asked
    settings = {**config(emulator), "api_token": "not-the-token"}
    run = run_tap(settings, tmp_path)
    assert run.returncode == 1
    assert report_calls(emulator) == []
    assert [c["api"] for c in emulator.state.stats()["calls"]] == ["token_info"]
    assert "check the api_token setting" in run.stderr
    assert "Run summary: 1 Wolkvox API calls (0 of them retries), 0 records" in run.stderr


def test_requests_name_the_tap_and_its_version(emulator: Emulator, tmp_path: Path) -> None:
    run = run_tap(config(emulator), tmp_path)
    assert run.returncode == 0, run.stderr
    agents = {c["user_agent"] for c in emulator.state.stats()["calls"]}
    assert agents == {f"tap-wolkvox/{__version__}"}


def test_about_in_text_gives_every_setting_its_description_and_default() -> None:
    text = subprocess.run([TAP, "--about"], capture_output=True, text=True, check=True).stdout
    about = json.loads(
        subprocess.run(
            [TAP, "--about", "--format", "json"], capture_output=True, text=True, check=True
        ).stdout
    )
    assert f"Version: {__version__}" in text
    blocks = text.split("\nSettings:\n", 1)[1].split("  - Name: ")[1:]
    assert [b.split("\n", 1)[0] for b in blocks] == list(about["settings"]["properties"])
    for block in blocks:
        name = block.split("\n", 1)[0]
        schema = about["settings"]["properties"][name]
        if schema.get("description"):
            assert f"    Description: {schema['description']}\n" in block, name
        if "default" in schema:
            assert f"    Default: {json.dumps(schema['default'])}\n" in block, name


def test_every_stream_in_the_catalog_has_a_description(tmp_path: Path) -> None:
    config_file = tmp_path / "config.json"
    config_file.write_text(json.dumps(base_config("http://127.0.0.1:9", start_date="2025-01-01")))
    done = subprocess.run(
        [TAP, "--config", config_file, "--discover"], capture_output=True, text=True, check=True
    )
    titles = {r.stream: r.title for r in ALL_REPORTS}
    streams = json.loads(done.stdout)["streams"]
    assert {s["tap_stream_id"]: s["schema"]["description"] for s in streams} == titles
    assert all(titles.values())
