"""Every unique blob in the selected history, once, plus the metadata around it:
commit and tag messages, identities, ref names and file paths."""
from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pathspec

from reposcrub import git
from reposcrub.catfile import read_objects
from reposcrub.errors import ReposcrubError
from reposcrub.model import Blob, Provenance
from reposcrub.sources import gitwalk
from reposcrub.sources.dates import since_timestamp

_REVISION_OPTIONS = frozenset({"--not", "--remotes", "--branches", "--tags", "--all"})


@dataclass(frozen=True, slots=True)
class HistoryScope:
    """Which commits: everything (all refs and the reflog), since a date, or a range.

    Raises:
        ReposcrubError: since is not a date (see since_timestamp).
    """

    since: str | None = None
    rev_range: str | None = None
    since_time: int | None = field(default=None, init=False, compare=False)  # unix time since means

    def __post_init__(self) -> None:
        if self.since is not None:  # read once: relative dates then name the same moment for every git call
            object.__setattr__(self, "since_time", since_timestamp(self.since))

    @property
    def is_full(self) -> bool:
        return self.since is None and self.rev_range is None

    def selection(self) -> list[str]:
        """git log arguments. A range may be several words (``main --not --remotes``); the
        only options allowed in it select revisions, so a range can never smuggle one in."""
        chosen = self.rev_range.split() if self.rev_range else ["--all", "--reflog"]
        if self.rev_range and any(w.startswith("-") and w not in _REVISION_OPTIONS for w in chosen):
            raise ReposcrubError(f"--rev-range {self.rev_range!r}: give revisions such as A..B, not options")
        # --max-age takes the time as a number: what `git rev-parse --since=...` turns a date into.
        return chosen + ([f"--max-age={self.since_time}"] if self.since_time is not None else [])


class HistorySource:
    """Blobs (each exactly once, with provenance) and metadata of a repository's history."""

    def __init__(self, repo: Path, scope: HistoryScope, max_file_size: int,
                 skip_oids: frozenset[str] = frozenset(), ignore: pathspec.PathSpec[Any] | None = None,
                 keep_emails: frozenset[str] = frozenset(), changes_only: bool = True) -> None:
        self.repo = repo
        self.changes_only = changes_only  # hand each changed file its previous version (see delta.py)
        self.scope = scope
        self.max_file_size = max_file_size
        self.skip_oids = skip_oids
        self.ignore = ignore
        self.keep_emails = keep_emails  # identities not scanned: the submitter's own
        self.notes: list[str] = []
        self.blobs_scanned = 0
        self.bytes_scanned = 0
        self.commits = 0

    def blobs(self) -> Iterator[Blob]:
        # Refs and messages first: the workers scan them while the walk runs.
        yield from self._refs()
        yield from self._commits()
        walked = gitwalk.walk(self.repo, self.scope.selection())
        self.commits = walked.commits
        for path, commit in sorted(walked.submodules.items()):
            self.notes.append(f"submodule at {path} (first in {commit[:10]}) is not followed: scan it on its own")
        yield from self._paths(walked)
        yield from self._file_blobs(walked)

    def _refs(self) -> Iterator[Blob]:
        if not self.scope.is_full:
            return
        tags = []
        for name, kind, oid in gitwalk.refs(self.repo):
            yield Blob(data=name.encode("utf-8", "surrogateescape"), provenance=Provenance(path=name, location="ref", ref=name))
            if kind == "tag":
                tags.append((name, oid))
        yield from self._tag_messages(tags)

    def _tag_messages(self, tags: list[tuple[str, str]]) -> Iterator[Blob]:
        names = {oid: name for name, oid in tags}
        for obj in read_objects(self.repo, [oid for _, oid in tags], self.max_file_size):
            if obj.kind != "tag":
                continue
            header, _, message = obj.data.partition(b"\n\n")
            name = names[obj.oid]
            prov = Provenance(path=name, location="tag-message", ref=name)
            yield Blob(data=message, provenance=prov, oid=obj.oid)
            for line in header.splitlines():
                if line.startswith(b"tagger "):
                    identity = line[7:].rsplit(b" ", 2)[0]
                    yield Blob(data=identity, provenance=Provenance(path=name, location="author", ref=name))

    def _commits(self) -> Iterator[Blob]:
        seen_identities: set[bytes] = set()
        seen_messages: set[bytes] = set()
        for meta in gitwalk.commits_metadata(self.repo, self.scope.selection()):
            for location, identity in (("author", meta.author), ("committer", meta.committer)):
                if identity not in seen_identities and not self._kept(identity):
                    seen_identities.add(identity)
                    yield Blob(data=identity, provenance=Provenance(path=meta.commit, commit=meta.commit, location=location))
            for message in (meta.message, meta.stored):
                if message is not None and message not in seen_messages:
                    seen_messages.add(message)
                    yield Blob(data=message, provenance=Provenance(path=meta.commit, commit=meta.commit, location="message"))

    def _kept(self, identity: bytes) -> bool:
        email = identity.rsplit(b"<", 1)[-1].rstrip(b">").decode("utf-8", "replace").lower()
        return email in self.keep_emails

    def _paths(self, walked: gitwalk.Walk) -> Iterator[Blob]:
        for path, commit in walked.paths.items():
            if not self._ignored(path):
                data = path.encode("utf-8", "surrogateescape")
                yield Blob(data=data, provenance=Provenance(path=path, commit=commit, location="path"))

    def _ignored(self, path: str) -> bool:
        return self.ignore is not None and self.ignore.match_file(path)

    def _file_blobs(self, walked: gitwalk.Walk) -> Iterator[Blob]:
        # File by file, each oldest first as the walk found them: a file's earlier version
        # is read (and scanned) before the versions that change it, which need scanning
        # only where they differ. Versions of one file then travel to a worker together,
        # the previous one pickled once for both, and git reads them fastest that way too:
        # packs chain a file's versions as deltas of one another.
        wanted = {oid: seen for oid, seen in walked.blobs.items()
                  if oid not in self.skip_oids and not self._ignored(seen.path)}
        if not wanted:
            return
        needed = {seen.base for seen in wanted.values() if seen.base in wanted and seen.base is not None}
        bases = _BaseCache(needed if self.changes_only else set(), wanted)
        walk_order = {oid: i for i, oid in enumerate(wanted)}
        chain = _chain_paths(wanted)  # a version sorts with the file its chain of versions started as
        order = sorted(wanted, key=lambda oid: (chain[oid], walk_order[oid]))
        for obj in read_objects(self.repo, order, self.max_file_size):
            seen = wanted.pop(obj.oid, None) if obj.kind == "blob" else None
            if seen is None:
                continue
            prov = Provenance(path=seen.path, commit=seen.commit, commit_count=seen.commits)
            self.blobs_scanned += 1
            self.bytes_scanned += len(obj.data)
            too_large = obj.size > self.max_file_size
            base = bases.take(seen.base) if seen.base is not None else None
            if not too_large:
                bases.offer(obj.oid, obj.data)
            yield Blob(data=obj.data, provenance=prov, oid=obj.oid, size=obj.size if too_large else None, base=base)
        for oid, seen in sorted(wanted.items()):
            self.notes.append(f"object {oid[:10]} ({seen.path}) could not be read: the repository may be corrupt or partial")


