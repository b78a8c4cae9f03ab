"""Text for people: one line per finding, then a summary by category and severity."""
from __future__ import annotations

from collections import Counter
from typing import TextIO

from reposcrub.model import CATEGORIES, Finding, ScanResult, Severity
from reposcrub.reporters.mask import for_display

_COLORS = {
    Severity.CRITICAL: "\033[1;31m",
    Severity.HIGH: "\033[31m",
    Severity.MEDIUM: "\033[33m",
    Severity.LOW: "\033[36m",
    Severity.INFO: "\033[2m",
}
_RESET = "\033[0m"


class TextReporter:
    def __init__(self, color: bool = False) -> None:
        self.color = color

    def _paint(self, text: str, severity: Severity) -> str:
        return f"{_COLORS[severity]}{text}{_RESET}" if self.color else text

    def _line(self, f: Finding) -> str:
        where = f"{f.shown_path}:{f.line}:{f.column}" if f.location == "file" else f"{f.location} {f.shown_path}"
        if f.commit and f.commit != f.path:
            where += f" @{f.commit[:10]}"
            if f.commit_count > 1:
                where += f" (+{f.commit_count - 1} commits)"
        sev = self._paint(f"{f.severity.label:<8}", f.severity)
        extra = f" [{f.context}]" if f.context not in ("text", "other", "unparsed") else ""
        detail = f"  {f.preview}" if f.preview else ""
        note = f"  ({f.note})" if f.note else ""
        return f"{where}  {sev} {f.rule_id}{detail}{extra}{note}"

    def write(self, result: ScanResult, stream: TextIO) -> None:
        result = for_display(result)  # a secret in a file name is masked in every path
        for f in result.findings:
            stream.write(self._line(f) + "\n")
        for note in result.notes:
            stream.write(f"note: {note}\n")
        stream.write(self._summary(result))
        if result.findings:
            example = result.findings[0].rule_id
            stream.write(f"\nA false positive? Add a `reposcrub: allow {example}` comment on its line (with its own rule id), "
                         "list the path in .reposcrubignore, or accept today's findings with `reposcrub baseline create` "
                         "(scans then read .reposcrub-baseline.json).\n")

    def _summary(self, result: ScanResult) -> str:
        if not result.findings:
            return f"\nNo findings in {result.files_scanned} files ({result.seconds:.2f}s).\n"
        counts = Counter((f.category, f.severity) for f in result.findings)
        severities = sorted(Severity, reverse=True)
        header = f"{'category':<10}" + "".join(f"{s.label:>10}" for s in severities) + f"{'total':>8}"
        n = len(result.findings)
        rows = [f"\n{n} finding{'s' if n != 1 else ''} in {result.files_scanned} files ({result.seconds:.2f}s)", header]
        for cat in CATEGORIES:
            total = sum(counts[(cat, s)] for s in severities)
            if total:
                cells = "".join(f"{counts[(cat, s)] or '-':>10}" for s in severities)
                rows.append(f"{cat:<10}{cells}{total:>8}")
        return "\n".join(rows) + "\n"
