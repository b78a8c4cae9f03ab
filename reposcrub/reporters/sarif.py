"""SARIF 2.1.0 that GitHub code scanning accepts.

Working-tree and history findings go in separate runs with their own category:
GitHub rejects two runs of one tool and category in a file. Above 25,000 results a
run is aggregated (one result per rule and path) and says so.
"""
from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Sequence
from typing import Any, TextIO

import attr
import sarif_om as om

from reposcrub import __version__
from reposcrub.model import Finding, Rule, ScanResult, Severity
from reposcrub.reporters.mask import for_display

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
MAX_RESULTS = 25_000
FINGERPRINT_KEY = "reposcrubFingerprint/v1"
_SECURITY_SEVERITY = {
    Severity.CRITICAL: "9.5", Severity.HIGH: "8.0", Severity.MEDIUM: "5.5", Severity.LOW: "3.0", Severity.INFO: "1.0",
}
_LEVEL = {
    Severity.CRITICAL: "error", Severity.HIGH: "error", Severity.MEDIUM: "warning", Severity.LOW: "note", Severity.INFO: "note",
}
_CATEGORY_TEXT = {
    "secret": "a credential", "host": "an internal host or address", "ident": "an organisation identifier",
    "pii": "personal data", "marker": "a confidentiality marker", "file": "a risky file", "meta": "git metadata",
}


def is_history(f: Finding) -> bool:
    return f.commit is not None or f.location != "file"


