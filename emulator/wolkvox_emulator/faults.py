"""Faults queued to exercise a client's error handling: what the next matching requests get."""

from __future__ import annotations

from dataclasses import dataclass, field

from wolkvox_emulator.errors import ERRORS

FAULT_KINDS = (*ERRORS, "html", "truncated", "reset", "timeout", "redirect", "body", "trickle")


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
