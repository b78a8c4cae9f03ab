"""Apply a plan to every commit with git-filter-repo, in a fresh mirror clone.

The plan is keyed by blob id and path, so the path-aware ``file_info_callback`` swaps
in new blobs without reading unchanged content; messages, identities and ref names
are cleaned as fast-export streams them, cached so each distinct value is done once.

Paths are renamed in ``filename_callback``, which git-filter-repo applies to every file
change, deletions included: renaming only what is added or modified (as
``file_info_callback`` alone would) turns "move lib/acme to acme" into a copy, and files
the input deleted come back at every later commit.
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

from reposcrub.errors import ReposcrubError
from reposcrub.model import Provenance
from reposcrub.scrub.plan import STUB, Plan
from reposcrub.scrub.replace import Replacer
from reposcrub.scrub.refs import PARKED, move_refs


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
        self._old_names: dict[bytes, bytes] = {}  # new path -> old path
        self._services: dict[tuple[bytes, bytes], tuple[bytes, bytes]] = {}

    def filename(self, filename: bytes) -> bytes:
        """Every change's path, deletions included, under the plan's rename map."""
        new = self.plan.new_path(filename.decode("utf-8", "surrogateescape")).encode("utf-8", "surrogateescape")
        self._old_names[new] = filename
        return new

    def file_info(self, filename: bytes, mode: bytes, blob_id: bytes, value: Any) -> tuple[bytes | None, bytes, bytes]:
        path = self._old_names.get(filename, filename).decode("utf-8", "surrogateescape")
        oid = blob_id.decode()
        if path in self.plan.secret_files or oid in self.plan.secret_blobs:
            if not self.plan.stub:
                return None, mode, blob_id
            return filename, mode, self._insert(value, b"stub", STUB)
        content = self.plan.blobs.get(oid)
        if content is not None:
            return filename, mode, self._insert(value, blob_id, content)
        return filename, mode, blob_id

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
        commit.author_name, commit.author_email = self._identity(commit.author_name, commit.author_email)
        commit.committer_name, commit.committer_email = self._identity(commit.committer_name, commit.committer_email)

    def tag(self, tag: Any, metadata: Any) -> None:
        if tag.tagger_name is not None:
            tag.tagger_name, tag.tagger_email = self._identity(tag.tagger_name, tag.tagger_email)

    def _identity(self, name: bytes, email: bytes) -> tuple[bytes, bytes]:
        """A person becomes Person N; a bot or service keeps its identity, less any org
        name or domain in it (Acme CI <ci@acme.com>)."""
        if self.replacer.is_person(name, email):
            return self.replacer.identity(name, email)
        key = (name, email)
        if key not in self._services:
            clean = (self.plan.cleaner.clean(part, Provenance(path="", location="author")).data for part in key)
            self._services[key] = (next(clean), next(clean))
        return self._services[key]

    def ref_names(self) -> dict[str, str]:
        return {old.decode("utf-8", "surrogateescape"): new.decode("utf-8", "surrogateescape") for old, new in self._refs.items()}

    def refname(self, refname: bytes) -> bytes:
        if refname not in self._refs:
            self._refs[refname] = clean_refname(self.plan, refname)
        return self._refs[refname]


def clean_refname(plan: Plan, refname: bytes) -> bytes:
    """A ref name with its findings replaced after its kind (refs/heads/, refs/tags/, ...);
    a replacement may hold a space ("Person 3"), ref names may not."""
    kind = PARKED.encode() if refname.startswith(PARKED.encode()) else b"/".join(refname.split(b"/")[:2]) + b"/"
    if not refname.startswith(b"refs/") or len(refname) <= len(kind):
        kind = b""
    rest = refname[len(kind):]
    cleaned = plan.cleaner.clean(rest, Provenance(path=refname.decode("utf-8", "surrogateescape"), location="ref"))
    plan.replaced.extend(cleaned.replaced)
    return kind + cleaned.data.replace(b" ", b"-")


def rewrite(mirror: Path, plan: Plan, replacer: Replacer) -> dict[str, str]:
    """Rewrite every ref of the bare mirror in place; every ref kind survives (notes are
    rebuilt afterwards by notes.py, as git-filter-repo passes them through unchanged).
    Returns each old ref name's new name.

    Raises:
        ReposcrubError: git-filter-repo failed.
    """
    move_refs(mirror, "refs/remotes/", PARKED)
    callbacks = _Callbacks(plan, replacer)
    args = fr.FilteringOptions.parse_args(
        ["--force", "--quiet", "--replace-refs", "delete-no-add", "--prune-empty", "never",
         "--prune-degenerate", "never", "--preserve-commit-encoding"], error_on_empty=False)
    repo_filter = fr.RepoFilter(
        args,
        filename_callback=callbacks.filename,
        file_info_callback=callbacks.file_info,
        message_callback=callbacks.message,
        commit_callback=callbacks.commit,
        tag_callback=callbacks.tag,
        refname_callback=callbacks.refname,
    )
    log = mirror.parent / "filter-repo.log"
    try:
        with _in_repo_quietly(mirror, log):
            repo_filter.run()
    except SystemExit as exc:
        lines = log.read_text(errors="replace").strip().splitlines()
        detail = f": {lines[-1]}" if lines else ""
        raise ReposcrubError(f"history rewrite failed (git-filter-repo exited with {exc.code}){detail}") from None
    # Parked under a name without findings, so the rewrite kept the prefix as it was.
    move_refs(mirror, PARKED, "refs/remotes/")
    return {_unparked(old): _unparked(new) for old, new in callbacks.ref_names().items()}


def _unparked(name: str) -> str:
    return "refs/remotes/" + name[len(PARKED):] if name.startswith(PARKED) else name
