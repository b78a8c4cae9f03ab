"""Assignment rules: the value given to a key the rule names (``key_pattern``), in any syntax.

The extractor (parse/assignments.py) finds each (key, value) once per blob; every rule
whose keywords occur in the blob then judges the pairs: the key against its key_pattern,
the value against its value_pattern, quoting, allow patterns, entropy and filters. In a
language tree-sitter parses, a quoted value must also sit in a string literal (or a
comment): what only looked like quotes to the line grammar is dropped.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from reposcrub.detectors.gates import Documented, Gate, compile_gate
from reposcrub.findings import LineIndex, make_finding
from reposcrub.model import Blob, Finding, Rule
from reposcrub.parse.assignments import Assignment, Extractor

_LITERAL_CONTEXTS = ("string", "comment")
# PHP is code only inside <?php ... ?>: tree-sitter reads a file without the tag as HTML text.
_CODE_MARK = {".php": b"<?", ".phtml": b"<?"}


@dataclass(frozen=True, slots=True)
class _KeyRule:
    gate: Gate
    key: Any  # re2 patterns
    key_allow: tuple[Any, ...]
    value: Any
    secret_group: int  # group of value_pattern that is the secret, 0 for all of it
    path: Any


@dataclass(frozen=True, slots=True)
class _Candidate:
    rule: Rule
    start: int
    end: int
    quoted: bool


class AssignmentRules:
    """The key_pattern rules of a pack, run over the assignments of each blob."""

    def __init__(self, rules: Sequence[Rule], compile_regex: Callable[[str | None], Any], documented: Documented) -> None:
        self.rules = list(rules)
        self._compile_regex = compile_regex
        self._documented = documented
        self._compiled: list[_KeyRule | None] = [None] * len(self.rules)
        self._extractor = Extractor()
        self._parsers: Any = None  # tree-sitter parsers, made when a code file first needs one

    def _rule(self, index: int) -> _KeyRule:
        compiled = self._compiled[index]
        if compiled is None:
            rule = self.rules[index]
            value = self._compile_regex(rule.value_pattern)
            group = 0 if value is None else value.groupindex.get(b"secret", 0)
            compiled = _KeyRule(compile_gate(rule, self._compile_regex), self._compile_regex(rule.key_pattern),
                                tuple(self._compile_regex(a) for a in rule.key_allow), value, group,
                                self._compile_regex(rule.path_pattern))
            self._compiled[index] = compiled
        return compiled

    def detect(self, blob: Blob, wanted: Iterable[int], lines: LineIndex) -> Iterator[Finding]:
        """Findings of the wanted rules (indices into self.rules) in blob."""
        path = blob.path.encode("utf-8", "surrogateescape")
        rules = [(i, self._rule(i)) for i in sorted(wanted)]
        rules = [(i, r) for i, r in rules if r.path is None or r.path.search(path)]
        if not rules:
            return
        candidates: list[_Candidate] = []
        for assignment in self._extractor.extract(blob.data, blob.path, blob.windows):
            for _, compiled in rules:
                found = self._judge(compiled, assignment, blob, lines)
                if isinstance(found, Finding):
                    yield found
                elif found is not None:
                    candidates.append(found)
        for candidate in self._in_literals(blob, candidates):
            yield make_finding(candidate.rule, blob, candidate.start, candidate.end, lines)

    def _judge(self, c: _KeyRule, a: Assignment, blob: Blob, lines: LineIndex) -> Finding | _Candidate | None:
        rule = c.gate.rule
        if rule.value_quoted is not None and rule.value_quoted != a.quoted:
            return None
        key = a.key.encode()
        if c.key.search(key) is None or any(k.search(key) for k in c.key_allow):
            return None
        start, end = a.start, a.end
        if c.value is not None:
            match = c.value.fullmatch(blob.data, start, end)
            if match is None:
                return None
            start, end = match.span(c.secret_group)
            if end <= start:
                return None
        documented = self._documented.finding(rule, blob, start, end, lines)
        if documented is not None:
            return documented
        if not c.gate.accepts(blob.data, start, end, blob.path):
            return None
        return _Candidate(rule, start, end, a.quoted)

    def _in_literals(self, blob: Blob, candidates: list[_Candidate]) -> list[_Candidate]:
        """Quoted values that tree-sitter confirms are in a string literal (or a comment)."""
        quoted = [c for c in candidates if c.quoted]
        mark = _CODE_MARK.get(blob.path[blob.path.rfind("."):].lower())
        if not quoted or (mark is not None and mark not in blob.data):
            return candidates
        from reposcrub.parse.treesitter import Parsers, parse_context

        if self._parsers is None:
            self._parsers = Parsers()
        index = parse_context(blob.data, blob.path, self._parsers, spans=[(c.start, c.end) for c in quoted])
        if index is None:
            return candidates
        return [c for c in candidates if not c.quoted or index.context_at(c.start, c.end) in _LITERAL_CONTEXTS]
