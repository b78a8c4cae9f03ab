"""SARIF 2.1.0 that GitHub code scanning shows usefully.

- The tree run (``reposcrub/tree/``) holds results at real locations in the analysed tree:
  one per occurrence, with its line; a value also committed earlier says where it came in.
- The history run (``reposcrub/history/``) holds what only the history still has: one result
  per value (per file for whole-file findings), at the path where it was committed and
  without a line (the line would point into today's version of the file), with the commit,
  path and line in its message, other places in ``relatedLocations`` and counts in
  ``properties``.
- Git metadata (messages, identities, ref names) has no file to point at: it is counted and
  its most severe items named in the history run's notification, never placed at a
  made-up path. The JSON and HTML reports list it.
- Each run names only the rules it has results for, and stays within code scanning's
  5,000 results shown per run: beyond that, a run groups occurrences per value, then keeps
  the most important, and says what it grouped or left out.
"""
from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any, TextIO
from urllib.parse import quote

import sarif_om as om

from reposcrub import __version__
from reposcrub.model import ScanResult
from reposcrub.reporters.group import Group
from reposcrub.reporters.render import Report, Shown, as_report
from reposcrub.reporters.sarif_rules import LEVEL, descriptor, to_json, unknown_descriptor

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
MAX_RESULTS = 5_000  # code scanning shows at most this many per run (and accepts 25,000)
MAX_RELATED = 100  # code scanning shows 100 locations per result
FINGERPRINT_KEY = "reposcrubFingerprint/v1"
_IN_TREE = ("file", "path")


def is_history(f: Shown) -> bool:
    return f.commit is not None or f.location not in _IN_TREE


class SarifReporter:
    def __init__(self, max_results: int = MAX_RESULTS) -> None:
        self.max_results = max_results

    def write(self, report: Report | ScanResult, stream: TextIO) -> None:
        report = as_report(report)
        groups = {g.key: g for g in report.groups}
        rank = {g.key: n for n, g in enumerate(report.groups)}
        tree = [f for f in report.findings if not is_history(f)]
        runs = [self._tree_run(report, tree, groups, rank)]
        history = [g for g in report.groups if not g.in_tree]
        if history or report.revision:
            runs.append(self._history_run(report, history))
        log = om.SarifLog(version="2.1.0", schema_uri=SCHEMA_URI, runs=runs)
        json.dump(to_json(log), stream, indent=2, ensure_ascii=False)
        stream.write("\n")

    def _tree_run(self, report: Report, tree: list[Shown], groups: dict[str, Group], rank: dict[str, int]) -> om.Run:
        notes: list[str] = []
        if len(tree) <= self.max_results:
            entries = [(f, groups[f.group], [f]) for f in tree]
        else:
            by_group: dict[str, list[Shown]] = {}
            for f in tree:
                by_group.setdefault(f.group, []).append(f)
            entries = [(fs[0], groups[key], fs) for key, fs in by_group.items()]
            notes.append(f"{len(tree)} results exceed the {self.max_results} code scanning shows per run: "
                         f"grouped to one result per value ({len(entries)}), its other places as related locations")
        entries.sort(key=lambda e: rank[e[1].key])
        entries, dropped = entries[: self.max_results], len(entries) - self.max_results
        if dropped > 0:
            notes.append(f"{dropped} less severe results left out to stay within {self.max_results}; "
                         "the JSON and HTML reports list them")
        results = [(f, g, _tree_result(report, f, g, same)) for f, g, same in entries]
        return _run(report, "tree", results, notes, len(tree))

    def _history_run(self, report: Report, history: list[Group]) -> om.Run:
        placed: list[Group] = []
        metadata: list[Group] = []
        for g in history:
            in_file = any(report.findings[i].location in _IN_TREE for i in g.members)
            (placed if in_file else metadata).append(g)
        notes = []
        if placed:
            notes.append(f"{sum(g.occurrences for g in placed)} findings only in the history, grouped to one result "
                         f"per value ({len(placed)}), at the path where each was committed")
        if len(placed) > self.max_results:
            notes.append(f"{len(placed) - self.max_results} less severe values left out to stay within "
                         f"{self.max_results}; the JSON and HTML reports list them")
            placed = placed[: self.max_results]  # groups come ranked
        if metadata:
            notes.append(_metadata_note(report, metadata))
        results = [(report.findings[g.first], g, _history_result(report, g)) for g in placed]
        scope = "history-range" if report.ranged else "history"
        run = _run(report, scope, results, notes, sum(g.occurrences for g in history))
        run.properties["gitMetadata"] = {"items": len(metadata), "findings": sum(g.occurrences for g in metadata)}
        if report.revision:
            run.version_control_provenance = [om.VersionControlDetails(
                repository_uri=report.repository_uri or "file:///", revision_id=report.revision, branch=report.branch)]
        return run


def _metadata_note(report: Report, metadata: list[Group]) -> str:
    named = "; ".join(f"{g.severity.label} {'person' if g.kind == 'person' else g.rule_id} {g.title} "
                      f"({_where_meta(report.findings[g.first])})" for g in metadata[:10])
    more = f"; and {len(metadata) - 10} more" if len(metadata) > 10 else ""
    return (f"{len(metadata)} items in git metadata (commit and tag messages, identities, ref names) have no file "
            f"to point at and are not results here: {named}{more}. `reposcrub scrub` rewrites them.")


