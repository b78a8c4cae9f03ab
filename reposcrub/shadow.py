"""The private git directory (a *shadow*) git reads a scanned repository through.

It holds HEAD, links to the objects, refs, packed-refs and reflogs, and a config written
here from an allow-list: the format version, the object format and what ``@{upstream}``
resolves through. No hook, attribute, graft, include or program-running key exists in it.
"""
from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

from reposcrub.gitdir import Layout, read_small

# Linked into the shadow as they are: the data git needs to read history.
_LINKED = ("objects", "refs", "packed-refs", "logs")


def shadow_config(items: Iterable[tuple[str, str]], bare: bool) -> str:
    """The config git reads in the shadow: what locates objects and upstreams, nothing else."""
    kept = [("core.repositoryformatversion", "0"), ("core.bare", "true" if bare else "false")]
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
    (shadow / "HEAD").write_bytes(read_small(layout.git_dir / "HEAD"))
    (shadow / "config").write_text(config, encoding="utf-8")
    for name in _LINKED:
        if os.path.lexists(layout.common / name):
            os.symlink(layout.common.absolute() / name, shadow / name)
    for entry in os.scandir(layout.git_dir):
        if entry.name.startswith("sharedindex.") and entry.is_file(follow_symlinks=False):
            os.symlink(os.path.abspath(entry.path), shadow / entry.name)  # a split index names its shared part
    exclude = layout.common / "info" / "exclude"
    if exclude.is_file() and not exclude.is_symlink():
        (shadow / "info").mkdir()
        os.symlink(exclude.absolute(), shadow / "info" / "exclude")


def write_shallow(shadow: Path, commits: Iterable[str]) -> None:
    """The shallow boundary git may honour: only commits whose parents are really missing."""
    lines = "".join(f"{c}\n" for c in commits)
    if lines:
        (shadow / "shallow").write_text(lines, encoding="ascii")


def parents_by_commit(batch: bytes) -> dict[str, list[str]]:
    """Commit id -> parent ids, from `git cat-file --batch` output (missing objects skipped)."""
    out: dict[str, list[str]] = {}
    pos = 0
    while pos < len(batch):
        end = batch.find(b"\n", pos)
        header = batch[pos:end].split()
        pos = end + 1
        if len(header) != 3:
            continue  # missing
        size = int(header[2])
        body = batch[pos:pos + size]
        pos += size + 1
        if header[1] == b"commit":
            head = body.split(b"\n\n", 1)[0]
            out[header[0].decode()] = [line[7:].decode() for line in head.splitlines() if line.startswith(b"parent ")]
    return out
