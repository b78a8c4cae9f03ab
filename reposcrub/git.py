"""The only module that runs git. Scanned repositories are untrusted input.

Nothing a repository holds may make git run a program or change what it prints. git
always reads ``$GIT_DIR/config``, so commands that read a repository run with GIT_DIR set
to a private *shadow* directory (gitdir.py) whose config is an allow-list of harmless
values: the repository's own config, grafts, hooks and attributes are never seen. The
operator's global and system config are not read either (an installed ``filter.lfs``
would run on submission files). Commands that write (clone, fetch, gc...) only ever write
repositories reposcrub created; every call also pins the keys below and runs with an
environment cleared of every ``GIT_*`` variable the caller had. Compare pre-commit's
``no_git_env``.
"""
from __future__ import annotations

import contextlib
import os
import secrets
import shutil
import stat
import subprocess
import tempfile
import weakref
from collections.abc import Iterator, Sequence
from pathlib import Path
from urllib.parse import unquote, urlsplit

from reposcrub import gitdir, shadow as shadows, workdir
from reposcrub.errors import ReposcrubError

_SAFE_CONFIG = (
    "core.fsmonitor=false",
    "core.hooksPath=/dev/null",
    "core.pager=cat",
    "core.sshCommand=false",
    "core.askPass=",
    "core.untrackedCache=false",
    "core.attributesFile=/dev/null",
    "core.alternateRefsCommand=",
    "credential.helper=",
    "diff.external=",
    "log.showSignature=false",
    "log.mailmap=false",
    "i18n.logOutputEncoding=UTF-8",
    "protocol.ext.allow=never",
    "protocol.allow=user",
    "protocol.file.allow=always",
    "submodule.recurse=false",
    "fetch.recurseSubmodules=false",
    "gc.auto=0",
    "maintenance.auto=false",
)
# Commands that write: run only on repositories reposcrub made (a mirror, the output),
# directly. Every other command reads, and reads through a shadow.
_WRITERS = frozenset({"init", "clone", "fetch", "reset", "symbolic-ref", "update-ref", "commit-tree", "remote",
                      "reflog", "gc", "config"})
_MAX_CONFIG = 1 << 20
SHADOW_PREFIX = "reposcrub-gitdir-"  # in the temporary directory; workdir.sweep removes a killed run's


def safe_env(keep_index: bool = False) -> dict[str, str]:
    """The caller's environment without any GIT_* variable, plus what keeps git to itself."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    if keep_index and "GIT_INDEX_FILE" in os.environ:  # pre-commit's stash of unstaged changes
        env["GIT_INDEX_FILE"] = os.environ["GIT_INDEX_FILE"]
    # GIT_NO_REPLACE_OBJECTS and GIT_GRAFT_FILE: read the objects as stored, never as
    # refs/replace/ or info/grafts would rewire them.
    env.update(GIT_TERMINAL_PROMPT="0", GIT_CONFIG_NOSYSTEM="1", GIT_CONFIG_SYSTEM=os.devnull,
               GIT_CONFIG_GLOBAL=os.devnull, GIT_OPTIONAL_LOCKS="0", GIT_NO_LAZY_FETCH="1",
               GIT_NO_REPLACE_OBJECTS="1", GIT_GRAFT_FILE=os.devnull, LC_ALL="C", LANGUAGE="C")
    return env


def git_command(args: Sequence[str]) -> list[str]:
    cmd = ["git"]
    for item in _SAFE_CONFIG:
        cmd += ["-c", item]
    return cmd + list(args)


@contextlib.contextmanager
def isolated_environ() -> Iterator[None]:
    """os.environ as safe_env() with the pinned keys, while a library runs git itself
    (git-filter-repo): a caller's GIT_DIR or GIT_WORK_TREE must never reach its git."""
    saved = dict(os.environ)
    env = safe_env()
    env["GIT_CONFIG_COUNT"] = str(len(_SAFE_CONFIG))
    for i, item in enumerate(_SAFE_CONFIG):
        env[f"GIT_CONFIG_KEY_{i}"], env[f"GIT_CONFIG_VALUE_{i}"] = item.split("=", 1)
    os.environ.clear()
    os.environ.update(env)
    try:
        yield
    finally:
        os.environ.clear()
        os.environ.update(saved)


class _Shadow:
    """The path a command's shadow directory gets (made only if the command reads a
    repository), named before it exists and removed when this object goes, however it goes."""

    def __init__(self) -> None:
        owner = workdir.owner_tag()
        self.path = Path(tempfile.gettempdir()) / f"{SHADOW_PREFIX}{owner}{secrets.token_hex(6)}"
        self.remove = weakref.finalize(self, shutil.rmtree, self.path, True)


