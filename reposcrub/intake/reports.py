"""Each submission's reports, written where the batch runs from the redacted result a
worker sent back: JSON, SARIF, and every other format the reporters offer."""
from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from reposcrub.intake.task import slug
from reposcrub.model import ScanResult
from reposcrub.reporters import REPORTERS, reporter_for

_FORMATS = {"json": "report.json", "sarif": "report.sarif", "html": "report.html"}


def write_reports(store: Path, ident: str, result: dict[str, Any]) -> dict[str, str]:
    """Reports of result under store/reports/<slug>/; the columns naming them (paths relative
    to the store). A report is replaced whole or not at all."""
    folder = store / "reports" / slug(ident)
    folder.mkdir(parents=True, exist_ok=True)
    scan = ScanResult.from_dict(result)
    written = {}
    for fmt, name in _FORMATS.items():
        if fmt not in REPORTERS:
            continue
        path = folder / name
        tmp = path.with_name(f".{name}.tmp")
        with tmp.open("w", encoding="utf-8") as stream:
            reporter_for(fmt).write(scan, stream)
        os.replace(tmp, path)
        written[f"report_{fmt}"] = str(path.relative_to(store))
    return written
