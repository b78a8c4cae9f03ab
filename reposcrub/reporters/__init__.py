"""Reporters: ScanResult -> a stream. Registered in a literal dict, chosen by --format."""
from __future__ import annotations

from typing import Protocol, TextIO

from reposcrub.model import ScanResult


class Reporter(Protocol):
    def write(self, result: ScanResult, stream: TextIO) -> None: ...


def reporter_for(name: str, color: bool = False) -> Reporter:
    from reposcrub.reporters import json as json_reporter
    from reposcrub.reporters import sarif, text

    reporters: dict[str, Reporter] = {
        "text": text.TextReporter(color=color),
        "json": json_reporter.JsonReporter(),
        "sarif": sarif.SarifReporter(),
    }
    return reporters[name]
