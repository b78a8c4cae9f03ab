"""Who the git identities are: people grouped as ``.mailmap`` would, bots and services apart.

One person commits as ``Jane Doe <jane@acme.com>`` at work and ``jdoe <jane@gmail.com>`` at
home; a reviewer wants one entry for her and scrub wants one replacement. A committer called
``GitHub`` (web merges) or ``dependabot[bot]`` is not a person at all: treating it as one
makes every ``GITHUB_TOKEN`` in a workflow a "person name".
"""
from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from reposcrub.profile import Person

# Names of forges, CI systems and bots that commit or merge on someone's behalf.
_SERVICE_NAMES = frozenset({
    "github", "gitlab", "gitea", "bitbucket", "forgejo", "codeberg", "web-flow", "github actions",
    "github-actions", "github enterprise", "dependabot", "dependabot-preview", "renovate", "renovate bot",
    "renovatebot", "greenkeeper", "pre-commit-ci", "pre-commit ci", "snyk bot", "snyk-bot", "pyup-bot",
    "pyup.io bot", "imgbot", "imgbotapp", "allcontributors", "all-contributors", "semantic-release-bot",
    "mergify", "codecov", "deepsource-autofix", "travis ci", "travis-ci", "jenkins", "azure pipelines",
    "copilot", "weblate", "transifex", "crowdin", "crowdin bot", "lgtm", "bors", "bors[bot]", "k8s-ci-robot",
    "the travis bot", "gitlab ci", "buildkite", "circleci", "root", "ubuntu", "unknown", "nobody",
    "(no author)", "no author", "(none)", "none",
})
_NO_REPLY_LOCAL = re.compile(r"^(?:no[-_.]?reply|do[-_.]?not[-_.]?reply|bot|noreply\+.*)$", re.I)
_BOT_SUFFIX = re.compile(r"[\[(]bot[\])]$|[-_ ]bot$|-robot$", re.I)
_SPACE = re.compile(r"\s+")


def _norm(text: str) -> str:
    return _SPACE.sub(" ", text.strip()).lower()


_PLACEHOLDER_NAME = re.compile(r"^Person \d+$")
_PLACEHOLDER_EMAIL = re.compile(r"^person-\d+@example\.com$", re.I)
# Mailbox names shared by many people, never one person's handle.
_GENERIC_HANDLES = frozenset({
    "admin", "administrator", "root", "user", "users", "test", "tester", "info", "mail", "email", "support",
    "contact", "hello", "team", "dev", "devs", "developer", "developers", "build", "builder", "deploy", "release",
    "ci", "ops", "devops", "git", "noreply", "no-reply", "none", "null", "local", "localhost", "guest", "owner",
    "maintainer", "maintainers", "author", "code", "main", "master", "home", "office", "work", "private",
})
_HANDLE_SPLIT = re.compile(r"[^0-9A-Za-z]+")


def is_placeholder(name: str, email: str) -> bool:
    """An identity reposcrub itself wrote (``Person 3 <person-3@example.com>``): kept as it is,
    so that scrubbing a scrubbed copy again changes nothing."""
    return bool(_PLACEHOLDER_NAME.match(name.strip()) and _PLACEHOLDER_EMAIL.match(email.strip().strip("<>")))


def handles(names: Iterable[str], emails: Iterable[str]) -> tuple[str, ...]:
    """A person's usual handles: joined lower-case name (janedoe), first initial and surname
    (jdoe), the local parts of their e-mails (jane.doe, 12345+jdoe -> jdoe) and their
    one-word identity names. Their first or last name alone is never a handle, nor a
    shared mailbox name, nor anything shorter than four letters. Someone known by no full
    name ("mark <mark@mail.example>") has a handle only where it cannot be an ordinary
    word: with a digit or a separator in it."""
    words_of = [[w.lower() for w in _HANDLE_SPLIT.split(n) if w] for n in names]
    own_words = {w for words in words_of if len(words) >= 2 for w in words}
    found: list[str] = []
    for words in words_of:
        if len(words) >= 2:
            found += ["".join(words), words[0][0] + words[-1]]
        elif words:
            found.append("".join(words))
    for email in emails:
        local = email.strip("<>").partition("@")[0].split("+")[-1].lower()
        found.append(local)
    kept = (h for h in found if len(h) >= 4 and h not in own_words and h not in _GENERIC_HANDLES
            and not h.isdigit() and not is_service(h, "") and (own_words or not h.isalpha()))
    return tuple(dict.fromkeys(kept))


