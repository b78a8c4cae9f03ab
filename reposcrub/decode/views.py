"""Findings in what a blob encodes (decode/encoded.py), placed back on the encoded bytes."""
from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import replace

from reposcrub.decode.encoded import BASE64_NOTE, PERCENT_NOTE, View, views
from reposcrub.decode.text import Transcoded
from reposcrub.findings import LineIndex
from reposcrub.model import Blob, Finding


def in_base64(f: Finding) -> bool:
    """Found in a base64 run's decoded text: the span is the whole run."""
    return BASE64_NOTE in f.note


def in_percent(f: Finding) -> bool:
    """Found with percent-escapes decoded: the span is the encoded secret."""
    return PERCENT_NOTE in f.note


def found_in_views(blob: Blob, detect: Callable[[Blob], Iterable[Finding]],
                   resolve: Callable[[list[Finding]], list[Finding]],
                   raw: list[Finding]) -> tuple[list[Finding], list[Finding]]:
    """(findings with percent-escapes decoded, findings in base64 runs), at their spans in blob.

    detect runs every detector over a blob; resolve keeps one finding per span and
    category, applied in each view's own offsets. A finding around escapes that the raw
    text gave already (same rule, same span) is left out.
    """
    percent: list[Finding] = []
    inside: list[Finding] = []
    decoded = views(blob.data, blob.windows)
    if not decoded:
        return percent, inside
    lines: LineIndex | None = None
    seen_raw = {(f.rule_id, f.start, f.end) for f in raw}
    for view in decoded:
        # Whole-file findings (path rules) belong to the blob, and the raw scan gave them.
        found = resolve([f for f in detect(Blob(view.text, blob.provenance, blob.oid)) if f.end > f.start])
        if not found:
            continue
        if lines is None:
            lines = LineIndex(blob.data)
        # A match of nothing but a separator between two pieces places to no span at all.
        placed = [p for p in (place(f, view, lines) for f in found) if p.end > p.start]
        if view.note == PERCENT_NOTE:
            percent += [f for f in placed if (f.rule_id, f.start, f.end) not in seen_raw]
        else:
            inside += placed
    return percent, inside


def place(f: Finding, view: View, lines: LineIndex) -> Finding:
    """A finding in a view's text, at its span in the original bytes (lines: of those)."""
    start, end = view.span(f.start, f.end)
    line, column = lines.locate(start)
    end_line, end_column = lines.locate(end)
    note = f"{f.note}; {view.note}" if f.note else view.note
    return replace(f, start=start, end=end, line=line, column=column, end_line=end_line, end_column=end_column, note=note)


def transcoded_findings(text: Transcoded, findings: list[Finding]) -> list[Finding]:
    """Findings in a transcoded text with their spans in the original bytes; line and
    column stay those of the text, which is what an editor shows."""
    offsets = text.original_offsets({o for f in findings if f.end > f.start for o in (f.start, f.end)})
    return [replace(f, start=offsets[f.start], end=offsets[f.end]) if f.end > f.start else f for f in findings]
