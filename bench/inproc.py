"""Run one reposcrub command in this process with timers around its phases.

Used as a child process by ``bench/scan_history.py`` and ``bench/scrub.py``; nothing in
reposcrub is edited: functions are wrapped (monkeypatched) here before the CLI runs.

    python bench/inproc.py --json PHASES.json scan REPO --format json -o OUT --jobs 1
    python bench/inproc.py --json PHASES.json scrub REPO --out DIR --profile P [--no-verify]

Everything after ``--json FILE`` is passed to ``reposcrub`` unchanged. The JSON written
holds the wall time, seconds and call counts per phase, the exit code and, for scrub,
the plan and verification counts.

Scan phases (meaningful with ``--jobs 1``: with worker processes the detectors run in
the workers, out of sight of these timers): time spent *inside* each generator's
``next()`` is charged to that generator, so the git readers and the detectors do not
count each other's time. "tree-sitter" is ``parse_context`` (parse plus queries),
nested inside "syntax annotate".

Scrub phases: the input scan, the plan, the rewrite (git-filter-repo with reposcrub's
callbacks), writing the new repository, verification and its parts, the reports.
Whatever is left (mirror clone, profile, start-up) is "other".
"""
from __future__ import annotations

import functools
import json
import sys
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

SECONDS: dict[str, float] = defaultdict(float)
CALLS: dict[str, int] = defaultdict(int)
RESULT: dict[str, Any] = {}


