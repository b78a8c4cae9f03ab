"""What the history says about its owner: who committed from which domain and machine,
ticket keys in messages and branch names, hosts in messages, the remote's organisation."""
from __future__ import annotations

import re
from pathlib import Path

from reposcrub import git
from reposcrub.infer.content import read_text, tickets
from reposcrub.infer.evidence import Evidence, name_key
from reposcrub.people import is_service
from reposcrub.sources.gitwalk import commits_metadata, refs

_IDENTITY = re.compile(rb"^(.*?)\s*<([^<>]*)>\s*$")
_ADDRESS = re.compile(r"([^\n<>:]{0,80})<([^<>\s@]{1,64}@[^<>\s@]{1,253})>")
_REMOTE = re.compile(r"^(?:[a-z+]+://(?:[^/@]*@)?|[^/@:]+@)?(?P<host>[\w.-]+)[/:](?P<org>[\w.-]+)/[\w.-]+?(?:\.git)?/?$")


def has_commits(repo: Path) -> bool:
    return bool(git.run(["rev-parse", "--verify", "-q", "HEAD"], cwd=repo, check=False).strip()
                or git.run(["for-each-ref", "--count=1"], cwd=repo, check=False).strip())


def read_history(repo: Path, ev: Evidence) -> None:
    """Identities, messages, branch names and remotes of every ref."""
    for meta in commits_metadata(repo, ["--all"]):
        _identities(meta.author, meta.committer, ev)
        message = meta.message.decode("utf-8", "replace")
        where = f"commit {meta.commit[:10]}"
        read_text(message, where, ev, "e-mail in commit messages")
        for name, address in _ADDRESS.findall(message):  # Co-authored-by, Signed-off-by
            ev.mailers[address.rpartition("@")[2].lower()].add(name_key(name) or address.lower())
        for prefix, key in tickets(message):
            ev.add("ticket_prefixes", prefix, "commit messages", example=key)
            ev.ticket_keys[prefix].add(key)
    for name, _, _ in refs(repo):
        short = name.split("/", 2)[-1] if name.startswith("refs/") else name
        for prefix, key in tickets(short):
            ev.add("ticket_prefixes", prefix, "branch names", example=short)
            ev.ticket_keys[prefix].add(key)
    _remotes(repo, ev)


def _identities(author: bytes, committer: bytes, ev: Evidence) -> None:
    domains = set()
    for identity in (author, committer):
        m = _IDENTITY.match(identity)
        if m is None:
            continue
        name, email = m.group(1).decode("utf-8", "replace"), m.group(2).decode("utf-8", "replace").lower()
        if "@" not in email or is_service(name, email):
            continue
        if len(name.split()) >= 2:
            ev.committer_names.add(name_key(name))
        domain = email.rpartition("@")[2]
        ev.mailers[domain].add(name_key(name) or email)  # a person, however many addresses
        domains.add(domain)
    for domain in domains:
        ev.commits[domain] += 1
        ev.see_host(domain, "committer e-mail")


def _remotes(repo: Path, ev: Evidence) -> None:
    out = git.run(["config", "--get-regexp", r"^remote\..*\.url$"], cwd=repo, check=False).decode("utf-8", "replace")
    for line in out.splitlines():
        m = _REMOTE.search(line.split(" ", 1)[-1].strip())
        if m is not None:
            # The example names host and organisation only: a remote URL may hold a token.
            where = f"{m.group('host')}/{m.group('org')}"
            ev.add("names", m.group("org"), "remote URL", example=where)
            if "." in m.group("host"):
                ev.add("namespaces", where, "remote URL", example=where)