def run(args: Sequence[str], cwd: Path, check: bool = True, keep_index: bool = False) -> bytes:
    """Run git in cwd and return stdout.

    Raises:
        ReposcrubError: git is missing, the repository cannot be read safely, or the
            command failed and check is set.
    """
    shadow = _Shadow()
    try:
        cmd, env = _prepare(args, Path(cwd), keep_index, shadow.path)
        proc = subprocess.run(cmd, cwd=cwd, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, check=False)
    except FileNotFoundError:
        raise ReposcrubError("git is not installed or not on PATH; install git and try again") from None
    finally:
        shadow.remove()
    if check and proc.returncode != 0:
        raise ReposcrubError(f"git {_subcommand(args)} failed in {cwd}: {git_message(proc.stderr)}")
    return proc.stdout


def popen(args: Sequence[str], cwd: Path, stdin: int | None = subprocess.DEVNULL, keep_index: bool = False) -> subprocess.Popen[bytes]:
    """Start git in cwd; its shadow directory goes when the process object does."""
    shadow = _Shadow()
    try:
        cmd, env = _prepare(args, Path(cwd), keep_index, shadow.path)
        proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdin=stdin, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    except BaseException as exc:
        shadow.remove()
        if isinstance(exc, FileNotFoundError):
            raise ReposcrubError("git is not installed or not on PATH; install git and try again") from None
        raise
    proc.reposcrub_shadow = shadow  # type: ignore[attr-defined]
    return proc


def _subcommand(args: Sequence[str]) -> str:
    i = 0
    while i < len(args) and args[i].startswith("-"):
        i += 2 if args[i] == "-c" else 1
    return args[i] if i < len(args) else ""


def _prepare(args: Sequence[str], cwd: Path, keep_index: bool, shadow: Path) -> tuple[list[str], dict[str, str]]:
    env = safe_env(keep_index)
    command = _subcommand(args)
    layout = None if command in _WRITERS else gitdir.locate(cwd)
    if layout is None:
        # No looking for a repository above cwd: a planted /tmp/.git is not ours to read.
        env["GIT_CEILING_DIRECTORIES"] = str(cwd.resolve().parent)
        return git_command(_clone_source(list(args), env, shadow) if command == "clone" else args), env
    _make_shadow(layout, env, shadow)
    env["GIT_DIR"] = str(shadow)
    if layout.work_tree is not None:
        env["GIT_WORK_TREE"] = str(layout.work_tree.resolve())
        index = env.get("GIT_INDEX_FILE")
        env["GIT_INDEX_FILE"] = str(cwd.resolve() / index) if index else str(layout.git_dir.resolve() / "index")
    return git_command(args), env


def _clone_source(args: list[str], env: dict[str, str], shadow: Path) -> list[str]:
    """A clone of a repository on this machine reads it through a shadow too: the source
    side (upload-pack) would otherwise run under the source's own config."""
    at = args.index("--") + 1 if "--" in args else -1
    if at <= 0 or at >= len(args):
        return args
    source = args[at]
    if "://" in source and not source.startswith("file://"):
        return args
    path = Path(unquote(urlsplit(source).path)) if source.startswith("file://") else Path(source)
    layout = gitdir.locate(path) if path.is_dir() else None
    if layout is not None:
        _make_shadow(layout, env, shadow, bare=True)  # upload-pack wants a git directory, no work tree
        args[at] = str(shadow)
    return args


def _make_shadow(layout: gitdir.Layout, env: dict[str, str], shadow: Path, bare: bool | None = None) -> None:
    gitdir.check_contained(layout, deep=False)
    items = repository_config(layout, env)
    gitdir.check_config(layout, items)
    shadows.make_shadow(layout, shadows.shadow_config(items, layout.bare if bare is None else bare), shadow)
    if (layout.common / "shallow").is_file():
        shadows.write_shallow(shadow, _true_shallow(layout, shadow, env))


def repository_config(layout: gitdir.Layout, env: dict[str, str] | None = None) -> list[tuple[str, str]]:
    """The repository's own config as (key, value) pairs, read as data: includes are not
    followed. With extensions.worktreeConfig, config.worktree's pairs follow.

    Raises:
        ReposcrubError: git cannot parse it, or it is not a small regular file.
    """
    items = _config_file(layout.common / "config", env or safe_env())
    if any(k == "extensions.worktreeconfig" and v.lower() in ("true", "1", "yes", "on") for k, v in items):
        items += _config_file(layout.git_dir / "config.worktree", env or safe_env())
    return items


