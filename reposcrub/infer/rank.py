"""Turn the evidence into ranked entries: what is the organisation's, and how sure we are.

Left out entirely: public mail providers, forges, universities, reserved names, e-mail
domains seen in one commit by one person, and names shorter than three letters. An
ordinary English word is kept as a name only with two independent witnesses, and then
marked ``ambiguous``; with one it is shown commented out.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from reposcrub.detectors.identifiers import name_words
from reposcrub.infer.domains import DomainClassifier
from reposcrub.infer.evidence import Candidate, Evidence, name_key
from reposcrub.infer.mail import mail_domains, url_domains
from reposcrub.infer.packages import PACKAGES
from reposcrub.infer.words import WordList

WORD_KEYS = 4  # distinct keys a prefix that is an ordinary word needs (STEP-1, PHASE-2 are not tickets)
WEAK = 0.3  # the confidence an entry is held to when a rule says it is doubtful
_FORGE_NAMES = frozenset({"github", "gitlab", "bitbucket", "sourceforge", "codeberg", "gitee", "noreply", "users"})


@dataclass(frozen=True, slots=True)
class Entry:
    value: str
    confidence: float
    evidence: str
    ambiguous: bool = False
    doubt: str = ""  # why the entry is held below the threshold, if a rule did


@dataclass(frozen=True, slots=True)
class Ranking:
    """Entries per profile section, most certain first."""

    sections: dict[str, list[Entry]]

    def active(self, section: str, threshold: float) -> list[Entry]:
        return [e for e in self.sections.get(section, []) if e.confidence >= threshold]


def rank(ev: Evidence, words: WordList, domains: DomainClassifier) -> Ranking:
    mail_domains(ev, domains)
    url_domains(ev, domains)
    org = _org_keys(ev, 0.4)
    _packages(ev, org)
    org |= _org_keys(ev, 0.5)
    _named_after(ev, org)
    _joined_domains(ev)
    return Ranking({
        "names": _sorted(_name_entry(c, words, k in ev.committer_names) for k, c in ev.section("names").items()
                         if _is_name(k)),
        "codenames": _sorted(_codename_entry(c, words) for k, c in ev.section("codenames").items()
                             if len(k) >= 3 and not _holds_org(c, org)),
        "domains": _sorted(_plain(c) for c in ev.section("domains").values()),
        "namespaces": _sorted(_plain(c) for c in ev.section("namespaces").values()),
        "ticket_prefixes": _sorted(_ticket_entry(k, c, ev, words) for k, c in ev.section("ticket_prefixes").items()),
        "hosts": _sorted(_plain(c) for c in ev.section("hosts").values()),
    })


def _org_keys(ev: Evidence, at_least: float) -> set[str]:
    """Keys of the names that are surely the organisation's (not a committer's own name)."""
    return {k for k, c in ev.section("names").items()
            if c.confidence() >= at_least and _is_name(k) and k not in ev.committer_names}


def _joined_domains(ev: Evidence) -> None:
    """segmentio for segment.io: an organisation's handle is often its domain in one word."""
    names = ev.section("names")
    for domain, c in ev.section("domains").items():
        joined = name_key(domain)
        if c.confidence() >= 0.5 and joined in names:
            names[joined].add(joined, "its domain in one word", 0, 0.3, domain)


def _packages(ev: Evidence, org: set[str]) -> None:
    """A package named after the organisation is evidence of its name; any other names a product."""
    for key, c in ev.section(PACKAGES).items():
        target = "names" if key in org or not org else "codenames"
        ev.candidates.setdefault((target, key), Candidate(target)).merge(c)


def _named_after(ev: Evidence, org: set[str]) -> None:
    for section, part in (("domains", lambda v: v.split(".")[0]), ("namespaces", _namespace_org)):
        for c in list(ev.section(section).values()):
            value = max(c.spellings, key=c.spellings.__getitem__)
            if name_key(part(value)) in org:
                c.add(value, "named after the organisation", 0, None, "")


def _namespace_org(namespace: str) -> str:
    for sep in ("/", "."):
        if sep in namespace:
            return namespace.split(sep)[1] if not namespace.startswith("@") else namespace[1:]
    return namespace.lstrip("@")


def _is_name(key: str) -> bool:
    return len(key) >= 3 and key not in _FORGE_NAMES and not key.isdigit()


def _holds_org(c: Candidate, org: set[str]) -> bool:
    """posthog-go holds the name posthog as a word: the name already finds it."""
    words = {w for spelling in c.spellings for w in name_words(spelling)}
    return bool(words & org) or name_key(next(iter(c.spellings))) in org


def _spelling(c: Candidate) -> str:
    """The spelling to show: one with inner capitals (PostHog) first, then the most used."""
    ranked = sorted(c.spellings, key=lambda s: (not (s[:1].isupper() and not s.isupper() and any(x.isupper() for x in s[1:])),
                                                -c.spellings[s], s))
    best = ranked[0]
    return best if best[:1].isupper() or not best.isalpha() else best.capitalize()


def _name_entry(c: Candidate, words: WordList, committer: bool) -> Entry:
    value = _spelling(c)
    confidence = c.confidence()
    if committer and set(c.sources) <= {"copyright holder", "e-mail domain"}:
        # The author holds the copyright: a person, whom their git identity already covers.
        return Entry(value, min(confidence, WEAK), c.describe(), doubt="a committer's own name")
    if "copyright holder" in c.sources and c.sources["copyright holder"][0] >= 3:
        c.sources["copyright holder"] = (c.sources["copyright holder"][0], 0.6)
        confidence = c.confidence()
    if len(name_words(value)) == 1 and words.is_ordinary(value):
        if len(c.sources) >= 2:
            return Entry(value, confidence, c.describe(), ambiguous=True)
        return Entry(value, min(confidence, WEAK), c.describe(), doubt="an ordinary English word")
    return Entry(value, confidence, c.describe())


def _codename_entry(c: Candidate, words: WordList) -> Entry:
    value = max(c.spellings, key=lambda s: (c.spellings[s], s))
    if all(words.is_ordinary(w) for w in name_words(value)):
        return Entry(value, min(c.confidence(), WEAK), c.describe(), doubt="ordinary English words")
    return Entry(value, c.confidence(), c.describe())


def _ticket_entry(prefix: str, c: Candidate, ev: Evidence, words: WordList) -> Entry:
    keys = len(ev.ticket_keys.get(prefix, ()))
    confidence = min(0.15 + 0.15 * keys, 0.8) + (0.2 if "branch names" in c.sources else 0.0)
    where = c.describe().replace("commit messages", f"{keys} keys in commit messages", 1)
    if keys < 2:
        return Entry(prefix, min(confidence, WEAK), where, doubt="one key only")
    if len(prefix) < 3 or (words.is_ordinary(prefix) and keys < WORD_KEYS):
        return Entry(prefix, min(confidence, WEAK), where, doubt="short or an ordinary word")
    return Entry(prefix, min(confidence, 0.95), where)


def _plain(c: Candidate) -> Entry:
    return Entry(max(c.spellings, key=lambda s: (c.spellings[s], s)), c.confidence(), c.describe())


def _sorted(entries: Iterable[Entry]) -> list[Entry]:
    return sorted(entries, key=lambda e: (-e.confidence, e.value.lower()))
