"""What `range: pushed` scans, read from the event that started the workflow.

    pushed.py range            print the --rev-range for reposcrub: "A..B", "B" (all of B's
                               history), "" (not a push or pull request: the whole history)
                               or "-" (a branch deletion: nothing to scan)
    pushed.py category SARIF   give the SARIF's history run its own code scanning category

Standard library only: it runs on whatever Python the runner has. The event payload is
GitHub's JSON at $GITHUB_EVENT_PATH; see
https://docs.github.com/en/webhooks/webhook-events-and-payloads#push and #pull_request.
"""
from __future__ import annotations

import json
import os
import re
import sys
from pathlib import Path
from typing import Any

_SHA = re.compile(r"[0-9a-f]{40}|[0-9a-f]{64}")
FULL_HISTORY_ID = "reposcrub/history/"
RANGE_HISTORY_ID = "reposcrub/history-range/"


def _sha(value: Any) -> str | None:
    """A commit id from the payload, or None; anything else is refused, never passed to git."""
    return value if isinstance(value, str) and _SHA.fullmatch(value) else None


def rev_range(event_name: str, payload: dict[str, Any]) -> str:
    if event_name == "push":
        before, after = _sha(payload.get("before")), _sha(payload.get("after"))
        if payload.get("deleted") is True or (after is not None and set(after) == {"0"}):
            return "-"
        if after is None:
            return ""
        if before is None or set(before) == {"0"}:
            return after  # a new branch: everything it holds
        return f"{before}..{after}"
    if event_name in ("pull_request", "pull_request_target"):
        pr = payload.get("pull_request") or {}
        base, head = _sha((pr.get("base") or {}).get("sha")), _sha((pr.get("head") or {}).get("sha"))
        if head is None:
            return ""
        return f"{base}..{head}" if base else head
    return ""


def _range_command() -> int:
    event_name = os.environ.get("GITHUB_EVENT_NAME", "")
    path = os.environ.get("GITHUB_EVENT_PATH", "")
    payload: dict[str, Any] = {}
    if path:
        try:
            loaded = json.loads(Path(path).read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            print(f"reposcrub: cannot read the event payload {path}: {exc}", file=sys.stderr)
            return 2
        payload = loaded if isinstance(loaded, dict) else {}
    result = rev_range(event_name, payload)
    if result == "":
        print(f"::notice title=reposcrub::range: pushed applies to push and pull_request events; "
              f"scanning the whole history for {event_name or 'this event'}", file=sys.stderr)
    print(result)
    return 0


def _category_command(sarif_path: str) -> int:
    path = Path(sarif_path)
    doc = json.loads(path.read_text(encoding="utf-8"))
    for run in doc.get("runs", []):
        details = run.get("automationDetails") or {}
        if details.get("id") == FULL_HISTORY_ID:
            details["id"] = RANGE_HISTORY_ID
    path.write_text(json.dumps(doc, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return 0


def main(argv: list[str]) -> int:
    if len(argv) == 1 and argv[0] == "range":
        return _range_command()
    if len(argv) == 2 and argv[0] == "category":
        return _category_command(argv[1])
    print("usage: pushed.py range | pushed.py category SARIF", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
