"""Each submission's reports: rendered where it was scanned (in parallel, on the workers),
written into the store where the batch runs. JSON, SARIF, and every other format the
reporters offer."""
from __future__ import annotations

import hashlib
import os
from dataclasses import replace
from pathlib import Path

from reposcrub.model import ScanResult
from reposcrub.reporters import REPORTERS, reporter_for

_FILES = {"json": "report.json", "sarif": "report.sarif", "html": "report.html"}


def render_reports(result: ScanResult) -> dict[str, str]:
    """{format: text} for every report format there is. Reporters mask secrets themselves.
    The rules listed are those with results: the whole pack in each of a thousand reports
    would make SARIF of 1.6 MB for a clean repository, and cost more than its scan."""
    used = {f.rule_id for f in result.findings}
    shown = replace(result, rules=tuple(r for r in result.rules if r.id in used))
    texts = {}
    for fmt in _FILES:
        if fmt in REPORTERS:
            texts[fmt] = _render(fmt, shown)
    return texts


def _render(fmt: str, result: ScanResult) -> str:
    import io

    out = io.StringIO()
    reporter_for(fmt).write(result, out)
    return out.getvalue()


def slug(ident: str) -> str:
    """A file name for a submission id: readable, unique (a hash of the id), never a path."""
    readable = "".join(c if c.isalnum() or c in "-_." else "-" for c in ident.rsplit("/", 1)[-1])[:40].strip(".-")
    return f"{readable or 'submission'}-{hashlib.sha256(ident.encode()).hexdigest()[:10]}"


def write_reports(store: Path, ident: str, texts: dict[str, str]) -> dict[str, str]:
    """texts under store/reports/<slug>/, each replaced whole or not at all; the store's
    columns naming them (paths relative to the store)."""
    folder = store / "reports" / slug(ident)
    folder.mkdir(parents=True, exist_ok=True)
    written = {}
    for fmt, text in texts.items():
        if fmt not in _FILES:
            continue
        path = folder / _FILES[fmt]
        tmp = path.with_name(f".{path.name}.tmp")
        tmp.write_text(text, encoding="utf-8")
        os.replace(tmp, path)
        written[f"report_{fmt}"] = str(path.relative_to(store))
    return written
