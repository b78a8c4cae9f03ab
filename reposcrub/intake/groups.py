"""Findings grouped one entry per distinct value (per rule), as the store keeps them:
counts, the most severe occurrence and where the value first appears. No value leaves."""
from __future__ import annotations

import hashlib
from dataclasses import replace
from typing import Any

from reposcrub.model import Finding, ScanResult


def grouped(result: ScanResult) -> list[dict[str, Any]]:
    """One JSON-ready row per (rule, value); whole-file findings per (rule, path).
    Previews and paths are taken from result.to_dict(), where secrets are masked."""
    shown = replace(result, rules=()).to_dict()["findings"]  # the rules are not needed here
    groups: dict[str, list[tuple[Finding, dict[str, Any]]]] = {}
    for f, masked in zip(result.findings, shown):
        groups.setdefault(_key(f), []).append((f, masked))
    return [_row(key, members) for key, members in groups.items()]


def _key(f: Finding) -> str:
    # A hash as fingerprints are (rule and content), without the path: the same key in ten
    # files is one thing to rotate. Whole-file findings have no content: their path is it.
    what = f.value if f.end > f.start or f.value else f.path.encode("utf-8", "surrogateescape")
    digest = hashlib.sha256()
    for part in (f.rule_id.encode(), f.location.encode() if not f.value else b"", what):
        digest.update(len(part).to_bytes(8, "big") + part)
    return digest.hexdigest()[:32]


def _row(key: str, members: list[tuple[Finding, dict[str, Any]]]) -> dict[str, Any]:
    worst = max(members, key=lambda m: m[0].severity)
    first = min(members, key=lambda m: (m[0].location != "file", m[0].commit is not None, m[0].sort_key()))
    masked = first[1]
    return {
        "group_key": key,
        "rule_id": worst[0].rule_id,
        "category": worst[0].category,
        "severity": worst[0].severity.label,
        "severity_rank": int(worst[0].severity),
        "preview": worst[1]["preview"],
        "occurrences": len(members),
        "paths": len({f.path for f, _ in members}),
        "path": masked["path"],
        "line": masked["line"],
        "location": masked["location"],
        "commit": masked["commit"],
        "fingerprint": masked["fingerprint"],
    }
