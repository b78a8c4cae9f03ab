"""Group and rank: one entry per distinct value per rule, one per person for identities.

A repository's history repeats the same few values thousands of times (a maintainer's
name in every commit, one test address in forty files); a reviewer needs each once, with
how far it spread and where it came in, ordered by severity, then by how sure the rule
is, then by spread. Keys are hashes: no value is kept here.
"""
from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from reposcrub.model import Finding, Rule, Severity
from reposcrub.people import PersonGroup

if TYPE_CHECKING:
    from reposcrub.reporters.render import Shown

_CONFIDENCE_RANK = {"high": 2, "medium": 1, "low": 0}
_IDENTITY = ("author", "committer")
PERSON_REMEDIATION = (
    "`reposcrub scrub` replaces the person everywhere: identities, names and e-mails (Person N, "
    "person-N@example.com); `--keep-identity EMAIL` keeps yours."
)


@dataclass(frozen=True, slots=True)
class Group:
    """One thing to act on: a value (or a file, or a person) and every occurrence of it."""

    key: str
    kind: str  # "value", "file" (a whole-file finding, by path) or "person"
    rule_id: str  # the rule of its most severe occurrence
    category: str
    severity: Severity
    confidence: str
    title: str  # the value's redacted preview, the file's path, or the person's name and e-mail
    remediation: str
    occurrences: int
    files: int
    commits: int
    first: int  # index in Report.findings of where it was introduced (the earliest commit known)
    members: tuple[int, ...]  # indices in Report.findings, in location order
    rules: tuple[str, ...]
    locations: tuple[str, ...]  # kinds of location: file, path, message, author, ...
    in_tree: bool  # still in the work tree (not only in the history)

    @property
    def spread(self) -> tuple[int, int]:
        return (self.files + self.commits, self.occurrences)


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


def rank_groups(shown: Sequence[Shown], rules: Mapping[str, Rule], people: Sequence[PersonGroup],
                clean: Callable[[str], str]) -> tuple[Group, ...]:
    """The groups of shown findings, most important first; clean makes a person's name printable."""
    members: dict[str, list[int]] = {}
    for i, f in enumerate(shown):
        members.setdefault(f.group, []).append(i)
    groups = [_group(key, idx, shown, rules, people, clean) for key, idx in members.items()]
    groups.sort(key=lambda g: (-g.severity, -_CONFIDENCE_RANK.get(g.confidence, 1), (-g.spread[0], -g.spread[1]),
                               g.rule_id, g.title))
    return tuple(groups)


def _group(key: str, idx: list[int], shown: Sequence[Shown], rules: Mapping[str, Rule],
           people: Sequence[PersonGroup], clean: Callable[[str], str]) -> Group:
    items = [shown[i] for i in idx]
    top = max(range(len(items)), key=lambda n: (items[n].severity, -n))
    lead = items[top]
    rule = rules.get(lead.rule_id)
    kind = key.split(":", 1)[0]
    if kind == "person":
        person = people[int(key.split(":", 1)[1])]
        more = f" (+{len(person.emails) - 1} more)" if len(person.emails) > 1 else ""
        title = clean(person.name + (f" <{person.emails[0]}>{more}" if person.emails else ""))
        remediation, confidence = PERSON_REMEDIATION, "medium"
    else:
        title = lead.path if kind == "file" else lead.preview
        remediation = rule.remediation if rule is not None else ""
        confidence = rule.confidence if rule is not None else "medium"
    files = {f.path for f in items if f.location in ("file", "path")}
    commits = {f.commit for f in items if f.commit}
    return Group(
        key=key, kind=kind, rule_id=lead.rule_id, category=lead.category, severity=lead.severity,
        confidence=confidence, title=title, remediation=remediation, occurrences=len(items), files=len(files),
        commits=len(commits), first=idx[_first(items)], members=tuple(idx),
        rules=tuple(sorted({f.rule_id for f in items})), locations=tuple(sorted({f.location for f in items})),
        in_tree=any(f.commit is None and f.location in ("file", "path") for f in items),
    )


def _first(items: Sequence[Shown]) -> int:
    """Where it came in: the earliest commit with a known time, else the first history occurrence."""
    timed = [(f.time, n) for n, f in enumerate(items) if f.time is not None]
    if timed:
        return min(timed)[1]
    return next((n for n, f in enumerate(items) if f.commit), 0)
