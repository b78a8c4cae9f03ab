"""Open a file inside a folder without ever leaving it or waiting on it.

Every component of the path is opened relative to the one before with ``O_NOFOLLOW``,
so a symbolic link anywhere on the way (``etc -> /etc`` holding a tracked ``etc/passwd``)
stops the open instead of leading out of the tree; ``O_NONBLOCK`` keeps a FIFO from
blocking the open, and anything but a regular file is refused after it. Compare
``openat2(RESOLVE_NO_SYMLINKS)``, which Python does not expose.
"""
from __future__ import annotations

import os
import stat
from pathlib import Path

_DIR_FLAGS = os.O_RDONLY | getattr(os, "O_DIRECTORY", 0) | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
_FILE_FLAGS = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)


def open_regular(root: Path, rel: str) -> tuple[int, os.stat_result] | None:
    """A read-only descriptor and its stat for the regular file root/rel; None when a
    component is a link, the file is not regular (FIFO, device, folder) or it is missing.
    The caller closes the descriptor."""
    parts = [p for p in rel.replace(os.sep, "/").split("/") if p not in ("", ".")]
    if not parts or ".." in parts:
        return None
    try:
        fd = os.open(root, _DIR_FLAGS)
    except OSError:
        return None
    try:
        for part in parts[:-1]:
            inner = os.open(part, _DIR_FLAGS, dir_fd=fd)
            os.close(fd)
            fd = inner
        leaf = os.open(parts[-1], _FILE_FLAGS, dir_fd=fd)
    except OSError:
        return None
    finally:
        os.close(fd)
    st = os.fstat(leaf)
    if not stat.S_ISREG(st.st_mode):
        os.close(leaf)
        return None
    return leaf, st


def read_regular(root: Path, rel: str, limit: int = 1 << 20) -> bytes | None:
    """The content of the regular file root/rel, at most limit bytes; None as open_regular."""
    opened = open_regular(root, rel)
    if opened is None:
        return None
    with os.fdopen(opened[0], "rb") as stream:
        return stream.read(limit)


def is_dir_inside(root: Path, rel: str) -> bool:
    """Whether root/rel is a folder reached without following any link."""
    parts = [p for p in rel.replace(os.sep, "/").split("/") if p not in ("", ".")]
    fd = None
    try:
        fd = os.open(root, _DIR_FLAGS)
        for part in parts:
            inner = os.open(part, _DIR_FLAGS, dir_fd=fd)
            os.close(fd)
            fd = inner
        return True
    except OSError:
        return False
    finally:
        if fd is not None:
            os.close(fd)
