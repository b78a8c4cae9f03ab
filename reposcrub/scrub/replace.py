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

from reposcrub.detectors.identifiers import name_words
from reposcrub.model import Finding
from reposcrub.people import handles, is_placeholder, is_service
from reposcrub.profile import Person, Profile
from reposcrub.scrub.names import NameTable
from reposcrub.scrub.style import restyle

MIN_LITERAL = 8  # shorter values are too likely to occur by chance
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
        self.names = NameTable(profile)
        self._people: dict[str, int] = {}  # "email:…" / "name:…" -> the person's number
        self._people_count = 0
        self._domains = {d: DOMAINS[i] if i < len(DOMAINS) else f"d{i + 1}.example.com" for i, d in enumerate(profile.domains)}
        self._tickets = {p.upper(): "PROJ" + ("" if i == 0 else chr(ord("A") + i)) for i, p in enumerate(profile.ticket_prefixes)}

    # Numbering --------------------------------------------------------------------

    def _key(self, value: str) -> str:
        return hashlib.sha256((self.salt + "\0" + value).encode("utf-8", "surrogateescape")).hexdigest()

    def prepare(self, identities: Iterable[tuple[bytes, bytes]], findings: Iterable[Finding]) -> None:
        """Number every known person, identity and value up front, in an order that depends
        only on the values and the salt, so that two runs give identical output. A person
        (people.py: identities grouped as .mailmap would) gets one number for every name,
        handle and e-mail they have."""
        for person in sorted(self.profile.people, key=lambda p: self._key(_person_key(p))):
            self._person(_person_keys(person))
        for name, email in sorted(set(identities), key=lambda ne: self._key(ne[1].decode("utf-8", "replace").lower())):
            self.identity(name, email)
        unique = {(f.rule_id, f.value): f for f in findings if f.end > f.start}
        for key in sorted(unique, key=lambda k: self._key(k[0] + "\0" + k[1].decode("utf-8", "surrogateescape"))):
            self.replace(unique[key])

    def _person(self, keys: list[str]) -> int:
        """The number of the person any of keys names; a new one if none does."""
        n = next((self._people[k] for k in keys if k in self._people), None)
        if n is None:
            self._people_count += 1
            n = self._people_count
        for key in keys:
            self._people.setdefault(key, n)
        return n

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
                prefix = self.names.substitute(labels) if labels else ""
                return f"{prefix}.{replacement}" if prefix else replacement
        return f"host{self.number('host', lowered)}.example.com"

    def is_person(self, name: bytes, email: bytes) -> bool:
        """Bots, services and identities reposcrub wrote itself are not people."""
        text_name, text_email = name.decode("utf-8", "replace"), email.decode("utf-8", "replace")
        return not (is_service(text_name, text_email) or is_placeholder(text_name, text_email))

    def name_host(self, value: str, suffix: bytes) -> str:
        """An org name and the public suffix after it (acme + .io) as a reserved domain."""
        name = (self.names.replacement(value) or "example").lower()
        host = "example.com" if name == "example" else f"{name}.example"
        return host.upper() if value.isupper() and suffix.isupper() else host

    def identity(self, name: bytes, email: bytes) -> tuple[bytes, bytes]:
        """Person N <person-N@example.com>, one N per person (by e-mail, full name, handle);
        identities kept with --keep-identity and those that are not people stay as they are."""
        text_email = email.decode("utf-8", "surrogateescape").lower()
        if text_email in {k.lower() for k in self.profile.keep_identity} or not self.is_person(name, email):
            return name, email
        text_name = name.decode("utf-8", "surrogateescape")
        keys = ([f"email:{text_email}"] if text_email else []) + [f"name:{_joined(text_name)}"]
        n = self._person(keys if len(name_words(text_name)) >= 2 or not text_email else keys[:1])
        return f"Person {n}".encode(), f"person-{n}@example.com".encode()

    def _pii(self, f: Finding, value: str) -> str:
        if "@" in value and f.rule_id != "pii/home-path":
            return f"person-{self._person(['email:' + value.lower()])}@example.com"
        if f.rule_id == "pii/person-name":
            return restyle(value, ["person", str(self._person(["name:" + _joined(value)]))])
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
        replaced = self.names.substitute(value)
        if replaced != value:
            return replaced
        return restyle(value, [f"example{self.number('ident', value.lower())}"]) if f.rule_id != "ident/namespace" \
            else _namespace_stub(value, self.number("namespace", value.lower()))

    def _marker(self, f: Finding, value: str) -> str:
        return ""

    def _other(self, f: Finding, value: str) -> str:
        return f"REDACTED_{f.category.upper()}_{self.number(f.category, value)}"


def _joined(name: str) -> str:
    return "".join(name_words(name))


def _person_key(person: Person) -> str:
    return (person.emails[0].lower() if person.emails else "") + "\0" + _joined(person.name)


def _person_keys(person: Person) -> list[str]:
    names = [person.name, *person.aliases, *handles((person.name, *person.aliases), person.emails)]
    return [f"email:{e.lower()}" for e in person.emails] + [f"name:{_joined(n)}" for n in names if _joined(n)]


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
