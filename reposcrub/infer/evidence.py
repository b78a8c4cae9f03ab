"""Candidates for each profile entry and the evidence for them.

Each piece of evidence has a source (what kind of thing said it), a weight (how strongly
that kind of thing says it) and a count. A candidate's confidence combines its sources as
independent witnesses: 1 - product(1 - weight). Counting a source many times does not
multiply it: fifty files saying "Acme" in their copyright line are one kind of witness.
"""
from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field

SECTIONS = ("names", "domains", "codenames", "namespaces", "ticket_prefixes", "hosts")

# How strongly each kind of source names the organisation (or its product, domain, ...).
WEIGHTS: dict[str, float] = {
    "import package": 0.6,
    "package name": 0.4,
    "copyright holder": 0.5,
    "remote URL": 0.4,
    "namespace": 0.5,
    "e-mail domain": 0.5,
    ".NET namespace": 0.4,
    "CLI command": 0.5,
    "URLs to its hosts": 0.3,
    "named after the organisation": 0.4,
    "package metadata e-mail": 0.3,
    "commit messages": 0.3,
    "branch names": 0.3,
    "host names": 0.3,
}

_KEY = re.compile(r"[^a-z0-9]")


def name_key(text: str) -> str:
    """'Acme Corp', 'acme-corp', 'ACMECorp' -> 'acmecorp': spellings of one name."""
    return _KEY.sub("", text.lower())


@dataclass
class Candidate:
    section: str
    spellings: dict[str, int] = field(default_factory=dict)  # as written -> how often
    sources: dict[str, tuple[int, float]] = field(default_factory=dict)  # source -> (count, weight)
    examples: dict[str, str] = field(default_factory=dict)  # source -> one place it was seen

    def add(self, spelling: str, source: str, n: int, weight: float | None, example: str) -> None:
        self.spellings[spelling] = self.spellings.get(spelling, 0) + n
        count, old = self.sources.get(source, (0, 0.0))
        self.sources[source] = (count + n, max(old, WEIGHTS.get(source, 0.2) if weight is None else weight))
        if example and source not in self.examples:
            self.examples[source] = example

    def merge(self, other: Candidate) -> None:
        for spelling, n in other.spellings.items():
            self.spellings[spelling] = self.spellings.get(spelling, 0) + n
        for source, (count, weight) in other.sources.items():
            mine = self.sources.get(source, (0, 0.0))
            self.sources[source] = (mine[0] + count, max(mine[1], weight))
            if source in other.examples:
                self.examples.setdefault(source, other.examples[source])

    def confidence(self) -> float:
        doubt = 1.0
        for _, weight in self.sources.values():
            doubt *= 1.0 - weight
        return 1.0 - doubt

    def describe(self) -> str:
        parts = []
        for source, (count, _) in sorted(self.sources.items(), key=lambda s: (-s[1][1], s[0])):
            example = self.examples.get(source)
            parts.append(f"{source} {example}" if example else f"{source} ({count})" if count else source)
        return ", ".join(parts)


class Evidence:
    """Candidates by section, one per spelling-insensitive key."""

    def __init__(self) -> None:
        self.candidates: dict[tuple[str, str], Candidate] = {}
        self.hosts: dict[str, str] = {}  # host name (lower case) -> one place it was seen
        self.mailers: dict[str, set[str]] = defaultdict(set)  # e-mail domain -> people (name keys) using it
        self.commits: dict[str, int] = defaultdict(int)  # e-mail domain -> commits authored or committed
        self.ticket_keys: dict[str, set[str]] = defaultdict(set)  # ticket prefix -> distinct keys
        self.committer_names: set[str] = set()  # name keys of people who committed (full names)

    def see_host(self, host: str, where: str) -> None:
        self.hosts.setdefault(host.lower().rstrip("."), where)

    def add(self, section: str, value: str, source: str, n: int = 1, *, weight: float | None = None,
            example: str = "") -> None:
        value = value.strip()
        key = self.key(section, value)
        if not key:
            return
        self.candidates.setdefault((section, key), Candidate(section)).add(value, source, n, weight, example)

    @staticmethod
    def key(section: str, value: str) -> str:
        if section in ("names", "codenames"):
            return name_key(value)
        if section == "ticket_prefixes":
            return value.upper()
        return value.lower()

    def section(self, section: str) -> dict[str, Candidate]:
        return {key: c for (s, key), c in self.candidates.items() if s == section}
