"""Files on disk: a git work tree (what it would ship) or any folder."""
from __future__ import annotations

import hashlib
import os
from collections.abc import Iterator
from pathlib import Path

import pathspec
from typing import Any

from reposcrub import git
from reposcrub.errors import ReposcrubError
from reposcrub.model import Blob, Provenance

IGNORE_FILE = ".reposcrubignore"
DEFAULT_MAX_FILE_SIZE = 50 * 1024 * 1024


def load_ignore(root: Path) -> pathspec.PathSpec[Any] | None:
    path = root / IGNORE_FILE
    if not path.is_file():
        return None
    lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
    return pathspec.PathSpec.from_lines("gitignore", lines)


class WorktreeSource:
    """Every file a submission would ship: tracked plus untracked-not-ignored in a git
    work tree, every file in a plain folder; minus .reposcrubignore. Symlinks are not
    followed, so nothing outside the tree is read."""

    def __init__(self, root: Path, max_file_size: int = DEFAULT_MAX_FILE_SIZE, use_git: bool = True) -> None:
        if not root.exists():
            raise ReposcrubError(f"{root} does not exist; give a folder, repository, archive or git URL")
        if not root.is_dir():
            raise ReposcrubError(f"{root} is not a folder")
        self.root = root.resolve()
        self.max_file_size = max_file_size
        self.ignore = load_ignore(self.root)
        self.is_git = use_git and git.toplevel(self.root) is not None
        self.files_seen = 0
        self.bytes_seen = 0
        self.oids: set[str] = set()  # git blob ids of what was read, so history can skip them

    def paths(self) -> Iterator[str]:
        raw = git.shipped_files(self.root) if self.is_git else self._walk()
        for rel in raw:
            text = os.fsdecode(rel)
            if self.ignore is not None and self.ignore.match_file(text):
                continue
            yield text

    def _walk(self) -> Iterator[bytes]:
        root = os.fsencode(self.root)
        for dirpath, dirnames, filenames in os.walk(root, followlinks=False):
            dirnames[:] = sorted(d for d in dirnames if d != b".git")
            for name in sorted(filenames):
                yield os.path.relpath(os.path.join(dirpath, name), root)

    def blobs(self) -> Iterator[Blob]:
        for rel in self.paths():
            blob = self._read(rel)
            if blob is not None:
                yield blob

    def _read(self, rel: str) -> Blob | None:
        full = self.root / rel
        try:
            st = full.lstat()
        except OSError:
            return None  # tracked but deleted from the work tree: nothing would ship
        if not full.is_file() or full.is_symlink():
            return None
        prov = Provenance(path=rel.replace(os.sep, "/"))
        self.files_seen += 1
        if st.st_size > self.max_file_size:
            return Blob(data=b"", provenance=prov, size=st.st_size)
        try:
            data = full.read_bytes()
        except OSError:
            return Blob(data=b"", provenance=prov, size=-1)
        self.bytes_seen += len(data)
        oid = blob_oid(data) if self.is_git else None
        if oid is not None:
            self.oids.add(oid)
        return Blob(data=data, provenance=prov, oid=oid)


def blob_oid(data: bytes) -> str:
    """The id git gives this content as a blob (SHA-1 repositories)."""
    digest = hashlib.sha1(b"blob %d\0" % len(data), usedforsecurity=False)
    digest.update(data)
    return digest.hexdigest()
