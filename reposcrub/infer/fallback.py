"""What a repository says about itself, used when no profile was given.

Without a profile a scan knows no organisation names, domains or hosts, but the repository
still says some things plainly: ticket keys that recur in its commit messages and branch
names (``ACME-1234``), and people named beside their e-mail addresses (``Co-authored-by:
Jane Doe <jane@acme.com>``, an AUTHORS file). Those are safe to act on without review; the
organisation's names are not, so they are left to ``reposcrub profile infer``.
"""
from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path

from reposcrub import git
from reposcrub.infer.content import tickets
from reposcrub.infer.words import WordList
from reposcrub.people import is_service
from reposcrub.profile import Person, Profile
from reposcrub.sources.gitwalk import commits_metadata, refs

SOURCE = "the repository itself (no profile given)"
MIN_KEYS = 2  # distinct keys of one prefix: one "XYZ-1" is not a habit
WORD_KEYS = 4  # a prefix that is an ordinary word (STEP-1, PHASE-2) needs more to be a ticket habit
# Files at the top of a repository that list people with their addresses.
_PEOPLE_FILES = ("AUTHORS", "AUTHORS.md", "AUTHORS.txt", "AUTHORS.rst", "CONTRIBUTORS", "CONTRIBUTORS.md",
                 "CONTRIBUTORS.txt", "MAINTAINERS", "MAINTAINERS.md", ".mailmap", "package.json", "pyproject.toml",
                 "setup.py", "setup.cfg", "Cargo.toml", "composer.json", "pom.xml")
# Two to four capitalised words, then <address>: "Jane Doe <jane@acme.com>".
_NAMED_ADDRESS = re.compile(r"(?<![\w.-])((?:[A-Z][\w'’.-]{0,40}[ \t]+){1,3}[A-Z][\w'’-]{0,40})[ \t]*"
                            r"<([A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9.-]{1,253}\.[A-Za-z]{2,63})>")


def self_described(repo: Path, words: WordList | None = None) -> Profile:
    """Ticket prefixes recurring in repo's history and people named beside e-mail addresses."""
    words = words or WordList.load()
    keys: dict[str, set[str]] = defaultdict(set)
    people: dict[str, set[str]] = defaultdict(set)
    for meta in commits_metadata(repo, ["--all"]):
        message = meta.message.decode("utf-8", "replace")
        for prefix, key in tickets(message):
            keys[prefix].add(key)
        _named(message, people)
    for name, _, _ in refs(repo):
        for prefix, key in tickets(name.split("/", 2)[-1]):
            keys[prefix].add(key)
    for text in _people_files(repo):
        _named(text, people)
    prefixes = sorted(p for p, found in keys.items()
                      if len(p) >= 3 and len(found) >= (WORD_KEYS if words.is_ordinary(p) else MIN_KEYS))
    persons = tuple(Person(name, tuple(sorted(emails))) for name, emails in sorted(people.items()))
    return Profile(ticket_prefixes=tuple(prefixes), people=persons, source=SOURCE, fallback=True)


def _named(text: str, people: dict[str, set[str]]) -> None:
    for m in _NAMED_ADDRESS.finditer(text):
        name, email = " ".join(m.group(1).split()), m.group(2)
        if not is_service(name, email) and name.lower() not in ("co-authored-by", "signed-off-by"):
            people[name].add(email)


def _people_files(repo: Path) -> list[str]:
    bare = git.rev_parse_flag(repo, "--is-bare-repository")
    texts = []
    for name in _PEOPLE_FILES:
        if bare:
            data = git.run(["cat-file", "blob", f"HEAD:{name}"], cwd=repo, check=False)
        else:
            path = repo / name
            data = path.read_bytes()[: 1 << 20] if path.is_file() and not path.is_symlink() else b""
        if data:
            texts.append(data[: 1 << 20].decode("utf-8", "replace"))
    return texts


def note(profile: Profile) -> str:
    """What a scan without a profile used, and what it cannot know."""
    tickets_said = (f"ticket prefixes {', '.join(profile.ticket_prefixes)} recurring in its history"
                    if profile.ticket_prefixes else "no ticket prefix recurring in its history")
    people_said = f"{len(profile.people)} people from its git identities and from names beside e-mail addresses"
    return (f"no organisation profile was given, so the scan used what the repository says about itself: "
            f"{tickets_said}; {people_said}. The organisation's names, domains and hosts are not known without one "
            "(`reposcrub profile infer` drafts a .reposcrub.toml to review)")
