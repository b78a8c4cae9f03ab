"""Walk a repository's history once and record where every unique blob was first seen.

Objects, not patches: each commit's raw diff against its first parent names the blobs
it adds; the first commit (in topological order) to add a blob is where it was
introduced. Every blob in every tree appears in such a diff, merge resolutions
included, because each tree is its first parent's tree plus that diff.
"""
from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from reposcrub import git

_ZERO = "0" * 40
SUBMODULE_MODE = b"160000"


@dataclass(slots=True)
class BlobSeen:
    path: str
    commit: str
    commits: int = 1
    base: str | None = None  # the version it replaced at that path, when it modified one


@dataclass(slots=True)
class Walk:
    blobs: dict[str, BlobSeen] = field(default_factory=dict)
    paths: dict[str, str] = field(default_factory=dict)  # path -> first commit
    submodules: dict[str, str] = field(default_factory=dict)  # path -> first commit
    commits: int = 0


def _raw_entries(fields: list[bytes]) -> Iterator[tuple[bytes, str, str, str | None]]:
    """(new mode, new oid, path, old oid if modified) for each ':old new oid oid status' + path pair."""
    i = 0
    while i + 1 < len(fields):
        meta = fields[i].lstrip(b"\n")
        if meta.startswith(b":"):
            parts = meta[1:].split()
            old = parts[2].decode() if parts[4] == b"M" and parts[0] == parts[1] else None
            yield parts[1], parts[3].decode(), fields[i + 1].decode("utf-8", "surrogateescape"), old
            i += 2
        else:
            i += 1


def walk(repo: Path, selection: Sequence[str]) -> Walk:
    """Record first path, first commit and commit count for every blob the selection adds."""
    result = Walk()
    args = ["log", *selection, "--reverse", "--topo-order", "--raw", "--no-renames", "--root",
            "--diff-merges=first-parent", "-z", "--no-abbrev", "--format=%x01%H"]
    for record in git.split_stream(args, repo, b"\x01"):
        if not record:
            continue
        fields = record.split(b"\0")
        commit = fields[0].decode()
        result.commits += 1
        for mode, oid, path, old in _raw_entries(fields[1:]):
            if oid == _ZERO:
                continue  # deleted
            result.paths.setdefault(path, commit)
            if mode == SUBMODULE_MODE:
                result.submodules.setdefault(path, commit)
                continue
            seen = result.blobs.get(oid)
            if seen is None:
                result.blobs[oid] = BlobSeen(path, commit, base=old)
            else:
                seen.commits += 1
    return result


@dataclass(frozen=True, slots=True)
class CommitMeta:
    commit: str
    author: bytes
    committer: bytes
    message: bytes


def commits_metadata(repo: Path, selection: Sequence[str]) -> Iterator[CommitMeta]:
    """Identity and message of every selected commit."""
    args = ["log", *selection, "-z", "--format=%H%x00%an <%ae>%x00%cn <%ce>%x00%B"]
    fields: list[bytes] = []
    for item in git.split_stream(args, repo, b"\0"):
        fields.append(item)
        if len(fields) == 4:
            sha, author, committer, message = fields
            fields = []
            yield CommitMeta(sha.lstrip(b"\n").decode(), author, committer, message)


def refs(repo: Path) -> list[tuple[str, str, str]]:
    """(refname, object type, object id) for every ref, stash and notes included."""
    out = git.run(["for-each-ref", "--format=%(refname)%00%(objecttype)%00%(objectname)"], cwd=repo)
    rows = []
    for line in out.splitlines():
        name, kind, oid = line.split(b"\0")
        rows.append((name.decode("utf-8", "surrogateescape"), kind.decode(), oid.decode()))
    return rows


def identities(repo: Path) -> set[tuple[bytes, bytes]]:
    """Every (name, email) that authored, committed or tagged anything."""
    args = ["log", "--all", "--reflog", "-z", "--format=%an%x00%ae%x00%cn%x00%ce"]
    fields = list(git.split_stream(args, repo, b"\0"))
    found = {(fields[i].lstrip(b"\n"), fields[i + 1]) for i in range(0, len(fields) - 1, 2)}
    tags = git.run(["for-each-ref", "refs/tags", "--format=%(taggername)%00%(taggeremail)"], cwd=repo)
    for line in tags.splitlines():
        name, _, email = line.partition(b"\0")
        if name:
            found.add((name, email.strip(b"<>")))
    return found
