"""Severity that reflects risk, decided from each rule's data once every finding is known.

Two adjustments, both declared by the rules (rules/*.yaml):

- ``place_severity`` lowers a finding by where it sits (places.py): a private address in a
  compose file or a test fixture, a name in a changelog, an address in vendored code;
- ``holding_severity`` raises a whole-file finding (a swap file, a backup, a dump) when the
  same file also holds other findings: a risky file that carries a host name or a key is
  what a reviewer must see first. The findings inside keep their own rule: a host in a swap
  file is a host finding.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import replace

from reposcrub.model import Finding, Rule, Severity
from reposcrub.places import places_of


def judge(findings: Iterable[Finding], rules: Mapping[str, Rule]) -> list[Finding]:
    """findings with each rule's place and holding severities applied."""
    placed = [_by_place(f, rules.get(f.rule_id)) for f in findings]
    return _raise_holders(placed, rules)


def _by_place(f: Finding, rule: Rule | None) -> Finding:
    if rule is None or not rule.place_severity:
        return f
    places = places_of(f.location, f.path)
    lowest = min((sev for place, sev in rule.place_severity if place in places), default=None)
    if lowest is None or lowest >= f.severity:
        return f
    return replace(f, severity=lowest)


def _blob_key(f: Finding) -> tuple[str, str | None] | None:
    return (f.path, f.oid) if f.location == "file" else None


def _raise_holders(findings: list[Finding], rules: Mapping[str, Rule]) -> list[Finding]:
    holders = [i for i, f in enumerate(findings) if f.end <= f.start and _holding(f, rules) is not None]
    if not holders:
        return findings
    held: dict[tuple[str, str | None], int] = {}
    for f in findings:
        key = _blob_key(f)
        if key is not None and f.end > f.start:
            held[key] = held.get(key, 0) + 1
    out = list(findings)
    for i in holders:
        f = out[i]
        count = held.get(_blob_key(f) or ("", None), 0)
        severity = _holding(f, rules)
        if count and severity is not None and severity > f.severity:
            note = f"holds {count} other finding{'s' if count != 1 else ''}"
            out[i] = replace(f, severity=severity, note=f"{f.note}; {note}" if f.note else note)
    return out


def _holding(f: Finding, rules: Mapping[str, Rule]) -> Severity | None:
    rule = rules.get(f.rule_id)
    return rule.holding_severity if rule is not None else None
