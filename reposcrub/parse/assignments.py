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
from dataclasses import dataclass
from typing import Any

import re2

from reposcrub.delta import Windows, matches_in
from reposcrub.parse.grammar import LOCATOR_WORDS, Grammar, build, ending
from reposcrub.parse.keypath import family_for, key_path, normalise

MAX_KEY = 200  # longer "keys" are not names
MAX_VALUE = 4096
_MEMO = 50_000  # normalised keys kept: the same few keys recur thousands of times
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


class Extractor:
    """Finds assignments; one per worker (compiled grammars are kept, per family)."""

    def __init__(self, words: Iterable[str] = ()) -> None:
        """words: more words a credential's key may end with (short or odd ones are left out)."""
        extra = {w.lower() for w in words if len(w) >= 5 and w.replace("_", "").isalnum()}
        self.words = tuple(sorted({*LOCATOR_WORDS, *extra}))
        self._grammars: dict[str, tuple[Grammar, Any, list[tuple[int, str, list[tuple[int, bool]]]]]] = {}
        self._locator = re.compile(f"(?:{ending(self.words)})$")
        self._normalised: dict[bytes, str] = {}

    def _grammar(self, family: str) -> tuple[Grammar, Any, list[tuple[int, str, list[tuple[int, bool]]]]]:
        if family not in self._grammars:
            grammar = build(family, self.words)
            options = re2.Options()
            options.max_mem = 256 << 20
            compiled = re2.compile(grammar.source.encode(), options)
            index = {name.decode(): i for name, i in compiled.groupindex.items()}
            groups = []
            for i, alt in enumerate(grammar.alternatives):
                values = [(index[f"v{i}{s}"], alt.quoted and s != "r") for s in ("", "t", "s", "b", "e", "r")
                          if f"v{i}{s}" in index]
                groups.append((index[f"k{i}"], alt.name, values))
            self._grammars[family] = (grammar, compiled, groups)
        return self._grammars[family]

    def extract(self, data: bytes, path: str, windows: Windows | None = None) -> list[Assignment]:
        """Assignments in data (only inside windows, when given) as path's format writes them."""
        family = family_for(path)
        _, compiled, groups = self._grammar(family)
        out: list[Assignment] = []
        for match in matches_in(compiled, data, windows):
            for key_group, syntax, values in groups:
                start, end = match.span(key_group)
                if start < 0:
                    continue
                if syntax == "tag":
                    out.extend(self._tag(data, start, end))
                elif end - start <= MAX_KEY:
                    found = self._one(data, path, family, match, start, end, syntax, values)
                    if found is not None:
                        out.append(found)
                break
        return out

    def _one(self, data: bytes, path: str, family: str, match: Any, start: int, end: int, syntax: str,
             values: list[tuple[int, bool]]) -> Assignment | None:
        for group, quoted in values:
            low, high = match.span(group)
            if low >= 0:
                if high - low > MAX_VALUE:
                    return None
                key = self.normalise(data[start:end])
                if syntax == "connect-call":
                    key += "_password"  # the third argument of a connect call is its password
                return Assignment(key_path(data, start, path, family, key), low, high, quoted, syntax)
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
