"""Every unique blob in the selected history, once, plus the metadata around it:
commit and tag messages, identities, ref names and file paths."""
from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pathspec
from typing import Any

from reposcrub import git
from reposcrub.errors import ReposcrubError
from reposcrub.catfile import read_all_objects, read_objects
from reposcrub.model import Blob, Provenance
from reposcrub.sources import gitwalk


_REVISION_OPTIONS = frozenset({"--not", "--remotes", "--branches", "--tags", "--all"})


@dataclass(frozen=True, slots=True)
class HistoryScope:
    """Which commits: everything (all refs and the reflog), since a date, or a range."""

    since: str | None = None
    rev_range: str | None = None

    @property
    def is_full(self) -> bool:
        return self.since is None and self.rev_range is None

    def selection(self) -> list[str]:
        """git log arguments. A range may be several words (``main --not --remotes``); the
        only options allowed in it select revisions, so a range can never smuggle one in."""
        chosen = self.rev_range.split() if self.rev_range else ["--all", "--reflog"]
        if self.rev_range and any(w.startswith("-") and w not in _REVISION_OPTIONS for w in chosen):
            raise ReposcrubError(f"--rev-range {self.rev_range!r}: give revisions such as A..B, not options")
        return chosen + ([f"--since={self.since}"] if self.since else [])


class HistorySource:
    """Blobs (each exactly once, with provenance) and metadata of a repository's history."""

    def __init__(self, repo: Path, scope: HistoryScope, max_file_size: int,
                 skip_oids: frozenset[str] = frozenset(), ignore: pathspec.PathSpec[Any] | None = None,
                 keep_emails: frozenset[str] = frozenset()) -> None:
        self.repo = repo
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
        walked = gitwalk.walk(self.repo, self.scope.selection())
        self.commits = walked.commits
        for path, commit in sorted(walked.submodules.items()):
            self.notes.append(f"submodule at {path} (first in {commit[:10]}) is not followed: scan it on its own")
        yield from self._refs()
        yield from self._commits()
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
        names = dict((oid, name) for name, oid in tags)
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
            if meta.message not in seen_messages:
                seen_messages.add(meta.message)
                yield Blob(data=meta.message, provenance=Provenance(path=meta.commit, commit=meta.commit, location="message"))

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
        wanted = {oid: seen for oid, seen in walked.blobs.items()
                  if oid not in self.skip_oids and not self._ignored(seen.path)}
        if not wanted:
            return
        if self.scope.is_full and len(wanted) > 64:
            objects = read_all_objects(self.repo, self.max_file_size)  # pack order: cheapest for everything
        else:
            objects = read_objects(self.repo, sorted(wanted), self.max_file_size)
        for obj in objects:
            seen = wanted.pop(obj.oid, None) if obj.kind == "blob" else None
            if seen is None:
                continue
            prov = Provenance(path=seen.path, commit=seen.commit, commit_count=seen.commits)
            self.blobs_scanned += 1
            self.bytes_scanned += len(obj.data)
            too_large = obj.size > self.max_file_size
            yield Blob(data=obj.data, provenance=prov, oid=obj.oid, size=obj.size if too_large else None)
        for oid, seen in sorted(wanted.items()):
            self.notes.append(f"object {oid[:10]} ({seen.path}) could not be read: the repository may be corrupt or partial")


def head_revision(repo: Path) -> str | None:
    out = git.run(["rev-parse", "--verify", "-q", "HEAD"], cwd=repo, check=False).strip()
    return out.decode() if out else None