def _chain_paths(wanted: dict[str, gitwalk.BlobSeen]) -> dict[str, str]:
    """For each blob, the path of the oldest version in its chain of bases: sorting by it,
    then by walk order, reads every base before the versions that change it."""
    roots: dict[str, str] = {}
    for oid, seen in wanted.items():  # walk order: a base comes before what changes it
        base = seen.base
        roots[oid] = roots[base] if base is not None and base in roots else seen.path
    return roots


class _BaseCache:
    """Contents of blobs that later blobs changed, kept until their last change is read.

    Bounded: past the budget a blob is not kept, and its changes are scanned whole."""

    BUDGET = 256 << 20

    def __init__(self, needed: set[str], wanted: dict[str, gitwalk.BlobSeen]) -> None:
        self._waiting: dict[str, int] = dict.fromkeys(needed, 0)  # base oid -> changes still to read
        for seen in wanted.values():
            if seen.base in self._waiting:
                self._waiting[seen.base] += 1
        self._data: dict[str, bytes] = {}
        self._bytes = 0

    def offer(self, oid: str, data: bytes) -> None:
        if oid in self._waiting and self._bytes + len(data) <= self.BUDGET:
            self._data[oid] = data
            self._bytes += len(data)

    def take(self, oid: str) -> bytes | None:
        data = self._data.get(oid)
        left = self._waiting.get(oid, 0) - 1
        if left > 0:
            self._waiting[oid] = left
        else:
            self._waiting.pop(oid, None)
            if self._data.pop(oid, None) is not None:
                self._bytes -= len(data)  # type: ignore[arg-type]
        return data


def head_revision(repo: Path) -> str | None:
    out = git.run(["rev-parse", "--verify", "-q", "HEAD"], cwd=repo, check=False).strip()
    return out.decode() if out else None