def _where_meta(f: Shown) -> str:
    if f.location == "ref":
        return f"ref {f.path}"
    return f"{f.location.replace('-', ' ')} of commit {f.commit[:10]}" if f.commit else f.location


def _uri(path: str) -> str:
    # Paths that are not UTF-8 are kept as surrogates: percent-encode their raw bytes.
    return quote(path.lstrip("/").encode("utf-8", "surrogateescape"), safe="/")


def _physical(f: Shown, with_region: bool) -> om.PhysicalLocation:
    region = None
    if f.part:  # inside a document: the file is the artifact; the part and its line are in the message
        return om.PhysicalLocation(artifact_location=om.ArtifactLocation(uri=_uri(f.container), uri_base_id="%SRCROOT%"))
    if with_region and f.location == "file":
        region = om.Region(start_line=f.line, start_column=f.column, end_line=f.end_line, end_column=f.end_column)
        if f.end_line == f.line and f.end_column <= f.column:
            region = om.Region(start_line=f.line)
    return om.PhysicalLocation(artifact_location=om.ArtifactLocation(uri=_uri(f.path), uri_base_id="%SRCROOT%"),
                               region=region)


def _tree_result(report: Report, f: Shown, g: Group, same: Sequence[Shown]) -> tuple[str, dict[str, Any], list[om.Location]]:
    text = f"{f.rule_id}: {f.preview}" if f.preview else f.rule_id
    text += f" in {f.part}, line {f.line}" if f.part else ""
    text += f" ({f.note})" if f.note else ""
    first = report.findings[g.first]
    if first.commit:
        text += f" — first committed in {first.commit[:10]} at {first.path}"
        text += f", in {g.commits} commits" if g.commits > 1 else ""
    if len(same) > 1:
        text += f" ({len(same)} occurrences in the work tree, grouped; the others are related locations)"
    related = [om.Location(id=n, physical_location=_physical(o, True), message=om.Message(text=f"also at line {o.line}"))
               for n, o in enumerate(same[1 : MAX_RELATED + 1], 1)]
    props: dict[str, Any] = {"context": f.context, "occurrences": len(same)}
    if first.commit:
        props.update(firstCommit=first.commit, commits=g.commits)
    return text, props, related


def _history_result(report: Report, g: Group) -> tuple[str, dict[str, Any], list[om.Location]]:
    items = [report.findings[i] for i in g.members]
    first = report.findings[g.first]
    line = f":{first.line}" if first.location == "file" and first.line > 1 else ""
    text = (f"{g.rule_id}: {g.title} was committed in {first.commit[:10] if first.commit else 'the history'} at "
            f"{first.path}{line}; {g.occurrences} occurrence{'s' if g.occurrences != 1 else ''} in {g.files} "
            f"file{'s' if g.files != 1 else ''} and {g.commits} commit{'s' if g.commits != 1 else ''}. It is no "
            f"longer in the work tree, but the history still holds it.")
    others = [f for f in items if f is not first and f.location in _IN_TREE][:MAX_RELATED]
    related = [om.Location(id=n, physical_location=_physical(o, False),
                           message=om.Message(text=f"commit {(o.commit or '')[:10]}, line {o.line}"))
               for n, o in enumerate(others, 1)]
    props = {"firstCommit": first.commit, "path": first.path, "line": first.line, "occurrences": g.occurrences,
             "files": g.files, "commits": g.commits}
    return text, props, related


def _run(report: Report, scope: str, results: list[tuple[Shown, Group, tuple[str, dict[str, Any], list[om.Location]]]],
         notes: list[str], findings: int) -> om.Run:
    used = sorted({f.rule_id for f, _, _ in results})
    index = {rule_id: n for n, rule_id in enumerate(used)}
    rules = {r.id: r for r in report.rules}
    out = []
    for f, g, (text, props, related) in results:
        history = scope.startswith("history")
        props.update(category=f.category, severity=g.severity.label, location=f.location)
        out.append(om.Result(
            rule_id=f.rule_id, rule_index=index[f.rule_id], level=LEVEL[g.severity], message=om.Message(text=text),
            locations=[om.Location(physical_location=_physical(f, not history))],
            related_locations=related or None,
            partial_fingerprints={FINGERPRINT_KEY: g.key.split(":", 1)[1] if history else f.fingerprint},
            properties=props,
        ))
    invocation = om.Invocation(execution_successful=True)
    if notes:
        invocation.tool_execution_notifications = [om.Notification(message=om.Message(text=n), level="note")
                                                   for n in notes]
    driver = om.ToolComponent(name="reposcrub", semantic_version=__version__, version=__version__,
                              information_uri="https://pypi.org/project/reposcrub/",
                              rules=[descriptor(rules[r]) if r in rules else unknown_descriptor(r) for r in used])
    return om.Run(tool=om.Tool(driver=driver), automation_details=om.RunAutomationDetails(id=f"reposcrub/{scope}/"),
                  results=out, invocations=[invocation], column_kind="unicodeCodePoints",
                  properties={"grouped": bool(notes), "resultCount": len(out), "findingCount": findings})
