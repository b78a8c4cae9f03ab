"""Baselines: fingerprints of accepted findings, so a scan reports only what is new.

The file holds no secret values, no line numbers and no timestamps, and its entries
are sorted: it survives lines moving and never causes merge conflicts of its own.
"""
from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from pathlib import Path

from reposcrub import __version__
from reposcrub.errors import ReposcrubError
from reposcrub.model import Finding, Rule
from reposcrub.sources.safeopen import read_regular

VERSION = 1
DEFAULT_FILE = ".reposcrub-baseline.json"
_MAX_SHIPPED = 256 << 20


def rules_digest(rules: Iterable[Rule]) -> str:
    digest = hashlib.sha256()
    for r in sorted(rules, key=lambda r: r.id):
        digest.update(f"{r.id}\0{r.pattern}\0{r.path_pattern}\0{r.severity.label}\n".encode())
    return digest.hexdigest()[:16]


def render(findings: Iterable[Finding], rules: list[Rule], profile_source: str) -> str:
    entries = {f.fingerprint: {"fingerprint": f.fingerprint, "rule_id": f.rule_id, "path": f.path} for f in findings}
    doc = {
        "version": VERSION,
        "generated_by": f"reposcrub {__version__}",
        "rules": {"count": len(rules), "digest": rules_digest(rules)},
        "config": {"profile": profile_source or None},
        "accepted": [entries[k] for k in sorted(entries)],
    }
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"


def load(path: Path) -> frozenset[str]:
    """Accepted fingerprints.

    Raises:
        ReposcrubError: the file is missing or not a reposcrub baseline.
    """
    try:
        return parse(path.read_bytes(), path)
    except OSError as exc:
        raise ReposcrubError(f"cannot read baseline {path}: {exc.strerror}; create one with `reposcrub baseline create`") from None


def load_shipped(root: Path) -> frozenset[str] | None:
    """The target's own baseline (DEFAULT_FILE), if it is a regular file inside it: a link
    to a file elsewhere or a FIFO is not read.

    Raises:
        ReposcrubError: it is not a reposcrub baseline.
    """
    data = read_regular(root, DEFAULT_FILE, limit=_MAX_SHIPPED)
    return None if data is None else parse(data, root / DEFAULT_FILE)


def parse(data: bytes, path: Path) -> frozenset[str]:
    """Raises: ReposcrubError: data is not a reposcrub baseline."""
    try:
        doc = json.loads(data)
    except ValueError:
        raise ReposcrubError(f"{path} is not a reposcrub baseline (not JSON)") from None
    if not isinstance(doc, dict) or doc.get("version") != VERSION or not isinstance(doc.get("accepted"), list):
        raise ReposcrubError(f"{path} is not a reposcrub baseline (version {VERSION} expected)")
    return frozenset(str(e.get("fingerprint")) for e in doc["accepted"] if isinstance(e, dict))
