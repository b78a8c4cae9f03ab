"""Whether a work tree holds changes that are not committed, decided without running anything
from the repository: ``git status`` would run a repository's clean filters on files whose
stat data changed, so staged changes are read from the index (``diff-index --cached``,
which never reads the work tree) and each tracked file is hashed here and compared with its
indexed id. A filtered file (LFS, autocrlf) counts as changed: the note errs towards saying so.
"""
from __future__ import annotations

import os
import stat
from pathlib import Path

from reposcrub import git
from reposcrub.sources.worktree import blob_oid


def has_uncommitted_changes(root: Path) -> bool:
    """Staged or unstaged changes to tracked files, or untracked files that are not ignored."""
    if _staged(root) or git.run(["ls-files", "-z", "--others", "--exclude-standard"], cwd=root).strip(b"\0"):
        return True
    for record in git.run(["ls-files", "-z", "-s"], cwd=root).split(b"\0"):
        if record and _changed(root, record):
            return True
    return False


def _staged(root: Path) -> bool:
    # diff-index --quiet says it by its exit code, which git.run does not return: list names instead.
    return bool(git.run(["diff-index", "--cached", "--name-only", "-z", "HEAD", "--"], cwd=root, check=False).strip())


def _changed(root: Path, record: bytes) -> bool:
    meta, _, name = record.partition(b"\t")
    mode, oid = meta.split()[:2]
    path = root / os.fsdecode(name)
    try:
        st = os.lstat(path)
    except OSError:
        return True  # deleted
    if mode == b"160000":
        return False  # a submodule: its own repository
    if mode == b"120000":
        return not stat.S_ISLNK(st.st_mode) or blob_oid(os.fsencode(os.readlink(path))) != oid.decode()
    if not stat.S_ISREG(st.st_mode):
        return True
    with open(path, "rb") as stream:
        return blob_oid(stream.read()) != oid.decode()
