"""The data-driven detector: every rule in rules/*.yaml with a pattern, key, path or magic."""
from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import re2

from reposcrub.delta import matches_in, windowed_text
from reposcrub.detectors.assignments import AssignmentRules
from reposcrub.detectors.gates import Documented, Gate, compile_gate
from reposcrub.detectors.prefilter import KeywordPrefilter
from reposcrub.findings import LineIndex, make_finding
from reposcrub.model import Blob, Finding, Rule

_RE2_OPTIONS = re2.Options()
_RE2_OPTIONS.max_mem = 64 << 20  # large alternations (provider lists) need more than the 8 MiB default


@dataclass(frozen=True, slots=True)
class _Compiled:
    rule: Rule
    pattern: Any  # re2._Regexp: the binding ships no type information
    path: Any
    gate: Gate
    group: int


def _compile(regex: str | None) -> Any:
    return None if regex is None else re2.compile(regex.encode(), _RE2_OPTIONS)


class RuleDetector:
    """Runs pattern, assignment (key_pattern), path and magic-byte rules over a blob in one
    keyword-filtered pass."""

    def __init__(self, rules: Sequence[Rule]) -> None:
        self._content = [r for r in rules if r.pattern and not r.detector]
        keyed = [r for r in rules if r.key_pattern and not r.detector]
        self._files = [r for r in rules if not r.pattern and not r.key_pattern and not r.detector
                       and (r.path_pattern or r.magic)]
        self._documented = Documented(rules)
        # Compiled on first use: a pre-commit run over a few files needs only a few rules.
        self._compiled: list[_Compiled | None] = [None] * len(self._content)
        self._file_compiled = [self._compile_rule(r) for r in self._files]
        self._assignments = AssignmentRules(keyed, _compile, self._documented)
        # One prefilter for both kinds: pattern rules first, then the assignment rules.
        self._prefilter = KeywordPrefilter([r.keywords for r in self._content] + [r.keywords for r in keyed])
        # One pass over a path answers every path rule; most paths match none.
        self._path_set = re2.Set.SearchSet(_RE2_OPTIONS)
        self._path_rules: list[int] = []
        for index, r in enumerate(self._files):
            if r.path_pattern is not None:
                self._path_set.Add(r.path_pattern.encode())
                self._path_rules.append(index)
        self._path_set.Compile()
        self._magic_rules = [i for i, r in enumerate(self._files) if r.path_pattern is None]

    @staticmethod
    def _compile_rule(rule: Rule) -> _Compiled:
        pattern = _compile(rule.pattern)
        group = rule.secret_group
        if isinstance(group, str):
            group = pattern.groupindex[group.encode()]
        return _Compiled(rule, pattern, _compile(rule.path_pattern), compile_gate(rule, _compile), group)

    def detect(self, blob: Blob) -> Iterator[Finding]:
        yield from self._file_rules(blob)
        if blob.data and not _is_binary(blob.data):
            yield from self._content_rules(blob)

    def _file_rules(self, blob: Blob) -> Iterator[Finding]:
        if blob.provenance.location != "file":
            return
        path = blob.path.encode("utf-8", "surrogateescape")
        matched = [self._path_rules[i] for i in self._path_set.Match(path) or ()]
        for index in sorted(matched + self._magic_rules):
            c = self._file_compiled[index]
            if c.rule.magic is not None and not blob.data.startswith(c.rule.magic):
                continue
            if any(a.search(path) for a in c.gate.allow):
                continue  # for file rules, allow patterns name paths that are fine
            yield make_finding(c.rule, blob, 0, 0, None)

    def _content_rules(self, blob: Blob) -> Iterator[Finding]:
        data = blob.data
        path = blob.path.encode("utf-8", "surrogateescape")
        lines = LineIndex(data)  # counts nothing until a finding asks
        windows = blob.windows
        if windows == ():
            return  # nothing changed since the version scanned before
        # Keywords are looked for where the patterns will run: in the windows, if any.
        wanted = self._prefilter.candidates(windowed_text(data, windows))
        seen: set[tuple[str, int, int]] = set()
        for index in sorted(i for i in wanted if i < len(self._content)):
            c = self._compiled[index]
            if c is None:
                c = self._compiled[index] = self._compile_rule(self._content[index])
            if c.path is not None and not c.path.search(path):
                continue
            for match in matches_in(c.pattern, data, windows):
                start, end = match.span(c.group)
                if start < 0 or end <= start:
                    continue
                found = self._documented.finding(c.rule, blob, start, end, lines)
                if found is None and c.gate.accepts(data, start, end, blob.path):
                    found = make_finding(c.rule, blob, start, end, lines)
                if found is not None:
                    seen.add((found.rule_id, start, end))
                    yield found
        keyed = [i - len(self._content) for i in wanted if i >= len(self._content)]
        if keyed:
            for found in self._assignments.detect(blob, keyed, lines):
                if (found.rule_id, found.start, found.end) not in seen:
                    seen.add((found.rule_id, found.start, found.end))
                    yield found


def _is_binary(data: bytes) -> bool:
    """A NUL byte in the first 8 KiB means binary, as git decides it."""
    return b"\0" in data[:8192]
