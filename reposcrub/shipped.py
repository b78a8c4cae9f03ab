"""What a scanned target ships to configure reposcrub itself, seen in untrusted mode.

A submission can carry a ``.reposcrubignore``, a ``.reposcrub.toml`` (or ``[tool.reposcrub]``)
disabling rules or lowering severities, and a ``.reposcrub-baseline.json`` whose
fingerprints anyone can compute. In untrusted mode none of it is obeyed: every finding
stays, and those it would have hidden say so, so a reviewer sees the attempt.
"""
from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from reposcrub import baseline
from reposcrub.errors import ReposcrubError
from reposcrub.filters import mark_shipped
from reposcrub.model import Finding
from reposcrub.profile import PROFILE_FILE, Profile, shipped_profile
from reposcrub.sources.worktree import IGNORE_FILE, load_ignore


def review(root: Path | None, findings: Sequence[Finding]) -> tuple[list[Finding], list[str]]:
    """findings with what root's own suppressions would hide marked, and one note naming them."""
    if root is None or not root.is_dir():
        return list(findings), []
    shipped: list[str] = []
    ignore = load_ignore(root)
    if ignore is not None:
        shipped.append(IGNORE_FILE)
    accepted = _baseline(root, shipped)
    profile = _profile(root, shipped)
    marked = mark_shipped(findings, ignore.match_file if ignore is not None else None, accepted, _lowered(profile))
    if any("inline allow" in f.unobeyed for f in marked):
        shipped.append("inline `reposcrub: allow` comments")
    if not shipped:
        return marked, []
    hidden = sum(1 for f in marked if f.unobeyed)
    return marked, [f"untrusted: the target's own {', '.join(shipped)} not obeyed; "
                    f"{hidden} finding(s) they would hide are reported and marked"]


def _baseline(root: Path, shipped: list[str]) -> frozenset[str]:
    try:
        accepted = baseline.load_shipped(root)
    except ReposcrubError:
        shipped.append(f"{baseline.DEFAULT_FILE} (unreadable)")
        return frozenset()
    if accepted is not None:
        shipped.append(baseline.DEFAULT_FILE)
    return accepted or frozenset()


def _profile(root: Path, shipped: list[str]) -> Profile | None:
    try:
        profile = shipped_profile(root)
    except ReposcrubError:
        shipped.append(f"{PROFILE_FILE} (unreadable)")
        return None
    if profile is not None:
        shipped.append(profile.source)
    return profile


def _lowered(profile: Profile | None) -> Callable[[Finding], bool]:
    if profile is None:
        return lambda f: False
    disabled = set(profile.disabled_rules)
    overrides = dict(profile.severity_overrides)
    return lambda f: f.rule_id in disabled or (f.rule_id in overrides and overrides[f.rule_id] < f.severity)
