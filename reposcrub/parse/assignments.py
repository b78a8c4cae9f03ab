"""Key -> value extraction: every assignment whose key names a credential, in any syntax.

``Extractor.extract(data, path)`` gives (key, value span) records, the same whatever the
syntax: ``password = "x"``, ``define('DB_PASSWORD', 'x')``, ``<add key="ApiKey" value="x"/>``,
``export TOKEN=x``, ``PASS := x``, ``- KEY=x``, ``"A=1\\nKEY=x"``. Keys are normalised
(lower case, words joined by ``_``, camelCase split) and prefixed with their YAML parents or
INI section, so a rule names the key it wants, not how the assignment is written.
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from typing import Any

import re2

from reposcrub.delta import Windows, matches_in
from reposcrub.parse.grammar import LOCATOR_WORDS, build, ending
from reposcrub.parse.keypath import family_for, key_path, normalise

MAX_KEY = 200  # longer "keys" are not names
MAX_VALUE = 4096
_MEMO = 50_000  # normalised keys kept: the same few keys recur thousands of times
# Keys whose parents (YAML, JSON, INI section) are looked up, per blob: each lookup reads back
# a bounded window, so a hostile file of a million keys still costs linear time.
PARENT_BUDGET = 200
_ATTR = re.compile(r"""([A-Za-z_][\w:.-]{0,100})[ \t\r\n]*=[ \t\r\n]*(?:"([^"<>]{0,4096})"|'([^'<>]{0,4096})')""")
_KEY_ATTRS = frozenset({"key", "name", "id"})
_NOT_KEYS = _KEY_ATTRS | {"type", "class", "for", "value", "xmlns", "href", "src", "autocomplete", "placeholder"}


@dataclass(frozen=True, slots=True)
class Assignment:
    """A value given to a key: the value's span in the blob (contents, without quotes)."""

    key: str  # normalised: "spring_datasource_password"
    start: int
    end: int
    quoted: bool  # a quoted literal, rather than a bare token of a config or shell line
    syntax: str  # the grammar alternative that found it ("assign", "line", "element", ...)


@dataclass(frozen=True, slots=True)
class _Part:
    regex: Any  # re2: one alternative with its groups
    key: int
    syntax: str
    values: list[tuple[int, bool]]  # value groups, and whether each holds a quoted literal


def _spans(match: Any) -> Any:
    """Every group's (start, end), by index. The binding keeps them as a list; reading it
    saves a checked span() call per group, which a grammar of many alternatives multiplies."""
    spans = getattr(match, "_spans", None)
    return spans if spans is not None else [match.span(i) for i in range(match.re.groups + 1)]


class Extractor:
    """Finds assignments; one per worker (compiled grammars are kept, per family)."""

    def __init__(self, words: Iterable[str] = ()) -> None:
        """words: more words a credential's key may end with (short or odd ones are left out)."""
        extra = {w.lower() for w in words if len(w) >= 5 and w.replace("_", "").isalnum()}
        self.words = tuple(sorted({*LOCATOR_WORDS, *extra}))
        self._grammars: dict[str, tuple[Any, list[_Part]]] = {}
        self._locator = re.compile(f"(?:{ending(self.words)})$")
        self._normalised: dict[bytes, str] = {}

    def _grammar(self, family: str) -> tuple[Any, list[_Part]]:
        if family not in self._grammars:
            grammar = build(family, self.words)
            options = re2.Options()
            options.max_mem = 256 << 20
            parts = []
            for source, alt in zip(grammar.parts, grammar.alternatives):
                compiled = re2.compile(source.encode(), options)
                index = {name.decode(): i for name, i in compiled.groupindex.items()}
                values = [(index[f"v{s}"], alt.quoted and s != "r") for s in ("", "t", "s", "b", "e", "r")
                          if f"v{s}" in index]
                parts.append(_Part(compiled, index["k"], alt.name, values))
            self._grammars[family] = (re2.compile(grammar.scan.encode(), options), parts)
        return self._grammars[family]

    def extract(self, data: bytes, path: str, windows: Windows | None = None) -> list[Assignment]:
        """Assignments in data (only inside windows, when given) as path's format writes them."""
        family = family_for(path)
        scan, parts = self._grammar(family)
        out: list[Assignment] = []
        budget = PARENT_BUDGET
        for hit in matches_in(scan, data, windows):
            where, stop = hit.span()
            for part in parts:  # the first alternative that matches here is the one the scan took
                match = part.regex.match(data, where, stop)
                if match is None:
                    continue
                spans = _spans(match)
                start, end = spans[part.key]
                if part.syntax == "tag":
                    out.extend(self._tag(data, start, end))
                elif end - start <= MAX_KEY:
                    found = self._one(data, spans, start, end, part.syntax, part.values)
                    if found is not None:
                        if budget > 0:
                            budget -= 1
                            found = replace(found, key=key_path(data, start, path, family, found.key))
                        out.append(found)
                break
        return out

    def _one(self, data: bytes, spans: Any, start: int, end: int, syntax: str,
             values: list[tuple[int, bool]]) -> Assignment | None:
        for group, quoted in values:
            low, high = spans[group]
            if low >= 0:
                if high - low > MAX_VALUE:
                    return None
                key = self.normalise(data[start:end])
                if syntax == "connect-call":
                    key += "_password"  # the third argument of a connect call is its password
                return Assignment(key, low, high, quoted, syntax)
        return None

    def normalise(self, raw: bytes) -> str:
        """normalise(), remembered: the same few keys recur thousands of times in a repository."""
        key = self._normalised.get(raw)
        if key is None:
            if len(self._normalised) >= _MEMO:
                self._normalised.clear()
            key = self._normalised[raw] = normalise(raw.decode("utf-8", "replace"))
        return key

    def _tag(self, data: bytes, start: int, end: int) -> Iterator[Assignment]:
        """key="ApiKey" value="..." pairs and password="..." attributes of one tag."""
        text = data[start:end].decode("utf-8", "surrogateescape")
        attrs = [(m.group(1).lower(), m.start(2) if m.group(2) is not None else m.start(3), m.group(2) or m.group(3) or "")
                 for m in _ATTR.finditer(text)]
        named = next((v for n, _, v in attrs if n in _KEY_ATTRS and self._locator.search(v)), None)
        for name, offset, value in attrs:
            if not value:
                continue
            if name == "value" and named is not None:
                key = named
            elif name not in _NOT_KEYS and self._locator.search(name):
                key = name
            else:
                continue
            low = start + len(text[:offset].encode("utf-8", "surrogateescape"))
            yield Assignment(normalise(key), low, low + len(value.encode("utf-8", "surrogateescape")), True, "tag")
