"""The organisation everywhere: names in every case and separator style, codenames,
namespaces, domains and their e-mail addresses, ticket keys and people, from the profile.

RE2 finds candidates case-insensitively; word boundaries are then checked here because
they are camel-case aware (``getAcmeToken`` and ``AcmeClient`` count, ``acmetric`` and
``pacme`` do not), which a regex without lookaround cannot say.
"""
from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass

import re2

from reposcrub.delta import matches_in, windowed_text
from reposcrub.detectors.prefilter import KeywordPrefilter
from reposcrub.findings import LineIndex, make_finding
from reposcrub.model import Blob, Finding, Rule
from reposcrub.people import handles, is_service
from reposcrub.profile import Profile

_CAMEL = re.compile(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|[0-9]+")


def name_words(name: str) -> list[str]:
    """'AcmeCorp', 'acme_corp', 'Acme Corp' -> ['acme', 'corp']."""
    return [w.lower() for w in _CAMEL.findall(name)]


def _alnum(chunk: bytes) -> bool:
    """Whether chunk is one UTF-8 letter or digit: Mixpanel’s ends at the typographic
    apostrophe, Zürich's ü is part of its word, and bytes of a binary are not letters."""
    try:
        text = chunk.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return len(text) == 1 and text.isalnum()


def _word_at(data: bytes, i: int) -> bool:
    """Whether the character starting at byte i is a letter or digit."""
    b = data[i]
    if b < 0x80:
        return chr(b).isalnum()
    size = 2 if b < 0xE0 else 3 if b < 0xF0 else 4
    return _alnum(data[i : i + size])


def _word_before(data: bytes, i: int) -> bool:
    """Whether the character ending just before byte i is a letter or digit."""
    b = data[i - 1]
    if b < 0x80:
        return chr(b).isalnum()
    j = i - 1
    while j > 0 and i - j < 4 and 0x80 <= data[j] <= 0xBF:  # back over continuation bytes
        j -= 1
    return _alnum(data[j:i])


def _is_upper(b: int) -> bool:
    return 0x41 <= b <= 0x5A


def _is_lower_or_digit(b: int) -> bool:
    return 0x61 <= b <= 0x7A or 0x30 <= b <= 0x39


def name_boundaries_ok(data: bytes, start: int, end: int, strict: bool) -> bool:
    """Word boundaries for a name; camel humps count unless strict (ambiguous names)."""
    first, last = data[start], data[end - 1]
    if start > 0 and _word_before(data, start):
        if strict or not (_is_lower_or_digit(data[start - 1]) and _is_upper(first)):
            return False
    if end < len(data) and _word_at(data, end):
        nxt = data[end]
        plural = nxt in (0x73, 0x53) and not (end + 1 < len(data) and _word_at(data, end + 1))  # Acmes, ACMES
        hump = _is_upper(nxt) and (not _is_upper(last) or data[start:end].isupper())
        if not (plural or (not strict and (hump or 0x30 <= nxt <= 0x39))):
            return False
    if strict and not _is_upper(first):
        return False  # an ordinary word counts only capitalised: "Square", not "square"
    return True


def _plain_boundaries_ok(data: bytes, start: int, end: int) -> bool:
    before = start > 0 and (data[start - 1] == 0x5F or _word_before(data, start))
    after = end < len(data) and (data[end] == 0x5F or _word_at(data, end))
    return not (before or after)


@dataclass(frozen=True, slots=True)
class _Term:
    rule: Rule
    pattern: object
    keyword: str
    mode: str  # "name", "strict-name", "plain", "email" or "ticket"
    note: str = ""


def name_regex(name: str) -> str:
    """The name's words as a phrase in any separator style: acme corp, acme_corp, AcmeCorp."""
    return r"[\s_.-]?".join(re.escape(w) for w in name_words(name))


def _name_regex(name: str) -> str:
    return r"(?i)" + name_regex(name)


def _domain_regex(domain: str) -> str:
    # Labels may hold '_' in practice (SHOP_NAME.acme.com, _dmarc.acme.com).
    return r"(?i)(?:[a-z0-9_-]{1,63}\.){0,8}" + re.escape(domain)


def _email_regex(domain: str) -> str:
    return r"(?i)[a-z0-9][a-z0-9._%+-]{0,63}@(?:[a-z0-9_-]{1,63}\.){0,8}" + re.escape(domain)


# Before an e-mail's local part, these mean templating (%s@, %(user)s@), not an address.
_TEMPLATE_BEFORE = frozenset(b"%)}$")


def _email_boundaries_ok(data: bytes, start: int, end: int) -> bool:
    return _plain_boundaries_ok(data, start, end) and (start == 0 or data[start - 1] not in _TEMPLATE_BEFORE)


class IdentifierDetector:
    """Finds the profile's organisation, codenames, namespaces, domains, tickets and people."""

    def __init__(self, profile: Profile, rules: Sequence[Rule]) -> None:
        by_id = {r.id: r for r in rules}
        self._terms = [t for t in self._build(profile, by_id) if t is not None]
        self._prefilter = KeywordPrefilter([(t.keyword,) for t in self._terms])

    def _build(self, profile: Profile, by_id: dict[str, Rule]) -> Iterator[_Term | None]:
        def term(rule_id: str, regex: str, keyword: str, mode: str, note: str = "") -> _Term | None:
            rule = by_id.get(rule_id)
            if rule is None or not keyword:
                return None
            # Lower-case keywords match case-insensitively in the prefilter.
            return _Term(rule, re2.compile(regex.encode()), keyword.lower(), mode, note)

        ambiguous = {a.lower() for a in profile.ambiguous}
        for name in profile.names:
            strict = name.lower() in ambiguous
            note = "ambiguous name: counted only in a strong context" if strict else ""
            yield term("ident/org-name", _name_regex(name), name_words(name)[0] if name_words(name) else "",
                       "strict-name" if strict else "name", note)
        for name in profile.codenames:
            yield term("ident/codename", _name_regex(name), name_words(name)[0] if name_words(name) else "", "name")
        for ns in profile.namespaces:
            yield term("ident/namespace", r"(?i)" + re.escape(ns), ns, "plain")
        for domain in profile.domains:
            yield term("pii/org-email", _email_regex(domain), domain, "email")
            yield term("host/org-domain", _domain_regex(domain), domain, "plain")
        for prefix in profile.ticket_prefixes:
            yield term("ident/ticket-key", r"\b" + re.escape(prefix.upper()) + r"-[0-9]{1,7}\b", prefix + "-", "ticket")
        yield from self._people(profile, term)

    @staticmethod
    def _people(profile: Profile, term: Callable[..., _Term | None]) -> Iterator[_Term | None]:
        """A person's full name as a phrase in any case and separator style (Jane Doe, jane_doe,
        JaneDoe), and their handles (people.handles); never one word of their name alone."""
        seen: set[str] = set()
        for person in profile.people:
            if is_service(person.name, person.emails[0] if person.emails else ""):
                continue
            names = [n for n in (person.name, *person.aliases) if len(name_words(n)) >= 2]
            for phrase in [*names, *handles((person.name, *person.aliases), person.emails)]:
                key = "".join(name_words(phrase))
                if key and key not in seen:
                    seen.add(key)
                    yield term("pii/person-name", _name_regex(phrase), name_words(phrase)[0], "name")
            for email in person.emails:
                yield term("pii/person-email", r"(?i)" + re.escape(email), email, "plain")

    def detect(self, blob: Blob) -> Iterator[Finding]:
        data = blob.data
        if not data or not self._terms or b"\0" in data[:8192]:
            return
        if blob.windows == ():
            return  # nothing changed since the version scanned before
        spans = sorted(self._candidates(data, blob.windows), key=lambda c: (c[0], -(c[1] - c[0])))
        lines = LineIndex(data) if spans else None
        covered_to = -1
        for start, end, t in spans:
            if end <= covered_to:
                continue  # inside a longer match already reported (acme inside com.acme)
            covered_to = end
            yield make_finding(t.rule, blob, start, end, lines, note=t.note)

    def _candidates(self, data: bytes, windows: tuple[tuple[int, int], ...] | None) -> Iterator[tuple[int, int, _Term]]:
        for index in self._prefilter.candidates(windowed_text(data, windows)):
            t = self._terms[index]
            for match in matches_in(t.pattern, data, windows):
                start, end = match.span()
                if end <= start:
                    continue
                if t.mode == "ticket":
                    ok = True  # \b on both sides in the pattern: ACME-12 in feature/ACME-12-fix
                elif t.mode == "plain":
                    ok = _plain_boundaries_ok(data, start, end)
                elif t.mode == "email":
                    ok = _email_boundaries_ok(data, start, end)
                else:
                    ok = name_boundaries_ok(data, start, end, strict=t.mode == "strict-name")
                if ok:
                    yield start, end, t
