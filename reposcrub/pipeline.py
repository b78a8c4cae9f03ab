"""Wires the stages for one scan: target -> sources -> engine -> ScanResult."""
from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path

from reposcrub.errors import ReposcrubError
from reposcrub.filters import drop_baselined
from reposcrub.model import Rule, ScanResult
from reposcrub.rules import load_rules
from reposcrub.scan import Engine, default_jobs, run
from reposcrub.sources.worktree import DEFAULT_MAX_FILE_SIZE, WorktreeSource


@dataclass(frozen=True, slots=True)
class ScanOptions:
    jobs: int = field(default_factory=default_jobs)
    max_file_size: int = DEFAULT_MAX_FILE_SIZE
    disabled_rules: frozenset[str] = frozenset()
    baseline: frozenset[str] = frozenset()


def enabled_rules(options: ScanOptions) -> list[Rule]:
    rules = load_rules()
    unknown = options.disabled_rules - {r.id for r in rules}
    if unknown:
        raise ReposcrubError(f"unknown rule id(s) to disable: {', '.join(sorted(unknown))}; see `reposcrub rules list`")
    return [r for r in rules if r.id not in options.disabled_rules]


def scan_worktree(target: Path, options: ScanOptions) -> ScanResult:
    """Scan every file a submission of this folder would ship."""
    started = time.perf_counter()
    rules = enabled_rules(options)
    source = WorktreeSource(target, max_file_size=options.max_file_size)
    engine = Engine(rules)
    findings = drop_baselined(run(source.blobs(), engine, options.jobs), options.baseline)
    findings.sort(key=lambda f: f.sort_key())
    return ScanResult(
        target=str(target),
        findings=tuple(findings),
        rules=tuple(rules),
        files_scanned=source.files_seen,
        bytes_scanned=source.bytes_seen,
        seconds=time.perf_counter() - started,
    )
