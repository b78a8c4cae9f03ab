"""Suppressions: inline ``reposcrub: allow`` comments and baselines of accepted fingerprints."""
from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

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
