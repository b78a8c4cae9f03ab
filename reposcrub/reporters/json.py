"""Stable JSON output. Schema version 1; fields only ever get added.

Never includes matched secret values: only the redacted preview and the fingerprint.
"""
from __future__ import annotations

import json
from collections import Counter
from typing import Any, TextIO

from reposcrub import __version__
from reposcrub.model import Finding, ScanResult
from reposcrub.reporters.mask import for_display

SCHEMA_VERSION = 1


def finding_dict(f: Finding) -> dict[str, Any]:
    return {
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


def summary(result: ScanResult) -> dict[str, Any]:
    return {
        "findings": len(result.findings),
        "by_category": dict(sorted(Counter(f.category for f in result.findings).items())),
        "by_severity": dict(sorted(Counter(f.severity.label for f in result.findings).items())),
        "files_scanned": result.files_scanned,
        "bytes_scanned": result.bytes_scanned,
        "seconds": round(result.seconds, 3),
    }


class JsonReporter:
    def write(self, result: ScanResult, stream: TextIO) -> None:
        result = for_display(result)  # a secret in a file name is masked in every path
        doc = {
            "schema_version": SCHEMA_VERSION,
            "tool": {"name": "reposcrub", "version": __version__},
            "target": result.target,
            "revision": result.revision,
            "summary": summary(result),
            "notes": list(result.notes),
        }
        # One finding per line: json's indenting encoder is pure Python and took seconds
        # per hundred thousand findings; the compact one is C.
        head = json.dumps(doc, indent=2, ensure_ascii=False)
        stream.write(head[:-2] + ',\n  "findings": [')
        for i, f in enumerate(result.findings):
            stream.write(("\n    " if i == 0 else ",\n    ") + json.dumps(finding_dict(f), ensure_ascii=False))
        stream.write("\n  ]\n}\n" if result.findings else "]\n}\n")
