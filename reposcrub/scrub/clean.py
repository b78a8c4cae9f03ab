"""Clean one piece of content: find, replace, and look again until nothing is left.

Looking again after each round catches what an outer replacement uncovered (a
password inside a URL whose host was just replaced) and proves the result clean
by the same detectors that verification uses.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from reposcrub.model import Blob, Finding, Provenance, Severity
from reposcrub.scan import Engine
from reposcrub.scrub.replace import Replacer

MAX_ROUNDS = 5


@dataclass(slots=True)
class Cleaned:
    data: bytes
    replaced: list[Finding] = field(default_factory=list)
    leftover: list[Finding] = field(default_factory=list)
    broke_syntax: bool = False  # parsed cleanly before, not after
    literal: bool = False  # changed without a finding: a known secret's value, a name inside a word

    @property
    def changed(self) -> bool:
        return bool(self.replaced) or self.literal


def replaceable(f: Finding, threshold: Severity) -> bool:
    """Spans at or above the threshold; whole-file findings are the plan's business."""
    return f.end > f.start and f.category != "file" and f.severity >= threshold


def _outermost(findings: list[Finding]) -> list[Finding]:
    """Non-overlapping edits, outer spans first; what is inside is seen next round."""
    chosen: list[Finding] = []
    for f in sorted(findings, key=lambda f: (f.start, -(f.end - f.start))):
        if chosen and f.start < chosen[-1].end:
            continue
        chosen.append(f)
    return chosen


_NOT_IDENTIFIER = re.compile(rb"[^A-Za-z0-9_]")


def _fit(replacement: bytes, context: str) -> bytes:
    """A replacement inside a code identifier must itself be one."""
    if context == "identifier" and _NOT_IDENTIFIER.search(replacement):
        return _NOT_IDENTIFIER.sub(b"_", replacement)
    return replacement


class Cleaner:
    def __init__(self, engine: Engine, replacer: Replacer, threshold: Severity = Severity.LOW) -> None:
        self.engine = engine
        self.replacer = replacer
        self.threshold = threshold

    def contains_literal(self, data: bytes) -> bool:
        return any(form in data for form in self.replacer.literals)

    def replace_literals(self, data: bytes) -> bytes:
        """Every known form of every secret found anywhere, replaced here too."""
        for form in sorted(self.replacer.literals, key=len, reverse=True):
            if form in data:
                data = data.replace(form, self.replacer.literals[form])
        return data

    def clean(self, data: bytes, provenance: Provenance) -> Cleaned:
        result = self._clean(data, provenance)
        literal = self.replacer.substitute_names_anywhere(self.replace_literals(result.data))
        if literal != result.data:
            result.data = literal
            result.literal = True
        if result.changed and provenance.location == "file":
            # Parsed cleanly before (usually known from the scan itself), not after.
            before = self.engine.parse_errors(data, provenance.path)
            result.broke_syntax = before is False and self.engine.parse_errors(result.data, provenance.path) is True
        return result

    def _clean(self, data: bytes, provenance: Provenance) -> Cleaned:
        result = Cleaned(data)
        for _ in range(MAX_ROUNDS):
            blob = Blob(data=result.data, provenance=provenance)
            found = [f for f in self.engine.scan_blob(blob) if replaceable(f, self.threshold)]
            if not found:
                return result
            edits = _outermost(found)
            pieces, last = [], 0
            for f in edits:
                pieces += [result.data[last : f.start], _fit(self.replacer.replace(f), f.context)]
                last = f.end
            new = b"".join(pieces) + result.data[last:]
            if new == result.data:
                result.leftover = found
                return result
            result.data = new
            result.replaced.extend(edits)
        result.leftover = [f for f in self.engine.scan_blob(Blob(result.data, provenance)) if replaceable(f, self.threshold)]
        return result
