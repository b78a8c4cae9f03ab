"""Turn reposcrub's SARIF into the job summary (markdown on stdout) and the step outputs.

    summary.py SARIF --fail-on SEVERITY [--range TEXT] [--outputs FILE]
    summary.py --nothing REASON

The summary holds counts by category and severity and, per finding, the location, rule and
reposcrub's own message, whose preview is already redacted: no secret value is ever read
from anywhere else. Standard library only: it runs on whatever Python the runner has.
"""
from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path
from typing import Any
from urllib.parse import unquote

SEVERITIES = ("critical", "high", "medium", "low", "info")
CATEGORIES = ("secret", "host", "ident", "pii", "marker", "file", "meta")
_FROM_LEVEL = {"error": "high", "warning": "medium", "note": "low", "none": "info"}
MAX_ROWS = 50


def _md(text: str) -> str:
    """Text safe inside a markdown table cell: no pipes, HTML or line breaks."""
    return (text.replace("\\", "\\\\").replace("|", "\\|").replace("<", "&lt;").replace(">", "&gt;")
            .replace("\r", " ").replace("\n", " "))


def _code(text: str) -> str:
    # GitHub tables split cells on | even inside code spans, unless escaped.
    if "`" in text or "\n" in text:
        return _md(text)
    return "`" + text.replace("|", "\\|") + "`"


def _severity(result: dict[str, Any]) -> str:
    props = result.get("properties") or {}
    sev = props.get("severity")
    return sev if sev in SEVERITIES else _FROM_LEVEL.get(result.get("level", "warning"), "medium")


def _category(result: dict[str, Any]) -> str:
    props = result.get("properties") or {}
    return str(props.get("category") or str(result.get("ruleId", "other")).split("/")[0])


def _where(result: dict[str, Any]) -> str:
    props = result.get("properties") or {}
    locations = result.get("locations") or [{}]
    physical = locations[0].get("physicalLocation") or {}
    uri = unquote((physical.get("artifactLocation") or {}).get("uri", ""))
    line = (physical.get("region") or {}).get("startLine")
    kind = str(props.get("location", "file"))
    commit = str(props.get("commit") or "")
    at = f" @{_code(commit[:10])}" if commit else ""
    if kind == "file":
        return _code(f"{uri}:{line}" if line else uri) + at
    if kind == "path":
        return f"path {_code(uri)}{at}"
    # Other git metadata sits at a .git/<kind>/<subject> pseudo-path (a commit id or a ref name).
    subject = uri.split(f".git/{kind}/", 1)[-1]
    return f"{kind}{at}" if subject == commit else f"{kind} {_code(subject)}{at}"


def _table(results: list[dict[str, Any]]) -> list[str]:
    counts = Counter((_category(r), _severity(r)) for r in results)
    categories = [c for c in CATEGORIES if any(counts[(c, s)] for s in SEVERITIES)]
    categories += sorted({c for c, _ in counts} - set(categories))
    rows = ["| category | " + " | ".join(SEVERITIES) + " | total |", "|---" + "|---:" * (len(SEVERITIES) + 1) + "|"]
    for cat in categories:
        cells = [str(counts[(cat, s)] or "-") for s in SEVERITIES]
        rows.append(f"| {cat} | " + " | ".join(cells) + f" | {sum(counts[(cat, s)] for s in SEVERITIES)} |")
    totals = [str(sum(counts[(c, s)] for c in categories) or "-") for s in SEVERITIES]
    rows.append("| **total** | " + " | ".join(totals) + f" | **{len(results)}** |")
    return rows


def _details(results: list[dict[str, Any]]) -> list[str]:
    ordered = sorted(results, key=lambda r: SEVERITIES.index(_severity(r)))
    rows = ["<details><summary>Findings" + (f" (the {MAX_ROWS} most severe)" if len(ordered) > MAX_ROWS else "")
            + "</summary>", "", "| severity | rule | where | message |", "|---|---|---|---|"]
    for r in ordered[:MAX_ROWS]:
        message = (r.get("message") or {}).get("text", "")
        rows.append(f"| {_severity(r)} | {_code(str(r.get('ruleId', '')))} | {_where(r)} | {_md(message)} |")
    if len(ordered) > MAX_ROWS:
        rows.append(f"\n{len(ordered) - MAX_ROWS} more in the SARIF file and the code scanning alerts.")
    return rows + ["", "</details>"]


def _scope(rev_range: str) -> str:
    if not rev_range:
        return "the whole history"
    if ".." in rev_range:
        base, head = rev_range.split("..", 1)
        return f"the commits {_code(base[:10] + '..' + head[:10])}"
    return f"the history of {_code(rev_range[:10])}"


def render(doc: dict[str, Any], fail_on: str, scope: str) -> tuple[str, int, int]:
    """The markdown, the number of findings and the number at or above fail_on."""
    runs = doc.get("runs") or []
    results = [r for run in runs for r in run.get("results") or []]
    total = sum(int((run.get("properties") or {}).get("resultCount", len(run.get("results") or []))) for run in runs)
    limit = SEVERITIES.index(fail_on)
    failing = sum(1 for r in results if SEVERITIES.index(_severity(r)) <= limit)
    lines = ["## reposcrub", ""]
    scanned = f"the work tree and {_scope(scope)}"
    if not results:
        lines.append(f"No findings in {scanned}.")
        return "\n".join(lines) + "\n", 0, 0
    verdict = f"**{failing} at or above `{fail_on}`**: the check fails." if failing else f"none at or above `{fail_on}`."
    lines += [f"**{total} findings** in {scanned}; {verdict}", ""]
    lines += _table(results)
    if any((run.get("properties") or {}).get("aggregated") for run in runs):
        lines += ["", "Some results were aggregated to one per rule and file (code scanning's limit per run)."]
    lines += [""] + _details(results)
    lines += ["", "A false positive? Add `reposcrub: allow RULE-ID` in a comment on its line, list the path in "
              "`.reposcrubignore`, or accept the current findings with `reposcrub baseline create` and the "
              "action's `baseline` input."]
    return "\n".join(lines) + "\n", total, failing


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sarif", nargs="?")
    parser.add_argument("--fail-on", choices=SEVERITIES, default="low")
    parser.add_argument("--range", dest="scope", default="", help="the --rev-range scanned (default: all)")
    parser.add_argument("--outputs", help="append findings=N and failing=N here ($GITHUB_OUTPUT)")
    parser.add_argument("--nothing", metavar="REASON", help="write a summary saying nothing was scanned")
    args = parser.parse_args(argv)
    if args.nothing:
        sys.stdout.write(f"## reposcrub\n\n{_md(args.nothing)}\n")
        return 0
    if not args.sarif:
        parser.error("a SARIF file is required")
    doc = json.loads(Path(args.sarif).read_text(encoding="utf-8"))
    markdown, total, failing = render(doc, args.fail_on, args.scope)
    sys.stdout.write(markdown)
    if args.outputs:
        with open(args.outputs, "a", encoding="utf-8") as out:
            out.write(f"findings={total}\nfailing={failing}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
