"""Reporters: Report -> a stream. Registered in a literal dict, chosen by --format.

Every reporter receives a ``Report`` from ``render()`` (render.py): masked, escaped, with no
matched value in it.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol, TextIO

from reposcrub.model import Severity
from reposcrub.reporters.render import Report


class Reporter(Protocol):
    def write(self, report: Report, stream: TextIO) -> None: ...


@dataclass(frozen=True, slots=True)
class Style:
    """How a person asked for the report: colour, every occurrence, the threshold that blocks."""

    color: bool = False
    show_all: bool = False
    fail_on: Severity = Severity.LOW


def _text(style: Style) -> Reporter:
    from reposcrub.reporters.text import TextReporter

    return TextReporter(color=style.color, show_all=style.show_all, fail_on=style.fail_on)


def _json(style: Style) -> Reporter:
    from reposcrub.reporters.json import JsonReporter

    return JsonReporter()


def _sarif(style: Style) -> Reporter:
    from reposcrub.reporters.sarif import SarifReporter  # sarif_om and attrs: only when asked for

    return SarifReporter()


def _html(style: Style) -> Reporter:
    from reposcrub.reporters.html import HtmlReporter

    return HtmlReporter(fail_on=style.fail_on)


REPORTERS = {"text": _text, "json": _json, "sarif": _sarif, "html": _html}


def reporter_for(name: str, style: Style | None = None, *, color: bool = False) -> Reporter:
    """The reporter for a --format name; color alone is the older way to ask for a Style."""
    return REPORTERS[name](style or Style(color=color))