def _to_json(obj: Any) -> Any:
    """sarif_om objects -> plain JSON, dropping unset fields and using schema names."""
    if attr.has(type(obj)):
        out = {}
        for field in attr.fields(type(obj)):
            value = getattr(obj, field.name)
            if value is None or (field.default is not attr.NOTHING and value == field.default and field.name != "results"):
                continue
            out[field.metadata["schema_property_name"]] = _to_json(value)
        return out
    if isinstance(obj, dict):
        return {k: _to_json(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [_to_json(v) for v in obj]
    return obj


def _descriptor(rule: Rule) -> om.ReportingDescriptor:
    what = _CATEGORY_TEXT.get(rule.category, rule.category)
    help_text = (
        f"{rule.description} Remove it or replace it before the repository leaves the organisation "
        f"(`reposcrub scrub` does this through the whole history). If this is a false positive, add "
        f"`reposcrub: allow {rule.id}` in a comment on the line, or accept it with `reposcrub baseline`."
    )
    return om.ReportingDescriptor(
        id=rule.id,
        name="".join(part.capitalize() for part in rule.id.replace("/", "-").replace(".", "-").split("-")),
        short_description=om.MultiformatMessageString(text=rule.name),
        full_description=om.MultiformatMessageString(text=f"{rule.name}: {what}. {rule.description}"),
        help=om.MultiformatMessageString(text=help_text, markdown=f"**{rule.name}**\n\n{help_text}"),
        default_configuration=om.ReportingConfiguration(level=_LEVEL[rule.severity]),
        properties={
            "tags": list(dict.fromkeys(["security", rule.category, *rule.tags])),
            "security-severity": _SECURITY_SEVERITY[rule.severity],
            "precision": "high" if rule.category != "secret" or rule.keywords else "medium",
            "problem.severity": "error" if rule.severity >= Severity.HIGH else "warning",
        },
    )


def _message(f: Finding, count: int) -> str:
    where = "" if f.location == "file" else f" in the {f.location}"
    if f.part:
        where = f" in {f.part}, line {f.line}"
    text = f"{f.rule_id}{where}: {f.preview}" if f.preview else f"{f.rule_id}{where}"
    if f.note:
        text += f" ({f.note})"
    if f.commit:
        text += f" — introduced in commit {f.commit}"
        if f.commit_count > 1:
            text += f", present in {f.commit_count} commits"
    if count > 1:
        text += f" ({count} occurrences of this rule in this file, aggregated)"
    return text


def _result(f: Finding, rule_index: int, count: int = 1) -> om.Result:
    region = om.Region(start_line=f.line, start_column=f.column, end_line=f.end_line, end_column=f.end_column)
    if f.end_line == f.line and f.end_column <= f.column:
        region = om.Region(start_line=f.line)
    physical = om.PhysicalLocation(
        artifact_location=om.ArtifactLocation(uri=_uri(_artifact_path(f)), uri_base_id="%SRCROOT%"), region=region
    )
    if f.part:  # inside a document: the file is the artifact; the part and its line go in the message
        physical = om.PhysicalLocation(artifact_location=om.ArtifactLocation(uri=_uri(f.container), uri_base_id="%SRCROOT%"))
    props: dict[str, object] = {"category": f.category, "severity": f.severity.label, "context": f.context, "location": f.location}
    props.update({"part": f.part} if f.part else {})
    props.update({k: v for k, v in (("commit", f.commit), ("commitCount", f.commit_count or None), ("ref", f.ref)) if v})
    return om.Result(
        rule_id=f.rule_id,
        rule_index=rule_index,
        level=_LEVEL[f.severity],
        message=om.Message(text=_message(f, count)),
        locations=[om.Location(physical_location=physical)],
        partial_fingerprints={FINGERPRINT_KEY: f.fingerprint},
        properties=props,
    )


def _artifact_path(f: Finding) -> str:
    """Files and file paths sit at their path; other git metadata under a .git/ pseudo-path
    naming what it is (.git/message/<commit>, .git/ref/refs/heads/x), since code scanning
    needs a physical location for every result."""
    if f.location in ("file", "path"):
        return f.path
    return f".git/{f.location}/{f.path}"


def _uri(path: str) -> str:
    from urllib.parse import quote

    # Paths that are not UTF-8 are kept as surrogates: percent-encode their raw bytes.
    return quote(path.lstrip("/").encode("utf-8", "surrogateescape"), safe="/")


def _aggregate(findings: Sequence[Finding], limit: int) -> tuple[list[tuple[Finding, int]], str | None]:
    if len(findings) <= limit:
        return [(f, 1) for f in findings], None
    groups: dict[tuple[str, str], list[Finding]] = defaultdict(list)
    for f in findings:
        groups[(f.rule_id, f.path)].append(f)
    merged = [(fs[0], len(fs)) for fs in groups.values()]
    note = f"{len(findings)} results exceed the limit of {limit} per run: aggregated to one result per rule and file"
    if len(merged) > limit:
        merged.sort(key=lambda item: (-item[0].severity, item[0].sort_key()))
        note += f", and only the {limit} most severe are listed of {len(merged)}"
        merged = merged[:limit]
    return merged, note


class SarifReporter:
    def __init__(self, max_results: int = MAX_RESULTS) -> None:
        self.max_results = max_results

    def write(self, result: ScanResult, stream: TextIO) -> None:
        result = for_display(result)  # a secret in a file name is masked in every path
        tree = [f for f in result.findings if not is_history(f)]
        history = [f for f in result.findings if is_history(f)]
        runs = [self._run(result, tree, "tree")]
        if history or result.revision:
            # A range's alerts must not mark full-history alerts fixed: its own category.
            runs.append(self._run(result, history, "history-range" if result.ranged else "history"))
        log = om.SarifLog(version="2.1.0", schema_uri=SCHEMA_URI, runs=runs)
        json.dump(_to_json(log), stream, indent=2, ensure_ascii=False)
        stream.write("\n")

    def _run(self, result: ScanResult, findings: list[Finding], scope: str) -> om.Run:
        index = {r.id: n for n, r in enumerate(result.rules)}
        driver = om.ToolComponent(
            name="reposcrub",
            semantic_version=__version__,
            version=__version__,
            information_uri="https://pypi.org/project/reposcrub/",
            rules=[_descriptor(r) for r in result.rules],
        )
        entries, note = _aggregate(findings, self.max_results)
        invocation = om.Invocation(execution_successful=True)
        if note:
            invocation.tool_execution_notifications = [om.Notification(message=om.Message(text=note), level="warning")]
        run = om.Run(
            tool=om.Tool(driver=driver),
            automation_details=om.RunAutomationDetails(id=f"reposcrub/{scope}/"),
            results=[_result(f, index.get(f.rule_id, -1), count) for f, count in entries],
            invocations=[invocation],
            column_kind="unicodeCodePoints",
            properties={"aggregated": bool(note), "resultCount": len(findings)},
        )
        if scope.startswith("history") and result.revision:
            run.version_control_provenance = [
                om.VersionControlDetails(
                    repository_uri=result.repository_uri or "file:///",
                    revision_id=result.revision,
                    branch=result.branch,
                )
            ]
        return run
