"""An org name or codename that is the registrable part of a host name (``acme.io``,
``shop.acme.co.uk``): replacing the name alone would write ``example.io``, a real domain
someone may own. The name and the public suffix after it are replaced together by a
name reserved for documentation (RFC 2606): ``example.com``, ``codename1.example``."""
from __future__ import annotations

import re

from reposcrub.model import Finding

NAME_RULES = ("ident/org-name", "ident/codename")
# Public suffixes seen after company names; file extensions that are also country codes
# (.py, .md, .sh, .rs, .pl, ...) are left out, and identifiers (acme.io as a module) never widen.
_TLDS = frozenset({
    "com", "net", "org", "io", "co", "ai", "dev", "app", "cloud", "tech", "info", "biz", "xyz", "online", "site",
    "store", "shop", "systems", "software", "solutions", "global", "group", "digital", "agency", "studio", "team",
    "tools", "services", "company", "network", "works", "page", "build", "run", "me", "us", "uk", "de", "fr", "nl",
    "eu", "ca", "au", "jp", "cn", "ru", "br", "es", "ch", "se", "fi", "dk", "cz", "ie", "nz", "sg", "hk", "kr", "tw",
    "il", "za", "mx", "ar", "gg", "ly", "fm", "tv", "cc", "sh", "im",
})
_SUFFIX = re.compile(rb"\.([A-Za-z]{2,24})(?:\.([A-Za-z]{2}))?(?![A-Za-z0-9_-])")
_NOT_BEFORE_CALL = re.compile(rb"\s*\(")


def name_in_host(data: bytes, f: Finding) -> bytes | None:
    """The public suffix after f (b'.io', b'.co.uk') when f is a name that is the
    registrable part of a host name; None otherwise."""
    if f.rule_id not in NAME_RULES or f.context == "identifier" or f.end <= f.start:
        return None
    m = _SUFFIX.match(data, f.end)
    if m is None or m.group(1).lower().decode() not in _TLDS:
        return None
    if m.group(2) is not None and m.group(1).lower() not in (b"co", b"com", b"org", b"net", b"ac", b"gov"):
        m = _SUFFIX.match(data[: f.end + 1 + len(m.group(1))], f.end)  # only the first label
        if m is None:
            return None
    if _NOT_BEFORE_CALL.match(data, m.end()):
        return None  # acme.com(...): a call, not a host
    return m.group(0)
