"""Which group a finding belongs to: one per distinct value per rule, one per person.

Keys are hashes: no value is kept. The key is worked out where the value is known (the
scanning process) and travels with a finding that crosses a process boundary without it
(``ScanResult.to_dict``), so reports written anywhere group alike.
"""
from __future__ import annotations

import hashlib
from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from reposcrub.model import Finding
    from reposcrub.people import PersonGroup


def value_digest(rule_id: str, value: bytes) -> str:
    """A stable key for one value of one rule: a hash, never the value."""
    return hashlib.sha256(rule_id.encode() + b"\0" + value).hexdigest()[:20]


class Grouper:
    """Gives each finding the key of its group; people are matched by any name or e-mail."""

    def __init__(self, people: Sequence[PersonGroup]) -> None:
        self._person: dict[str, int] = {}
        for index, person in enumerate(people):
            for text in (*person.names, *person.emails):
                if len(text.strip()) >= 3:
                    self._person.setdefault(_norm(text), index)

    def key(self, f: Finding) -> str:
        if f.group:
            return f.group  # worked out where the value was known (a result that crossed processes)
        value = f.value.decode("utf-8", "surrogateescape")
        if f.category == "pii" and _norm(value) in self._person:
            return f"person:{self._person[_norm(value)]}"
        if f.end <= f.start or not f.value:
            return "file:" + value_digest(f.rule_id, f.path.encode("utf-8", "surrogateescape"))
        # Host names and addresses are the same whatever their case.
        norm = value.lower() if f.category in ("host", "pii") else value
        return "value:" + value_digest(f.rule_id, norm.encode("utf-8", "surrogateescape"))


def _norm(text: str) -> str:
    return " ".join(text.split()).lower()
