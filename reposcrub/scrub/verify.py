"""Prove the copy: re-scan everything in it, and check that nothing but the findings changed."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from reposcrub import git
from reposcrub.model import Finding, Severity
from reposcrub.scrub.plan import Plan


@dataclass
class Verification:
    leftover: list[Finding] = field(default_factory=list)
    review: list[Finding] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.leftover and not self.problems


def judge_findings(findings: list[Finding], rules_removed: set[str], fail_on: Severity, v: Verification) -> None:
    """Findings at or above fail_on are failures, except file/ reports that ask for review."""
    for f in findings:
        if f.category == "file" and f.rule_id not in rules_removed:
            v.review.append(f)
        elif f.severity >= fail_on:
            v.leftover.append(f)


def unreachable_objects(repo: Path) -> list[str]:
    out = git.run(["fsck", "--unreachable", "--no-reflogs", "--no-progress"], cwd=repo, check=False)
    return [line for line in out.decode("utf-8", "replace").splitlines() if line.startswith("unreachable")]


def _history_shape(repo: Path) -> dict[str, tuple[list[str], str]]:
    out = git.run(["log", "--all", "--format=%H %P%x00%at %ct %ad"], cwd=repo, check=False).decode()
    shape = {}
    for line in out.splitlines():
        ids, dates = line.split("\0")
        commit, *parents = ids.split()
        shape[commit] = (parents, dates)
    return shape


def check_structure(before: Path, after: Path, commit_map: dict[str, str], v: Verification) -> None:
    """Same commits, same parents (mapped), same dates."""
    old, new = _history_shape(before), _history_shape(after)
    if len(old) != len(new):
        v.problems.append(f"commit count changed: {len(old)} before, {len(new)} after")
    for commit, (parents, dates) in old.items():
        mapped = commit_map.get(commit)
        if mapped is None or mapped not in new:
            v.problems.append(f"commit {commit[:10]} has no rewritten counterpart")
            continue
        new_parents, new_dates = new[mapped]
        if [commit_map.get(p, p) for p in parents] != new_parents or dates != new_dates:
            v.problems.append(f"commit {commit[:10]} changed its parents or dates")


def _tree(repo: Path, rev: str) -> dict[str, str]:
    out = git.run(["ls-tree", "-r", "-z", "--full-tree", rev], cwd=repo, check=False)
    entries = {}
    for item in out.split(b"\0"):
        if b"\t" in item:
            meta, path = item.split(b"\t", 1)
            entries[path.decode("utf-8", "surrogateescape")] = meta.split()[2].decode()
    return entries


def check_untouched_files(before: Path, after: Path, tips: dict[str, str], plan: Plan, v: Verification) -> None:
    """At every ref tip, each file without findings is byte-identical (same blob id)."""
    for old_tip, new_tip in tips.items():
        old_tree, new_tree = _tree(before, old_tip), _tree(after, new_tip)
        for path, oid in old_tree.items():
            if oid in plan.blobs or oid in plan.secret_blobs or path in plan.secret_files:
                continue
            if new_tree.get(plan.new_path(path)) != oid:
                v.problems.append(f"{path} changed at {old_tip[:10]} though it had no findings")
