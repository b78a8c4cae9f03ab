"""Progress on a terminal: a bar with the total, for scans that take more than a moment.

The total is counted before the work starts and cheaply: the work tree's files, plus every
blob object in the repository (an upper bound on the versions a history scan reads, since
the work tree's own are skipped), so the bar may finish early, never overflow.
"""
from __future__ import annotations

import os
import time
from pathlib import Path
from typing import TextIO

from reposcrub import git

_WIDTH = 28


def estimated_total(path: Path, kind: str, tree: bool, history: bool) -> int:
    """Files and objects a scan of path (a target of kind folder, worktree or bare) reads, at most."""
    total = 0
    if tree and kind == "worktree":
        total += len(git.shipped_files(path))
    elif tree and kind == "folder":
        total += sum(len(files) for _, _, files in os.walk(path))
    if history and kind != "folder":
        out = git.split_stream(["cat-file", "--batch-all-objects", "--batch-check=%(objecttype)"], path, b"\n")
        total += sum(1 for kind_ in out if kind_ == b"blob")
    return total


class ProgressBar:
    """`scanning [#####.....] 45% 1,234/2,740 files and objects, 12.3 MB, 4s` on one line of stream."""

    def __init__(self, stream: TextIO, label: str) -> None:
        self.stream, self.label = stream, label
        self._total = 0
        self._started = time.monotonic()
        self._shown = False

    def total(self, n: int) -> None:
        self._total = n

    def update(self, done: int, size: int) -> None:
        elapsed = time.monotonic() - self._started
        if elapsed < 0.5 and done < self._total:
            return  # quick scans print nothing
        text = f"{self.label} {done:,} files and objects, {size / 1e6:.1f} MB, {elapsed:.0f}s"
        if self._total:
            share = min(done / self._total, 1.0)
            filled = int(share * _WIDTH)
            text = (f"{self.label} [{'#' * filled}{'.' * (_WIDTH - filled)}] {share:4.0%} {done:,}/{self._total:,} "
                    f"files and objects, {size / 1e6:.1f} MB, {elapsed:.0f}s")
        self.stream.write("\r\033[K" + text)
        self.stream.flush()
        self._shown = True

    def close(self) -> None:
        if self._shown:
            self.stream.write("\r\033[K")
            self.stream.flush()
