"""Suppressions: inline ``reposcrub: allow`` comments and baselines of accepted fingerprints."""
from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import replace

from reposcrub.model import Blob, Finding

# "reposcrub: allow" alone allows every rule on the line; "reposcrub: allow secret/x host/y" only those.
_ALLOW = re.compile(rb"reposcrub:\s*allow\b((?:[ \t,]+[a-z]+/[a-z0-9.-]+)*)")


def _line_at(data: bytes, offset: int) -> bytes:
    """The line around offset, at most 4 KiB either side: a pragma sits near its finding,
    and a bounded window keeps minified single-line files linear."""
    low = max(0, offset - 4096)
    start = data.rfind(b"\n", low, offset) + 1 or low
    end = data.find(b"\n", offset, offset + 4096)
    return data[start : end if end != -1 else min(len(data), offset + 4096)]


def inline_allowed(finding: Finding, blob: Blob) -> bool:
    """True when the finding's line carries a pragma allowing its rule."""
    if finding.end <= finding.start:
        return False
    match = _ALLOW.search(_line_at(blob.data, finding.start))
    if match is None:
        return False
    rules = match.group(1).replace(b",", b" ").split()
    return not rules or finding.rule_id.encode() in rules


def drop_inline_allowed(findings: Iterable[Finding], blob: Blob) -> Iterator[Finding]:
    if b"reposcrub" not in blob.data:  # once per blob, not per finding
        return iter(findings)
    return (f for f in findings if not inline_allowed(f, blob))


def drop_baselined(findings: Iterable[Finding], accepted: frozenset[str]) -> list[Finding]:
    return [f for f in findings if f.fingerprint not in accepted]


# Untrusted mode: what a submission ships to hide its own findings is reported, not obeyed.
# Each kind of suppression, and the words a finding it would hide gets in its note.
UNOBEYED = {
    "inline allow": "an inline `reposcrub: allow` in the target would hide this; not obeyed (untrusted)",
    "ignore file": "the target's own .reposcrubignore would hide this; not obeyed (untrusted)",
    "baseline": "the target's own baseline would hide this; not obeyed (untrusted)",
    "profile": "the target's own profile would disable or lower this rule; not obeyed (untrusted)",
}


def unobeyed(finding: Finding, kind: str) -> Finding:
    """finding marked as one that kind of suppression in the target would have hidden."""
    note = f"{finding.note}; {UNOBEYED[kind]}" if finding.note else UNOBEYED[kind]
    return replace(finding, note=note, unobeyed=finding.unobeyed + (kind,))


def mark_inline_allowed(findings: Iterable[Finding], blob: Blob) -> Iterator[Finding]:
    """Every finding kept; those a pragma would allow say so."""
    if b"reposcrub" not in blob.data:
        return iter(findings)
    return (unobeyed(f, "inline allow") if inline_allowed(f, blob) else f for f in findings)


def mark_shipped(findings: Iterable[Finding], ignore: Callable[[str], bool] | None, baseline: frozenset[str],
                 lowered: Callable[[Finding], bool]) -> list[Finding]:
    """Findings a submission's own ignore file, baseline or profile would hide, marked."""
    out = []
    for f in findings:
        if ignore is not None and f.location in ("file", "path") and ignore(f.path):
            f = unobeyed(f, "ignore file")
        if f.fingerprint in baseline:
            f = unobeyed(f, "baseline")
        if lowered(f):
            f = unobeyed(f, "profile")
        out.append(f)
    return out
