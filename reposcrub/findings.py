"""Turn a match in a blob into a Finding: location, redacted preview, fingerprint."""
from __future__ import annotations

import bisect
import hashlib
import re

from reposcrub.model import Blob, Finding, Rule

_MAX_PREVIEW = 120


class LineIndex:
    """Line and column of byte offsets in one blob, worked out only where findings are.

    Each answer is kept as a checkpoint, (offset, line, column); the next is counted from
    the nearest checkpoint before it with C-speed bytes.count/rfind, so a blob with a few
    findings costs a few short counts, and many findings on one long line stay linear.
    """

    def __init__(self, data: bytes) -> None:
        self._data = data
        self._marks: list[tuple[int, int, int]] = [(0, 0, 0)]  # offset, 0-based line, 0-based column

    def locate(self, offset: int) -> tuple[int, int]:
        """1-based (line, column) of a byte offset; columns count Unicode code points."""
        data = self._data
        marks = self._marks
        i = bisect.bisect_right(marks, (offset, 1 << 62, 0)) - 1
        base, line, column = marks[i]
        newlines = data.count(b"\n", base, offset) if offset > base else 0
        if newlines:
            line += newlines
            base = data.rfind(b"\n", base, offset) + 1
            column = 0
        piece = data[base:offset]
        column += len(piece) if piece.isascii() else len(piece.decode("utf-8", "replace"))
        if marks[i][0] != offset:
            marks.insert(i + 1, (offset, line, column))
        return line + 1, column + 1


def redact(value: str) -> str:
    """Keep enough of a secret to recognise it, never enough to use it: AKIA****MPLE."""
    n = len(value)
    if n >= 16:
        shown = 4
    elif n >= 10:
        shown = 2
    else:
        return "*" * min(n, 8) if n else ""
    return value[:shown] + "*" * min(n - 2 * shown, 32) + value[-shown:]


# A password inside a URL that another rule reports (an internal host's URL, say).
_URL_PASSWORD = re.compile(r"(?P<pre>[A-Za-z][A-Za-z0-9+.-]*://[^:/@\s]*:)(?P<password>[^@\s/]+)@")


def preview_for(rule: Rule, value: bytes) -> str:
    text = value.decode("utf-8", "replace").replace("\n", "\\n").replace("\r", "\\r")
    if rule.redacts:
        return redact(text)
    text = _URL_PASSWORD.sub(lambda m: m.group("pre") + (redact(m.group("password")) or "*") + "@", text)
    return text if len(text) <= _MAX_PREVIEW else text[: _MAX_PREVIEW - 1] + "…"


def fingerprint(rule_id: str, path: str, value: bytes) -> str:
    """Hash of rule, path and matched content (not the line): survives lines moving."""
    digest = hashlib.sha256()
    for part in (rule_id.encode(), path.encode("utf-8", "surrogateescape"), value):
        digest.update(len(part).to_bytes(8, "big"))
        digest.update(part)
    return digest.hexdigest()[:32]


def make_finding(rule: Rule, blob: Blob, start: int, end: int, lines: LineIndex | None, note: str = "") -> Finding:
    """A finding for blob.data[start:end]; start == end means the whole file."""
    value = blob.data[start:end]
    if lines is not None and end > start:
        line, column = lines.locate(start)
        end_line, end_column = lines.locate(end)
    else:
        line, column, end_line, end_column = 1, 1, 1, 1
    prov = blob.provenance
    return Finding(
        rule_id=rule.id,
        category=rule.category,
        severity=rule.severity,
        path=prov.path,
        line=line,
        column=column,
        end_line=end_line,
        end_column=end_column,
        preview=preview_for(rule, value) if value else "",
        fingerprint=fingerprint(rule.id, prov.path, value),
        location=prov.location,
        commit=prov.commit,
        commit_count=prov.commit_count,
        ref=prov.ref,
        note=note,
        oid=blob.oid,
        value=value,
        start=start,
        end=end,
    )
