"""The scrub report: what was replaced, by category and location; never the values."""
from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

from reposcrub.model import Finding, ScanResult
from reposcrub.reporters.json import finding_dict
from reposcrub.reporters.mask import SecretMask, for_display, masked_finding
from reposcrub.reporters.sarif import SarifReporter
from reposcrub.scrub.run import ScrubResult
from reposcrub.scrub.verify import Verification
from reposcrub.targets import strip_credentials


def next_steps(result: ScrubResult) -> list[str]:
    """What reposcrub cannot do for anyone who already pushed or shared the original."""
    secrets = Counter(f.rule_id for f in result.scan.findings if f.category == "secret")
    steps = [
        "Rotate or revoke every credential that was found, even though the copy no longer holds it: "
        + (", ".join(f"{rule} ({n})" for rule, n in sorted(secrets.items())) if secrets else "none were found") + ".",
        "If the original was ever pushed: forks, clones and mirrors made from it keep the old history; ask for them to be deleted.",
        "Forges keep pull-request refs (refs/pull/*, refs/merge-requests/*) and cached views of old commits; "
        "ask the host's support to purge them and run garbage collection.",
        "CI caches, build artifacts, package registries and backups made from the original still hold its content.",
    ]
    return steps


_LOCATION_KEYS = ("rule_id", "category", "location", "path", "line", "commit", "fingerprint")


def display_mask(result: ScrubResult) -> SecretMask:
    """Every secret the scrub saw, to hide wherever its reports print a path, note or problem."""
    v = result.verification
    return SecretMask.of([*result.scan.findings, *(v.leftover if v is not None else ())])


def report_dict(result: ScrubResult, target: str) -> dict[str, Any]:
    plan = result.plan
    replaced = plan.replaced
    v = result.verification
    mask = display_mask(result)

    def shown(f: Finding) -> dict[str, Any]:
        return finding_dict(masked_finding(f, mask))

    return {
        "schema_version": 1,
        "input": mask(strip_credentials(target)),
        "output": str(result.out),
        "commit_map": str(result.commit_map) if result.commit_map else None,
        "replaced": {
            "total": len(replaced),
            "by_category": dict(sorted(Counter(f.category for f in replaced).items())),
            "by_rule": dict(sorted(Counter(f.rule_id for f in replaced).items())),
        },
        "renamed_paths": len(plan.paths),
        "removed_files": sorted(mask(p) for p in plan.secret_files),
        "review": [shown(f) for f in plan.review],
        "locations": [{k: row[k] for k in _LOCATION_KEYS} for row in map(shown, replaced)],
        "verification": None if v is None else {
            "ok": v.ok,
            "leftover": [shown(f) for f in v.leftover],
            "problems": [mask(p) for p in v.problems],
            "review": [shown(f) for f in v.review],
            **_sweep_dict(v, mask),
        },
        "notes": [mask(n) for n in result.notes],
        "next_steps": next_steps(result),
    }


def _sweep_dict(v: Verification, mask: SecretMask) -> dict[str, Any]:
    sweep = v.sweep
    return {
        "evidence": [mask(e) for e in v.evidence],
        "leaks": None if sweep is None else {"count": sweep.leak_count,
                                             "examples": [{"term": mask(t), "where": mask(w)} for t, w in sweep.leaks]},
        "inside_longer_words": {} if sweep is None else dict(sweep.inside.most_common()),
        "accepted_words": {} if sweep is None else dict(sweep.accepted.most_common()),
        "ambiguous_kept": {} if sweep is None else dict(sweep.ordinary.most_common()),
        "people_inside_other_words": {} if sweep is None else dict(sweep.chance.most_common()),
        "commands": [{"where": c.where, "exit_code": c.exit_code} for c in v.commands],
    }


def _words(counts: Counter[str], limit: int = 8) -> str:
    shown = ", ".join(f"{w} ×{n}" for w, n in counts.most_common(limit))
    return shown + (f" and {len(counts) - limit} more" if len(counts) > limit else "")


def verdict_lines(v: Verification, mask: SecretMask) -> list[str]:
    """The verdict with its evidence: what failed and where, what was kept and why."""
    lines = []
    sweep = v.sweep
    if sweep is not None:
        for term, where in sweep.leaks:
            lines.append(f"leak: {mask(term)} in {mask(where)}")
        if sweep.leak_count > len(sweep.leaks):
            lines.append(f"leak: … {sweep.leak_count - len(sweep.leaks)} more")
        if sweep.inside:
            lines.append(f"inside longer words (not the name at a word boundary, so not replaced; list ordinary words "
                         f"in [scrub] keep_words): {mask(_words(sweep.inside))}")
        if sweep.accepted:
            lines.append(f"kept inside longer words (accepted by [scrub] keep_words): {mask(_words(sweep.accepted))}")
        if sweep.ordinary:
            lines.append(f"kept as ordinary words (names marked ambiguous): {mask(_words(sweep.ordinary))}")
        if sweep.chance:
            lines.append(f"people's names or handles inside other words, kept: {mask(_words(sweep.chance))}")
    for c in v.commands:
        lines.append(f"verify-cmd on the {c.where}: exit {c.exit_code}" + (f": {mask(c.tail.splitlines()[-1])}" if c.tail else ""))
    lines += [f"evidence: {mask(e)}" for e in v.evidence]
    return lines


def write_reports(result: ScrubResult, target: str) -> tuple[Path, Path]:
    """<out>.scrub-report.json and .sarif, beside the copy, outside it."""
    json_path = result.out.parent / f"{result.out.name}.scrub-report.json"
    sarif_path = result.out.parent / f"{result.out.name}.scrub-report.sarif"
    json_path.write_text(json.dumps(report_dict(result, target), indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    replaced = ScanResult(target=strip_credentials(target), findings=tuple(result.plan.replaced),
                          rules=result.scan.rules, revision=result.scan.revision,
                          repository_uri=result.scan.repository_uri)
    with sarif_path.open("w", encoding="utf-8") as stream:
        SarifReporter().write(for_display(replaced, display_mask(result)), stream)
    return json_path, sarif_path
