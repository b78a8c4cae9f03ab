"""One self-contained HTML page of the store: submissions by verdict, findings by category
and severity, the riskiest submissions first, each linking to its reports. No network:
styles and the filter script are inline, charts are plain HTML bars."""
from __future__ import annotations

import html
import os
from collections import Counter
from pathlib import Path

from reposcrub.errors import ReposcrubError
from reposcrub.intake.store import DB_NAME, Store

_SEVERITIES = ("critical", "high", "medium", "low", "info")
_VERDICTS = ("findings", "refused", "error", "clean")
_COLOURS = {"critical": "#7f1d1d", "high": "#dc2626", "medium": "#f59e0b", "low": "#3b82f6", "info": "#9ca3af",
            "findings": "#dc2626", "refused": "#7c3aed", "error": "#6b7280", "clean": "#16a34a"}
# Riskiest first: the worst severity, then how many distinct values at it and below.
_RISK = "critical * 1000000 + high * 10000 + medium * 100 + low"
_STYLE = """body{font:14px system-ui,sans-serif;margin:2em;color:#111}h1{font-size:1.4em}h2{font-size:1.1em;margin-top:2em}
table{border-collapse:collapse}td,th{padding:.25em .6em;border-bottom:1px solid #e5e7eb;text-align:left;vertical-align:top}
.bar{display:inline-block;height:1em;vertical-align:middle}.num{text-align:right}.why{color:#555;max-width:40em}
.tag{padding:0 .4em;border-radius:.3em;color:#fff}input{margin:.5em 0;padding:.3em;width:20em}"""
_SCRIPT = """function filt(q){q=q.toLowerCase();for(const r of document.querySelectorAll('#subs tbody tr'))
r.style.display=r.textContent.toLowerCase().includes(q)?'':'none'}"""


def write_dashboard(store_dir: Path, output: Path) -> Path:
    """Raises: ReposcrubError: there is no store in store_dir, or output cannot be written."""
    if not (store_dir / DB_NAME).is_file():
        raise ReposcrubError(f"no intake store in {store_dir} ({DB_NAME} is missing); run `reposcrub intake` first")
    store = Store(store_dir)
    try:
        page = _page(store, os.path.relpath(store_dir, output.parent))
    finally:
        store.close()
    try:
        output.write_text(page, encoding="utf-8")
    except OSError as exc:
        raise ReposcrubError(f"cannot write {output}: {exc.strerror}") from None
    return output


def _page(store: Store, base: str) -> str:
    subs = store.query(f"SELECT *, {_RISK} AS risk FROM submissions ORDER BY risk DESC, verdict, id")
    verdicts = Counter(r["verdict"] for r in subs)
    cells = store.query("SELECT category, severity, COUNT(*) AS n FROM findings GROUP BY category, severity")
    runs = store.query("SELECT * FROM runs ORDER BY id DESC LIMIT 1")
    parts = [f"<!doctype html><html><head><meta charset='utf-8'><title>reposcrub intake</title>"
             f"<style>{_STYLE}</style><script>{_SCRIPT}</script></head><body><h1>reposcrub intake</h1>"]
    if runs:
        r = runs[0]
        parts.append(f"<p>Last run: {_e(r['started_at'])}, reposcrub {_e(r['tool_version'])}, rules "
                     f"{_e(r['rules_version'])}, {_e(r['engine'])}{' (interrupted)' if r['interrupted'] else ''}.</p>")
    parts += ["<h2>Submissions by verdict</h2>", _bars([(v, verdicts[v]) for v in _VERDICTS], len(subs))]
    parts += ["<h2>Distinct findings by category and severity</h2>", _matrix(cells)]
    risky = [r for r in subs if r["risk"] > 0][:10]
    parts += ["<h2>Riskiest submissions</h2>", _table(risky, base) if risky else "<p>None with findings.</p>"]
    parts += ["<h2>All submissions</h2><input placeholder='filter' oninput='filt(this.value)'>", _table(subs, base, "subs")]
    return "".join(parts) + "</body></html>\n"


def _e(value: object) -> str:
    return html.escape("" if value is None else str(value), quote=True)


def _bars(items: list[tuple[str, int]], total: int) -> str:
    rows = []
    for name, n in items:
        width = 0 if not total else max(1, round(300 * n / total)) if n else 0
        rows.append(f"<tr><td>{name}</td><td class='num'>{n}</td><td><span class='bar' "
                    f"style='width:{width}px;background:{_COLOURS[name]}'></span></td></tr>")
    return f"<table>{''.join(rows)}</table>"


def _matrix(cells: list) -> str:  # type: ignore[type-arg]
    counts = {(c["category"], c["severity"]): c["n"] for c in cells}
    categories = sorted({c for c, _ in counts})
    if not categories:
        return "<p>No findings.</p>"
    head = "".join(f"<th>{s}</th>" for s in _SEVERITIES)
    body = "".join(f"<tr><th>{_e(c)}</th>" + "".join(f"<td class='num'>{counts.get((c, s), '')}</td>" for s in _SEVERITIES)
                   + "</tr>" for c in categories)
    return f"<table><tr><th></th>{head}</tr>{body}</table>"


def _table(rows: list, base: str, ident: str = "") -> str:  # type: ignore[type-arg]
    head = ("<tr><th>id</th><th>verdict</th>" + "".join(f"<th>{s}</th>" for s in _SEVERITIES)
            + "<th>seconds</th><th>reports</th><th>reason</th></tr>")
    body = []
    for r in rows:
        tag = f"<span class='tag' style='background:{_COLOURS[r['verdict']]}'>{r['verdict']}</span>"
        links = " ".join(f"<a href='{_e(base + '/' + r[col])}'>{col[7:]}</a>"
                         for col in ("report_html", "report_sarif", "report_json") if r[col])
        seconds = f"{r['seconds_total']:.1f}" if r["seconds_total"] is not None else ""
        body.append(f"<tr><td title='{_e(r['target'])}'>{_e(r['id'])}</td><td>{tag}</td>"
                    + "".join(f"<td class='num'>{r[s] or ''}</td>" for s in _SEVERITIES)
                    + f"<td class='num'>{seconds}</td><td>{links}</td><td class='why'>{_e(r['reason'])}</td></tr>")
    attr = f" id='{ident}'" if ident else ""
    return f"<table{attr}><thead>{head}</thead><tbody>{''.join(body)}</tbody></table>"
