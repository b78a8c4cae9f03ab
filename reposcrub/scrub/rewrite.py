"""Apply a plan to every commit with git-filter-repo, in a fresh mirror clone.

The plan is keyed by blob id and path, so the path-aware ``file_info_callback`` swaps
in new blobs without reading unchanged content; messages, identities and ref names
are cleaned as fast-export streams them, cached so each distinct value is done once.
"""
from __future__ import annotations

import contextlib
import io
import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import git_filter_repo as fr

from reposcrub import git
from reposcrub.errors import ReposcrubError
from reposcrub.model import Provenance
from reposcrub.scrub.plan import STUB, Plan
from reposcrub.scrub.replace import Replacer


@contextlib.contextmanager
def _in_repo_quietly(path: Path, log: Path) -> Iterator[None]:
    """filter-repo works on the current directory and talks on stdout and stderr, from
    Python and from the git processes it starts: send all of it to a log file."""
    before = os.getcwd()
    saved = [os.dup(1), os.dup(2)]
    sys.stdout.flush()
    sys.stderr.flush()
    with log.open("wb") as sink:
        os.dup2(sink.fileno(), 1)
        os.dup2(sink.fileno(), 2)
        os.chdir(path)
        try:
            with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
                yield
        finally:
            os.chdir(before)
            os.dup2(saved[0], 1)
            os.dup2(saved[1], 2)
            for fd in saved:
                os.close(fd)


class _Callbacks:
    def __init__(self, plan: Plan, replacer: Replacer) -> None:
        self.plan = plan
        self.replacer = replacer
        self._messages: dict[bytes, bytes] = {}
        self._refs: dict[bytes, bytes] = {}
        self._inserted: dict[bytes, bytes] = {}

    def file_info(self, filename: bytes, mode: bytes, blob_id: bytes, value: Any) -> tuple[bytes | None, bytes, bytes]:
        path = filename.decode("utf-8", "surrogateescape")
        new_path = self.plan.new_path(path).encode("utf-8", "surrogateescape")
        oid = blob_id.decode()
        if path in self.plan.secret_files or oid in self.plan.secret_blobs:
            if not self.plan.stub:
                return None, mode, blob_id
            return new_path, mode, self._insert(value, b"stub", STUB)
        content = self.plan.blobs.get(oid)
        if content is not None:
            return new_path, mode, self._insert(value, blob_id, content)
        return new_path, mode, blob_id

    def _insert(self, value: Any, key: bytes, content: bytes) -> bytes:
        if key not in self._inserted:
            self._inserted[key] = value.insert_file_with_contents(content)
        return self._inserted[key]

    def message(self, message: bytes) -> bytes:
        if message not in self._messages:
            cleaned = self.plan.cleaner.clean(message, Provenance(path="", location="message"))
            self._messages[message] = cleaned.data
            self.plan.replaced.extend(cleaned.replaced)
        return self._messages[message]

    def commit(self, commit: Any, metadata: Any) -> None:
        commit.author_name, commit.author_email = self.replacer.identity(commit.author_name, commit.author_email)
        commit.committer_name, commit.committer_email = self.replacer.identity(commit.committer_name, commit.committer_email)

    def tag(self, tag: Any, metadata: Any) -> None:
        if tag.tagger_name is not None:
            tag.tagger_name, tag.tagger_email = self.replacer.identity(tag.tagger_name, tag.tagger_email)

    def refname(self, refname: bytes) -> bytes:
        if refname not in self._refs:
            cleaned = self.plan.cleaner.clean(refname, Provenance(path=refname.decode("utf-8", "surrogateescape"), location="ref"))
            # A replacement may hold a space ("Person 3"); ref names may not.
            self._refs[refname] = cleaned.data.replace(b" ", b"-")
            self.plan.replaced.extend(cleaned.replaced)
        return self._refs[refname]


def rewrite(mirror: Path, plan: Plan, replacer: Replacer) -> None:
    """Rewrite every ref of the bare mirror in place.

    Raises:
        ReposcrubError: git-filter-repo failed.
    """
    callbacks = _Callbacks(plan, replacer)
    args = fr.FilteringOptions.parse_args(
        ["--force", "--quiet", "--replace-refs", "delete-no-add", "--prune-empty", "never",
         "--prune-degenerate", "never", "--preserve-commit-encoding"], error_on_empty=False)
    repo_filter = fr.RepoFilter(
        args,
        file_info_callback=callbacks.file_info,
        message_callback=callbacks.message,
        commit_callback=callbacks.commit,
        tag_callback=callbacks.tag,
        refname_callback=callbacks.refname,
    )
    log = mirror.parent / "filter-repo.log"
    try:
        with git.isolated_environ(), _in_repo_quietly(mirror, log):
            repo_filter.run()
    except SystemExit as exc:
        lines = log.read_text(errors="replace").strip().splitlines()
        detail = f": {lines[-1]}" if lines else ""
        raise ReposcrubError(f"history rewrite failed (git-filter-repo exited with {exc.code}){detail}") from None
