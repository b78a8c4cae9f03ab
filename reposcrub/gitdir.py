"""Where a repository keeps its git data, checked before git may read any of it.

A scanned repository is untrusted: its ``.git`` may be a symbolic link, a ``gitdir:``
file or borrow objects (``alternates``, ``commondir``) from another repository on this
machine, and its config may run programs. git itself reads ``$GIT_DIR/config`` whatever
it is told, so reposcrub never lets git see it: git reads through a private directory (a
*shadow*) holding only HEAD, links to the objects and refs, and a config written here
from an allow-list of harmless values. Grafts, hooks, attributes and every program-running
key simply do not exist there. This module only looks at files; git.py runs git.
"""
from __future__ import annotations

import os
import stat
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from reposcrub.errors import ReposcrubError

# Linked into the shadow as they are: the data git needs to read history and the index.
_LINKED = ("objects", "refs", "packed-refs", "logs")
# Never symbolic links in a repository reposcrub reads: each would make git read elsewhere.
_MUST_BE_REAL = ("HEAD", "config", "objects", "refs", "packed-refs", "logs", "index", "shallow", "info", "commondir")
# Files git opens and reads whole when they exist.
_REGULAR = ("HEAD", "config", "index", "packed-refs", "shallow", "config.worktree")
# Files that make git read another repository's objects or refs.
_BORROWING = ("commondir", "objects/info/alternates", "objects/info/http-alternates")
# Extensions git 2.39 knows; any other means a repository git (and reposcrub) cannot read right.
_EXTENSIONS = frozenset({"noop", "noop-v1", "objectformat", "partialclone", "preciousobjects", "worktreeconfig"})
_MAX_HEAD = 4096


@dataclass(frozen=True, slots=True)
class Layout:
    """A repository as found on disk: its git directory and, unless bare, its work tree."""

    git_dir: Path
    work_tree: Path | None

    @property
    def bare(self) -> bool:
        return self.work_tree is None


def locate(path: Path) -> Layout | None:
    """path as a work tree root (path/.git a directory) or a bare repository; None when it
    is neither. Never looks in parent folders: that is how a planted /tmp/.git gets read.

    Raises:
        ReposcrubError: path/.git is a symbolic link or a ``gitdir:`` file.
    """
    path = path.absolute()
    dot_git = path / ".git"
    try:
        st = dot_git.lstat()
    except OSError:
        return Layout(path, None) if is_git_directory(path) else None
    if stat.S_ISLNK(st.st_mode):
        raise ReposcrubError(f"{path}/.git is a symbolic link to another folder; reposcrub reads only a "
                             "repository's own .git directory: scan the repository it points to instead")
    if not stat.S_ISDIR(st.st_mode):
        raise ReposcrubError(f"{path}/.git is a file (a 'gitdir:' link to a git directory elsewhere, as linked "
                             "work trees and submodules have); scan the repository that holds it instead")
    if not is_git_directory(dot_git):
        raise ReposcrubError(f"{path}/.git is not a usable git directory (HEAD, objects or refs missing); "
                             "repair it, or remove it to scan the folder without history")
    return Layout(dot_git, path)


def is_git_directory(path: Path) -> bool:
    """What git accepts as a git directory: a HEAD file, an objects and a refs folder."""
    try:
        return (stat.S_ISREG((path / "HEAD").lstat().st_mode) and (path / "objects").is_dir()
                and (path / "refs").is_dir())
    except OSError:
        return False


def inside_work_tree(path: Path) -> bool:
    """Whether a parent folder of path holds a .git (for a note; nothing there is read)."""
    return any((parent / ".git").exists() for parent in path.resolve().parents)


def check_contained(layout: Layout, deep: bool = True) -> None:
    """Nothing in the git directory may lead git to another repository on this machine;
    deep also walks objects/ and refs/ for symbolic links (once per target, not per call).

    Raises:
        ReposcrubError: a borrowing file or a symbolic link where git data lives.
    """
    for rel in _BORROWING:
        if os.path.lexists(layout.git_dir / rel):
            raise ReposcrubError(f"{layout.git_dir}/{rel} makes git read another repository's objects or refs; "
                                 "reposcrub refuses it: make a standalone copy (git clone --no-local) and scan that")
    for rel in _MUST_BE_REAL:
        if (layout.git_dir / rel).is_symlink():
            raise ReposcrubError(f"{layout.git_dir}/{rel} is a symbolic link; reposcrub reads only what is "
                                 "inside the repository: make a standalone copy (git clone --no-local) and scan that")
    for rel in _REGULAR:  # git would wait on a FIFO, or read a device forever
        try:
            mode = (layout.git_dir / rel).lstat().st_mode
        except OSError:
            continue
        if not stat.S_ISREG(mode):
            raise ReposcrubError(f"{layout.git_dir}/{rel} is not a regular file; this repository cannot be read")
    for top in ("objects", "refs") if deep else ():
        link = _first_special(layout.git_dir / top)
        if link is not None:
            raise ReposcrubError(f"{link} is a symbolic link or special file inside the git directory; reposcrub "
                                 "reads only regular files inside the repository: make a standalone copy "
                                 "(git clone --no-local) and scan that")


