"""Many literal-ish terms found in one pass: people, their handles, org names, codenames,
namespaces, domains.

A profile with a few thousand people (every git identity of a large project) would cost
one regular-expression search per term per blob, almost all finding nothing. Hyperscan
matches every term at once in linear time and says which term matched and where; the
callers then check word boundaries on the few hits. The compiled database is cached on
disk by the hash of its patterns (a few thousand names take about a second to compile),
in a cache directory the caller names and that is kept to a few files.

Without hyperscan (an unsupported platform) each term runs its own RE2 search: the same
answer, slower.
"""
from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Iterator, Sequence
from importlib.util import find_spec
from pathlib import Path
from typing import Any

import re2

HAVE_HYPERSCAN = find_spec("hyperscan") is not None
CACHE_FILES = 8  # compiled databases kept; older ones are removed
_CHUNK = 1500  # patterns per database: very large sets of start-of-match patterns do not compile
_MIN_FOR_DATABASE = 8  # fewer terms than this search faster one by one than a database loads

Windows = tuple[tuple[int, int], ...]


class TermSet:
    """Every match of every pattern in data: (start, end, pattern index), sorted by start.

    Patterns are RE2/hyperscan syntax without anchors or unbounded repeats (a name's
    words with optional separators, an escaped literal), each matched case-insensitively.
    As with ``finditer``, matches of one pattern do not overlap; matches of different
    patterns may.
    """

    def __init__(self, patterns: Sequence[bytes], cache_dir: Path | None = None) -> None:
        self.patterns = list(patterns)
        self._cache_dir = cache_dir
        self._databases: list[tuple[int, Any]] | None = None
        self._regexes: list[Any] | None = None

    def __len__(self) -> int:
        return len(self.patterns)

    def matches(self, data: bytes, windows: Windows | None = None) -> list[tuple[int, int, int]]:
        """Matches in data, or only inside each window (never across two)."""
        if not data or not self.patterns:
            return []
        spans = [(0, len(data))] if windows is None else list(windows)
        if HAVE_HYPERSCAN and len(self.patterns) >= _MIN_FOR_DATABASE:
            raw = [m for start, end in spans for m in self._hyperscan(data, start, end)]
        else:
            raw = [m for start, end in spans for m in self._one_by_one(data, start, end)]
        return _non_overlapping(raw)

    def _one_by_one(self, data: bytes, start: int, end: int) -> Iterator[tuple[int, int, int]]:
        if self._regexes is None:
            self._regexes = [re2.compile(b"(?i)" + p) for p in self.patterns]
        for index, regex in enumerate(self._regexes):
            for m in regex.finditer(data, start, end):
                if m.end() > m.start():
                    yield m.start(), m.end(), index

    def _hyperscan(self, data: bytes, start: int, end: int) -> list[tuple[int, int, int]]:
        if self._databases is None:
            self._databases = [(offset, _database(self.patterns[offset:offset + _CHUNK], self._cache_dir))
                               for offset in range(0, len(self.patterns), _CHUNK)]
        found: list[tuple[int, int, int]] = []
        view = memoryview(data)[start:end] if (start, end) != (0, len(data)) else data
        for offset, db in self._databases:
            def on_match(index: int, s: int, e: int, flags: int, ctx: object, offset: int = offset) -> None:
                if e > s:
                    found.append((start + s, start + e, offset + index))

            db.scan(bytes(view) if isinstance(view, memoryview) else view, match_event_handler=on_match)
        return found


def _non_overlapping(raw: list[tuple[int, int, int]]) -> list[tuple[int, int, int]]:
    """Per pattern, the leftmost match first and then the next one after it, as finditer
    gives them; hyperscan reports every end it sees."""
    raw.sort(key=lambda m: (m[2], m[0], -m[1]))
    kept: list[tuple[int, int, int]] = []
    last_index, last_end = -1, -1
    for start, end, index in raw:
        if index == last_index and start < last_end:
            continue
        kept.append((start, end, index))
        last_index, last_end = index, end
    kept.sort(key=lambda m: (m[0], -m[1], m[2]))
    return kept


def _database(patterns: Sequence[bytes], cache_dir: Path | None) -> Any:
    import hyperscan

    digest = hashlib.sha256(str(getattr(hyperscan, "__version__", "")).encode())
    for p in patterns:
        digest.update(len(p).to_bytes(4, "big") + p)
    key = digest.hexdigest()[:32]
    cached = _load(cache_dir, key) if cache_dir is not None else None
    if cached is not None:
        return cached
    db = hyperscan.Database()
    flags = hyperscan.HS_FLAG_CASELESS | hyperscan.HS_FLAG_SOM_LEFTMOST
    db.compile(expressions=list(patterns), ids=list(range(len(patterns))), elements=len(patterns),
               flags=[flags] * len(patterns))
    if cache_dir is not None:
        _store(cache_dir, key, hyperscan.dumpb(db))
    return db


def _load(cache_dir: Path, key: str) -> Any:
    import hyperscan

    path = cache_dir / f"terms-{key}.hsdb"
    try:
        data = path.read_bytes()
        db = hyperscan.loadb(data, hyperscan.HS_MODE_BLOCK)
        db.scratch = hyperscan.Scratch(db)  # a loaded database comes without one
    except (OSError, hyperscan.error):
        return None
    os.utime(path)  # recently used: kept when the cache is trimmed
    return db


def _store(cache_dir: Path, key: str, data: bytes) -> None:
    """Write atomically, then keep only the CACHE_FILES most recently used databases.
    A cache that cannot be written is no error: the next run compiles again."""
    try:
        cache_dir.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=cache_dir, prefix=".terms-", suffix=".tmp")
        with os.fdopen(fd, "wb") as out:
            out.write(data)
        os.replace(tmp, cache_dir / f"terms-{key}.hsdb")
        kept = sorted(cache_dir.glob("terms-*.hsdb"), key=lambda p: p.stat().st_mtime, reverse=True)
        for old in kept[CACHE_FILES:]:
            old.unlink(missing_ok=True)
    except OSError:
        return
