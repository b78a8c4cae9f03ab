"""Deterministic, consistent, documentation-reserved replacements for every finding.

The same value always gets the same replacement in one run. Numbers (Person 3,
REDACTED_AWS_ACCESS_KEY_ID_2) are assigned in an order that depends only on the
values and the salt, so two runs with the same salt give identical output.
"""
from __future__ import annotations

import base64
import hashlib
import ipaddress
import json
import re
from collections import defaultdict
from collections.abc import Iterable
from urllib.parse import quote, urlsplit

from reposcrub.detectors.identifiers import name_boundaries_ok, name_words
from reposcrub.model import Finding
from reposcrub.profile import Profile
from reposcrub.scrub.style import restyle

MIN_LITERAL = 8  # shorter values are too likely to occur by chance
ORG_WORDS = ("example", "sample", "demo", "placeholder")
DOMAINS = ("example.com", "example.net", "example.org")
_IPV4_BLOCKS = ("192.0.2.", "198.51.100.", "203.0.113.")
_HOME = re.compile(r"(?P<pre>(?:/Users/|/home/|[A-Za-z]:(?:\\\\|\\|/)Users(?:\\\\|\\|/)))(?P<name>[^/\\\s'\"]+)")


class Replacer:
    """Maps found values to replacements; see PRODUCT.md 'Replacements'."""

    def __init__(self, profile: Profile, salt: str = "") -> None:
        self.profile = profile
        self.salt = salt
        self._numbers: dict[str, dict[str, int]] = defaultdict(dict)
        self.literals: dict[bytes, bytes] = {}  # every known form of a found secret -> its replacement
        self._first_words: dict[str, str] = {}
        for i, name in enumerate(profile.names):
            words = name_words(name)
            if words:
                self._first_words.setdefault(words[0], ORG_WORDS[i] if i < len(ORG_WORDS) else f"example{i + 1}")
        for i, name in enumerate(profile.codenames):
            words = name_words(name)
            if words:
                self._first_words.setdefault(words[0], f"codename{i + 1}")
        self._name_pattern = (
            re.compile("|".join(re.escape(w) for w in sorted(self._first_words, key=len, reverse=True)), re.I)
            if self._first_words else None
        )
        ambiguous = {w for a in profile.ambiguous for w in name_words(a)[:1]}
        anywhere = sorted((w for w in self._first_words if w not in ambiguous and len(w) >= 3 and w.isascii()),
                          key=len, reverse=True)
        self.anywhere_words = anywhere  # lower case: matched case-insensitively
        self._anywhere = re.compile("|".join(re.escape(w) for w in anywhere).encode(), re.I) if anywhere else None
        self._domains = {d: DOMAINS[i] if i < len(DOMAINS) else f"d{i + 1}.example.com" for i, d in enumerate(profile.domains)}
        self._tickets = {p.upper(): "PROJ" + ("" if i == 0 else chr(ord("A") + i)) for i, p in enumerate(profile.ticket_prefixes)}

    # Numbering --------------------------------------------------------------------

    def _key(self, value: str) -> str:
        return hashlib.sha256((self.salt + "\0" + value).encode("utf-8", "surrogateescape")).hexdigest()

    def prepare(self, identities: Iterable[tuple[bytes, bytes]], findings: Iterable[Finding]) -> None:
        """Number every known identity and value up front, in an order that depends only
        on the values and the salt, so that two runs give identical output."""
        for name, email in sorted(set(identities), key=lambda ne: self._key(ne[1].decode("utf-8", "replace").lower())):
            self.identity(name, email)
        unique = {(f.rule_id, f.value): f for f in findings if f.end > f.start}
        for key in sorted(unique, key=lambda k: self._key(k[0] + "\0" + k[1].decode("utf-8", "surrogateescape"))):
            self.replace(unique[key])

    def number(self, kind: str, value: str) -> int:
        table = self._numbers[kind]
        if value not in table:
            table[value] = len(table) + 1
        return table[value]

    # Replacements -----------------------------------------------------------------

    def replace(self, f: Finding) -> bytes:
        value = f.value.decode("utf-8", "surrogateescape")
        method = getattr(self, "_" + f.category, self._other)
        return method(f, value).encode("utf-8", "surrogateescape")

    def _secret(self, f: Finding, value: str) -> str:
        slug = f.rule_id.split("/", 1)[1].upper().replace("-", "_").replace(".", "_")
        token = f"REDACTED_{slug}_{self.number('secret:' + f.rule_id, value)}"
        self._remember_literal(value, token)
        if "-----BEGIN" in value and "-----END" in value:
            head, _, rest = value.partition("\n")
            tail = rest.rstrip().rsplit("\n", 1)[-1]
            return f"{head}\n{token}\n{tail}"
        return token

    def _remember_literal(self, value: str, token: str) -> None:
        """The secret as it may appear elsewhere, where no rule would see it: bare,
        percent-encoded, JSON-escaped, base64. Each form is replaced wherever it occurs."""
        if len(value) < MIN_LITERAL or "\n" in value:
            return
        raw = value.encode("utf-8", "surrogateescape")
        escaped = json.dumps(value)[1:-1]
        forms = {raw, quote(value, safe="").encode(), escaped.encode(), escaped.replace("/", "\\/").encode(),
                 base64.b64encode(raw).rstrip(b"="), base64.urlsafe_b64encode(raw).rstrip(b"=")}
        for form in forms:
            self.literals.setdefault(form, token.encode())

    def _host(self, f: Finding, value: str) -> str:
        if "://" in value:
            parts = urlsplit(value)
            host = parts.hostname or ""
            return value.replace(host, self.host(host), 1) if host else value
        if value.startswith(("\\\\", "//")):
            sep = value[0]
            lead = len(value) - len(value.lstrip(sep))
            server, _, rest = value[lead:].partition(sep)
            return value[:lead] + self.host(server).split(".")[0] + (sep + rest if rest else "")
        return self.host(value)

    def host(self, value: str) -> str:
        ip = _ip(value)
        if ip is not None:
            n = self.number("ip", value)
            if ip.version == 6:
                return f"2001:db8::{n:x}"
            block, index = divmod(n - 1, 254)
            return f"{_IPV4_BLOCKS[block % 3]}{index + 1}"
        lowered = value.lower().rstrip(".")
        for domain, replacement in self._domains.items():
            if lowered == domain or lowered.endswith("." + domain):
                labels = value[: len(value) - len(domain)].rstrip(".")
                prefix = self.substitute_names(labels) if labels else ""
                return f"{prefix}.{replacement}" if prefix else replacement
        return f"host{self.number('host', lowered)}.example.com"

    def identity(self, name: bytes, email: bytes) -> tuple[bytes, bytes]:
        """Person N <person-N@example.com>; the person's name elsewhere gets the same N."""
        text_email = email.decode("utf-8", "surrogateescape").lower()
        if text_email in {k.lower() for k in self.profile.keep_identity}:
            return name, email
        n = self.number("person", "email:" + text_email)
        words = name_words(name.decode("utf-8", "surrogateescape"))
        if len(words) >= 2:
            self._numbers["person"].setdefault("name:" + " ".join(words), n)
        return f"Person {n}".encode(), f"person-{n}@example.com".encode()

    def _pii(self, f: Finding, value: str) -> str:
        if "@" in value and f.rule_id != "pii/home-path":
            return f"person-{self.number('person', 'email:' + value.lower())}@example.com"
        if f.rule_id == "pii/person-name":
            return restyle(value, ["person", str(self.number("person", "name:" + " ".join(name_words(value))))])
        if "phone" in f.rule_id:
            return f"+1-202-555-01{self.number('phone', value) % 100:02d}"
        if "home" in f.rule_id or "path" in f.rule_id:
            replaced = _HOME.sub(lambda m: m.group("pre") + "user", value)
            return replaced if replaced != value else "user"
        return f"REDACTED_PII_{self.number('pii', value)}"

    def _ident(self, f: Finding, value: str) -> str:
        if f.rule_id == "ident/ticket-key":
            prefix, _, number = value.rpartition("-")
            return f"{self._tickets.get(prefix.upper(), 'PROJ')}-{number}"
        replaced = self.substitute_names(value)
        if replaced != value:
            return replaced
        return restyle(value, [f"example{self.number('ident', value.lower())}"]) if f.rule_id != "ident/namespace" \
            else _namespace_stub(value, self.number("namespace", value.lower()))

    def _marker(self, f: Finding, value: str) -> str:
        return ""

    def _other(self, f: Finding, value: str) -> str:
        return f"REDACTED_{f.category.upper()}_{self.number(f.category, value)}"

    def substitute_names_anywhere(self, data: bytes) -> bytes:
        """Org names and codenames left inside longer words (acmeutils, ACMEHQ), restyled.

        The detectors stop at word boundaries so that a scan stays precise; a copy that
        leaves the organisation must hold no trace of the name at all. Names the profile
        marks ambiguous (ordinary words) are left alone here.
        """
        if self._anywhere is None:
            return data

        def one(m: re.Match[bytes]) -> bytes:
            word = m.group().decode("ascii")
            return restyle(word, [self._first_words[word.lower()]]).encode("ascii")

        return self._anywhere.sub(one, data)

    def substitute_names(self, text: str) -> str:
        """Every org name and codename inside text, restyled: acme-corp -> example-corp."""
        if self._name_pattern is None:
            return text
        data = text.encode("utf-8", "surrogateescape")
        out, last = [], 0
        for m in self._name_pattern.finditer(text):
            start, end = len(text[: m.start()].encode()), len(text[: m.end()].encode())
            if not name_boundaries_ok(data, start, end, strict=False):
                continue
            out.append(text[last : m.start()])
            out.append(restyle(m.group(), [self._first_words[m.group().lower()]]))
            last = m.end()
        return "".join(out) + text[last:]


def _ip(value: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(value.strip("[]").split("%")[0])
    except ValueError:
        return None


def _namespace_stub(value: str, n: int) -> str:
    if value.startswith("@"):
        return f"@example{n}"
    sep = "/" if "/" in value else "."
    parts = value.split(sep)
    return sep.join(parts[:-1] + [f"example{n}"])
