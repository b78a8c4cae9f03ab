"""Refs around the rewrite: remote-tracking refs kept as they are, files naming old refs removed.

git-filter-repo turns ``refs/remotes/origin/*`` into branches and drops those a branch of
the same name already has; parked under another prefix while it runs, they come back
afterwards as remote-tracking refs, renamed like any other ref.
"""
from __future__ import annotations

import subprocess
from pathlib import Path

from reposcrub import git
from reposcrub.catfile import read_objects
from reposcrub.errors import ReposcrubError
from reposcrub.sources import gitwalk

PARKED = "refs/reposcrub-parked-remotes/"
# Files git leaves in a repository that name refs or commits of an earlier state.
STALE_FILES = ("FETCH_HEAD", "ORIG_HEAD", "MERGE_HEAD", "CHERRY_PICK_HEAD", "REVERT_HEAD", "BISECT_LOG",
               "AUTO_MERGE", "MERGE_MSG", "SQUASH_MSG", "REBASE_HEAD")


def feed(args: list[str], repo: Path, data: bytes) -> bytes:
    """Run git with data on its standard input.

    Raises:
        ReposcrubError: the command failed.
    """
    proc = git.popen(args, repo, stdin=subprocess.PIPE)
    out, err = proc.communicate(data)
    if proc.returncode != 0:
        raise ReposcrubError(f"git {args[0]} failed in {repo}: {git.git_message(err)}")
    return out


def move_refs(repo: Path, old_prefix: str, new_prefix: str) -> None:
    """Every ref under old_prefix moved under new_prefix, in one transaction."""
    moves = [(name, oid) for name, _, oid in gitwalk.refs(repo) if name.startswith(old_prefix)]
    if moves:
        script = "".join(f"create {new_prefix}{name[len(old_prefix):]} {oid}\ndelete {name} {oid}\n" for name, oid in moves)
        feed(["update-ref", "--stdin"], repo, script.encode("utf-8", "surrogateescape"))


def remove_stale_files(git_dir: Path) -> None:
    """FETCH_HEAD, ORIG_HEAD and the like name the mirror's refs and old commits: not kept."""
    for name in STALE_FILES:
        (git_dir / name).unlink(missing_ok=True)


_SIGNED_TAG = (b"-----BEGIN PGP SIGNATURE-----", b"-----BEGIN SSH SIGNATURE-----", b"-----BEGIN SIGNED MESSAGE-----")


def lost_signatures(repo: Path) -> list[str]:
    """What the copy cannot keep: signatures on commits and tags sign the old content, so a
    rewrite drops them. Read from the raw objects; no signature program ever runs."""
    signed_commits = 0
    for record in git.split_stream(["rev-list", "--all", "--header"], repo, b"\0"):
        header = record.partition(b"\n\n")[0]
        signed_commits += b"\ngpgsig " in header or b"\ngpgsig-sha256 " in header
    tags = [oid for _, kind, oid in gitwalk.refs(repo) if kind == "tag"]
    signed_tags = sum(any(mark in obj.data for mark in _SIGNED_TAG) for obj in read_objects(repo, tags, 1 << 24))
    lost = []
    if signed_commits or signed_tags:
        lost.append(f"signatures not kept: {signed_commits} signed commit(s) and {signed_tags} signed tag(s) are "
                    "written unsigned, since a signature covers the original content; sign the copy again if needed")
    return lost
