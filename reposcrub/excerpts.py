"""The lines around findings, for the HTML report, with every secret in them masked.

Read while the target still exists (a cloned URL or an extracted archive is removed after
the scan): history versions through ``git cat-file``, work-tree files from disk without
following a symlink. Every excerpt is scanned again with the secret rules and each value
found is redacted, so a secret next to a finding (one a baseline or an inline allow keeps
out of the report, say) never reaches the page; reports mask the known secrets once more.
"""
from __future__ import annotations

import os
import stat
from collections.abc import Iterable, Sequence
from pathlib import Path

from reposcrub.catfile import read_objects
from reposcrub.findings import redact
from reposcrub.model import Blob, Finding, Provenance, Rule

Excerpts = dict[tuple[str, int], tuple[int, tuple[str, ...]]]
_MAX_LINE = 240
_MAX_READ = 8 << 20


def capture(root: Path, findings: Sequence[Finding], rules: Sequence[Rule], around: int = 2,
            limit: int = 3000) -> Excerpts:
    """(fingerprint, line) -> (first line number, lines) for up to limit findings, most severe first."""
    from reposcrub.scan import Engine

    chosen = sorted((f for f in findings if f.location == "file" and f.end > f.start), key=lambda f: -f.severity)
    chosen = chosen[:limit]
    if not chosen:
        return {}
    engine = Engine([r for r in rules if r.redacts and r.pattern])
    out: Excerpts = {}
    for data, items in _contents(root, chosen):
        lines = data.split(b"\n")
        for f in items:
            first = max(1, f.line - around)
            window = b"\n".join(lines[first - 1 : f.line + around])
            text = _masked(window, engine, f.path).split("\n")
            out[(f.fingerprint, f.line)] = (first, tuple(_cut(line) for line in text))
    return out


def _cut(line: str) -> str:
    return line if len(line) <= _MAX_LINE else line[: _MAX_LINE - 1] + "…"


def _masked(window: bytes, engine: object, path: str) -> str:
    """window as text, every secret the secret rules find in it redacted."""
    blob = Blob(window, Provenance(path=path, location="message"))
    spans = sorted({(f.start, f.end) for d in engine.detectors for f in d.detect(blob)})  # type: ignore[attr-defined]
    parts, done = [], 0
    for start, end in spans:
        if start >= done:
            parts += [window[done:start].decode("utf-8", "replace"), redact(window[start:end].decode("utf-8", "replace"))]
            done = end
    return "".join(parts) + window[done:].decode("utf-8", "replace")


def _contents(root: Path, findings: Iterable[Finding]) -> Iterable[tuple[bytes, list[Finding]]]:
    by_oid: dict[str, list[Finding]] = {}
    on_disk: dict[str, list[Finding]] = {}
    for f in findings:
        if f.commit is not None and f.oid:
            by_oid.setdefault(f.oid, []).append(f)
        elif f.commit is None:
            on_disk.setdefault(f.path, []).append(f)
    for path, items in on_disk.items():
        data = _read_file(root, path)
        if data is not None:
            yield data, items
    if by_oid and ((root / "objects").is_dir() or (root / ".git").exists()):
        for obj in read_objects(root, list(by_oid), _MAX_READ):
            if obj.kind == "blob" and obj.data:
                yield obj.data, by_oid[obj.oid]


def _read_file(root: Path, rel: str) -> bytes | None:
    """A regular file under root, never through a symlink, never blocking on a FIFO."""
    path = root / rel
    try:
        if root.resolve() not in path.parent.resolve().parents and path.parent.resolve() != root.resolve():
            return None
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    except OSError:
        return None
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode) or st.st_size > _MAX_READ:
            return None
        with os.fdopen(fd, "rb") as stream:
            fd = -1
            return stream.read(_MAX_READ)
    except OSError:
        return None
    finally:
        if fd >= 0:
            os.close(fd)
