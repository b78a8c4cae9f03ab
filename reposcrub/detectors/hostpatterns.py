"""Host names that follow the organisation's naming conventions (profile ``[org] hosts``).

``*-devbox`` finds ``alice-devbox``; ``*.corp.acme.io`` finds ``build7.corp.acme.io`` and
``a.b.corp.acme.io``. A pattern matches a whole host name: ``setup-devbox.sh`` is a file
name, not the host ``setup-devbox``, so a name that goes on with ``.`` and a letter or digit
does not match. ``*`` stands for one or more host-name characters (letters, digits, ``-``,
``.``), starting and ending with a letter or digit.
"""
from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import re2

from reposcrub.delta import matches_in, windowed_text
from reposcrub.detectors.prefilter import KeywordPrefilter
from reposcrub.findings import LineIndex, make_finding
from reposcrub.model import Blob, Finding, Rule
from reposcrub.profile import Profile

RULE_ID = "host/org-host-pattern"
_WILDCARD = r"[a-z0-9](?:[a-z0-9.-]{0,200}[a-z0-9])?"


def _is_host_byte(b: int) -> bool:
    return chr(b).isalnum() or b in (0x2D, 0x2E, 0x5F)  # - . _


def pattern_regex(pattern: str) -> str:
    """'*-devbox' -> a case-insensitive regular expression for the host names it covers."""
    return "(?i)" + _WILDCARD.join(re.escape(part) for part in pattern.split("*"))


def whole_host(data: bytes, start: int, end: int) -> bool:
    """The match is the whole host name: nothing of a name before it or after it."""
    if start > 0 and (_is_host_byte(data[start - 1]) or data[start - 1] >= 0x80):
        return False
    if end < len(data):
        nxt = data[end]
        if nxt >= 0x80 or chr(nxt).isalnum() or nxt in (0x2D, 0x5F):
            return False
        if nxt == 0x2E and end + 1 < len(data) and chr(data[end + 1]).isalnum():
            return False
    return True


@dataclass(frozen=True, slots=True)
class _Pattern:
    regex: object
    keyword: str


class HostPatternDetector:
    """Finds host names matching the profile's host patterns."""

    def __init__(self, profile: Profile, rules: Sequence[Rule]) -> None:
        self._rule = next((r for r in rules if r.id == RULE_ID), None)
        patterns = profile.hosts if self._rule is not None else ()
        self._patterns = [_Pattern(re2.compile(pattern_regex(p).encode()), max(p.split("*"), key=len)) for p in patterns]
        self._prefilter = KeywordPrefilter([(p.keyword,) for p in self._patterns])

    def detect(self, blob: Blob) -> Iterator[Finding]:
        data = blob.data
        if self._rule is None or not self._patterns or not data or b"\0" in data[:8192] or blob.windows == ():
            return
        spans: set[tuple[int, int]] = set()
        for index in self._prefilter.candidates(windowed_text(data, blob.windows)):
            for match in matches_in(self._patterns[index].regex, data, blob.windows):
                start, end = match.span()
                if end > start and whole_host(data, start, end):
                    spans.add((start, end))
        lines = LineIndex(data) if spans else None
        for start, end in sorted(spans):
            yield make_finding(self._rule, blob, start, end, lines)
