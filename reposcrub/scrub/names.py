"""The organisation's names and codenames and what replaces each, as whole phrases.

A name is its words (``Globex Corporation`` -> globex, corporation); a match is the
phrase in any case and separator style (``GLOBEX_CORPORATION``, ``GlobexCorporation``),
replaced as one: every word of a codename goes (``Data Streams Core`` -> ``Codename3``,
never ``Codename3 Streams Core``), an org name keeps only generic company words
(``Globex Corporation`` -> ``Example Corporation``), or every other word when it is built
on another org name of the profile (``GlobexAPI`` -> ``ExampleAPI`` when ``Globex`` is one). The style is read word by word
from the match, so ``FooBar`` for the org ``Foobar`` is ``Example``, not ``ExampleBar``.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from reposcrub.detectors.identifiers import name_boundaries_ok, name_regex, name_words
from reposcrub.profile import Profile
from reposcrub.scrub.style import restyle, shaped_like

ORG_WORDS = ("example", "sample", "demo", "placeholder")
# Words of an org name that say what kind of company it is, not which: kept.
COMPANY_WORDS = frozenset({
    "corp", "corporation", "inc", "incorporated", "ltd", "limited", "llc", "gmbh", "ag", "sa", "plc", "bv", "co",
    "company", "group", "holdings", "labs", "lab", "technologies", "technology", "tech", "software", "systems",
    "solutions", "industries", "international", "hq",
})


@dataclass(frozen=True, slots=True)
class _Name:
    words: tuple[str, ...]
    replacement: tuple[str, ...]


class NameTable:
    """Every profile name and codename, keyed by its joined lower-case words."""

    def __init__(self, profile: Profile) -> None:
        self._names: dict[str, _Name] = {}
        first: dict[str, str] = {}

        def lead(word: str) -> str:
            return first.setdefault(word, ORG_WORDS[len(first)] if len(first) < len(ORG_WORDS) else f"example{len(first) + 1}")

        names = [tuple(name_words(n)) for n in profile.names]
        for words in names:
            if len(words) == 1:
                self._add(words, (lead(words[0]),))
        for words in names:
            if len(words) > 1 and any(w in first for w in words):  # MyAcme, AcmeAPI: the org's own word goes
                self._add(words, tuple(first.get(w, w) for w in words))
            elif len(words) > 1:
                self._add(words, (lead(words[0]), *(w for w in words[1:] if w in COMPANY_WORDS)))
        for i, name in enumerate(profile.codenames):
            words = tuple(name_words(name))
            if words:
                self._add(words, (f"codename{i + 1}",))
        phrases = sorted(self._names.values(), key=lambda n: -len("".join(n.words)))
        body = "|".join(f"(?:{name_regex(' '.join(n.words))})" for n in phrases)
        self._pattern = re.compile(body, re.I) if body else None

    def _add(self, words: tuple[str, ...], replacement: tuple[str, ...]) -> None:
        self._names.setdefault("".join(words), _Name(words, replacement))

    def replacement(self, value: str) -> str | None:
        """value (a match of one name, in any style) replaced, in its style; None if no name."""
        name = self._names.get("".join(name_words(value)))
        if name is None:
            return None
        return _restyled(value, name) or restyle(value, list(name.replacement))

    def substitute(self, text: str) -> str:
        """Every name in text (at word boundaries, camel humps counting) replaced."""
        if self._pattern is None:
            return text
        data = text.encode("utf-8", "surrogateescape")
        out, last = [], 0
        for m in self._pattern.finditer(text):
            start, end = len(text[: m.start()].encode()), len(text[: m.end()].encode())
            new = self.replacement(m.group())
            if new is None or not name_boundaries_ok(data, start, end, strict=False):
                continue
            out += [text[last : m.start()], new]
            last = m.end()
        return "".join(out) + text[last:]


def _pieces(value: str, words: tuple[str, ...]) -> tuple[list[str], list[str]] | None:
    """value cut into the name's words as written and the separators between them."""
    pieces, seps, i = [], [], 0
    for k, word in enumerate(words):
        if value[i : i + len(word)].lower() != word:
            return None
        pieces.append(value[i : i + len(word)])
        i += len(word)
        if k + 1 < len(words):
            sep = value[i] if i < len(value) and (value[i].isspace() or value[i] in "_.-") else ""
            seps.append(sep)
            i += len(sep)
    return (pieces, seps) if i == len(value) else None


def _restyled(value: str, name: _Name) -> str | None:
    cut = _pieces(value, name.words)
    if cut is None:
        return None
    pieces, seps = cut
    out = []
    for k, word in enumerate(name.replacement):
        if k:
            out.append(seps[min(k, len(seps)) - 1] if seps else "")
        out.append(shaped_like(pieces[min(k, len(pieces) - 1)], word))
    return "".join(out)
