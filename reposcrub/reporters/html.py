"""One self-contained HTML page: summary charts, the ranked table of items with filters, and
for each item where it lives and the lines around it. It loads nothing (a Content Security
Policy forbids every request), every string from the repository is HTML-escaped, and the
script reads only the page's own attributes: no data is ever placed inside a script."""
from __future__ import annotations

import time
from collections import Counter
from html import escape
from typing import TextIO

from reposcrub import __version__
from reposcrub.model import CATEGORIES, ScanResult, Severity
from reposcrub.reporters.group import Group
from reposcrub.reporters.html_assets import COLORS, CSP, SCRIPT, STYLE, bars_by_category, timeline
from reposcrub.reporters.render import Report, Shown, as_report
from reposcrub.reporters.text import spread, where

MAX_OCCURRENCES = 50  # per item on the page; the JSON report lists every one


def _e(text: object) -> str:
    return escape(str(text), quote=True)


def _sev(severity: Severity) -> str:
    return f'<span class="sev" style="background:{COLORS[severity]}">{severity.label}</span>'


def _date(t: int | None) -> str:
    return time.strftime("%Y-%m-%d", time.gmtime(t)) if t is not None else ""


class HtmlReporter:
    def __init__(self, fail_on: Severity = Severity.LOW) -> None:
        self.fail_on = fail_on

    def write(self, report: Report | ScanResult, stream: TextIO) -> None:
        report = as_report(report)
        stream.write(self._head(report))
        stream.write(self._summary(report))
        stream.write(self._filters(report))
        stream.write('<table id="items"><thead><tr><th>#</th><th>severity</th><th>rule</th><th>item</th>'
                     '<th>where it came in</th><th>spread</th></tr></thead><tbody>\n')
        for n, g in enumerate(report.groups, 1):
            stream.write(self._row(n, g, report))
        stream.write(f"</tbody></table></main><script>{SCRIPT}</script></body></html>\n")

    def _head(self, report: Report) -> str:
        return (f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
                f'<meta http-equiv="Content-Security-Policy" content="{CSP}">'
                f'<meta name="referrer" content="no-referrer"><meta name="viewport" content="width=device-width">'
                f"<title>reposcrub report: {_e(report.target)}</title><style>{STYLE}</style></head><body>"
                f"<header><h1>reposcrub report</h1><p>{_e(report.target)}"
                f"{' at ' + _e(report.revision[:12]) if report.revision else ''}</p>"
                f"<p>reposcrub {_e(__version__)}: {report.files_scanned:,} files and objects in {report.seconds:.1f}s"
                f"{'; showing ' + _e(report.selection) if report.selection else ''}</p></header><main>")

    def _summary(self, report: Report) -> str:
        blocking = [g for g in report.groups if g.severity >= self.fail_on]
        verdict = (f"<strong>{len(blocking):,} item{'s' if len(blocking) != 1 else ''} at or above "
                   f"{self.fail_on.label}</strong> among {len(report.groups):,} distinct items "
                   f"({len(report.findings):,} findings)." if report.findings else "<strong>No findings.</strong>")
        notes = "".join(f"<li>{_e(n)}</li>" for n in report.notes)
        counts = Counter((f.category, f.severity) for f in report.findings)
        firsts = [(report.findings[g.first].time, g.severity) for g in report.groups
                  if report.findings[g.first].time is not None]
        return (f'<p class="verdict">{verdict}</p>' + (f"<ul>{notes}</ul>" if notes else "")
                + '<div class="charts"><div class="chart"><h2>Findings by category and severity</h2>'
                + bars_by_category(counts) + '</div><div class="chart"><h2>Items by the month they were first '
                + 'committed</h2>' + timeline(firsts) + "</div></div>")  # type: ignore[arg-type]

    def _filters(self, report: Report) -> str:
        present = {f.category for f in report.findings}
        cats = "".join(f'<label><input type="checkbox" class="cat" value="{c}" checked> {c}</label>'
                       for c in CATEGORIES if c in present)
        default = self.fail_on if any(g.severity >= self.fail_on for g in report.groups) else Severity.INFO
        sevs = "".join(f'<option value="{int(s)}"{" selected" if s == default else ""}>{s.label} and above</option>'
                       for s in sorted(Severity))
        return (f'<div class="filters">{cats}<label>severity <select id="minsev">{sevs}</select></label>'
                '<label>where <select id="place"><option value="">anywhere</option><option value="tree">in the work '
                'tree</option><option value="history">only in the history</option><option value="metadata">git '
                'metadata</option></select></label><label>search <input id="q" type="search" placeholder="rule, '
                'value, path"></label><span><span id="count"></span> items shown; click one for its places</span></div>')

    def _row(self, n: int, g: Group, report: Report) -> str:
        first = report.findings[g.first]
        label = "person" if g.kind == "person" else g.rule_id
        text = " ".join((label, g.title, *g.rules, *(report.findings[i].path for i in g.members[:20]))).lower()
        place = "tree" if g.in_tree else ("history" if first.location in ("file", "path") else "metadata")
        came = _e(where(first)) + (f' <span class="muted">{_date(first.time)}</span>' if first.time else "")
        row = (f'<tr class="item" data-n="{n}" data-category="{_e(g.category)}" data-severity="{int(g.severity)}" '
               f'data-place="{place}" data-text="{_e(text)}"><td>{n}</td><td>{_sev(g.severity)}</td>'
               f"<td class=\"rule\"><code>{_e(label)}</code></td><td><code>{_e(g.title)}</code></td><td class=\"mono\">{came}</td>"
               f"<td>{_e(spread(g) or '1×')}</td></tr>\n")
        return row + self._detail(n, g, report)

    def _detail(self, n: int, g: Group, report: Report) -> str:
        parts = [f'<tr class="detail" id="d-{n}" hidden><td></td><td colspan="5"><p class="todo">What to do: '
                 f"{_e(g.remediation)}</p>"]
        for i in g.members[:MAX_OCCURRENCES]:
            parts.append(_occurrence(report.findings[i]))
        if len(g.members) > MAX_OCCURRENCES:
            parts.append(f'<p class="muted">and {len(g.members) - MAX_OCCURRENCES:,} more occurrences: '
                         f"the JSON report lists every one.</p>")
        return "".join(parts) + "</td></tr>\n"


def _occurrence(f: Shown) -> str:
    extra = [f.context] if f.context not in ("text", "other", "unparsed") else []
    extra += [f"ref {f.ref}"] if f.ref and f.location != "ref" else []
    extra += [f"in {f.commit_count} commits"] if f.commit_count > 1 else []
    extra += [f.note] if f.note else []
    out = (f'<div class="occ">{_sev(f.severity)} <code>{_e(f.rule_id)}</code> <span class="where mono">'
           f"{_e(where(f))}</span> <code>{_e(f.preview)}</code> <span class=\"muted\">{_e('; '.join(extra))}"
           f"{' ' + _date(f.time) if f.time else ''}</span>")
    if f.excerpt:
        lines = []
        for k, text in enumerate(f.excerpt):
            number = f.excerpt_line + k
            hit = ' class="hit"' if f.line <= number <= f.end_line else ""
            lines.append(f"<span{hit}>{number:>5}  {_e(text)}</span>")
        out += '<pre class="excerpt">' + "\n".join(lines) + "</pre>"
    return out + "</div>"
