"""Domains from addresses and URLs: the committers' company domains, ranked by how many
people used each, and URLs to hosts under a domain that is already a candidate."""
from __future__ import annotations

from reposcrub.infer.domains import DomainClassifier
from reposcrub.infer.evidence import Evidence, name_key

_EMAIL_SOURCES = {"package metadata e-mail": 0.3, "e-mail in files": 0.15, "e-mail in commit messages": 0.15}


def mail_domains(ev: Evidence, domains: DomainClassifier) -> None:
    """Company e-mail domains, by how many people committed from them; the one most people
    used is the organisation's."""
    people: dict[str, set[str]] = {}
    commits: dict[str, int] = {}
    for domain, addresses in ev.mailers.items():
        kind = domains.classify(domain)
        if kind.kind == "company":
            people.setdefault(kind.registrable, set()).update(addresses)
            commits[kind.registrable] = commits.get(kind.registrable, 0) + ev.commits.get(domain, 0)
    mentioned = {domains.classify(k).registrable: c for k, c in ev.section("emails").items()
                 if domains.classify(k).kind == "company"}
    top = max(people.items(), key=lambda item: (len(item[1]), commits[item[0]]), default=("", set()))
    for domain in sorted(set(people) | set(mentioned)):
        p, n, other = len(people.get(domain, ())), commits.get(domain, 0), mentioned.get(domain)
        if p <= 1 and other is None and domain != top[0]:
            continue  # one person's own domain: their identity covers it
        if p:
            weight = min(0.2 + 0.1 * p, 0.6) if p >= 2 else 0.2
            if domain != top[0]:  # contributors' employers: weaker the fewer they are beside the main one
                weight *= min(1.0, 2 * p / max(len(top[1]), 1))
            ev.add("domains", domain, "e-mail domain", n, weight=weight, example=f"({_people(p)}, {n} commits)")
            if p >= 2:  # one person's own domain names no organisation
                ev.add("names", domain.split(".")[0], "e-mail domain", weight=0.5 if domain == top[0] else weight / 2,
                       example=f"{domain} ({_people(p)})")
        for source, (count, _) in (other.sources.items() if other else ()):
            ev.add("domains", domain, source, count, weight=_EMAIL_SOURCES.get(source, 0.15),
                   example=other.examples.get(source, "") if other else "")


def _people(n: int) -> str:
    return "1 person" if n == 1 else f"{n} people"


def url_domains(ev: Evidence, domains: DomainClassifier) -> None:
    """URLs to a host under a domain that is already a candidate: the organisation's own hosts."""
    names = ev.section("names")
    present = ev.section("domains")
    for host, where in ev.hosts.items():
        if where == "committer e-mail":
            continue
        kind = domains.classify(host)
        if kind.kind == "company" and (kind.registrable in present or name_key(kind.label) in names):
            ev.add("domains", kind.registrable, "URLs to its hosts", example=f"{host} in {where}")
