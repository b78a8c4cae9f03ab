"""Findings -> a plan: new content per blob, new path per path, removed secret files,
and the cleaner that rewrites messages, identities and ref names as they stream by."""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from reposcrub.catfile import read_all_objects, read_objects
from reposcrub.decode.strings import is_binary
from reposcrub.detectors.prefilter import KeywordPrefilter
from reposcrub.model import Finding, Provenance, Rule, ScanResult
from reposcrub.scrub.clean import Cleaner, replaceable

SECRET_FILE_TAG = "secret-file"  # rules tagged so name files that are removed or stubbed whole
STUB = b"# removed by reposcrub: this file held credentials\n"


@dataclass
class Plan:
    cleaner: Cleaner
    blobs: dict[str, bytes] = field(default_factory=dict)  # oid -> new content
    paths: dict[str, str] = field(default_factory=dict)  # old path -> new path
    secret_files: set[str] = field(default_factory=set)  # paths removed or stubbed
    secret_blobs: set[str] = field(default_factory=set)
    stub: bool = False
    replaced: list[Finding] = field(default_factory=list)
    leftover: list[Finding] = field(default_factory=list)
    review: list[Finding] = field(default_factory=list)  # reported, not changed (documents, too large)
    broken_syntax: list[str] = field(default_factory=list)  # paths that parsed before and not after
    literal_blobs: int = 0  # blobs changed only because a known secret's value was in them
    refusals: list[str] = field(default_factory=list)  # documents scrub could not clean: never certified

    def new_path(self, path: str) -> str:
        """The path's new name: planned from its findings, else the same. A name inside a
        longer word is not a finding (importlib/metadata stays for the org "Meta")."""
        return self.paths.get(path, path)


def secret_file_rules(rules: Iterable[Rule]) -> set[str]:
    return {r.id for r in rules if SECRET_FILE_TAG in r.tags}


def build_plan(result: ScanResult, cleaner: Cleaner, repo: Path | None, stub: bool) -> Plan:
    """Decide every change from a scan of the input (repo: where to read blobs)."""
    plan = Plan(cleaner=cleaner, stub=stub)
    removing = secret_file_rules(result.rules)
    for f in result.findings:
        if f.category == "file" and f.rule_id in removing and f.location == "file":
            plan.secret_files.add(f.path)
            if f.oid:
                plan.secret_blobs.add(f.oid)
        elif f.category == "file":
            plan.review.append(f)
    _plan_blobs(plan, result.findings, cleaner, repo)
    if repo is not None:
        _sweep(plan, cleaner, repo)
    _plan_paths(plan, result.findings, cleaner)
    return plan


def _sweep(plan: Plan, cleaner: Cleaner, repo: Path) -> None:
    """A secret found once is removed everywhere it occurs, in any of its encodings, even
    in blobs where no rule fired: one more pass over every object, prefiltered."""
    keywords = [f.decode("ascii") for f in cleaner.replacer.literals if f.isascii()]
    if not keywords:
        return
    prefilter = KeywordPrefilter([[k] for k in keywords])
    for obj in read_all_objects(repo, max_size=1 << 62):
        if obj.kind != "blob" or obj.oid in plan.blobs or obj.oid in plan.secret_blobs:
            continue
        if not prefilter.candidates(obj.data):
            continue
        if is_binary(obj.data) or cleaner.engine.decoding.formats.for_blob("", obj.data) is not None:
            # A known value inside a binary or a document: never replaced in place (scrub/documents.py).
            plan.secret_blobs.add(obj.oid)
            continue
        cleaned = cleaner.replace_literals(obj.data)
        if cleaned != obj.data:
            plan.blobs[obj.oid] = cleaned
            plan.literal_blobs += 1


def _plan_blobs(plan: Plan, findings: Iterable[Finding], cleaner: Cleaner, repo: Path | None) -> None:
    first_path: dict[str, str] = {}
    known: dict[str, list[Finding]] = {}  # the scan's findings per blob: the cleaner's first round
    for f in findings:
        if f.location == "file" and f.oid and replaceable(f, cleaner.threshold) and f.oid not in plan.secret_blobs:
            first_path.setdefault(f.oid, f.container)  # a finding inside a document: the document
            known.setdefault(f.oid, []).append(f)
    if not first_path or repo is None:
        return
    for obj in read_objects(repo, sorted(first_path), max_size=1 << 62):
        if obj.kind != "blob":
            continue
        cleaned = cleaner.clean(obj.data, Provenance(path=first_path[obj.oid]), known=known[obj.oid])
        if cleaned.removed:  # a binary or an editor's copy: removed, never edited in place
            plan.secret_blobs.add(obj.oid)
            plan.secret_files.add(first_path[obj.oid])
        if cleaned.refused:
            plan.refusals.append(cleaned.refused)
        plan.replaced.extend(cleaned.replaced)
        plan.leftover.extend(cleaned.leftover)
        if cleaned.broke_syntax:
            plan.broken_syntax.append(first_path[obj.oid])
        if cleaned.data != obj.data:
            plan.blobs[obj.oid] = cleaned.data


def _plan_paths(plan: Plan, findings: Iterable[Finding], cleaner: Cleaner) -> None:
    for path in sorted({f.path for f in findings if f.location == "path"}):
        cleaned = cleaner.clean(path.encode("utf-8", "surrogateescape"), Provenance(path=path, location="path"))
        new = cleaned.data.decode("utf-8", "surrogateescape")
        if new != path:
            plan.paths[path] = new
            plan.replaced.extend(cleaned.replaced)