def _timed(name: str | Callable[[], str], fn: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        label = name() if callable(name) else name
        started = time.perf_counter()
        try:
            return fn(*args, **kwargs)
        finally:
            SECONDS[label] += time.perf_counter() - started
            CALLS[label] += 1

    return wrapper


def _timed_gen(name: str, fn: Callable[..., Iterator[Any]]) -> Callable[..., Iterator[Any]]:
    """Charge to name only the time spent inside the generator, not in its consumer."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Iterator[Any]:
        CALLS[name] += 1
        started = time.perf_counter()
        it = iter(fn(*args, **kwargs))
        SECONDS[name] += time.perf_counter() - started
        while True:
            started = time.perf_counter()
            try:
                item = next(it)
            except StopIteration:
                SECONDS[name] += time.perf_counter() - started
                return
            SECONDS[name] += time.perf_counter() - started
            yield item

    return wrapper


MISSING: list[str] = []


def _patch(owner: Any, attr: str, label: str | Callable[[], str], generator: bool = False) -> None:
    """Wrap owner.attr with a timer; reposcrub changes, so a missing name is noted, not fatal."""
    fn = getattr(owner, attr, None)
    if fn is None:
        MISSING.append(f"{getattr(owner, '__name__', owner)}.{attr}")
        return
    if generator:
        assert isinstance(label, str)
        setattr(owner, attr, _timed_gen(label, fn))
    else:
        setattr(owner, attr, _timed(label, fn))


def patch_scan() -> None:
    from reposcrub import pipeline, scan, syntax
    from reposcrub.detectors import prefilter
    from reposcrub.detectors.identifiers import IdentifierDetector
    from reposcrub.detectors.rules import RuleDetector
    from reposcrub.detectors.skipped import SkippedDetector
    from reposcrub.parse import treesitter
    from reposcrub.reporters.json import JsonReporter
    from reposcrub.sources import gitwalk, history, worktree

    _patch(gitwalk, "walk", "history walk (git log --raw)")
    _patch(gitwalk, "commits_metadata", "commit metadata (git log)", generator=True)
    _patch(gitwalk, "identities", "identities (git log)")
    _patch(history, "read_objects", "object read (cat-file)", generator=True)
    _patch(worktree.WorktreeSource, "blobs", "work tree read", generator=True)
    _patch(RuleDetector, "detect", "detector: rules", generator=True)
    _patch(IdentifierDetector, "detect", "detector: identifiers", generator=True)
    _patch(SkippedDetector, "detect", "detector: skipped", generator=True)
    _patch(syntax.SyntaxContext, "annotate", "syntax annotate (tree-sitter context)")
    _patch(treesitter, "parse_context", "  of which tree-sitter parse_context")
    _patch(prefilter.KeywordPrefilter, "_matched_slowly", "  of which prefilter before hyperscan")
    _patch(scan, "changed_part", "changed part of a later version (delta.py)")
    _patch(scan, "drop_overlaps", "drop_overlaps")
    _patch(scan, "drop_inline_allowed", "inline allow filter", generator=True)
    _patch(JsonReporter, "write", "report (json)")
    _patch(pipeline, "with_identity_people", "identity people")


_IN_VERIFY = [False]


def patch_scrub() -> None:
    from reposcrub import scan
    from reposcrub.scrub import clean, materialize, report, rewrite, run

    def scan_label() -> str:
        return "verify: re-scan the copy" if _IN_VERIFY[0] else "scan input"

    _patch(run, "scan_target", scan_label)
    _patch(run, "with_identity_people", "identity people")
    _patch(run, "build_plan", "plan (clean every blob with findings)")
    _patch(scan.Engine, "parse_errors", "syntax-regression check")
    _patch(clean.Cleaner, "clean", "cleaner (Cleaner.clean)")
    _patch(run, "rewrite", "rewrite (git-filter-repo + callbacks)")
    _patch(rewrite._Callbacks, "message", "  rewrite: message callback")
    _patch(rewrite._Callbacks, "file_info", "  rewrite: file_info callback")
    _patch(rewrite._Callbacks, "commit", "  rewrite: commit callback")
    _patch(rewrite._Callbacks, "refname", "  rewrite: refname callback")
    _patch(materialize, "write_repository", "write repository (fetch, checkout, gc)")
    _patch(run, "unreachable_objects", "  verify: fsck unreachable")
    _patch(run, "check_structure", "  verify: check structure")
    _patch(run, "sweep_repository", "  verify: literal sweep of a fresh clone")
    _patch(run.TreeCheck, "run", "  verify: files at every ref tip, parse check")
    _patch(run, "rebuild_notes", "notes")
    _patch(run, "lost_signatures", "signatures read")
    _patch(report, "write_reports", "reports")
    verify_fn = run._verify

    def verify_wrapper(*args: Any, **kwargs: Any) -> Any:
        _IN_VERIFY[0] = True
        try:
            return verify_fn(*args, **kwargs)
        finally:
            _IN_VERIFY[0] = False

    run._verify = _timed("verify (total)", verify_wrapper)
    scrub_fn = run.scrub

    def scrub_wrapper(*args: Any, **kwargs: Any) -> Any:
        result = scrub_fn(*args, **kwargs)
        RESULT.update(_scrub_summary(result))
        return result

    run.scrub = scrub_wrapper


def _scrub_summary(result: Any) -> dict[str, Any]:
    plan, v = result.plan, result.verification
    by_category: dict[str, int] = defaultdict(int)
    for f in plan.replaced:
        by_category[f.category] += 1
    return {
        "input_findings": len(result.scan.findings),
        "replaced": len(plan.replaced),
        "replaced_distinct_values": len({(f.rule_id, bytes(f.value)) for f in plan.replaced}),
        "replaced_by_category": dict(sorted(by_category.items())),
        "blobs_rewritten": len(plan.blobs),
        "paths_renamed": len(plan.paths),
        "secret_files": len(plan.secret_files),
        "plan_leftover": len(plan.leftover),
        "broken_syntax": len(plan.broken_syntax),
        "verification": None if v is None else {
            "ok": v.ok, "leftover": len(v.leftover), "review": len(v.review), "problems": v.problems[:20],
            "problem_count": len(v.problems),
            "leftover_sample": [{"rule_id": f.rule_id, "category": f.category, "location": f.location, "path": f.path,
                                 "line": f.line, "commit": f.commit, "preview": f.preview} for f in v.leftover[:40]],
            "leftover_by_rule": _count(f.rule_id for f in v.leftover),
            "leftover_by_location": _count(f.location for f in v.leftover),
            "sweep": None if v.sweep is None else {
                "leaks": v.sweep.leak_count, "examples": v.sweep.leaks[:10], "inside": dict(v.sweep.inside.most_common(10)),
                "objects": v.sweep.objects, "terms": v.sweep.terms},
            "evidence": v.evidence,
        },
    }


def _count(items: Any) -> dict[str, int]:
    out: dict[str, int] = defaultdict(int)
    for item in items:
        out[item] += 1
    return dict(sorted(out.items(), key=lambda kv: -kv[1]))


def main(argv: list[str]) -> None:
    if len(argv) < 3 or argv[0] != "--json" or argv[2] not in ("scan", "scrub"):
        sys.exit("usage: inproc.py --json OUT.json {scan|scrub} ARGS...")
    out, args = Path(argv[1]), argv[2:]
    from reposcrub import cli

    patch_scan()
    if args[0] == "scrub":
        patch_scrub()
    started = time.perf_counter()
    code: int | str | None = 0
    try:
        cli.main(args)
    except SystemExit as exc:
        code = exc.code
    total = time.perf_counter() - started
    doc = {"argv": args, "exit": code, "total": total, "seconds": dict(SECONDS), "calls": dict(CALLS), "result": RESULT,
           "not_timed": MISSING}
    out.write_text(json.dumps(doc, indent=1, default=str) + "\n", encoding="utf-8")
    sys.exit(code if isinstance(code, int) else 3)


if __name__ == "__main__":
    main(sys.argv[1:])
