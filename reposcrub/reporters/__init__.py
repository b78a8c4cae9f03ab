"""Reporters: ScanResult -> a stream. Registered in a literal dict, chosen by --format."""
from __future__ import annotations

from typing import Protocol, TextIO

from reposcrub.model import ScanResult


class Reporter(Protocol):
    def write(self, result: ScanResult, stream: TextIO) -> None: ...


def _text(color: bool) -> Reporter:
    from reposcrub.reporters.text import TextReporter

    return TextReporter(color=color)


def _json(color: bool) -> Reporter:
    from reposcrub.reporters.json import JsonReporter

    return JsonReporter()


def _sarif(color: bool) -> Reporter:
    from reposcrub.reporters.sarif import SarifReporter  # sarif_om and attrs: only when asked for

    return SarifReporter()


REPORTERS = {"text": _text, "json": _json, "sarif": _sarif}


def reporter_for(name: str, color: bool = False) -> Reporter:
    return REPORTERS[name](color)
