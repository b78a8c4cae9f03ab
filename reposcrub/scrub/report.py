"""The scrub report: what was replaced, by category and location; never the values."""
from __future__ import annotations

import io
import json
from collections import Counter
from pathlib import Path
from typing import Any

from reposcrub.model import Finding, ScanResult
from reposcrub.reporters.json import finding_dict
from reposcrub.reporters.mask import SecretMask, for_display, masked_finding
from reposcrub.reporters.sarif import SarifReporter
from reposcrub.scrub.outdir import write_beside
from reposcrub.scrub.run import ScrubResult
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
        },
        "notes": [mask(n) for n in result.notes],
        "next_steps": next_steps(result),
    }


def write_reports(result: ScrubResult, target: str) -> tuple[Path, Path]:
    """<out>.scrub-report.json and .sarif, beside the copy, outside it."""
    json_path = result.out.parent / f"{result.out.name}.scrub-report.json"
    sarif_path = result.out.parent / f"{result.out.name}.scrub-report.sarif"
    write_beside(json_path, json.dumps(report_dict(result, target), indent=2, ensure_ascii=False) + "\n")
    replaced = ScanResult(target=strip_credentials(target), findings=tuple(result.plan.replaced),
                          rules=result.scan.rules, revision=result.scan.revision,
                          repository_uri=result.scan.repository_uri)
    stream = io.StringIO()
    SarifReporter().write(for_display(replaced, display_mask(result)), stream)
    write_beside(sarif_path, stream.getvalue())  # never through a link planted at the name
    return json_path, sarif_path
