"""The compact shape of a stream's state with many partitions: bookmarks grouped by value.

With thousands of partitions (one per agent) most of them share a bookmark: each partition's
`{"context": {...}, "replication_key_value": ...}` entry would repeat it. From
`GROUP_FROM` plain entries on, they are kept as

    "partition_bookmarks": {"agent_id": {"2025-06-02T00:00:00-05:00": ["1001", "1002"]}}

beside `partitions`, which keeps every entry that says more (`finished`, other keys). A
partition read in this run gets its ordinary entry back until the next STATE groups it again.
"""

from __future__ import annotations

from typing import Any

GROUPED = "partition_bookmarks"
#: Plain partition entries from which a stream's bookmarks are grouped.
GROUP_FROM = 50
_PLAIN = {"context", "replication_key_value"}


def grouped_bookmarks(stream_state: dict[str, Any], field: str) -> dict[str, str]:
    """Each grouped value's bookmark."""
    groups = stream_state.get(GROUPED, {}).get(field, {})
    return {value: bookmark for bookmark, values in groups.items() for value in values}


def group(stream_state: dict[str, Any], field: str) -> None:
    """Move the plain entries of `partitions` into the grouped form, if there are many.

    A value that has an entry in `partitions` is dropped from the groups: the entry is newer.
    """
    partitions: list[dict[str, Any]] = stream_state.get("partitions", [])
    plain = [
        p
        for p in partitions
        if set(p) == _PLAIN and isinstance(p["context"], dict) and list(p["context"]) == [field]
    ]
    known = grouped_bookmarks(stream_state, field)
    if len(plain) + len(known) < GROUP_FROM:
        return
    fresh = {p["context"][field] for p in partitions if isinstance(p.get("context"), dict)}
    merged = {value: bookmark for value, bookmark in known.items() if value not in fresh}
    merged.update((p["context"][field], p["replication_key_value"]) for p in plain)
    groups: dict[str, list[str]] = {}
    for value, bookmark in merged.items():
        groups.setdefault(bookmark, []).append(value)
    plain_ids = {id(p) for p in plain}
    stream_state["partitions"] = [p for p in partitions if id(p) not in plain_ids]
    stream_state[GROUPED] = {field: groups}
