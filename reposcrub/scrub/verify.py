"""Prove the copy: a literal sweep (sweep.py), the same files at every ref tip under the
rename map, every changed file still parsing, the same commit graph, nothing unreachable."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from reposcrub import git
from reposcrub.catfile import read_objects
from reposcrub.model import Finding, Severity
from reposcrub.scan import Engine
from reposcrub.scrub.plan import Plan
from reposcrub.scrub.sweep import SweepResult
from reposcrub.sources import gitwalk


@dataclass(frozen=True, slots=True)
class CommandRun:
    where: str  # "input" or "copy"
    exit_code: int
    tail: str  # the last lines of its output


@dataclass
class Verification:
    leftover: list[Finding] = field(default_factory=list)
    review: list[Finding] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    sweep: SweepResult | None = None
    evidence: list[str] = field(default_factory=list)
    commands: list[CommandRun] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        swept_clean = self.sweep is None or (not self.sweep.leak_count and not self.sweep.inside)
        return not self.leftover and not self.problems and swept_clean


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
    # Notes commits are rebuilt (notes.py), not rewritten one for one: left out here.
    out = git.run(["log", "--exclude=refs/notes/*", "--all", "--format=%H %P%x00%at %ct %ad"], cwd=repo, check=False).decode()
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
        mapped = commit_map.get(commit, commit)
        if mapped not in new:
            v.problems.append(f"commit {commit[:10]} has no rewritten counterpart")
            continue
        new_parents, new_dates = new[mapped]
        if [commit_map.get(p, p) for p in parents] != new_parents or dates != new_dates:
            v.problems.append(f"commit {commit[:10]} changed its parents or dates")
    v.evidence.append(f"{len(old)} commits with the same parents and dates")


def _tree(repo: Path, ref: str) -> dict[str, str]:
    out = git.run(["ls-tree", "-r", "-z", "--full-tree", f"{ref}^{{tree}}"], cwd=repo, check=False)
    entries = {}
    for item in out.split(b"\0"):
        if b"\t" in item:
            meta, path = item.split(b"\t", 1)
            entries[path.decode("utf-8", "surrogateescape")] = meta.split()[2].decode()
    return entries


class TreeCheck:
    """At every ref tip, the copy's files are the input's under the rename map: none added,
    none lost (but removed secret files), untouched files byte for byte the same, and
    every changed file that parsed before parses after."""

    def __init__(self, before: Path, after: Path, plan: Plan, engine: Engine) -> None:
        self.before, self.after, self.plan, self.engine = before, after, plan, engine
        self._pairs: dict[tuple[str, str], str] = {}  # (old oid, new oid) -> path, to parse
        self.files = 0

    def run(self, ref_map: dict[str, str], v: Verification, only: str | None = None) -> None:
        """Compare every ref's tip (only: just that ref, as a snapshot keeps only HEAD)."""
        after_refs = {name: oid for name, _, oid in gitwalk.refs(self.after)}
        tips: dict[tuple[str, str], str] = {}
        for name, kind, oid in gitwalk.refs(self.before):
            new_name = ref_map.get(name, name)
            if name.startswith("refs/notes/") or (only is not None and name != only):
                continue  # notes trees are named by commit ids: notes.py maps them
            if new_name not in after_refs:
                v.problems.append(f"ref {name} is missing from the copy")
                continue
            tips.setdefault((oid, after_refs[new_name]), name)
        for (old, new), name in tips.items():
            self._compare(old, new, name, v)
        self._parse_changed(v)
        v.evidence.append(f"files equal under the rename map at {len(tips)} ref tips ({self.files} files), "
                          f"{len(self._pairs)} changed files parsed before and after")

    def _compare(self, old: str, new: str, name: str, v: Verification) -> None:
        old_tree, new_tree = _tree(self.before, old), _tree(self.after, new)
        plan, stub = self.plan, self.plan.stub
        expected = {}
        for path, oid in old_tree.items():
            removed = path in plan.secret_files or oid in plan.secret_blobs
            if not removed or stub:
                expected[plan.new_path(path)] = (path, oid, removed)
        self.files += len(new_tree)
        for path in sorted(set(new_tree) - set(expected))[:20]:
            v.problems.append(f"{path} is in the copy at {name} but not in the input")
        for path in sorted(set(expected) - set(new_tree))[:20]:
            v.problems.append(f"{expected[path][0]} is in the input at {name} but not in the copy")
        for new_path, (path, oid, removed) in expected.items():
            new_oid = new_tree.get(new_path)
            if new_oid is None or removed:
                continue
            if oid not in plan.blobs and new_oid != oid:
                v.problems.append(f"{path} changed at {name} though it had no findings")
            elif new_oid != oid:
                self._pairs.setdefault((oid, new_oid), new_path)

    def _parse_changed(self, v: Verification) -> None:
        """Streamed: each version is read once and only its parse outcome kept."""
        old_paths = {old: path for (old, _), path in self._pairs.items()}
        parsed = {obj.oid: self.engine.parse_errors(obj.data, old_paths[obj.oid])
                  for obj in read_objects(self.before, sorted(old_paths), 1 << 62)}
        clean_before = {new: path for (old, new), path in self._pairs.items() if parsed.get(old) is False}
        for obj in read_objects(self.after, sorted(clean_before), 1 << 62):
            if self.engine.parse_errors(obj.data, clean_before[obj.oid]):
                v.problems.append(f"{clean_before[obj.oid]} parsed without errors before scrubbing and not after")
