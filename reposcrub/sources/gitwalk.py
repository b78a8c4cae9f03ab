"""Walk a repository's history once and record where every unique blob was first seen.

Objects, not patches: each commit's raw diff against its first parent names the blobs
it adds; the first commit (in topological order) to add a blob is where it was
introduced. Every blob in every tree appears in such a diff, merge resolutions
included, because each tree is its first parent's tree plus that diff.
"""
from __future__ import annotations

import codecs
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from reposcrub import git
from reposcrub.catfile import read_objects

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
    # --ignore-submodules: git would otherwise read .gitmodules from each commit, and a
    # committed `update = !cmd` there makes it stop with a fatal error.
    args = ["log", *selection, "--reverse", "--topo-order", "--raw", "--no-renames", "--root",
            "--diff-merges=first-parent", "-z", "--no-abbrev", "--format=%x01%H", "--ignore-submodules=none",
            "--no-show-signature", "--no-notes", "--no-decorate", "--no-color", "--no-ext-diff", "--no-textconv"]
    for record in git.split_stream(args, repo, b"\x01"):
        if not record:
            continue
        fields = record.split(b"\0")
        commit = fields[0].decode()
        result.commits += 1
        for mode, oid, path, old in _raw_entries(fields[1:]):
            if not oid.strip("0"):  # deleted (40 or 64 zeros: SHA-1 or SHA-256)
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
    message: bytes  # in UTF-8 when the commit names an encoding Python knows
    stored: bytes | None = None  # the message as stored, when that differs


def commits_metadata(repo: Path, selection: Sequence[str]) -> Iterator[CommitMeta]:
    """Identity and message of every selected commit, read from the commit objects
    themselves (plumbing: no signature checks, no mailmap, no re-encoding by git) and
    decoded here by the commit's own ``encoding`` header."""
    oids = (line.decode() for line in git.split_stream(["rev-list", *selection], repo, b"\n") if line)
    for obj in read_objects(repo, oids, max_size=1 << 62):
        if obj.kind == "commit":
            yield parse_commit(obj.oid, obj.data)


def parse_commit(oid: str, data: bytes) -> CommitMeta:
    """Author and committer as ``Name <email>``, and the message, in UTF-8 where the
    commit names another encoding Python knows (UTF-16, EBCDIC...)."""
    header, _, message = data.partition(b"\n\n")
    fields: dict[bytes, bytes] = {}
    for line in header.split(b"\n"):
        if line[:1] != b" ":  # continuation lines belong to gpgsig and mergetag
            key, _, value = line.partition(b" ")
            fields.setdefault(key, value)
    author, committer = (fields.get(k, b"").rsplit(b" ", 2)[0] for k in (b"author", b"committer"))
    codec = _codec(fields.get(b"encoding", b""))
    if codec is not None:
        author, committer = (part if _is_utf8(part) else _to_utf8(part, codec) for part in (author, committer))
        decoded = _to_utf8(message, codec)
        if decoded != message:  # both are scanned: a header may lie about plain text to garble it
            return CommitMeta(oid, author, committer, decoded, stored=message)
    return CommitMeta(oid, author, committer, message)


def _codec(name: bytes) -> str | None:
    text = name.decode("ascii", "replace").strip().lower()
    if not text or text in ("utf-8", "utf8"):
        return None
    text = {"ebcdic-us": "cp037", "ebcdic-cp-us": "cp037", "ebcdic": "cp037"}.get(text, text)
    try:
        return codecs.lookup(text).name
    except LookupError:
        return None


def _is_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _to_utf8(data: bytes, codec: str) -> bytes:
    try:
        return data.decode(codec).encode("utf-8", "surrogateescape")
    except UnicodeDecodeError:
        return data  # not what the header says: scanned as stored


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
    found: set[tuple[bytes, bytes]] = set()
    for meta in commits_metadata(repo, ["--all", "--reflog"]):
        for identity in (meta.author, meta.committer):
            name, _, email = identity.rpartition(b" <")
            found.add((name, email.rstrip(b">")) if _ else (identity, b""))
    tags = git.run(["for-each-ref", "refs/tags", "--format=%(taggername)%00%(taggeremail)"], cwd=repo)
    for line in tags.splitlines():
        name, _, email = line.partition(b"\0")
        if name:
            found.add((name, email.strip(b"<>")))
    return found
