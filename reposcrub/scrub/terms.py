"""What the sweep looks for: everything the profile names and every value scrub replaced."""
from __future__ import annotations

from collections.abc import Iterable, Iterator

from reposcrub.detectors.identifiers import name_words
from reposcrub.model import Finding
from reposcrub.people import handles, is_service
from reposcrub.profile import Profile
from reposcrub.scrub.sweep import Term, phrase_variants

MIN_VALUE = 8  # shorter replaced values are too likely to occur by chance
MIN_PEM_LINE = 16
_VALUE_CATEGORIES = ("host", "pii")


def sweep_terms(profile: Profile, findings: Iterable[Finding], literals: Iterable[bytes]) -> list[Term]:
    """Every term the copy must not hold (see sweep.py for how each kind is judged)."""
    return [*_profile_terms(profile), *_people_terms(profile), *_value_terms(findings, literals)]


def _lower(text: str) -> bytes:
    return text.lower().encode("utf-8", "surrogateescape")


def _profile_terms(profile: Profile) -> Iterator[Term]:
    ambiguous = {"".join(name_words(a)) for a in profile.ambiguous}
    for kind, names in (("org name", profile.names), ("codename", profile.codenames)):
        for name in names:
            words = name_words(name)
            for variant in phrase_variants(words):
                yield Term(_lower(variant), "name", f'{kind} "{name}"', ambiguous="".join(words) in ambiguous)
    for domain in profile.domains:
        yield Term(_lower(domain), "plain", f'domain "{domain}"')
    for ns in profile.namespaces:
        yield Term(_lower(ns), "plain", f'namespace "{ns}"')
    for prefix in profile.ticket_prefixes:
        yield Term(_lower(prefix + "-"), "ticket", f'ticket key "{prefix}-…"')


def _people_terms(profile: Profile) -> Iterator[Term]:
    keep = {k.lower() for k in profile.keep_identity}
    for person in profile.people:
        if keep & {e.lower() for e in person.emails} or is_service(person.name, person.emails[0] if person.emails else ""):
            continue
        label = f'person "{person.name}"'
        for name in (person.name, *person.aliases):
            if len(name_words(name)) >= 2:
                for variant in phrase_variants(name_words(name)):
                    yield Term(_lower(variant), "name", label, inside_fails=False)
        for handle in handles((person.name, *person.aliases), person.emails):
            yield Term(_lower(handle), "name", label, inside_fails=False)
        for email in person.emails:
            yield Term(_lower(email), "plain", label)


def _value_terms(findings: Iterable[Finding], literals: Iterable[bytes]) -> Iterator[Term]:
    for f in findings:
        if f.end <= f.start:
            continue
        value = f.value.decode("utf-8", "surrogateescape")
        if f.category == "secret":
            for line in value.splitlines() if "\n" in value else [value]:
                if len(line.strip()) >= (MIN_PEM_LINE if "\n" in value else MIN_VALUE) and not line.startswith("-----"):
                    yield Term(_lower(line.strip()), "value", f"a replaced secret ({f.rule_id})")
        elif f.category in _VALUE_CATEGORIES and len(value) >= MIN_VALUE and f.location == "file":
            yield Term(_lower(value), "plain", f'{f.rule_id} "{value}"')
    for form in literals:
        if len(form) >= MIN_VALUE:
            yield Term(form.lower(), "value", "a replaced secret, encoded")
