"""Stable JSON output, schema version 1; fields only ever get added (docs/json.md).

Never includes matched secret values: only the redacted preview and the fingerprint.
Every occurrence is listed under ``findings``; ``groups`` holds one entry per distinct value
per rule (per person for git identities), ranked, each naming its occurrences.
"""
from __future__ import annotations

import json
from collections import Counter
from typing import Any, TextIO

from reposcrub import __version__
from reposcrub.model import Finding, ScanResult
from reposcrub.reporters.group import Group
from reposcrub.reporters.render import Report, Shown, as_report

SCHEMA_VERSION = 1


def finding_dict(f: Finding | Shown) -> dict[str, Any]:
    row = {
        "rule_id": f.rule_id,
        "category": f.category,
        "severity": f.severity.label,
        "path": f.shown_path,
        "line": f.line,
        "column": f.column,
        "end_line": f.end_line,
        "end_column": f.end_column,
        "preview": f.preview,
        "fingerprint": f.fingerprint,
        "context": f.context,
        "location": f.location,
        "commit": f.commit,
        "commit_count": f.commit_count,
        "ref": f.ref,
        "note": f.note,
    }
    if isinstance(f, Shown):
        row.update(group=f.group, commit_time=f.time)
    return row


def group_dict(g: Group, report: Report) -> dict[str, Any]:
    first = report.findings[g.first]
    return {
        "key": g.key, "kind": g.kind, "rule_id": g.rule_id, "category": g.category, "severity": g.severity.label,
        "confidence": g.confidence, "title": g.title, "remediation": g.remediation,
        "occurrences": g.occurrences, "files": g.files, "commits": g.commits, "in_work_tree": g.in_tree,
        "first": {"path": first.path, "line": first.line, "location": first.location, "commit": first.commit,
                  "commit_time": first.time},
        "rules": list(g.rules), "locations": list(g.locations),
    }


def summary(result: Report | ScanResult) -> dict[str, Any]:
    out = {
        "findings": len(result.findings),
        "by_category": dict(sorted(Counter(f.category for f in result.findings).items())),
        "by_severity": dict(sorted(Counter(f.severity.label for f in result.findings).items())),
        "files_scanned": result.files_scanned,
        "bytes_scanned": result.bytes_scanned,
        "seconds": round(result.seconds, 3),
    }
    if isinstance(result, Report):
        out["items"] = len(result.groups)
        out["items_by_severity"] = dict(sorted(Counter(g.severity.label for g in result.groups).items()))
    return out


class JsonReporter:
    def write(self, report: Report | ScanResult, stream: TextIO) -> None:
        report = as_report(report)
        doc = {
            "schema_version": SCHEMA_VERSION,
            "tool": {"name": "reposcrub", "version": __version__},
            "target": report.target,
            "revision": report.revision,
            "selection": report.selection or None,
            "summary": summary(report),
            "notes": list(report.notes),
        }
        # One entry per line: json's indenting encoder is pure Python and took seconds
        # per hundred thousand findings; the compact one is C.
        head = json.dumps(doc, indent=2, ensure_ascii=False)
        stream.write(head[:-2] + ",\n")
        self._array(stream, "groups", [group_dict(g, report) for g in report.groups], last=False)
        self._array(stream, "findings", (finding_dict(f) for f in report.findings), last=True)

    @staticmethod
    def _array(stream: TextIO, name: str, rows: Any, last: bool) -> None:
        stream.write(f'  "{name}": [')
        empty = True
        for row in rows:
            stream.write(("\n    " if empty else ",\n    ") + json.dumps(row, ensure_ascii=False))
            empty = False
        stream.write(("]" if empty else "\n  ]") + ("\n}\n" if last else ",\n"))
