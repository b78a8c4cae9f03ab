"""Keyword prefilter: one linear pass finds which rules can possibly match a blob.

A keyword is a literal, matched case-insensitively when written in lower case and
exactly otherwise (``YC`` must not fire on every ``async``), or, written ``re:...``,
a small regular expression for prefixes too common as literals (``pat`` + 14
characters + ``.``). Hyperscan matches all keywords at once; without it (an
unsupported platform) plain substring and RE2 searches give the same answer, slower.
"""
from __future__ import annotations

import re
from collections.abc import Sequence

from importlib.util import find_spec

import re2

HAVE_HYPERSCAN = find_spec("hyperscan") is not None  # imported when first needed

HYPERSCAN_AFTER_BYTES = 256 << 10
HYPERSCAN_AFTER_BLOBS = 200  # history yields thousands of small messages and paths first
REGEX_PREFIX = "re:"


def _expression(keyword: str) -> tuple[bytes, bool]:
    """(regular expression, caseless) for one keyword."""
    if keyword.startswith(REGEX_PREFIX):
        return keyword[len(REGEX_PREFIX):].encode(), False
    return re.escape(keyword).encode(), keyword == keyword.lower()


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
        self._blobs_seen = 0
        self._forms = [_expression(k) for k in self._keywords]
        self._literals = [(n, k.encode(), caseless) for n, (k, (_, caseless)) in enumerate(zip(self._keywords, self._forms))
                          if not k.startswith(REGEX_PREFIX)]
        self._regexes = {n: re2.compile(expression) for n, (k, (expression, _)) in enumerate(zip(self._keywords, self._forms))
                         if k.startswith(REGEX_PREFIX)}

    def _compile(self) -> object:
        import hyperscan

        db = hyperscan.Database()
        expressions, flags = [], []
        for expression, caseless in self._forms:
            expressions.append(expression)
            flags.append(hyperscan.HS_FLAG_SINGLEMATCH | (hyperscan.HS_FLAG_CASELESS if caseless else 0))
        db.compile(expressions=expressions, ids=list(range(len(self._keywords))),
                   elements=len(self._keywords), flags=flags)
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
        # Compiling the keyword database costs a tenth of a second: worth it for a
        # repository, not for the handful of small files a pre-commit run sees.
        self._bytes_seen += len(data)
        self._blobs_seen += 1
        worth_it = self._bytes_seen > HYPERSCAN_AFTER_BYTES or self._blobs_seen > HYPERSCAN_AFTER_BLOBS
        if self._db is None and HAVE_HYPERSCAN and self._keywords and worth_it:
            self._db = self._compile()
        if self._db is None:
            return self._matched_slowly(data)
        found: set[int] = set()

        def on_match(kid: int, start: int, end: int, flags: int, ctx: object) -> None:
            found.add(kid)

        self._db.scan(data, match_event_handler=on_match)  # type: ignore[attr-defined]
        return found

    def _matched_slowly(self, data: bytes) -> set[int]:
        lowered = data.lower()
        found = {n for n, literal, caseless in self._literals if literal in (lowered if caseless else data)}
        found.update(n for n, regex in self._regexes.items() if regex.search(data) is not None)
        return found