def _first_special(root: Path) -> Path | None:
    pending = [root]
    while pending:
        folder = pending.pop()
        try:
            entries = list(os.scandir(folder))
        except OSError:
            continue
        for entry in entries:
            if entry.is_dir(follow_symlinks=False):
                pending.append(Path(entry.path))
            elif not entry.is_file(follow_symlinks=False):  # a link, FIFO, socket or device
                return Path(entry.path)
    return None


def owned_by_someone_else(layout: Layout) -> int | None:
    """The owner's uid when the repository belongs to another user (git's safe.directory
    rule: root running under sudo may read the sudo user's repositories); else None."""
    mine = {os.geteuid()}
    if os.geteuid() == 0 and os.environ.get("SUDO_UID", "").isdigit():
        mine.add(int(os.environ["SUDO_UID"]))
    for folder in (layout.git_dir, layout.work_tree):
        if folder is not None and (uid := folder.stat().st_uid) not in mine:
            return uid
    return None


def check_config(layout: Layout, items: Iterable[tuple[str, str]]) -> None:
    """The repository's config (as ``git config --list`` pairs) describes a repository git
    can read as it is: a known format version and extensions, and no work tree elsewhere.

    Raises:
        ReposcrubError: naming the key that makes it unreadable.
    """
    where = layout.git_dir / "config"
    for key, value in items:
        if key == "core.repositoryformatversion" and value.strip() not in ("0", "1"):
            raise ReposcrubError(f"{where}: repository format version {value.strip()!r} is unknown to git "
                                 "and reposcrub; this repository cannot be read")
        if key.startswith("extensions.") and key.split(".", 1)[1] not in _EXTENSIONS:
            raise ReposcrubError(f"{where}: unknown repository extension {key!r}; this repository cannot be read")
        if key == "core.worktree":
            raise ReposcrubError(f"{where}: core.worktree points at a work tree elsewhere ({value}); "
                                 "reposcrub does not follow it: scan that work tree's repository directly")


def shadow_config(layout: Layout, items: Iterable[tuple[str, str]]) -> str:
    """The config git reads in the shadow: what locates objects and upstreams, nothing else."""
    kept = [("core.repositoryformatversion", "0"), ("core.bare", "true" if layout.bare else "false")]
    for key, value in items:
        section, _, name = key.rpartition(".")
        if key == "core.repositoryformatversion":
            kept[0] = (key, value)
        elif key == "extensions.objectformat":
            kept.append((key, value))
        elif (section.startswith("branch.") and name in ("remote", "merge")) or (
                section.startswith("remote.") and name == "fetch"):
            kept.append((key, value))  # what @{upstream} resolves through (the pre-push hook)
    return "".join(f"[{_section(key)}]\n\t{key.rpartition('.')[2]} = {_quoted(value)}\n" for key, value in kept)


def _section(key: str) -> str:
    section = key.rpartition(".")[0]
    head, dot, sub = section.partition(".")
    if not dot:
        return head
    return f'{head} "' + sub.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _quoted(value: str) -> str:
    escaped = value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\t", "\\t")
    return f'"{escaped}"'


def make_shadow(layout: Layout, config: str, shadow: Path) -> None:
    """Make shadow a private git directory reading layout's objects and refs under config.

    Raises:
        ReposcrubError: HEAD cannot be read as a small regular file.
    """
    os.mkdir(shadow, 0o700)
    (shadow / "HEAD").write_bytes(_read_head(layout.git_dir / "HEAD"))
    (shadow / "config").write_text(config, encoding="utf-8")
    for name in _LINKED:
        if os.path.lexists(layout.git_dir / name):
            os.symlink(layout.git_dir.absolute() / name, shadow / name)
    for entry in os.scandir(layout.git_dir):
        if entry.name.startswith("sharedindex.") and entry.is_file(follow_symlinks=False):
            os.symlink(os.path.abspath(entry.path), shadow / entry.name)  # a split index names its shared part
    exclude = layout.git_dir / "info" / "exclude"
    if exclude.is_file() and not exclude.is_symlink():
        (shadow / "info").mkdir()
        os.symlink(exclude.absolute(), shadow / "info" / "exclude")


def _read_head(path: Path) -> bytes:
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        raise ReposcrubError(f"cannot read {path}: {exc.strerror}") from None
    with os.fdopen(fd, "rb") as stream:
        if not stat.S_ISREG(os.fstat(stream.fileno()).st_mode):
            raise ReposcrubError(f"{path} is not a regular file; this repository cannot be read")
        return stream.read(_MAX_HEAD)


def write_shallow(shadow: Path, commits: Iterable[str]) -> None:
    """The shallow boundary git may honour: only commits whose parents are really missing."""
    lines = "".join(f"{c}\n" for c in commits)
    if lines:
        (shadow / "shallow").write_text(lines, encoding="ascii")
