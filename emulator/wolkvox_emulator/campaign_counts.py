"""What each emulated report answers: rows of strings, as Wolkvox sends them.

See docs/wolkvox-api.md §2.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import TYPE_CHECKING

from wolkvox_emulator.dataset import MACHINE_CODES

if TYPE_CHECKING:
    import datetime as dt
    from collections.abc import Callable, Iterable

    from wolkvox_emulator.dataset import Call, Dataset

# campaign_1/4 name outcomes with hyphens; campaign_10 names machine codes with spaces
RESULT_OF_CODE = {
    "answer machine": "answer-machine",
    "no answer": "no-answer",
    "failed": "recall",
    "answer": "answer",
    "congestion": "congestion",
    "abandon": "abandon",
    "busy": "busy",
    "chanunavail": "congestion",
}
_BY_TELEPHONE = {
    "no_answer": "no answer",
    "answer_machine": "answer machine",
    "busy": "busy",
    "congestion": "congestion",
    "failed": "failed",
}


def machine_codes(calls: Iterable[Call], _: tuple[str, ...], __: str) -> list[dict[str, str]]:
    """campaign_10: Turbo Dial calls grouped by machine code."""
    counts = Counter(call.code for call in calls)
    return [{"machinecode": c, "cantidad": str(counts[c])} for c in MACHINE_CODES if counts[c]]


def results(calls: Iterable[Call], _: tuple[str, ...], percent_field: str) -> list[dict[str, str]]:
    """campaign_1 (final attempts) and campaign_4 (every attempt): result, records, percent."""
    counts = Counter(RESULT_OF_CODE[call.code] for call in calls)
    total = sum(counts.values())
    return [
        {"result": result, "records": str(n), percent_field: f"{100 * n / total:.2f}"}
        for result, n in sorted(counts.items())
    ]


def amd(calls: Iterable[Call], campaigns: tuple[str, ...], _: str) -> list[dict[str, str]]:
    """campaign_6: answering-machine detections per campaign."""
    counts = Counter(call.campaign for call in calls if call.code == "answer machine")
    return [{"campaign_id": c, "total_amd": str(counts[c])} for c in campaigns]


def by_telephone(calls: Iterable[Call], _: tuple[str, ...], __: str) -> list[dict[str, str]]:
    """campaign_8: machine codes per telephone."""
    per_phone: dict[str, Counter[str]] = defaultdict(Counter)
    for call in calls:
        per_phone[call.telephone][call.code] += 1
    return [
        {
            "telephone": phone,
            "total_machine_recognitions": str(sum(counts.values())),
            **{field: str(counts[code]) for field, code in _BY_TELEPHONE.items()},
        }
        for phone, counts in sorted(per_phone.items())
    ]


REPORTS: dict[str, tuple[Callable[..., list[dict[str, str]]], bool]] = {
    # api: (rows from calls, final attempts only)
    "campaign_1": (results, True),
    "campaign_4": (results, False),
    "campaign_6": (amd, False),
    "campaign_8": (by_telephone, False),
    "campaign_10": (machine_codes, False),
}


def report_rows(  # noqa: PLR0913 - one argument per request parameter
    dataset: Dataset,
    api: str,
    campaign_id: str,
    date_ini: str,
    date_end: str,
    *,
    percent_field: str = "percent",
    recorded_by: dt.datetime | None = None,
) -> list[dict[str, str]]:
    """The full answer of a report for one request (before any row cap).

    With `recorded_by`, calls stamped later are left out: Wolkvox has not recorded them yet.
    """
    build, final_only = REPORTS[api]
    calls = [
        call
        for at, call in dataset.dated_calls(campaign_id, date_ini, date_end)
        if (call.final or not final_only) and (recorded_by is None or at <= recorded_by)
    ]
    return build(calls, dataset.selected(campaign_id), percent_field)
