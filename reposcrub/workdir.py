"""Working directories that never outlive their process for long.

A clone, an extraction or a scrub's mirror holds a submission's full, unscrubbed content.
Ctrl-C removes it (the callers' ``finally``), but ``kill -9`` cannot: so each directory's
name carries the process id and start time of its owner, and the next run that makes one
of the same kind in the same place removes those whose owner is gone.
"""
from __future__ import annotations

import os
import re
import secrets
import shutil
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

_OWNER = re.compile(r"(\d+)\.(\d+)-")


def _start_time(pid: int) -> int:
    """The process's start time in clock ticks since boot (Linux); 0 where unknown."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as stat:
            return int(stat.read().rsplit(b")", 1)[1].split()[19])
    except (OSError, ValueError, IndexError):
        return 0


def _alive(pid: int, start: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone else's process: not ours to judge
    return start == 0 or _start_time(pid) in (0, start)


def owner_tag() -> str:
    """``<pid>.<start>-``: what names a directory as this process's, for sweep."""
    pid = os.getpid()
    return f"{pid}.{_start_time(pid)}-"


@contextmanager
def temporary(prefix: str, parent: Path | None = None) -> Iterator[Path]:
    """A new private directory named prefix<pid>.<start>-XXXXXXXX in parent (default: the
    temporary directory), removed on leaving, however that happens (Ctrl-C included: its
    name is known before it exists). Leftovers of processes that are gone go first."""
    where = Path(parent) if parent is not None else Path(tempfile.gettempdir())
    sweep(where, prefix)
    while True:
        path = where / f"{prefix}{owner_tag()}{secrets.token_hex(4)}"
        try:
            try:
                os.mkdir(path, 0o700)
            except FileExistsError:
                continue
            yield path
            return
        finally:
            remove(path)


def sweep(parent: Path, prefix: str) -> list[Path]:
    """Remove the directories prefix* in parent whose owning process has ended."""
    removed: list[Path] = []
    try:
        entries = list(os.scandir(parent))
    except OSError:
        return removed
    for entry in entries:
        if not entry.name.startswith(prefix) or not entry.is_dir(follow_symlinks=False):
            continue
        owner = _OWNER.match(entry.name[len(prefix):])
        if owner is not None and not _alive(int(owner.group(1)), int(owner.group(2))):
            remove(Path(entry.path))  # a git child of the killed run may still be writing there
            removed.append(Path(entry.path))
    return removed


def remove(path: Path, patience: float = 2.0) -> None:
    """Remove path; retried for a moment while an interrupted git child still writes into it."""
    deadline = time.monotonic() + patience
    while True:
        shutil.rmtree(path, ignore_errors=True)
        if not os.path.lexists(path) or time.monotonic() > deadline:
            return
        time.sleep(0.05)
