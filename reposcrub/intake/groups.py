"""Findings grouped one entry per distinct value (per rule), as the store keeps them:
counts, the most severe occurrence and where the value first appears. No value leaves."""
from __future__ import annotations

from dataclasses import replace
from typing import Any

from reposcrub.model import Finding, ScanResult


def grouped(result: ScanResult) -> list[dict[str, Any]]:
    """One JSON-ready row per group as the reports group (grouping.py): per (rule, value), per
    person, whole-file findings per (rule, path).
    Previews and paths are taken from result.to_dict(), where secrets are masked."""
    shown = replace(result, rules=()).to_dict()["findings"]  # the rules are not needed here
    groups: dict[str, list[tuple[Finding, dict[str, Any]]]] = {}
    for f, masked in zip(result.findings, shown):
        groups.setdefault(masked["group"], []).append((f, masked))
    return [_row(key, members) for key, members in groups.items()]


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
