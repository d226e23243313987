"""Values Wolkvox sent that do not read as their field's kind: `on_bad_value` decides.

With `warn` (the default) such a value is written as null and counted per stream and field,
with one (scrubbed) example; each stream logs one WARNING per field when it ends, and the
run's end repeats them all in one line. With `fail` the first one stops the run, as before.
A key field's value is never nulled: a record without its key cannot be loaded, so it stops
the run either way.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from tap_wolkvox.exceptions import DataError
from tap_wolkvox.scrubbing import scrub

if TYPE_CHECKING:
    import logging

    from tap_wolkvox.fields import Field

OnBadValue = Literal["warn", "fail"]
ON_BAD_VALUE: tuple[OnBadValue, ...] = ("warn", "fail")


@dataclass
class BadField:
    """How many values of one field were nulled, and the first of them."""

    count: int
    example: str
    expected: str


class BadValues:
    """One stream's nulled values, by field (fields are filled from the fetch workers)."""

    def __init__(self, stream: str, policy: OnBadValue) -> None:
        """Nothing nulled yet."""
        self.stream = stream
        self.policy = policy
        #: field name -> what was nulled: the count the run summary reads
        self.fields: dict[str, BadField] = {}
        self._logged: set[str] = set()
        self._lock = threading.Lock()

    def note(self, field: Field, value: Any, where: str, error: DataError) -> None:  # noqa: ANN401
        """Count `value` as nulled, or raise `error` (policy `fail`, or a key field)."""
        if self.policy == "fail":
            raise error
        if field.key:
            raise DataError(f"{error} (a key field, never written as null)") from None
        with self._lock:
            bad = self.fields.get(field.name)
            if bad is None:
                example = scrub(f"{field.name}={value!r:.60} for {where}")
                self.fields[field.name] = BadField(1, example, field.expected)
            else:
                bad.count += 1

    @property
    def counts(self) -> dict[str, int]:
        """Nulled values per field so far."""
        with self._lock:
            return {name: bad.count for name, bad in self.fields.items()}

    def log_new(self, logger: logging.Logger) -> None:
        """One WARNING per field not logged yet: its count and example."""
        with self._lock:
            new = [(n, b) for n, b in self.fields.items() if n not in self._logged]
            self._logged.update(n for n, _ in new)
        for name, bad in new:
            logger.warning(
                "%s.%s: %d value(s) that are not %s written as null (on_bad_value=warn); e.g. %s",
                self.stream,
                name,
                bad.count,
                bad.expected,
                bad.example,
            )


class BadValueLog:
    """Every stream's `BadValues` in one run."""

    def __init__(self, policy: OnBadValue) -> None:
        """No stream has nulled a value yet."""
        self.policy = policy
        self.streams: dict[str, BadValues] = {}
        self._lock = threading.Lock()
        self._summarized = False

    def of(self, stream: str) -> BadValues:
        """The stream's tally (made on first use)."""
        with self._lock:
            return self.streams.setdefault(stream, BadValues(stream, self.policy))

    def totals(self) -> dict[str, int]:
        """`stream.field` -> values nulled in this run, for a run summary."""
        return {
            f"{stream}.{name}": count
            for stream, bad in sorted(self.streams.items())
            for name, count in sorted(bad.counts.items())
        }

    def log_summary(self, logger: logging.Logger) -> None:
        """At the run's end: any field not logged yet, then one line with every count (once)."""
        if self._summarized:
            return
        self._summarized = True
        for bad in self.streams.values():
            bad.log_new(logger)
        totals = self.totals()
        if totals:
            logger.warning(
                "Values written as null in this run (on_bad_value=warn): %s",
                ", ".join(f"{name} {count}" for name, count in totals.items()),
            )
