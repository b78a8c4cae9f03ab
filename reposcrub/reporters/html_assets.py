"""The HTML report's style, script and charts: inline, so the page is one file that loads nothing."""
from __future__ import annotations

import time
from collections import Counter
from collections.abc import Sequence
from html import escape

from reposcrub.model import CATEGORIES, Severity

COLORS = {Severity.CRITICAL: "#8b0000", Severity.HIGH: "#d7301f", Severity.MEDIUM: "#fc8d59",
          Severity.LOW: "#4a90c2", Severity.INFO: "#b0b0b0"}

# No request of any kind: scripts and styles only inline, images only as data.
CSP = "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:; form-action 'none'"

STYLE = """
body{font:14px/1.45 system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:0;color:#1d1d1f;background:#fafafa}
header{background:#1f2933;color:#fff;padding:16px 24px}header h1{margin:0 0 4px;font-size:20px}
header p{margin:2px 0;color:#cbd2d9}main{padding:16px 24px}
.verdict{font-size:16px;margin:12px 0}.charts{display:flex;flex-wrap:wrap;gap:16px}
.chart{background:#fff;border:1px solid #e4e7eb;border-radius:6px;padding:8px 12px}
.chart h2{font-size:13px;margin:4px 0 8px;color:#52606d}
.filters{display:flex;flex-wrap:wrap;gap:12px;align-items:center;margin:16px 0;background:#fff;border:1px solid #e4e7eb;
border-radius:6px;padding:8px 12px}.filters label{font-size:13px}
table{border-collapse:collapse;width:100%;background:#fff}th,td{text-align:left;padding:5px 8px;border-bottom:1px solid #eef0f2;
vertical-align:top}th{background:#f5f7fa;font-size:12px;color:#52606d;position:sticky;top:0}
td.rule code{white-space:nowrap}tr.item{cursor:pointer}tr.item:hover{background:#f5f9ff}.sev{color:#fff;border-radius:3px;padding:1px 6px;font-size:12px}
code,.mono{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:12.5px;word-break:break-all}
tr.detail td{background:#fbfcfd}.occ{margin:6px 0}.occ .where{color:#3e4c59}
pre.excerpt{background:#f5f7fa;border:1px solid #e4e7eb;padding:4px 8px;margin:4px 0;overflow-x:auto;font-size:12px}
pre.excerpt .hit{background:#fff3c4;display:block}.muted{color:#7b8794}.todo{font-size:12.5px;color:#3e4c59}
"""

SCRIPT = """
(function(){
  var rows=[].slice.call(document.querySelectorAll('tr.item'));
  function apply(){
    var cats=[].slice.call(document.querySelectorAll('input.cat:checked')).map(function(e){return e.value;});
    var min=parseInt(document.getElementById('minsev').value,10);
    var place=document.getElementById('place').value;
    var q=document.getElementById('q').value.toLowerCase();
    var shown=0;
    rows.forEach(function(r){
      var ok=cats.indexOf(r.dataset.category)>=0 && parseInt(r.dataset.severity,10)>=min
        && (place==='' || r.dataset.place===place) && (q==='' || r.dataset.text.indexOf(q)>=0);
      r.hidden=!ok; var d=document.getElementById('d-'+r.dataset.n); if(d && !ok){d.hidden=true;}
      if(ok){shown++;}
    });
    document.getElementById('count').textContent=shown;
  }
  rows.forEach(function(r){r.addEventListener('click',function(){
    var d=document.getElementById('d-'+r.dataset.n); if(d){d.hidden=!d.hidden;}});});
  [].slice.call(document.querySelectorAll('.filters input,.filters select')).forEach(function(e){
    e.addEventListener('input',apply); e.addEventListener('change',apply);});
  apply();
})();
"""


def bars_by_category(counts: Counter[tuple[str, Severity]]) -> str:
    """Findings by category, stacked by severity: one horizontal bar per category."""
    cats = [c for c in CATEGORIES if any(counts[(c, s)] for s in Severity)]
    top = max((sum(counts[(c, s)] for s in Severity) for c in cats), default=1) or 1
    width, row = 360, 22
    parts = [f'<svg role="img" aria-label="findings by category and severity" width="{width + 150}" '
             f'height="{row * len(cats) + 28}" xmlns="http://www.w3.org/2000/svg">']
    for i, cat in enumerate(cats):
        x, y = 70.0, 4 + i * row
        parts.append(f'<text x="0" y="{y + 14}" font-size="12">{escape(cat)}</text>')
        for sev in sorted(Severity, reverse=True):
            w = counts[(cat, sev)] / top * width
            if w:
                parts.append(f'<rect x="{x:.1f}" y="{y}" width="{max(w, 1):.1f}" height="16" fill="{COLORS[sev]}">'
                             f'<title>{escape(cat)} {sev.label}: {counts[(cat, sev)]}</title></rect>')
                x += max(w, 1)
        parts.append(f'<text x="{x + 4:.1f}" y="{y + 13}" font-size="11" fill="#52606d">'
                     f'{sum(counts[(cat, s)] for s in Severity)}</text>')
    parts.append(_legend(4 + len(cats) * row + 6))
    return "".join(parts) + "</svg>"


def _legend(y: int) -> str:
    out = []
    for i, sev in enumerate(sorted(Severity, reverse=True)):
        out.append(f'<rect x="{i * 80}" y="{y}" width="10" height="10" fill="{COLORS[sev]}"/>'
                   f'<text x="{i * 80 + 14}" y="{y + 9}" font-size="11">{sev.label}</text>')
    return "".join(out)


def timeline(items: Sequence[tuple[int, Severity]]) -> str:
    """Items by the month their first commit was made, stacked by severity."""
    if not items:
        return '<p class="muted">No history findings with a commit date.</p>'
    months = Counter((time.strftime("%Y-%m", time.gmtime(t)), sev) for t, sev in items)
    keys = sorted({m for m, _ in months})
    first, last = keys[0], keys[-1]
    span = [f"{y:04d}-{m:02d}" for y in range(int(first[:4]), int(last[:4]) + 1) for m in range(1, 13)
            if first <= f"{y:04d}-{m:02d}" <= last]
    top = max(sum(months[(m, s)] for s in Severity) for m in span) or 1
    height, width = 120, max(360, min(900, 6 * len(span)))
    bar = width / len(span)
    parts = [f'<svg role="img" aria-label="items by month first committed" width="{width + 40}" height="{height + 48}" '
             f'xmlns="http://www.w3.org/2000/svg">']
    for i, month in enumerate(span):
        y = float(height)
        for sev in sorted(Severity):
            n = months[(month, sev)]
            if n:
                h = n / top * height
                y -= h
                parts.append(f'<rect x="{30 + i * bar:.1f}" y="{y:.1f}" width="{max(bar - 1, 1):.1f}" height="{h:.1f}" '
                             f'fill="{COLORS[sev]}"><title>{month} {sev.label}: {n}</title></rect>')
    parts.append(f'<text x="30" y="{height + 14}" font-size="11">{first}</text>'
                 f'<text x="{30 + width}" y="{height + 14}" font-size="11" text-anchor="end">{last}</text>'
                 f'<text x="0" y="10" font-size="11">{top}</text>')
    parts.append(_legend(height + 26))
    return "".join(parts) + "</svg>"
