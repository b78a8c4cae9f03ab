"""Read many git objects through one long-lived ``git cat-file --batch`` process."""
from __future__ import annotations

import subprocess
import threading
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from reposcrub import git

_CHUNK = 1 << 20


@dataclass(frozen=True, slots=True)
class GitObject:
    oid: str
    kind: str  # blob, tree, commit, tag; "missing" when git cannot read it
    size: int
    data: bytes  # empty when missing or larger than the limit


def _discard(stream: object, size: int) -> None:
    while size > 0:
        size -= len(stream.read(min(size, _CHUNK)))  # type: ignore[attr-defined]


def _read_one(stdout: object, max_size: int) -> GitObject | None:
    header = stdout.readline()  # type: ignore[attr-defined]
    if not header:
        return None
    parts = header.split()
    if len(parts) == 2 and parts[1] == b"missing":
        return GitObject(parts[0].decode(), "missing", 0, b"")
    oid, kind, size = parts[0].decode(), parts[1].decode(), int(parts[2])
    if size > max_size:
        _discard(stdout, size)
        data = b""
    else:
        data = stdout.read(size)  # type: ignore[attr-defined]
    stdout.read(1)  # type: ignore[attr-defined]  # the newline after each object
    return GitObject(oid, kind, size, data)


def read_objects(repo: Path, oids: Iterable[str], max_size: int) -> Iterator[GitObject]:
    """Objects in the order asked; content above max_size is skipped, not held.

    Raises:
        ReposcrubError: as the iterable of oids raises it (a git command feeding them failed).
    """
    proc = git.popen(["cat-file", "--batch", "--buffer"], repo, stdin=subprocess.PIPE)
    assert proc.stdin is not None and proc.stdout is not None
    failed: list[BaseException] = []

    def feed() -> None:
        try:
            for oid in oids:
                proc.stdin.write(oid.encode() + b"\n")  # type: ignore[union-attr]
        except BrokenPipeError:
            pass
        except Exception as exc:  # noqa: BLE001 - raised again in the reading thread
            failed.append(exc)
        finally:
            try:
                proc.stdin.close()  # type: ignore[union-attr]
            except BrokenPipeError:
                pass

    writer = threading.Thread(target=feed, daemon=True)
    writer.start()
    try:
        yield from _drain(proc, max_size)
    finally:
        writer.join(timeout=5)
    if failed:
        raise failed[0]


def read_all_objects(repo: Path, max_size: int) -> Iterator[GitObject]:
    """Every object in the repository, in pack order (the cheapest way to read them all)."""
    yield from _drain(git.popen(["cat-file", "--batch-all-objects", "--unordered", "--batch"], repo), max_size)


def _drain(proc: subprocess.Popen[bytes], max_size: int) -> Iterator[GitObject]:
    """Objects from a cat-file process until it ends; the process never outlives the reader."""
    assert proc.stdout is not None
    try:
        while (obj := _read_one(proc.stdout, max_size)) is not None:
            yield obj
    finally:
        proc.stdout.close()
        if proc.poll() is None:
            proc.kill()
        proc.wait()
