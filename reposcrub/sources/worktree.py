"""Files on disk: a git work tree (what it would ship) or any folder."""
from __future__ import annotations

import hashlib
import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pathspec
from typing import Any

from reposcrub import git
from reposcrub.errors import ReposcrubError
from reposcrub.model import Blob, Provenance
from reposcrub.sources.safeopen import open_regular, read_regular

IGNORE_FILE = ".reposcrubignore"
DEFAULT_MAX_FILE_SIZE = 50 * 1024 * 1024


def load_ignore(root: Path) -> pathspec.PathSpec[Any] | None:
    """root's .reposcrubignore, read only if it is a regular file inside root."""
    data = read_regular(root, IGNORE_FILE)
    if data is None:
        return None
    return pathspec.PathSpec.from_lines("gitignore", data.decode("utf-8", "replace").splitlines())


class WorktreeSource:
    """Every file a submission would ship: tracked plus untracked-not-ignored in a git
    work tree, every file in a plain folder; minus .reposcrubignore (ignore files not obeyed:
    every file on disk).
    Only regular files reached without following a link are read, so nothing outside the
    tree is; a FIFO or device is never opened for reading. Nested repositories are listed
    in ``nested`` for the caller to scan with their history."""

    def __init__(self, root: Path, max_file_size: int = DEFAULT_MAX_FILE_SIZE, use_git: bool = True,
                 obey_ignore: bool = True) -> None:
        if not root.exists():
            raise ReposcrubError(f"{root} does not exist; give a folder, repository, archive or git URL")
        if not root.is_dir():
            raise ReposcrubError(f"{root} is not a folder")
        self.root = root.resolve()
        self.max_file_size = max_file_size
        # Not obeyed (untrusted targets), no ignore file hides anything: an archive or a
        # folder ships its ignored files too.
        self.obey_ignore = obey_ignore
        self.ignore = load_ignore(self.root) if obey_ignore else None
        self.is_git = use_git and git.toplevel(self.root) is not None
        self.files_seen = 0
        self.bytes_seen = 0
        self.oids: set[str] = set()  # git blob ids of what was read, so history can skip them
        self.nested: list[str] = []  # folders holding a repository of their own
        self.notes: list[str] = []
        self._not_read: dict[str, list[str]] = {}

    def paths(self) -> Iterator[str]:
        for rel, _ in self._entries():
            yield rel

    def untracked(self) -> Iterator[str]:
        """Files that would ship and that no commit names (FIFO-safe, as every listing here)."""
        for rel, untracked in self._entries():
            if untracked:
                yield rel

    def _entries(self) -> Iterator[tuple[str, bool]]:
        """(path, whether its name is in no commit) for each file that would ship."""
        raw = self._git_paths() if self.is_git else ((rel, True) for rel in self._walk())
        for rel, untracked in raw:
            text = os.fsdecode(rel)
            if self.ignore is not None and self.ignore.match_file(text):
                continue
            yield text, untracked

    def _git_paths(self) -> Iterator[tuple[bytes, bool]]:
        special = _special_ignore_files(self.root) if self.obey_ignore else []
        if special:  # git would open it and wait (a FIFO) or read forever (a device)
            self.notes.append(f"{special[0]} is not a regular file: .gitignore files were not obeyed, "
                              "every untracked file was scanned")
        obey = self.obey_ignore and not special
        for rel, untracked in git.shipped_files(self.root, per_directory_ignores=obey, local_excludes=obey):
            if rel.endswith(b"/"):  # an untracked folder with a repository of its own
                self.nested.append(os.fsdecode(rel.rstrip(b"/")))
            else:
                yield rel, untracked

    def _walk(self) -> Iterator[bytes]:
        root = os.fsencode(self.root)
        for dirpath, dirnames, filenames in os.walk(root, followlinks=False):
            if dirpath != root and (b".git" in dirnames or b".git" in filenames):
                self.nested.append(os.fsdecode(os.path.relpath(dirpath, root)))
            dirnames[:] = sorted(d for d in dirnames if d != b".git")
            for name in sorted(filenames):
                if name != b".git":
                    yield os.path.relpath(os.path.join(dirpath, name), root)

    def blobs(self) -> Iterator[Blob]:
        """Each file's content, and the names of files no commit holds (history scans the
        others' names): a secret in a file or folder name is a finding too."""
        for rel, untracked in self._entries():
            if untracked:
                path = rel.replace(os.sep, "/")
                yield Blob(data=path.encode("utf-8", "surrogateescape"), provenance=Provenance(path=path, location="path"))
            blob = self._read(rel)
            if blob is not None:
                yield blob
        for reason, paths in sorted(self._not_read.items()):
            shown = ", ".join(paths[:5]) + (f" and {len(paths) - 5} more" if len(paths) > 5 else "")
            self.notes.append(f"{len(paths)} listed file(s) not read ({reason}): {shown}")

    def _read(self, rel: str) -> Blob | None:
        opened = open_regular(self.root, rel)
        if opened is None:
            self._not_opened(rel)
            return None
        fd, st = opened
        prov = Provenance(path=rel.replace(os.sep, "/"))
        self.files_seen += 1
        with os.fdopen(fd, "rb") as stream:
            if st.st_size > self.max_file_size:
                return Blob(data=b"", provenance=prov, size=st.st_size)
            try:
                data = stream.read()
            except OSError:
                return Blob(data=b"", provenance=prov, size=-1)
        self.bytes_seen += len(data)
        oid = blob_oid(data) if self.is_git else None
        if oid is not None:
            self.oids.add(oid)
        return Blob(data=data, provenance=prov, oid=oid)

    def _not_opened(self, rel: str) -> None:
        """Why a listed path was not read; silent for the ordinary cases (a link, a deletion)."""
        full = self.root / rel
        parts = Path(rel).parts
        for i in range(1, len(parts)):
            if (self.root.joinpath(*parts[:i])).is_symlink():
                self._not_read.setdefault("a folder on the path is a symbolic link, never followed", []).append(rel)
                return
        try:
            st = full.lstat()
        except OSError:
            return  # tracked but deleted from the work tree: nothing would ship
        if stat.S_ISDIR(st.st_mode) and self.is_git:
            self.nested.append(rel.rstrip("/"))  # a submodule's checkout
        elif not stat.S_ISREG(st.st_mode) and not stat.S_ISLNK(st.st_mode) and not stat.S_ISDIR(st.st_mode):
            self._not_read.setdefault("not a regular file: a FIFO, socket or device", []).append(rel)


def _special_ignore_files(root: Path) -> list[str]:
    """Entries named .gitignore that are neither files, folders nor links, anywhere in root."""
    found: list[str] = []
    pending = [root]
    while pending:
        folder = pending.pop()
        try:
            entries = list(os.scandir(folder))
        except OSError:
            continue
        for entry in entries:
            if entry.name == ".git":
                continue
            if entry.is_dir(follow_symlinks=False):
                pending.append(Path(entry.path))
            elif entry.name == ".gitignore" and not entry.is_file(follow_symlinks=False) and not entry.is_symlink():
                found.append(os.path.relpath(entry.path, root))
    return found


def blob_oid(data: bytes) -> str:
    """The id git gives this content as a blob (SHA-1 repositories)."""
    digest = hashlib.sha1(b"blob %d\0" % len(data), usedforsecurity=False)
    digest.update(data)
    return digest.hexdigest()