def identity_people(identities: Iterable[tuple[str, str]], mailmap: str = "") -> list[Person]:
    """The people among git identities, one Person per group: the name to show, every
    e-mail, and every other name they committed under (aliases)."""
    people = []
    for group in group_identities(identities, mailmap):
        name = group.name
        aliases = tuple(n for n in group.names if n != name)
        people.append(Person(name, group.emails, aliases))
    return people


def is_service(name: str, email: str) -> bool:
    """A bot, a forge or a CI system, not a person.

    ``12345+jdoe@users.noreply.github.com`` is a person hiding their address and stays a
    person; ``noreply@github.com`` and ``dependabot[bot]`` are services.
    """
    n, e = _norm(name), _norm(email).strip("<>")
    local, _, domain = e.partition("@")
    if n in _SERVICE_NAMES or _BOT_SUFFIX.search(n) or _BOT_SUFFIX.search(local.split("+")[-1]):
        return True
    if domain.endswith("users.noreply.github.com"):
        return False
    return bool(_NO_REPLY_LOCAL.match(local))


@dataclass(frozen=True, slots=True)
class PersonGroup:
    """One person: every name and e-mail they committed under, most used first."""

    names: tuple[str, ...]
    emails: tuple[str, ...]

    @property
    def name(self) -> str:
        """The name to show: the longest of the most used full names."""
        full = [n for n in self.names if len(n.split()) >= 2]
        return (full or list(self.names) or [""])[0]


def parse_mailmap(text: str) -> list[tuple[str, str, str, str]]:
    """``.mailmap`` lines as (proper name, proper e-mail, commit name, commit e-mail); '' when absent."""
    entries = []
    for raw in text.splitlines():
        line = raw.split("#", 1)[0].strip()
        parts = re.findall(r"([^<>]*)<([^<>]*)>", line)
        if not parts:
            continue
        proper_name, proper_email = parts[0][0].strip(), parts[0][1].strip()
        commit_name, commit_email = (parts[1][0].strip(), parts[1][1].strip()) if len(parts) > 1 else ("", proper_email)
        entries.append((proper_name, proper_email, commit_name, commit_email))
    return entries


class _Groups:
    """Union-find over identity keys ('n:jane doe', 'e:jane@acme.com')."""

    def __init__(self) -> None:
        self.parent: dict[str, str] = {}

    def find(self, key: str) -> str:
        self.parent.setdefault(key, key)
        while self.parent[key] != key:
            self.parent[key] = self.parent[self.parent[key]]
            key = self.parent[key]
        return key

    def union(self, a: str, b: str) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


def _keys(name: str, email: str) -> list[str]:
    keys = []
    if email.strip():
        keys.append("e:" + _norm(email))
    # A full name identifies a person; a single word ("admin", "jdoe") may be shared.
    if len(_norm(name).split()) >= 2:
        keys.append("n:" + _norm(name))
    return keys or ["n:" + _norm(name)]


def group_identities(identities: Iterable[tuple[str, str]], mailmap: str = "") -> list[PersonGroup]:
    """People among (name, e-mail) identities, bots and services left out: identities that
    share an e-mail or a full name are one person, and so are those a ``.mailmap`` joins.
    Sorted by the number of identities, then name, so the order is stable."""
    counts: dict[tuple[str, str], int] = {}
    for name, email in identities:
        if not is_service(name, email) and not is_placeholder(name, email):
            counts[(name.strip(), email.strip())] = counts.get((name.strip(), email.strip()), 0) + 1
    groups = _Groups()
    for name, email in counts:
        keys = _keys(name, email)
        for key in keys[1:]:
            groups.union(keys[0], key)
    for proper_name, proper_email, commit_name, commit_email in parse_mailmap(mailmap):
        anchor = _keys(proper_name, proper_email)[0] if (proper_name or proper_email) else None
        for key in _keys(commit_name, commit_email) if anchor else ():
            groups.union(anchor, key)  # type: ignore[arg-type]
    members: dict[str, list[tuple[str, str]]] = {}
    for identity in counts:
        members.setdefault(groups.find(_keys(*identity)[0]), []).append(identity)
    return sorted((_group(m, counts) for m in members.values()), key=lambda g: (-len(g.names) - len(g.emails), g.name))


def _group(members: list[tuple[str, str]], counts: dict[tuple[str, str], int]) -> PersonGroup:
    names: dict[str, int] = {}
    emails: dict[str, int] = {}
    for name, email in members:
        names[name] = names.get(name, 0) + counts[(name, email)]
        if email:
            emails[email.lower()] = emails.get(email.lower(), 0) + counts[(name, email)]

    def ranked(seen: dict[str, int]) -> tuple[str, ...]:
        return tuple(sorted(seen, key=lambda k: (-seen[k], -len(k), k)))

    return PersonGroup(ranked(names), ranked(emails))
