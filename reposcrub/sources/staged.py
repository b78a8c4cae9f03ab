"""What the index would commit: the blobs staged as added or changed, read from the index,
or, given paths, the indexed content of those paths whether they changed or not.

The work tree is never read, so a file edited after `git add` is scanned as staged.
"""
from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path

from reposcrub import git
from reposcrub.catfile import read_objects
from reposcrub.model import Blob, Provenance
from reposcrub.sources.gitwalk import SUBMODULE_MODE
from reposcrub.sources.worktree import load_ignore


class StagedSource:
    def __init__(self, root: Path, max_file_size: int, paths: Sequence[str] = (), obey_ignore: bool = True) -> None:
        self.root = root
        self.paths = tuple(paths)
        self.ignore = load_ignore(root) if obey_ignore else None
        self.max_file_size = max_file_size
        self.files_seen = 0
        self.bytes_seen = 0

    def _staged(self) -> dict[str, list[str]]:
        """Blob id -> paths; each entry as (mode, oid, path)."""
        staged: dict[str, list[str]] = {}
        for mode, oid, path in self._indexed() if self.paths else self._changed():
            text = path.decode("utf-8", "surrogateescape")
            if self.ignore is not None and self.ignore.match_file(text):
                continue
            if mode != SUBMODULE_MODE:
                staged.setdefault(oid, []).append(text)
        return staged

    def _changed(self) -> Iterator[tuple[bytes, str, bytes]]:
        # Index against HEAD (or the empty tree before the first commit); keep GIT_INDEX_FILE,
        # which pre-commit sets when it stashes unstaged changes.
        args = ["diff", "--cached", "--raw", "-z", "--no-abbrev", "--no-renames", "--no-ext-diff",
                "--no-textconv", "--diff-filter=ACMRT", "--ignore-submodules=all"]
        fields = git.run(args, cwd=self.root, keep_index=True).split(b"\0")
        for meta, path in zip(fields[0::2], fields[1::2]):
            parts = meta.lstrip(b":").split()
            if len(parts) >= 4:
                yield parts[1], parts[3].decode(), path

    def _indexed(self) -> Iterator[tuple[bytes, str, bytes]]:
        # Literal pathspecs: a file named '*.py' is that file, not a pattern. A path that is
        # not in the index (untracked, deleted) has nothing staged to scan.
        specs = [":(literal)" + p for p in self.paths]
        out = git.run(["ls-files", "--stage", "-z", "--full-name", "--", *specs], cwd=self.root, keep_index=True)
        for entry in out.split(b"\0"):
            if entry:
                meta, _, path = entry.partition(b"\t")
                mode, oid, _stage = meta.split()
                yield mode, oid.decode(), path

    def blobs(self) -> Iterator[Blob]:
        staged = self._staged()
        for obj in read_objects(self.root, list(staged), self.max_file_size):
            if obj.kind != "blob":
                continue
            too_large = obj.size > self.max_file_size
            for path in staged[obj.oid]:
                self.files_seen += 1
                self.bytes_seen += len(obj.data)
                prov = Provenance(path=path)
                yield Blob(data=obj.data, provenance=prov, oid=obj.oid, size=obj.size if too_large else None)
