"""The only module that runs git. Scanned repositories are untrusted input.

Every call disables what a repository's own config could make git execute:
hooks, fsmonitor, pagers, external diff and textconv, credential helpers, ssh
commands and the ``ext::`` transport. Compare pre-commit's ``no_git_env``.
"""
from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator, Sequence
from pathlib import Path

from reposcrub.errors import ReposcrubError

_SAFE_CONFIG = (
    "core.fsmonitor=false",
    "core.hooksPath=/dev/null",
    "core.pager=cat",
    "core.sshCommand=false",
    "core.askPass=",
    "core.untrackedCache=false",
    "credential.helper=",
    "diff.external=",
    "protocol.ext.allow=never",
    "protocol.allow=user",
    "protocol.file.allow=always",
    "submodule.recurse=false",
    "safe.directory=*",
    "gc.auto=0",
    "maintenance.auto=false",
)
# Variables that would point git at another repository or config than the one named.
_STRIPPED_ENV = (
    "GIT_DIR", "GIT_WORK_TREE", "GIT_COMMON_DIR", "GIT_NAMESPACE", "GIT_OBJECT_DIRECTORY",
    "GIT_ALTERNATE_OBJECT_DIRECTORIES", "GIT_CONFIG", "GIT_CONFIG_PARAMETERS", "GIT_CONFIG_COUNT",
    "GIT_EXTERNAL_DIFF", "GIT_SSH", "GIT_SSH_COMMAND", "GIT_ASKPASS", "GIT_PAGER", "GIT_EDITOR",
)


def safe_env(keep_index: bool = False) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in _STRIPPED_ENV}
    if not keep_index:
        env.pop("GIT_INDEX_FILE", None)
    # GIT_NO_REPLACE_OBJECTS: read the objects as stored, not what refs/replace/ substitutes.
    env.update(GIT_TERMINAL_PROMPT="0", GIT_CONFIG_NOSYSTEM="1", GIT_OPTIONAL_LOCKS="0", GIT_NO_LAZY_FETCH="1", GIT_NO_REPLACE_OBJECTS="1")
    return env


def git_command(args: Sequence[str]) -> list[str]:
    cmd = ["git"]
    for item in _SAFE_CONFIG:
        cmd += ["-c", item]
    return cmd + list(args)


def run(args: Sequence[str], cwd: Path, check: bool = True, keep_index: bool = False) -> bytes:
    """Run git in cwd and return stdout.

    Raises:
        ReposcrubError: git is missing, or the command failed and check is set.
    """
    try:
        proc = subprocess.run(
            git_command(args), cwd=cwd, env=safe_env(keep_index), stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, check=False,
        )
    except FileNotFoundError:
        raise ReposcrubError("git is not installed or not on PATH; install git and try again") from None
    if check and proc.returncode != 0:
        raise ReposcrubError(f"git {args[0]} failed in {cwd}: {git_message(proc.stderr)}")
    return proc.stdout


def git_message(stderr: bytes) -> str:
    """The line of git's complaint that says what is wrong (not its usage hint)."""
    lines = [line.strip() for line in stderr.decode("utf-8", "replace").splitlines() if line.strip()]
    for line in lines:
        if line.startswith(("fatal:", "error:")):
            return line
    return lines[-1] if lines else "no message"


def toplevel(path: Path) -> Path | None:
    """The work tree root containing path, or None when path is not in a git work tree."""
    try:
        out = run(["rev-parse", "--show-toplevel"], cwd=path, check=True)
    except ReposcrubError:
        return None
    return Path(os.fsdecode(out.strip())) if out.strip() else None


def shipped_files(root: Path) -> list[bytes]:
    """Tracked files plus untracked files that are not ignored, relative to root."""
    out = run(["ls-files", "-z", "--cached", "--others", "--exclude-standard", "--deduplicate"], cwd=root)
    return [p for p in out.split(b"\0") if p]


def popen(args: Sequence[str], cwd: Path, stdin: int | None = subprocess.DEVNULL, keep_index: bool = False) -> subprocess.Popen[bytes]:
    try:
        return subprocess.Popen(
            git_command(args), cwd=cwd, env=safe_env(keep_index), stdin=stdin,
            stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        )
    except FileNotFoundError:
        raise ReposcrubError("git is not installed or not on PATH; install git and try again") from None


def split_stream(args: Sequence[str], cwd: Path, sep: bytes) -> Iterator[bytes]:
    """Yield sep-separated records of a git command's output without holding it all.

    Raises:
        ReposcrubError: the command failed.
    """
    proc = popen(args, cwd)
    assert proc.stdout is not None and proc.stderr is not None
    pending = b""
    try:
        for chunk in iter(lambda: proc.stdout.read(1 << 20), b""):  # type: ignore[union-attr]
            pending += chunk
            *records, pending = pending.split(sep)
            yield from records
        if pending:
            yield pending
    finally:
        proc.stdout.close()
        err = proc.stderr.read()
        proc.stderr.close()
        code = proc.wait()
    if code != 0:
        raise ReposcrubError(f"git {args[0]} failed in {cwd}: {git_message(err)}")


def is_inside_repo(path: Path) -> bool:
    return run(["rev-parse", "--git-dir"], cwd=path, check=False).strip() != b""


def rev_parse_flag(path: Path, flag: str) -> bool:
    return run(["rev-parse", flag], cwd=path, check=False).strip() == b"true"
