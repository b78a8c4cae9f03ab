"""Repositories inside the target (an untracked clone in vendor/, a repository two folders
down in an archive): each scanned with its history and merged into the target's result.
A file both scans read is reported once."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from reposcrub.errors import ReposcrubError
from reposcrub.model import Finding, ScanResult
from reposcrub.targets import Target, classify

MAX_DEPTH = 4


def with_nested(root: Path, outer: ScanResult, nested: list[str], scan: Callable[[Target, int], ScanResult],
                depth: int, allow_foreign_owner: bool = False) -> ScanResult:
    """outer plus the scan of each folder in nested (relative to root).

    Raises:
        ReposcrubError: a nested repository cannot be read safely (see targets.classify).
    """
    if depth >= MAX_DEPTH:
        return replace(outer, notes=outer.notes + (f"repositories nested more than {MAX_DEPTH} levels deep were "
                                                   f"not scanned: {', '.join(nested[:5])}",))
    findings, notes = list(outer.findings), list(outer.notes)
    seen = {_place(f) for f in findings}
    files, size = outer.files_scanned, outer.bytes_scanned
    for rel in sorted(set(nested)):
        where = root / rel
        try:
            target = classify(where, rel, allow_foreign_owner)
        except ReposcrubError as exc:
            if not (where / ".git").is_file():
                raise
            # A .git file naming a git directory that does not name this folder back.
            notes.append(f"{rel}/: history not scanned ({exc}); its files are")
            target = Target(rel, where, "folder")
        sub = scan(target, depth + 1)
        if target.kind != "folder":
            notes.append(f"nested git repository at {rel}/ scanned with its history")
        for f in sub.findings:
            f = replace(f, path=f"{rel}/{f.path}") if f.location in ("file", "path") else f
            if _place(f) not in seen:
                seen.add(_place(f))
                findings.append(f)
        notes += [f"{rel}/: {n}" for n in sub.notes]
        files, size = files + sub.files_scanned, size + sub.bytes_scanned
    findings.sort(key=lambda f: f.sort_key())
    return replace(outer, findings=tuple(findings), notes=tuple(notes), files_scanned=files, bytes_scanned=size)


def _place(f: Finding) -> tuple[str, str, int, int, str, str | None]:
    return (f.location, f.path, f.line, f.column, f.rule_id, f.commit)