def _config_file(path: Path, env: dict[str, str]) -> list[tuple[str, str]]:
    try:
        st = path.lstat()
    except OSError:
        return []  # no config: git reads the repository with its defaults
    if not stat.S_ISREG(st.st_mode) or st.st_size > _MAX_CONFIG:
        raise ReposcrubError(f"{path} is not a regular file of at most {_MAX_CONFIG} bytes; this repository cannot be read")
    env = {**env, "GIT_DIR": os.devnull}  # `git config --file` needs no repository: none is read
    proc = subprocess.run(git_command(["config", "--file", str(path), "--list", "-z"]), cwd=path.parent, env=env,
                          stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE, check=False)
    if proc.returncode != 0:
        raise ReposcrubError(f"{path} cannot be read ({git_message(proc.stderr)}); this repository's history "
                             "cannot be scanned: repair the file, or remove .git to scan the folder alone")
    items = []
    for record in proc.stdout.split(b"\0"):
        if record:
            key, _, value = record.partition(b"\n")
            items.append((key.decode("utf-8", "surrogateescape"), value.decode("utf-8", "surrogateescape")))
    return items


def _true_shallow(layout: gitdir.Layout, shadow: Path, env: dict[str, str]) -> list[str]:
    """Entries of the shallow file whose parents are missing: a shallow clone's real boundary.
    An entry whose parents are present would only hide history, as a graft does."""
    listed = (layout.common / "shallow").read_bytes()[:1 << 20].split()
    if not listed:
        return []
    env = {**env, "GIT_DIR": str(shadow)}
    batch = subprocess.run(git_command(["cat-file", "--batch"]), cwd=shadow, env=env, input=b"\n".join(listed) + b"\n",
                           stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, check=False).stdout
    parents = shadows.parents_by_commit(batch)
    wanted = sorted({p for ps in parents.values() for p in ps})
    check = subprocess.run(git_command(["cat-file", "--batch-check=%(objectname)"]), cwd=shadow, env=env,
                           input="".join(f"{p}\n" for p in wanted).encode(), stdout=subprocess.PIPE,
                           stderr=subprocess.DEVNULL, check=False).stdout
    present = {line.split()[0].decode() for line in check.splitlines() if not line.endswith(b"missing")}
    return [c for c, ps in parents.items() if any(p not in present for p in ps)]


def user_email(repo: Path) -> str | None:
    """user.email as the committer set it: the repository's own config, else the global one."""
    layout = gitdir.locate(repo)
    if layout is not None:
        for key, value in repository_config(layout):
            if key == "user.email" and value.strip():
                return value.strip()
    env = {k: v for k, v in safe_env().items() if k != "GIT_CONFIG_GLOBAL"}
    env["GIT_DIR"] = os.devnull
    proc = subprocess.run(git_command(["config", "--global", "--get", "user.email"]), cwd=repo, env=env,
                          stdin=subprocess.DEVNULL, capture_output=True, check=False)
    return proc.stdout.decode("utf-8", "replace").strip() or None


def remote_urls(repo: Path) -> list[str]:
    """remote.*.url values of the repository's own config (data: nothing is contacted)."""
    layout = gitdir.locate(repo)
    items = repository_config(layout) if layout is not None else []
    return [v for k, v in items if k.startswith("remote.") and k.endswith(".url")]


def git_message(stderr: bytes) -> str:
    """The line of git's complaint that says what is wrong (not its usage hint)."""
    lines = [line.strip() for line in stderr.decode("utf-8", "replace").splitlines() if line.strip()]
    for line in lines:
        if line.startswith(("fatal:", "error:")):
            return line
    return lines[-1] if lines else "no message"


def toplevel(path: Path) -> Path | None:
    """path itself when it is the root of a git work tree, else None (parents are not searched).

    Raises:
        ReposcrubError: its .git is a link or a broken git directory.
    """
    layout = gitdir.locate(path)
    return path.resolve() if layout is not None and layout.work_tree is not None else None


def shipped_files(root: Path, per_directory_ignores: bool = True, local_excludes: bool = True) -> list[tuple[bytes, bool]]:
    """Tracked files plus untracked files that are not ignored, relative to root, each
    with whether it is untracked. An untracked nested repository is listed as its folder,
    with a trailing slash. Without per_directory_ignores, .gitignore files are not read;
    without local_excludes, nor is the repository's info/exclude."""
    excludes = ["--exclude-standard"] if per_directory_ignores else ["--exclude-from=" + os.devnull]
    if not per_directory_ignores and local_excludes and (info := gitdir.locate(root)) is not None:
        exclude = info.common / "info" / "exclude"
        if exclude.is_file() and not exclude.is_symlink():
            excludes = [f"--exclude-from={exclude}"]
    out = run(["ls-files", "-z", "-t", "--cached", "--others", *excludes, "--deduplicate"], cwd=root)
    return [(p[2:], p[:1] == b"?") for p in out.split(b"\0") if len(p) > 2]


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
    return gitdir.locate(path) is not None


def rev_parse_flag(path: Path, flag: str) -> bool:
    return run(["rev-parse", flag], cwd=path, check=False).strip() == b"true"
