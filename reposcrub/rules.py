"""Load and validate rules/*.yaml into Rule records.

Rule examples may hold ``{{rand:ALPHABET:N}}`` tokens that expand at test time into
random characters, so this repository never carries a realistic credential literal.
"""
from __future__ import annotations

import random
import re
from collections.abc import Iterable, Mapping
from importlib import resources
from pathlib import Path
from typing import Any

import re2
import yaml

from reposcrub.detectors.heuristics import FILTERS
from reposcrub.errors import ReposcrubError
from reposcrub.model import CATEGORIES, Example, Rule, Severity

_FIELDS = {
    "id", "name", "category", "severity", "description", "pattern", "keywords",
    "secret_group", "entropy", "path_pattern", "magic", "filters", "allow", "detector",
    "replacement", "tags", "examples", "negative_examples", "binary", "context_severity",
}
_CONTEXTS = ("string", "comment", "identifier", "other", "text")
_ID = re.compile(r"^[a-z]+/[a-z0-9][a-z0-9.-]*[a-z0-9]$")

ALPHABETS = {
    "upper": "ABCDEFGHIJKLMNOPQRSTUVWXYZ",
    "lower": "abcdefghijklmnopqrstuvwxyz",
    "digit": "0123456789",
    "hex": "0123456789abcdef",
    "HEX": "0123456789ABCDEF",
    "alnum": "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789",
    "lalnum": "abcdefghijklmnopqrstuvwxyz0123456789",
    "ualnum": "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789",
    "b64": "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/",
    "b64url": "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_",
    "base32": "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567",
    "lbase32": "abcdefghijklmnopqrstuvwxyz234567",
}
_RAND = re.compile(r"\{\{rand:([A-Za-z0-9]+):(\d+)\}\}")


def expand_example(text: str, rng: random.Random) -> str:
    """Replace every ``{{rand:ALPHABET:N}}`` token with N random characters."""

    def one(m: re.Match[str]) -> str:
        alphabet = ALPHABETS[m.group(1)]
        return "".join(rng.choice(alphabet) for _ in range(int(m.group(2))))

    return _RAND.sub(one, text)


def builtin_rule_files() -> list[Path]:
    root = resources.files("reposcrub") / "rules"
    return sorted(Path(str(p)) for p in root.iterdir() if p.name.endswith(".yaml"))


def load_rules(files: Iterable[Path] | None = None) -> list[Rule]:
    """Load rule files (the built-in pack by default).

    Raises:
        ReposcrubError: a rule file is unreadable or a rule is invalid.
    """
    rules: list[Rule] = []
    seen: set[str] = set()
    for path in files if files is not None else builtin_rule_files():
        try:
            entries = yaml.safe_load(path.read_text(encoding="utf-8")) or []
        except (OSError, yaml.YAMLError) as exc:
            raise ReposcrubError(f"cannot read rule file {path}: {exc}") from None
        for entry in entries:
            rule = rule_from_dict(entry, source=path.name)
            if rule.id in seen:
                raise ReposcrubError(f"{path.name}: duplicate rule id {rule.id}")
            seen.add(rule.id)
            rules.append(rule)
    return rules


def rule_from_dict(entry: Mapping[str, Any], source: str = "<rule>") -> Rule:
    """Build and validate one Rule; unknown keys are named in the error."""
    where = f"{source}: rule {entry.get('id', '?')}"
    unknown = set(entry) - _FIELDS
    if unknown:
        raise ReposcrubError(f"{where}: unknown key(s) {', '.join(sorted(unknown))}")
    for key in ("id", "name", "category", "severity", "description"):
        if not entry.get(key):
            raise ReposcrubError(f"{where}: missing {key}")
    rule_id, category = str(entry["id"]), str(entry["category"])
    if category not in CATEGORIES or not _ID.match(rule_id) or not rule_id.startswith(category + "/"):
        raise ReposcrubError(f"{where}: id must look like '{category}/name' with a known category")
    try:
        severity = Severity.parse(str(entry["severity"]))
    except ValueError as exc:
        raise ReposcrubError(f"{where}: {exc}") from None
    rule = Rule(
        id=rule_id,
        name=str(entry["name"]),
        category=category,
        severity=severity,
        description=" ".join(str(entry["description"]).split()),
        pattern=entry.get("pattern"),
        keywords=tuple(str(k).lower() for k in entry.get("keywords", ())),
        secret_group=entry.get("secret_group", "secret" if "(?P<secret>" in str(entry.get("pattern", "")) else 0),
        entropy=entry.get("entropy"),
        path_pattern=entry.get("path_pattern"),
        magic=bytes.fromhex(entry["magic"]) if entry.get("magic") else None,
        filters=tuple(entry.get("filters", ())),
        allow=tuple(entry.get("allow", ())),
        detector=entry.get("detector"),
        replacement=entry.get("replacement"),
        tags=tuple(entry.get("tags", ())),
        examples=_examples(entry.get("examples", ())),
        negative_examples=_examples(entry.get("negative_examples", ())),
        binary=bool(entry.get("binary", False)),
        context_severity=_context_severity(entry.get("context_severity", {}), where),
    )
    _check(rule, where)
    return rule


def _context_severity(raw: Any, where: str) -> tuple[tuple[str, Severity | None], ...]:
    if not isinstance(raw, Mapping):
        raise ReposcrubError(f"{where}: context_severity must map a context to a severity or 'drop'")
    out: list[tuple[str, Severity | None]] = []
    for context, value in sorted(raw.items()):
        if context not in _CONTEXTS:
            raise ReposcrubError(f"{where}: unknown context {context!r} (known: {', '.join(_CONTEXTS)})")
        try:
            out.append((context, None if value == "drop" else Severity.parse(str(value))))
        except ValueError as exc:
            raise ReposcrubError(f"{where}: {exc}") from None
    return tuple(out)


def _examples(raw: Iterable[Any]) -> tuple[Example, ...]:
    out = []
    for item in raw:
        if isinstance(item, Mapping):
            out.append(Example(text=str(item.get("text", "")), path=str(item.get("path", "example.txt"))))
        else:
            out.append(Example(text=str(item)))
    return tuple(out)


def _check(rule: Rule, where: str) -> None:
    if not (rule.pattern or rule.path_pattern or rule.magic or rule.detector):
        raise ReposcrubError(f"{where}: needs a pattern, path_pattern, magic or detector")
    for label, regex in (("pattern", rule.pattern), ("path_pattern", rule.path_pattern), *(("allow", a) for a in rule.allow)):
        if regex is None:
            continue
        try:
            # RE2 only: linear-time matching, no catastrophic backtracking on hostile lines.
            re2.compile(regex.encode())
        except Exception as exc:  # re2.error is not exported consistently
            raise ReposcrubError(f"{where}: {label} is not a valid RE2 pattern: {exc}") from None
    unknown = set(rule.filters) - set(FILTERS)
    if unknown:
        raise ReposcrubError(f"{where}: unknown filter(s) {', '.join(sorted(unknown))}")
    # Code detectors are tested in their own unit tests; data rules carry their proof.
    if rule.detector is None and (not rule.examples or not rule.negative_examples):
        raise ReposcrubError(f"{where}: every rule needs examples and negative_examples")
