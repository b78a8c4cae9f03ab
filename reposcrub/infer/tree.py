"""The files a draft profile reads: the work tree, or HEAD's tree in a bare repository."""
from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from reposcrub import git
from reposcrub.catfile import read_objects
from reposcrub.sources.worktree import WorktreeSource

MAX_FILE = 1 << 20  # larger files are data, not metadata


def files(root: Path) -> Iterator[tuple[str, bytes]]:
    """(path, content) of each file up to MAX_FILE bytes: a work tree's shipped files or a
    folder's files; for a bare repository, the files of HEAD."""
    if git.rev_parse_flag(root, "--is-bare-repository"):
        yield from _head_files(root)
        return
    tree = WorktreeSource(root, max_file_size=MAX_FILE)
    for blob in tree.blobs():
        if blob.size is None:
            yield blob.path, blob.data


def _head_files(repo: Path) -> Iterator[tuple[str, bytes]]:
    out = git.run(["ls-tree", "-r", "-z", "--long", "HEAD"], cwd=repo, check=False)
    wanted: dict[str, str] = {}
    for item in out.split(b"\0"):
        meta, _, raw_path = item.partition(b"\t")
        parts = meta.split()
        if len(parts) == 4 and parts[1] == b"blob" and parts[3].isdigit() and int(parts[3]) <= MAX_FILE:
            wanted.setdefault(parts[2].decode(), raw_path.decode("utf-8", "surrogateescape"))
    paths = list(wanted.items())
    for (oid, path), obj in zip(paths, read_objects(repo, [oid for oid, _ in paths], MAX_FILE)):
        if obj.kind == "blob":
            yield path, obj.data
