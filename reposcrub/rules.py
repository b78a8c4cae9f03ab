"""Load and validate rules/*.yaml into Rule records.

Rule examples may hold ``{{rand:ALPHABET:N}}`` tokens that expand at test time into
random characters, so this repository never carries a realistic credential literal.
"""
from __future__ import annotations

import dataclasses
import hashlib
import os
import pickle
import random
import re
from collections.abc import Iterable, Mapping
from importlib import resources
from pathlib import Path
from typing import Any

import re2

from reposcrub.detectors.heuristics import FILTERS
from reposcrub.errors import ReposcrubError
from reposcrub.model import CATEGORIES, Example, Rule, Severity
from reposcrub.places import PLACES

_FIELDS = {
    "id", "name", "category", "severity", "description", "pattern", "keywords",
    "secret_group", "entropy", "path_pattern", "magic", "filters", "allow", "detector",
    "replacement", "tags", "examples", "negative_examples", "binary", "context_severity",
    "place_severity", "holding_severity", "confidence", "remediation",
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


def rules_dir() -> Path:
    """The rule pack: inside the installed package (the wheel carries the top-level
    ``rules/`` there), else ``rules/`` beside the package in a source checkout."""
    shipped = Path(str(resources.files("reposcrub"))) / "rules"
    if shipped.is_dir():
        return shipped
    checkout = Path(__file__).resolve().parent.parent / "rules"
    if checkout.is_dir():
        return checkout
    raise ReposcrubError("the built-in rule pack is missing: reinstall reposcrub")


def builtin_rule_files() -> list[Path]:
    return sorted(p for p in rules_dir().iterdir() if p.name.endswith(".yaml"))




def _cache_path(files: list[Path]) -> Path:
    from reposcrub import __version__

    digest = hashlib.sha256(__version__.encode())
    # A cached Rule pickled before a field was added would lack it: the fields are in the key.
    digest.update(" ".join(f.name for f in dataclasses.fields(Rule)).encode())
    for f in files:
        st = f.stat()
        digest.update(f"{f.name}\0{st.st_size}\0{st.st_mtime_ns}\0".encode())
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return base / "reposcrub" / f"rules-{digest.hexdigest()[:20]}.pickle"


def builtin_rules() -> list[Rule]:
    """The built-in pack, from a cache keyed by the rule files' names, sizes and times:
    building Rule records from YAML costs most of a pre-commit run's start-up."""
    files = builtin_rule_files()
    try:
        cache = _cache_path(files)
        if cache.is_file():
            with cache.open("rb") as stream:
                return pickle.load(stream)  # written by this function, below: trusted
    except (OSError, pickle.PickleError, EOFError, AttributeError):
        pass
    rules = load_rules(files, compile_patterns=False)
    try:
        cache.parent.mkdir(parents=True, exist_ok=True)
        tmp = cache.with_suffix(f".{os.getpid()}.tmp")
        with tmp.open("wb") as stream:
            pickle.dump(rules, stream, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, cache)
    except OSError:
        pass  # a read-only home: no cache, same rules
    return rules


def load_rules(files: Iterable[Path] | None = None, compile_patterns: bool | None = None) -> list[Rule]:
    """Load rule files (the built-in pack by default).

    Patterns are compiled to check them when the files are the user's own; the built-in
    pack is checked by its tests, so a scan does not pay for compiling every rule twice.

    Raises:
        ReposcrubError: a rule file is unreadable or a rule is invalid.
    """
    import yaml  # only when the rule cache misses: a pre-commit run pays nothing for it

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when present: 7x faster
    rules: list[Rule] = []
    seen: set[str] = set()
    check = files is not None if compile_patterns is None else compile_patterns
    for path in files if files is not None else builtin_rule_files():
        try:
            entries = yaml.load(path.read_text(encoding="utf-8"), Loader=loader) or []
        except (OSError, yaml.YAMLError) as exc:
            raise ReposcrubError(f"cannot read rule file {path}: {exc}") from None
        for entry in entries:
            rule = rule_from_dict(entry, source=path.name, compile_patterns=check)
            if rule.id in seen:
                raise ReposcrubError(f"{path.name}: duplicate rule id {rule.id}")
            seen.add(rule.id)
            rules.append(rule)
    return rules


def rule_from_dict(entry: Mapping[str, Any], source: str = "<rule>", compile_patterns: bool = True) -> Rule:
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
        keywords=tuple(str(k) for k in entry.get("keywords", ())),
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
        place_severity=_place_severity(entry.get("place_severity", {}), where),
        holding_severity=_severity_or_none(entry.get("holding_severity"), where),
        confidence=_confidence(entry, category, where),
        remediation=" ".join(str(entry.get("remediation") or REMEDIATION[category]).split()),
    )
    _check(rule, where, compile_patterns)
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


