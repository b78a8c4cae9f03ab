"""The literal sweep: every term of the profile (in every case and separator style) and every
person of the input's history, searched as case-insensitive substrings in every object of a
fresh ``git clone --mirror --no-local`` of the output, and in every ref name.

Written for the bench alone, on purpose: it shares no code with reposcrub's detectors or
verification, so what they miss it still sees. Objects are read raw (``cat-file --batch``):
a tree object holds its entries' names, a commit its identities and message, a tag its
message, so paths, identities and messages are covered by reading every object.
"""
from __future__ import annotations

import re
import subprocess
import tomllib
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

_WORDS = re.compile(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|[0-9]+")
_BOT = re.compile(r"\[bot\]|\bbot\b|^no-?reply@|^github$|^github actions$|^gitlab$|copilot", re.I)


def _variants(name: str) -> str:
    """'PostHog' or 'Acme Corp' -> a pattern for every case and separator style (posthog,
    POST_HOG, acme-corp, AcmeCorp, acme.corp)."""
    words = [w.lower() for w in _WORDS.findall(name)] or [name.lower()]
    return r"[\s_.\-]?".join(re.escape(w) for w in words)


def _host_pattern(pattern: str) -> str:
    return r"[a-z0-9.\-]*".join(re.escape(part) for part in pattern.lower().split("*"))


@dataclass(frozen=True, slots=True)
class Term:
    kind: str  # "org" (profile terms) or "person" (identities of the input, people of the profile)
    label: str  # shown in reports: what was searched
    pattern: str

    @property
    def keyword(self) -> bytes:
        """A lower-case literal every match contains: objects without it skip the regex."""
        literal = re.split(r"\[|\\[^.\-@+_]|\(|\?|\*", self.pattern)
        parts = [p.replace("\\", "") for p in literal if p]
        return max(parts, key=len, default="").lower().encode()


def profile_terms(profile_file: Path) -> list[Term]:
    org = tomllib.loads(profile_file.read_text(encoding="utf-8"))
    o = org.get("org", {})
    terms = [Term("org", n, _variants(n)) for n in o.get("names", []) + o.get("codenames", [])]
    terms += [Term("org", d, re.escape(d.lower())) for d in o.get("domains", []) + o.get("namespaces", [])]
    terms += [Term("org", f"{p}-<n>", re.escape(p.upper()) + r"-[0-9]") for p in o.get("ticket_prefixes", [])]
    terms += [Term("org", h, _host_pattern(h)) for h in o.get("hosts", [])]
    for person in org.get("people", []):
        name = person if isinstance(person, str) else person.get("name", "")
        terms.append(Term("person", name, _variants(name)))
        terms += [Term("person", e, re.escape(e.lower())) for e in (person.get("emails", []) if isinstance(person, dict) else [])]
    return terms


def identity_terms(repo: Path) -> list[Term]:
    """Every person who authored or committed in the input: full names and e-mail addresses
    (bots and forge services left out, as they are not people)."""
    out = subprocess.run(["git", "log", "--all", "--format=%an%x00%ae%x00%cn%x00%ce"], cwd=repo,
                         capture_output=True, check=True).stdout.decode("utf-8", "replace")
    seen: dict[str, Term] = {}
    for line in out.splitlines():
        fields = line.split("\0")
        for name, email in zip(fields[0::2], fields[1::2]):
            if _BOT.search(name) or _BOT.search(email):
                continue
            words = _WORDS.findall(name)
            if len(words) >= 2 and min(len(w) for w in words) >= 2:
                seen.setdefault(name.lower(), Term("person", name, _variants(name)))
            if "@" in email:
                seen.setdefault(email.lower(), Term("person", email, re.escape(email.lower())))
    return list(seen.values())


@dataclass
class SweepResult:
    hits: Counter[str] = field(default_factory=Counter)  # kind -> hits
    objects: Counter[str] = field(default_factory=Counter)  # object type (or "ref") -> objects with a hit
    by_term: Counter[str] = field(default_factory=Counter)

    @property
    def total(self) -> int:
        return sum(self.hits.values())


def sweep(repo: Path, terms: list[Term]) -> SweepResult:
    """Hits of every term in every object and ref name of repo (a fresh mirror clone)."""
    result = SweepResult()
    compiled = [(t, t.keyword, re.compile(t.pattern.encode(), re.I)) for t in {t.pattern: t for t in terms}.values()]
    refs = subprocess.run(["git", "for-each-ref", "--format=%(refname)"], cwd=repo, capture_output=True,
                          check=True).stdout
    for ref in refs.splitlines():
        _count(ref, "ref", compiled, result)
    proc = subprocess.Popen(["git", "cat-file", "--batch-all-objects", "--unordered", "--batch"], cwd=repo,
                            stdout=subprocess.PIPE)
    assert proc.stdout is not None
    while header := proc.stdout.readline():
        _, kind, size = header.split()
        data = proc.stdout.read(int(size))
        proc.stdout.read(1)
        _count(data, kind.decode(), compiled, result)
    proc.wait()
    return result


def _count(data: bytes, where: str, compiled: list[tuple[Term, bytes, re.Pattern[bytes]]], result: SweepResult) -> None:
    lowered = data.lower()
    hit = False
    for term, keyword, regex in compiled:
        if keyword not in lowered:
            continue
        for _ in regex.finditer(data):
            result.hits[term.kind] += 1
            result.by_term[term.label] += 1
            hit = True
    if hit:
        result.objects[where] += 1
