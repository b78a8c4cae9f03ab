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
    """A repository as found on disk: its git directory (HEAD, the index) and, unless
    bare, its work tree. A linked work tree (``git worktree``) or a submodule's checkout
    has a ``.git`` file naming its git directory, whose objects, refs and config may live
    in a common directory: only one that names this work tree back is accepted."""

    git_dir: Path
    work_tree: Path | None
    common_dir: Path | None = None  # objects, refs and config, when not in git_dir
    linked: bool = False  # reached through a .git file

    @property
    def bare(self) -> bool:
        return self.work_tree is None

    @property
    def common(self) -> Path:
        return self.common_dir or self.git_dir


def locate(path: Path) -> Layout | None:
    """path as a work tree root (path/.git a directory, or a .git file of a linked work
    tree or submodule that its git directory names back) or a bare repository; None when
    it is neither. Never looks in parent folders: that is how a planted /tmp/.git gets read.

    Raises:
        ReposcrubError: path/.git is a symbolic link, a broken git directory, or a
            ``gitdir:`` file naming a git directory that is not this work tree's.
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
    if stat.S_ISREG(st.st_mode):
        return _linked(path, dot_git)
    if not stat.S_ISDIR(st.st_mode) or not is_git_directory(dot_git):
        raise ReposcrubError(f"{path}/.git is not a usable git directory (HEAD, objects or refs missing); "
                             "repair it, or remove it to scan the folder without history")
    return Layout(dot_git, path)


def _linked(path: Path, dot_git: Path) -> Layout:
    text = read_small(dot_git).decode("utf-8", "surrogateescape").strip()
    refused = ReposcrubError(f"{dot_git} is a 'gitdir:' file naming a git directory that does not name this work "
                             "tree back (not a linked work tree or submodule of it); reposcrub does not follow it: "
                             "scan the repository it points to instead")
    if not text.startswith("gitdir:"):
        raise refused
    git_dir = Path(os.path.normpath(path / text[len("gitdir:"):].strip()))
    commondir = git_dir / "commondir"
    if not stat.S_ISREG(_mode(git_dir / "HEAD")):
        raise refused
    if not os.path.lexists(commondir):  # a submodule's: its config's core.worktree names it back
        return Layout(git_dir, path, None, linked=True)
    back = read_small(git_dir / "gitdir").decode("utf-8", "surrogateescape").strip()
    common = Path(os.path.normpath(git_dir / read_small(commondir).decode("utf-8", "surrogateescape").strip()))
    if not back or Path(os.path.normpath(git_dir / back)).resolve() != dot_git.resolve() or not is_git_directory(common):
        raise refused
    return Layout(git_dir, path, common, linked=True)


def _mode(path: Path) -> int:
    try:
        return path.lstat().st_mode
    except OSError:
        return 0


def read_small(path: Path) -> bytes:
    """A small regular file's bytes, opened without following a link or waiting on a FIFO."""
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        raise ReposcrubError(f"cannot read {path}: {exc.strerror}") from None
    with os.fdopen(fd, "rb") as stream:
        if not stat.S_ISREG(os.fstat(stream.fileno()).st_mode):
            raise ReposcrubError(f"{path} is not a regular file; this repository cannot be read")
        return stream.read(_MAX_HEAD)


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
    """Nothing in the git directories may lead git to another repository on this machine,
    or make it wait; deep also walks objects/, refs/ and logs/ (once per target, not per call).

    Raises:
        ReposcrubError: a borrowing file, a symbolic link or special file where git data lives.
    """
    for folder in dict.fromkeys((layout.git_dir, layout.common)):
        for rel in _BORROWING:
            if rel == "commondir" and folder == layout.git_dir and layout.common_dir is not None:
                continue  # the link of a linked work tree, checked both ways by locate
            if os.path.lexists(folder / rel):
                raise ReposcrubError(f"{folder}/{rel} makes git read another repository's objects or refs; "
                                     "reposcrub refuses it: make a standalone copy (git clone --no-local) and scan that")
        for rel in _MUST_BE_REAL:
            if (folder / rel).is_symlink():
                raise ReposcrubError(f"{folder}/{rel} is a symbolic link; reposcrub reads only what is inside "
                                     "the repository: make a standalone copy (git clone --no-local) and scan that")
        for rel in _REGULAR:  # git would wait on a FIFO, or read a device forever
            mode = _mode(folder / rel)
            if mode and not stat.S_ISREG(mode):
                raise ReposcrubError(f"{folder}/{rel} is not a regular file; this repository cannot be read")
        special = next(filter(None, (_first_special(folder / top) for top in ("objects", "refs", "logs"))), None) if deep else None
        if special is not None:
            raise ReposcrubError(f"{special} is a symbolic link or special file inside the git directory; reposcrub "
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
    for folder in (layout.git_dir, layout.common_dir, layout.work_tree):
        if folder is not None and (uid := folder.stat().st_uid) not in mine:
            return uid
    return None


def check_config(layout: Layout, items: Iterable[tuple[str, str]]) -> None:
    """The repository's config (as ``git config --list`` pairs) describes a repository git
    can read as it is: a known format version and extensions, and no work tree elsewhere
    (a submodule's git directory must name its checkout back this way).

    Raises:
        ReposcrubError: naming the key that makes it unreadable.
    """
    where = layout.common / "config"
    named_back = False
    for key, value in items:
        if key == "core.repositoryformatversion" and value.strip() not in ("0", "1"):
            raise ReposcrubError(f"{where}: repository format version {value.strip()!r} is unknown to git "
                                 "and reposcrub; this repository cannot be read")
        if key.startswith("extensions.") and key.split(".", 1)[1] not in _EXTENSIONS:
            raise ReposcrubError(f"{where}: unknown repository extension {key!r}; this repository cannot be read")
        if key == "core.worktree":
            named_back = _names(layout, value)
            if not named_back:
                raise ReposcrubError(f"{where}: core.worktree points at a work tree elsewhere ({value}); "
                                     "reposcrub does not follow it: scan that work tree's repository directly")
    if layout.linked and layout.common_dir is None and not named_back:
        raise ReposcrubError(f"{layout.work_tree}/.git names {layout.git_dir}, which does not name this work tree "
                             "back; reposcrub does not follow it: scan the repository it points to instead")


def _names(layout: Layout, worktree: str) -> bool:
    if layout.work_tree is None:
        return False
    return Path(os.path.normpath(layout.git_dir / worktree)).resolve() == layout.work_tree.resolve()


