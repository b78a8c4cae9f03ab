"""Keyword prefilter: one linear pass finds which rules can possibly match a blob.

Hyperscan matches all keywords at once; without it (an unsupported platform) a
plain substring search over the lower-cased blob gives the same answer, slower.
"""
from __future__ import annotations

import re
from collections.abc import Sequence

try:
    import hyperscan
except ImportError:  # pragma: no cover - depends on the platform
    hyperscan = None


HYPERSCAN_AFTER_BYTES = 256 << 10


class KeywordPrefilter:
    """Maps a blob to the indices of the rules whose keywords occur in it."""

    def __init__(self, keywords_per_rule: Sequence[Sequence[str]]) -> None:
        self._always = frozenset(i for i, kws in enumerate(keywords_per_rule) if not kws)
        self._keywords = sorted({k for kws in keywords_per_rule for k in kws})
        index = {k: n for n, k in enumerate(self._keywords)}
        self._rules_of: list[list[int]] = [[] for _ in self._keywords]
        for rule_index, kws in enumerate(keywords_per_rule):
            for k in kws:
                self._rules_of[index[k]].append(rule_index)
        self._db: object | None = None
        self._bytes_seen = 0

    def _compile(self) -> object:
        db = hyperscan.Database()
        flags = hyperscan.HS_FLAG_CASELESS | hyperscan.HS_FLAG_SINGLEMATCH
        db.compile(
            expressions=[re.escape(k).encode() for k in self._keywords],
            ids=list(range(len(self._keywords))),
            elements=len(self._keywords),
            flags=[flags] * len(self._keywords),
        )
        return db

    def candidates(self, data: bytes) -> set[int]:
        """Indices of rules to run on data (keyword-less rules always run)."""
        hits: set[int] = set(self._always)
        if not data:
            return hits
        for k in self._matched_keywords(data):
            hits.update(self._rules_of[k])
        return hits

    def _matched_keywords(self, data: bytes) -> set[int]:
        # Compiling the keyword database costs a fifth of a second: worth it for a
        # repository, not for the handful of small files a pre-commit run sees.
        self._bytes_seen += len(data)
        if self._db is None and hyperscan is not None and self._keywords and self._bytes_seen > HYPERSCAN_AFTER_BYTES:
            self._db = self._compile()
        if self._db is None:
            lowered = data.lower()
            return {n for n, k in enumerate(self._keywords) if k.encode() in lowered}
        found: set[int] = set()

        def on_match(kid: int, start: int, end: int, flags: int, ctx: object) -> None:
            found.add(kid)

        self._db.scan(data, match_event_handler=on_match)  # type: ignore[attr-defined]
        return found
