"""Text for people: the items that block first, one line each, then a summary by category
and severity. ``--all`` lists every occurrence under its item."""
from __future__ import annotations

from collections import Counter
from typing import TextIO

from reposcrub.model import CATEGORIES, ScanResult, Severity
from reposcrub.reporters.group import Group
from reposcrub.reporters.render import Report, Shown, as_report

_COLORS = {
    Severity.CRITICAL: "\033[1;31m",
    Severity.HIGH: "\033[31m",
    Severity.MEDIUM: "\033[33m",
    Severity.LOW: "\033[36m",
    Severity.INFO: "\033[2m",
}
_RESET = "\033[0m"
TOP = 20  # items shown above the summary: a screen with it
_SIMILAR = 3  # items of one rule and kind of location shown before the rest are folded into one line


def where(f: Shown) -> str:
    """Where an occurrence sits: path:line, or the kind of git metadata, and its commit."""
    at = f" @{f.commit[:8]}" if f.commit else ""
    if f.location == "file":
        whole = f.line == f.end_line == 1 and f.column == f.end_column == 1  # a finding about the file itself
        return f"{f.path}{at}" if whole else f"{f.path}:{f.line}:{f.column}{at}"
    if f.location == "path":
        return f"file name {f.path}{at}"
    if f.location == "ref":
        return f"ref {f.path}"
    if f.location in ("message", "tag-message"):
        return f"{f.location.replace('-', ' ')}{at}"
    return f"{f.location}{at}"


def spread(g: Group) -> str:
    parts = [f"{g.occurrences}×"]
    if g.files:
        parts.append(f"{g.files} file{'s' if g.files != 1 else ''}")
    if g.commits:
        parts.append(f"{g.commits} commit{'s' if g.commits != 1 else ''}")
    return ", ".join(parts) if g.occurrences > 1 or g.commits > 1 else ""


def _guard(line: str) -> str:
    # A line a CI log reads as a workflow command (`::error::…`) never starts with a name we print.
    return "| " + line if line.lstrip().startswith("::") else line


def _cut(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


class TextReporter:
    def __init__(self, color: bool = False, show_all: bool = False, fail_on: Severity = Severity.LOW,
                 top: int = TOP) -> None:
        self.color, self.show_all, self.fail_on, self.top = color, show_all, fail_on, top

    def _paint(self, text: str, severity: Severity) -> str:
        return f"{_COLORS[severity]}{text}{_RESET}" if self.color else text

    def write(self, report: Report | ScanResult, stream: TextIO) -> None:
        report = as_report(report)
        lines = self._all(report) if self.show_all else self._top(report)
        lines += [f"note: {note}" for note in report.notes]
        lines += self._summary(report)
        stream.write("".join(_guard(line) + "\n" for line in lines))

    def _item(self, n: int | str, g: Group, report: Report) -> str:
        sev = self._paint(f"{g.severity.label:<8}", g.severity)
        label = "person" if g.kind == "person" else g.rule_id
        first = report.findings[g.first]
        extra = f"  ({spread(g)})" if spread(g) else ""
        return f"{n!s:>3} {sev} {_cut(label, 34):<34} {_cut(g.title, 44):<44} {_cut(where(first), 60)}{extra}"

    def _top(self, report: Report) -> list[str]:
        blocking = [g for g in report.groups if g.severity >= self.fail_on]
        if not blocking:
            return []
        lines = [f"Items at or above {self.fail_on.label}, most important first (each once, where it came in):"]
        shown: Counter[tuple[str, str]] = Counter()
        folded: Counter[tuple[str, str]] = Counter()
        count = 0
        for g in blocking:
            kind = (g.rule_id if g.kind != "person" else "person", g.locations[0])
            shown[kind] += 1
            if shown[kind] > _SIMILAR:
                folded[kind] += 1
                continue
            if count == self.top:
                break
            count += 1
            lines.append(self._item(count, g, report))
        for (label, location), n in folded.items():
            lines.append(f"    and {n} more {label} item{'s' if n != 1 else ''} in {location} (see --all)")
        rest = len(blocking) - count - sum(folded.values())
        if rest > 0:
            lines.append(f"    and {rest} more item{'s' if rest != 1 else ''} at or above {self.fail_on.label} (see --all)")
        return lines + [""] + self._what_to_do(blocking[: self.top])

    def _what_to_do(self, groups: list[Group]) -> list[str]:
        seen: dict[str, str] = {}
        for g in groups:
            seen.setdefault("person" if g.kind == "person" else g.category, g.remediation)
        lines = ["What to do:"] + [f"  {kind:<7} {text}" for kind, text in seen.items()]
        lines.append("  A false positive? In a file: `reposcrub: allow RULE-ID` in a comment on its line. Anywhere: "
                     "accept it with `reposcrub baseline create`.")
        return lines + [""]

    def _all(self, report: Report) -> list[str]:
        lines: list[str] = []
        for n, g in enumerate(report.groups, 1):
            lines.append(self._item(n, g, report))
            for i in g.members:
                f = report.findings[i]
                detail = f"  {f.preview}" if f.preview and f.preview != g.title else ""
                extra = f" [{f.context}]" if f.context not in ("text", "other", "unparsed") else ""
                note = f"  ({f.note})" if f.note else ""
                sev = self._paint(f.severity.label, f.severity)
                lines.append(f"      - {sev} {f.rule_id} at {where(f)}{detail}{extra}{note}")
        return lines + [""] if lines else lines

    def _summary(self, report: Report) -> list[str]:
        scanned = f"{report.files_scanned} files and objects"
        filtered = f" (showing {report.selection})" if report.selection else ""
        if not report.findings:
            return [f"No findings in {scanned} ({report.seconds:.2f}s){filtered}."]
        n, items = len(report.findings), len(report.groups)
        blocking = sum(1 for g in report.groups if g.severity >= self.fail_on)
        rows = [f"{n} finding{'s' if n != 1 else ''} ({items} distinct item{'s' if items != 1 else ''}, {blocking} at or "
                f"above {self.fail_on.label}) in {scanned} ({report.seconds:.2f}s){filtered}"]
        counts = Counter((f.category, f.severity) for f in report.findings)
        severities = sorted(Severity, reverse=True)
        rows.append(f"{'category':<10}" + "".join(f"{s.label:>10}" for s in severities) + f"{'total':>8}")
        for cat in CATEGORIES:
            total = sum(counts[(cat, s)] for s in severities)
            if total:
                rows.append(f"{cat:<10}" + "".join(f"{counts[(cat, s)] or '-':>10}" for s in severities) + f"{total:>8}")
        if not self.show_all:
            rows.append("Every occurrence: --all (text), --format json or --format html.")
        return rows
