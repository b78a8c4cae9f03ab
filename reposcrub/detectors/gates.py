"""What every candidate value passes before it is a finding: the rule's allow patterns, its
entropy and filters, a filler check that every secret rule gets, and the documented
example values that are reported as such (info) rather than as leaks."""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from typing import Any

from reposcrub.detectors.heuristics import FILTERS, longest_alnum_run, shannon_entropy
from reposcrub.findings import LineIndex, make_finding
from reposcrub.model import DOCUMENTED_EXAMPLE, Blob, Finding, Rule, Severity

FILTER_INPUT_MAX = 1024
_FILLER_CHARS = frozenset("xX*#.-_<>")
# Six stars, crosses, hashes or dots in a row: no random token has them. (Zeros are left
# alone: a run of them is improbable, not impossible, in a random token.)
_FILLER_RUNS = ("******", "xxxxxx", "XXXXXX", "######", "......", "\u2022" * 4)


@dataclass(frozen=True, slots=True)
class Gate:
    """One rule's value checks, compiled."""

    rule: Rule
    allow: tuple[Any, ...]  # re2 patterns

    def accepts(self, data: bytes, start: int, end: int, path: str) -> bool:
        value = data[start:end]
        if any(a.search(value) for a in self.allow):
            return False
        rule = self.rule
        secret = value.decode("utf-8", "replace")
        if rule.category == "secret" and is_filler(secret):
            return False
        if rule.entropy is not None and shannon_entropy(secret) < rule.entropy:
            return False
        if rule.filters:
            # Filters use Python's re on short strings: bounded inputs keep them linear.
            line = line_of(data, start).decode("utf-8", "replace")
            short = secret[:FILTER_INPUT_MAX]
            return not any(FILTERS[name](short, line, path) for name in rule.filters)
        return True


def is_filler(secret: str) -> bool:
    """AKIAXXXXXXXXXXXXXXXX, ghp_000000..., sk_live_********: a token's shape with nothing in it.
    Judged on the longest run of letters and digits, the part a real token keeps random."""
    if any(run in secret for run in _FILLER_RUNS):
        return True
    part = longest_alnum_run(secret)
    if len(part) < 8:
        return len(secret) >= 4 and all(c in _FILLER_CHARS for c in secret)
    return len(part.strip("xX")) <= 4


class Documented:
    """Values that providers publish in their documentation, from every rule's ``documented``."""

    def __init__(self, rules: Iterable[Rule]) -> None:
        self._sources = {value.encode(): source for r in rules for value, source in r.documented}

    def finding(self, rule: Rule, blob: Blob, start: int, end: int, lines: LineIndex) -> Finding | None:
        """An info finding when data[start:end] is a documented example value, else None."""
        source = self._sources.get(blob.data[start:end]) if self._sources else None
        if source is None:
            return None
        found = make_finding(rule, blob, start, end, lines, note=f"documented example ({source})")
        return replace(found, severity=Severity.INFO, kind=DOCUMENTED_EXAMPLE)


def line_of(data: bytes, offset: int) -> bytes:
    """The line holding offset, cut to 2 KiB either side (minified files are one line)."""
    low = max(0, offset - 2048)
    start = data.rfind(b"\n", low, offset) + 1 or low
    end = data.find(b"\n", offset, offset + 2048)
    return data[start : end if end != -1 else min(len(data), offset + 2048)]


def compile_gate(rule: Rule, compile_regex: Any) -> Gate:
    return Gate(rule, tuple(compile_regex(a) for a in rule.allow))


def any_documented(rules: Sequence[Rule]) -> bool:
    return any(r.documented for r in rules)
