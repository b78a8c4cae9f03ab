"""What file contents and commit messages say about their owner: copyright holders,
hosts in URLs, e-mail domains, ticket keys."""
from __future__ import annotations

import re
from collections.abc import Iterator

from reposcrub.infer.evidence import Evidence

_COPYRIGHT = re.compile(
    r"Copyright\s*(?:\(c\)|©)?\s*(?:[0-9]{4}(?:\s*[-–,]\s*(?:[0-9]{4}|present))*\s*,?\s*)(?:by\s+)?"
    r"(?P<holder>[A-Z][A-Za-z0-9&.' -]{1,60}?)\s*(?:\.\s|\.$|,|<|\(|\*/|-->|All rights|$)", re.M)
_LEGAL_SUFFIX = re.compile(r"[\s,]+(?:Inc|LLC|Ltd|GmbH|AG|SA|SAS|BV|Corp|Corporation|Limited|Co|plc|Pty)\.?$", re.I)
_GENERIC_HOLDERS = re.compile(r"^(?:the\b|contributors?\b|authors?\b|original author|copyright holder|holders?\b|"
                              r"name of|\[|<|yyyy|your name)", re.I)
_URL_HOST = re.compile(r"\b[a-z][a-z0-9+.-]{1,15}://(?:[^\s/@'\"<>]{1,128}@)?([A-Za-z0-9](?:[A-Za-z0-9.-]{0,250}[A-Za-z0-9])?)")
_EMAIL_DOMAIN = re.compile(r"\b[A-Za-z0-9._%+-]{1,64}@([A-Za-z0-9-]{1,63}(?:\.[A-Za-z0-9-]{1,63})+)\b")
TICKET = re.compile(r"\b([A-Z][A-Z0-9]{1,9})-([0-9]{1,6})\b")
# Upper-case words with numbers that are standards, encodings and versions, not ticket keys.
NOT_TICKETS = frozenset("""UTF ISO SHA RFC CVE CWE GHSA GPL LGPL AGPL AES HTTP HTTPS PEP TLS SSL MD RSA ECDSA HMAC X IEEE ECMA ES
ADR WIP PR GH MR CP IPV PY JS TS CSS HTML PHP XSS CSRF COVID FY Q WCAG ANSI ASCII LTS RC SP API SDK URL UUID ID JDK JRE ARM
DDR USB WPA HDMI POSIX MIT BSD APACHE CC SPDX PKCS GCM CBC OWASP HL LRU TTL""".split())
_HEAD = 4096  # copyright lines sit at the top of a file
_LICENSE = 20000


def is_license(path: str) -> bool:
    return path.rsplit("/", 1)[-1].upper().startswith(("LICENSE", "LICENCE", "COPYING", "NOTICE"))


def holders(path: str, data: bytes) -> Iterator[str]:
    """Copyright holders named near the top of a file (anywhere in a LICENSE file)."""
    text = data[: _LICENSE if is_license(path) else _HEAD].decode("utf-8", "replace")
    for m in _COPYRIGHT.finditer(text):
        holder = _LEGAL_SUFFIX.sub("", m.group("holder").strip(" .,-"))
        if len(holder) >= 2 and not _GENERIC_HOLDERS.match(holder):
            yield holder


def read_content(path: str, data: bytes, ev: Evidence) -> None:
    """Copyright holders, URL hosts and e-mail domains in one file."""
    if b"\0" in data[:8192]:
        return
    for i, holder in enumerate(holders(path, data)):
        # The first holder in the LICENSE at the root speaks for the whole project; later ones
        # there are notices for bundled code, and one file's header may be vendored code.
        weight = 0.5 if i == 0 and is_license(path) and "/" not in path else 0.3
        ev.add("names", holder, "copyright holder", weight=weight, example=path)
    read_text(data.decode("utf-8", "replace"), path, ev, "e-mail in files")


def read_text(text: str, where: str, ev: Evidence, email_source: str) -> None:
    """URL hosts and e-mail domains in text (a file or a commit message)."""
    for m in _URL_HOST.finditer(text):
        ev.see_host(m.group(1), where)
    for m in _EMAIL_DOMAIN.finditer(text):
        ev.add("emails", m.group(1).lower(), email_source, example=where)


def tickets(text: str) -> Iterator[tuple[str, str]]:
    """(prefix, key) of each ticket key in text, standards and versions left out."""
    for m in TICKET.finditer(text):
        if m.group(1) not in NOT_TICKETS and not m.group(1).isdigit():
            yield m.group(1), m.group(0)