# What to do, by category, unless a rule says more precisely.
REMEDIATION = {
    "secret": "Rotate or revoke it, move it to the environment or a secret store, and remove it from the "
              "history with `reposcrub scrub`.",
    "host": "Replace it with a documentation name (example.com, 192.0.2.0/24); `reposcrub scrub` does this "
            "through the whole history.",
    "ident": "Remove the organisation's name; `reposcrub scrub` replaces it in every case and separator style.",
    "pii": "Remove the personal data; `reposcrub scrub` replaces people, e-mails and identities consistently.",
    "marker": "Remove the notice, or make sure the content may leave; `reposcrub scrub` rewrites the history.",
    "file": "Remove the file from the repository and its history (`reposcrub scrub` removes key and credential "
            "files); rotate anything it held.",
    "meta": "`reposcrub scrub` rewrites git metadata (messages, identities, ref names).",
}
_CONFIDENCE = ("low", "medium", "high")
# How sure each category's matches are, unless a rule says: provider-formatted secrets and
# file names are exact; a host or a name needs its context to be sure.
_CATEGORY_CONFIDENCE = {"secret": "high", "file": "high", "ident": "high", "host": "medium", "pii": "medium",
                        "marker": "medium", "meta": "medium"}


def _confidence(entry: Mapping[str, Any], category: str, where: str) -> str:
    value = entry.get("confidence")
    if value is None:
        # A generic shape (password = "…") is a guess; a provider's own format is not.
        return "medium" if "generic" in entry.get("tags", ()) else _CATEGORY_CONFIDENCE[category]
    if value not in _CONFIDENCE:
        raise ReposcrubError(f"{where}: confidence must be one of {', '.join(_CONFIDENCE)}")
    return str(value)


def _severity_or_none(raw: Any, where: str) -> Severity | None:
    try:
        return None if raw is None else Severity.parse(str(raw))
    except ValueError as exc:
        raise ReposcrubError(f"{where}: {exc}") from None


def _place_severity(raw: Any, where: str) -> tuple[tuple[str, Severity], ...]:
    if not isinstance(raw, Mapping):
        raise ReposcrubError(f"{where}: place_severity must map a place to a severity")
    unknown = set(raw) - set(PLACES)
    if unknown:
        raise ReposcrubError(f"{where}: unknown place(s) {', '.join(sorted(unknown))} (known: {', '.join(PLACES)})")
    return tuple((place, Severity.parse(str(value))) for place, value in sorted(raw.items()))


def _examples(raw: Iterable[Any]) -> tuple[Example, ...]:
    out = []
    for item in raw:
        if isinstance(item, Mapping):
            out.append(Example(text=str(item.get("text", "")), path=str(item.get("path", "example.txt"))))
        else:
            out.append(Example(text=str(item)))
    return tuple(out)


def _check(rule: Rule, where: str, compile_patterns: bool) -> None:
    if not (rule.pattern or rule.path_pattern or rule.magic or rule.detector):
        raise ReposcrubError(f"{where}: needs a pattern, path_pattern, magic or detector")
    for label, regex in () if not compile_patterns else (("pattern", rule.pattern), ("path_pattern", rule.path_pattern), *(("allow", a) for a in rule.allow)):
        if regex is None:
            continue
        try:
            # RE2 only: linear-time matching, no catastrophic backtracking on hostile lines.
            re2.compile(regex.encode())
        except Exception as exc:  # re2.error is not exported consistently
            raise ReposcrubError(f"{where}: {label} is not a valid RE2 pattern: {exc}") from None
    for keyword in rule.keywords if compile_patterns else ():
        if keyword.startswith("re:"):
            try:
                re2.compile(keyword[3:].encode())
            except Exception as exc:  # re2.error is not exported consistently
                raise ReposcrubError(f"{where}: keyword {keyword!r} is not a valid RE2 pattern: {exc}") from None
    unknown = set(rule.filters) - set(FILTERS)
    if unknown:
        raise ReposcrubError(f"{where}: unknown filter(s) {', '.join(sorted(unknown))}")
    # Code detectors are tested in their own unit tests; data rules carry their proof.
    if rule.detector is None and (not rule.examples or not rule.negative_examples):
        raise ReposcrubError(f"{where}: every rule needs examples and negative_examples")
