"""Where each finding sits — string, comment, identifier, other — and what that does to it.

Only blobs that already have findings are parsed, once each; languages tree-sitter
does not know stay "text". Context changes severity as each rule says
(``context_severity``), and an ambiguous organisation name used as a code identifier
is not counted at all: only strong contexts count for ordinary words.
"""
from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import replace

from reposcrub.model import Blob, Finding, Rule

AMBIGUOUS_NOTE = "ambiguous name"
UNPARSED = "unparsed"  # context not computed: it could not change the finding


def decides_outcome(findings: list[Finding], rules: Mapping[str, Rule]) -> bool:
    """Whether context can change any of these findings: drop it or change its severity."""
    for f in findings:
        if f.note.startswith(AMBIGUOUS_NOTE):
            return True
        rule = rules.get(f.rule_id)
        if rule is not None and rule.context_severity:
            return True
    return False


def mark_unparsed(findings: list[Finding], blob: Blob) -> list[Finding]:
    """Findings left unparsed say so, where their language has a grammar (else plain "text")."""
    from reposcrub.parse.treesitter import language_for

    if language_for(blob.path) is None:
        return findings
    return [replace(f, context=UNPARSED) if f.end > f.start else f for f in findings]


class SyntaxContext:
    def __init__(self) -> None:
        from reposcrub.parse.treesitter import Parsers

        self._parsers = Parsers()
        # Whether content parsed with errors, by digest: scrub asks again for what it scanned.
        self._broken: dict[bytes, bool] = {}

    def parse_errors(self, data: bytes, path: str) -> bool | None:
        """True/False when path's language parses data with/without errors; None for plain text."""
        from reposcrub.parse.treesitter import parse_context

        key = hashlib.sha1(data, usedforsecurity=False).digest()
        if key not in self._broken:
            index = parse_context(data, path, self._parsers, spans=())
            if index is None:
                return None
            self._broken[key] = index.has_errors()
        return self._broken[key]

    def annotate(self, findings: list[Finding], blob: Blob, rules: Mapping[str, Rule]) -> list[Finding]:
        from reposcrub.parse.treesitter import language_for, parse_context

        spans = [f for f in findings if f.end > f.start]
        if not spans or language_for(blob.path) is None:
            return findings
        index = parse_context(blob.data, blob.path, self._parsers, spans=[(f.start, f.end) for f in spans])
        if index is None:
            return findings
        self._broken[hashlib.sha1(blob.data, usedforsecurity=False).digest()] = index.has_errors()
        out = []
        for f in findings:
            if f.end <= f.start:
                out.append(f)
                continue
            context = index.context_at(f.start, f.end)
            if context == "other" and f.end - f.start > 1:
                # A dotted name (com.acme) spans several identifier tokens: judge by its ends.
                first, last = index.context_at(f.start, f.start + 1), index.context_at(f.end - 1, f.end)
                context = first if first == last else context
            adjusted = _adjust(replace(f, context=context), rules.get(f.rule_id))
            if adjusted is not None:
                out.append(adjusted)
        return out


def _adjust(f: Finding, rule: Rule | None) -> Finding | None:
    if f.note.startswith(AMBIGUOUS_NOTE) and f.context == "identifier":
        return None
    if rule is None:
        return f
    for context, severity in rule.context_severity:
        if context == f.context:
            return None if severity is None else replace(f, severity=severity)
    return f
