"""Turn reposcrub's JSON report into the job summary (Markdown on stdout) and step outputs.

    summary.py REPORT.json --fail-on SEVERITY [--range TEXT] [--html-url URL] [--outputs FILE]
    summary.py --nothing REASON

The summary leads with the items that block (each value once, most important first, as
reposcrub ranks them), links the HTML report, then counts by category and severity. It
prints only what the JSON report holds, whose previews are already redacted. Every string
that comes from the repository (paths, values, names) sits in a code span with its
backticks and pipes neutralised, so a file name can render no link, image or HTML.
Standard library only: it runs on whatever Python the runner has.
"""
from __future__ import annotations

import argparse
import json
import re
import sys
from collections import Counter
from pathlib import Path
from typing import Any

SEVERITIES = ("critical", "high", "medium", "low", "info")
CATEGORIES = ("secret", "host", "ident", "pii", "marker", "file", "meta")
TOP = 20
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def code(text: str) -> str:
    """text as a Markdown code span that renders literally, inside a table cell too."""
    text = _CONTROL.sub(" ", str(text)).replace("|", "\\|")
    fence = "`" * (max((len(run) for run in re.findall(r"`+", text)), default=0) + 1)
    pad = " " if text.startswith("`") or text.endswith("`") or not text.strip() else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def plain(text: str) -> str:
    """text as literal Markdown outside a code span: every character Markdown or HTML reads, escaped."""
    text = _CONTROL.sub(" ", str(text)).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return re.sub(r"([\\`*_{}\[\]()#+\-.!|~:])", r"\\\1", text)


def _where(first: dict[str, Any]) -> str:
    at = f" @{first['commit'][:8]}" if first.get("commit") else ""
    if first.get("location") == "file":
        line = f":{first['line']}" if first.get("line", 1) > 1 else ""
        return code(f"{first.get('path', '')}{line}") + at
    if first.get("location") == "path":
        return "file name " + code(first.get("path", "")) + at
    if first.get("location") == "ref":
        return "ref " + code(first.get("path", ""))
    return f"{plain(str(first.get('location', '')).replace('-', ' '))}{at}"


def _spread(g: dict[str, Any]) -> str:
    parts = [f"{g['occurrences']}×"]
    parts += [f"{g['files']} files"] if g.get("files", 0) > 1 else []
    parts += [f"{g['commits']} commits"] if g.get("commits", 0) > 1 else []
    return ", ".join(parts)


def _top(groups: list[dict[str, Any]], limit: int) -> list[str]:
    rows = ["| # | severity | rule | item | where it came in | spread |", "|---:|---|---|---|---|---|"]
    for n, g in enumerate(groups[:limit], 1):
        label = "person" if g.get("kind") == "person" else g["rule_id"]
        rows.append(f"| {n} | {g['severity']} | {code(label)} | {code(g['title'])} | {_where(g['first'])} | {_spread(g)} |")
    if len(groups) > limit:
        rows.append(f"\n{len(groups) - limit} more at or above the threshold: see the HTML report.")
    return rows


def _table(findings: list[dict[str, Any]]) -> list[str]:
    counts = Counter((f["category"], f["severity"]) for f in findings)
    cats = [c for c in CATEGORIES if any(counts[(c, s)] for s in SEVERITIES)]
    rows = ["| category | " + " | ".join(SEVERITIES) + " | total |", "|---" + "|---:" * (len(SEVERITIES) + 1) + "|"]
    for cat in cats:
        cells = [str(counts[(cat, s)] or "-") for s in SEVERITIES]
        rows.append(f"| {cat} | " + " | ".join(cells) + f" | {sum(counts[(cat, s)] for s in SEVERITIES)} |")
    totals = [str(sum(counts[(c, s)] for c in cats) or "-") for s in SEVERITIES]
    rows.append("| **total** | " + " | ".join(totals) + f" | **{len(findings)}** |")
    return rows


def _scope(rev_range: str) -> str:
    if not rev_range:
        return "the work tree and the whole history"
    if ".." in rev_range:
        base, head = rev_range.split("..", 1)
        return f"the work tree and the commits {code(base[:10] + '..' + head[:10])}"
    return f"the work tree and the history of {code(rev_range[:10])}"


def render(doc: dict[str, Any], fail_on: str, scope: str, html_url: str = "") -> tuple[str, dict[str, int]]:
    """The Markdown and the counts for the step outputs."""
    findings, groups = doc.get("findings") or [], doc.get("groups") or []
    limit = SEVERITIES.index(fail_on)
    blocking = [g for g in groups if SEVERITIES.index(g["severity"]) <= limit]
    counts = {s: sum(1 for f in findings if f["severity"] == s) for s in SEVERITIES}
    counts.update(findings=len(findings), items=len(groups), failing=sum(1 for f in findings
                                                                          if SEVERITIES.index(f["severity"]) <= limit))
    lines = ["## reposcrub", ""]
    if not findings:
        return "\n".join(lines + [f"No findings in {_scope(scope)}.", ""]), counts
    verdict = (f"**{len(blocking)} item{'s' if len(blocking) != 1 else ''} at or above `{fail_on}`**: the check fails."
               if blocking else f"nothing at or above `{fail_on}`.")
    lines += [f"{len(findings)} findings ({len(groups)} distinct items) in {_scope(scope)}; {verdict}", ""]
    if html_url.startswith("https://"):
        lines += [f"[The HTML report]({html_url.replace(')', '%29').replace(' ', '%20')}) (workflow artifact "
                  "`reposcrub-report`) has every item, its places and charts.", ""]
    if blocking:
        lines += ["### Items that block, most important first", ""] + _top(blocking, TOP) + [""]
        todo = {("person" if g.get("kind") == "person" else g["category"]): g["remediation"] for g in blocking[:TOP]}
        lines += ["**What to do**", ""] + [f"- **{kind}**: {plain(text)}" for kind, text in todo.items()] + [""]
    lines += _table(findings)
    lines += ["", "A false positive? In a file, add `reposcrub: allow RULE-ID` in a comment on its line; anywhere, "
              "accept the current findings with `reposcrub baseline create` and the action's `baseline` input.", ""]
    return "\n".join(lines), counts


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("report", nargs="?")
    parser.add_argument("--fail-on", choices=SEVERITIES, default="low")
    parser.add_argument("--range", dest="scope", default="", help="the --rev-range scanned (default: all)")
    parser.add_argument("--html-url", default="", help="where the HTML report artifact can be downloaded")
    parser.add_argument("--outputs", help="append the counts here ($GITHUB_OUTPUT)")
    parser.add_argument("--nothing", metavar="REASON", help="write a summary saying nothing was scanned")
    args = parser.parse_args(argv)
    if args.nothing:
        sys.stdout.write(f"## reposcrub\n\n{plain(args.nothing)}\n")
        return 0
    if not args.report:
        parser.error("a JSON report is required")
    doc = json.loads(Path(args.report).read_text(encoding="utf-8"))
    markdown, counts = render(doc, args.fail_on, args.scope, args.html_url)
    sys.stdout.write(markdown)
    if args.outputs:
        with open(args.outputs, "a", encoding="utf-8") as out:
            out.write("".join(f"{k}={v}\n" for k, v in counts.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
