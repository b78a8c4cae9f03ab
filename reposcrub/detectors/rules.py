"""The data-driven detector: every rule in rules/*.yaml with a pattern, path or magic."""
from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import re2

from reposcrub.delta import matches_in, windowed_text
from reposcrub.detectors.heuristics import FILTERS, shannon_entropy
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
    allow: tuple[Any, ...]
    group: int


def _compile(regex: str | None) -> Any:
    return None if regex is None else re2.compile(regex.encode(), _RE2_OPTIONS)


class RuleDetector:
    """Runs pattern, path and magic-byte rules over a blob in one keyword-filtered pass."""

    def __init__(self, rules: Sequence[Rule]) -> None:
        self._content = [r for r in rules if r.pattern and not r.detector]
        self._files = [r for r in rules if not r.pattern and not r.detector and (r.path_pattern or r.magic)]
        # Compiled on first use: a pre-commit run over a few files needs only a few rules.
        self._compiled: list[_Compiled | None] = [None] * len(self._content)
        self._file_compiled = [self._compile_rule(r) for r in self._files]
        self._prefilter = KeywordPrefilter([r.keywords for r in self._content])
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
        allow = tuple(_compile(a) for a in rule.allow)
        pattern = _compile(rule.pattern)
        group = rule.secret_group
        if isinstance(group, str):
            group = pattern.groupindex[group.encode()]
        return _Compiled(rule, pattern, _compile(rule.path_pattern), allow, group)

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
            if any(a.search(path) for a in c.allow):
                continue  # for file rules, allow patterns name paths that are fine
            yield make_finding(c.rule, blob, 0, 0, None)

    def _content_rules(self, blob: Blob) -> Iterator[Finding]:
        data = blob.data
        path = blob.path.encode("utf-8", "surrogateescape")
        lines: LineIndex | None = None
        windows = blob.windows
        if windows == ():
            return  # nothing changed since the version scanned before
        # Keywords are looked for where the patterns will run: in the windows, if any.
        for index in sorted(self._prefilter.candidates(windowed_text(data, windows))):
            c = self._compiled[index]
            if c is None:
                c = self._compiled[index] = self._compile_rule(self._content[index])
            if c.path is not None and not c.path.search(path):
                continue
            for match in matches_in(c.pattern, data, windows):
                start, end = match.span(c.group)
                if start < 0 or end <= start or not self._accept(c, data, start, end, blob.path):
                    continue
                if lines is None:
                    lines = LineIndex(data)
                yield make_finding(c.rule, blob, start, end, lines)

    @staticmethod
    def _accept(c: _Compiled, data: bytes, start: int, end: int, path: str) -> bool:
        value = data[start:end]
        if any(a.search(value) for a in c.allow):
            return False
        rule = c.rule
        if not rule.filters and rule.entropy is None:
            return True
        secret = value.decode("utf-8", "replace")
        if rule.entropy is not None and shannon_entropy(secret) < rule.entropy:
            return False
        if rule.filters:
            # Filters use Python's re on short strings: bounded inputs keep them linear.
            line = _line_of(data, start).decode("utf-8", "replace")
            short = secret[:FILTER_INPUT_MAX]
            return not any(FILTERS[name](short, line, path) for name in rule.filters)
        return True


FILTER_INPUT_MAX = 1024


def _line_of(data: bytes, offset: int) -> bytes:
    """The line holding offset, cut to 2 KiB either side (minified files are one line)."""
    low = max(0, offset - 2048)
    start = data.rfind(b"\n", low, offset) + 1 or low
    end = data.find(b"\n", offset, offset + 2048)
    return data[start : end if end != -1 else min(len(data), offset + 2048)]


def _is_binary(data: bytes) -> bool:
    """A NUL byte in the first 8 KiB means binary, as git decides it."""
    return b"\0" in data[:8192]
