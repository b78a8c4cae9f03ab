"""Records passed between stages: sources emit Blobs, detectors emit Findings."""
from __future__ import annotations

import enum
import re
from dataclasses import MISSING, dataclass, field, fields
from typing import TYPE_CHECKING, Any

from reposcrub.grouping import Grouper

if TYPE_CHECKING:
    from reposcrub.people import PersonGroup


class Severity(enum.IntEnum):
    INFO = 0
    LOW = 1
    MEDIUM = 2
    HIGH = 3
    CRITICAL = 4

    @classmethod
    def parse(cls, name: str) -> Severity:
        try:
            return cls[name.strip().upper()]
        except KeyError:
            names = ", ".join(s.label for s in cls)
            raise ValueError(f"unknown severity {name!r} (expected one of: {names})") from None

    @property
    def label(self) -> str:
        return self.name.lower()


CATEGORIES = ("secret", "cloud", "host", "ident", "pii", "marker", "file", "meta")
DOCUMENTED_EXAMPLE = "documented-example"  # Finding.kind of a value published in documentation

# Where a finding sits. "file" is blob content; the rest are git metadata.
LOCATION_KINDS = ("file", "path", "message", "tag-message", "author", "committer", "ref")


@dataclass(frozen=True, slots=True)
class Provenance:
    """Where a blob was seen. Scanning happens once per blob; this says where it lives."""

    path: str
    commit: str | None = None  # first commit that introduced it (history scans)
    commit_count: int = 0  # how many commits hold it at this path
    location: str = "file"
    ref: str | None = None


@dataclass(frozen=True, slots=True)
class Blob:
    """Content to scan: file bytes, or a piece of git metadata rendered as bytes."""

    data: bytes
    provenance: Provenance
    oid: str | None = None
    size: int | None = None  # set when data was not read (too large)
    # The previous version of this file, scanned earlier in the same run: only what
    # changed since then needs scanning (see delta.py).
    base: bytes | None = None
    # Set on the changed part of such a blob: the byte ranges (whole lines) to scan, () for none.
    windows: tuple[tuple[int, int], ...] | None = None

    @property
    def path(self) -> str:
        return self.provenance.path


@dataclass(frozen=True, slots=True)
class Example:
    """A rule example: text (possibly with {{rand:...}} tokens) and the path it lives at."""

    text: str
    path: str = "example.txt"


@dataclass(frozen=True, slots=True)
class Rule:
    """A detection rule loaded from rules/*.yaml. The id is a stable public name."""

    id: str
    name: str
    category: str
    severity: Severity
    description: str
    pattern: str | None = None
    keywords: tuple[str, ...] = ()
    secret_group: str | int = 0
    entropy: float | None = None
    path_pattern: str | None = None
    magic: bytes | None = None
    filters: tuple[str, ...] = ()
    allow: tuple[str, ...] = ()
    detector: str | None = None
    replacement: str | None = None
    tags: tuple[str, ...] = ()
    examples: tuple[Example, ...] = ()
    negative_examples: tuple[Example, ...] = ()
    binary: bool = False  # may match binary content (magic bytes, path-only rules)
    # Severity by syntactic context, e.g. {"comment": LOW}; None drops the finding there.
    context_severity: tuple[tuple[str, Severity | None], ...] = ()
    # Severity by place (places.py), e.g. {"test": INFO}: only ever lowers it.
    place_severity: tuple[tuple[str, Severity], ...] = ()
    # Severity of a whole-file finding when the file also holds other findings (a swap file
    # holding a host name): only ever raises it.
    holding_severity: Severity | None = None
    # How sure a match is to be what the rule says: "high", "medium" or "low"; ranks findings.
    confidence: str = "medium"
    # What to do about a finding, shown with it.
    remediation: str = ""
    # Assignment rules: the value given to a key matching key_pattern (a normalised key, see
    # parse/assignments.py), whatever the syntax; value_pattern is what the value must be.
    key_pattern: str | None = None
    key_allow: tuple[str, ...] = ()  # keys that match key_pattern but name something else
    value_pattern: str | None = None
    value_quoted: bool | None = None  # only quoted literals (True), only bare values (False)
    # Values published in documentation (value, where): reported at info, as such.
    documented: tuple[tuple[str, str], ...] = ()

    @property
    def redacts(self) -> bool:
        """Secrets never appear in full in any output."""
        return self.category == "secret"


@dataclass(frozen=True, slots=True)
class Finding:
    """One thing that must not leave, with a precise location and a redacted preview."""

    rule_id: str
    category: str
    severity: Severity
    path: str
    line: int
    column: int
    end_line: int
    end_column: int
    preview: str
    fingerprint: str
    context: str = "text"  # string | comment | identifier | other | text | unparsed
    location: str = "file"
    commit: str | None = None
    commit_count: int = 0
    ref: str | None = None
    note: str = ""
    oid: str | None = None  # the blob scanned, for history findings
    group: str = ""  # grouping.py's key, set on a finding that crossed processes without its value
    kind: str = ""  # "documented-example": a value published in documentation, not a leak
    # Untrusted targets: what the target ships that would have hidden this finding (its
    # note says so too): "inline allow", "ignore file", "baseline", "profile".
    unobeyed: tuple[str, ...] = ()
    # Inside a container (a document), what path names after the "!": path
    # "docs/Plan.docx!word/document.xml" has part "word/document.xml"; start and end are then
    # offsets in that part's text. "" for the file itself.
    part: str = ""
    # The matched bytes, kept for the scrubber only. Never rendered by any reporter.
    value: bytes = field(default=b"", repr=False, compare=False)
    start: int = field(default=0, repr=False, compare=False)
    end: int = field(default=0, repr=False, compare=False)

    @property
    def redacts(self) -> bool:
        """A secret (as Rule.redacts): its value never appears in full in any output."""
        return self.category == "secret"

    @property
    def shown_path(self) -> str:
        """The path fit to print: bytes that are not UTF-8 (kept as surrogates) shown as U+FFFD."""
        return self.path.encode("utf-8", "surrogateescape").decode("utf-8", "replace")

    @property
    def container(self) -> str:
        """The path of the file itself: path without its part."""
        return self.path[: len(self.path) - len(self.part) - 1] if self.part else self.path

    def sort_key(self) -> tuple[str, str, int, int, str]:
        return (self.location, self.path, self.line, self.column, self.rule_id)


@dataclass(frozen=True, slots=True)
class ScanResult:
    """Everything a reporter needs: the findings and the rules that ran."""

    target: str
    findings: tuple[Finding, ...]
    rules: tuple[Rule, ...]
    files_scanned: int = 0
    bytes_scanned: int = 0
    seconds: float = 0.0
    notes: tuple[str, ...] = ()
    revision: str | None = None
    repository_uri: str | None = None
    branch: str | None = None
    ranged: bool = False  # history narrowed to a range of commits (--rev-range, --since, --pushed)
    people: tuple[PersonGroup, ...] = ()  # the git identities, one entry per person (reports group by them)
    commit_times: dict[str, int] = field(default_factory=dict)  # commit -> time, for the commits findings name
    # (fingerprint, line) -> (first line number, lines around it, secrets masked), when asked for
    excerpts: dict[tuple[str, int], tuple[int, tuple[str, ...]]] = field(default_factory=dict)

    def at_or_above(self, threshold: Severity) -> list[Finding]:
        return [f for f in self.findings if f.severity >= threshold]

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready data that can cross process and machine boundaries, with no secret in it:
        findings lose their matched values, and a secret value anywhere else (a file name, a
        ref, a note) shows as its redacted preview."""
        mask = _ValueMask(self.findings)
        grouper = Grouper(self.people)
        data: dict[str, Any] = {f.name: getattr(self, f.name) for f in fields(self)}
        data.update(
            target=mask(self.target), notes=[mask(n) for n in self.notes],
            repository_uri=mask(self.repository_uri), branch=mask(self.branch),
            findings=[{**_finding_dict(f, mask), "group": grouper.key(f)} for f in self.findings],
            rules=[_rule_dict(r) for r in self.rules],
            people=[{"names": list(p.names), "emails": list(p.emails)} for p in self.people],
            commit_times=dict(self.commit_times),
            # Excerpts were masked when captured; JSON keys cannot be tuples.
            excerpts=[[fp, line, first, [mask(t) for t in lines]] for (fp, line), (first, lines) in self.excerpts.items()],
        )
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ScanResult:
        """The result to_dict described (findings without their values).

        Raises:
            ValueError: a key is unknown or a required one missing (named in the message).
        """
        _check_keys(cls, data, frozenset())
        findings = tuple(_finding_from(d) for d in data["findings"])
        rules = tuple(_rule_from(d) for d in data["rules"])
        from reposcrub.people import PersonGroup

        people = tuple(PersonGroup(tuple(p["names"]), tuple(p["emails"])) for p in data.get("people", ()))
        excerpts = {(fp, line): (first, tuple(lines)) for fp, line, first, lines in data.get("excerpts", ())}
        return cls(**{**data, "findings": findings, "rules": rules, "notes": tuple(data.get("notes", ())),
                      "people": people, "excerpts": excerpts})


# Finding fields that stay in the process that scanned: the matched bytes and their offsets.
_PRIVATE = frozenset({"value", "start", "end"})


class _ValueMask:
    """Each secret value among findings, replaced in a text by that finding's redacted preview."""

    def __init__(self, findings: tuple[Finding, ...]) -> None:
        shown = {f.value.decode("utf-8", "surrogateescape"): f.preview or "********"
                 for f in findings if f.redacts and len(f.value) >= 4}
        self._shown = shown
        order = sorted(shown, key=len, reverse=True)  # the longest value wins where two overlap
        self._pattern = re.compile("|".join(map(re.escape, order))) if order else None

    def __call__(self, text: str | None) -> str | None:
        if text is None or self._pattern is None:
            return text
        return self._pattern.sub(lambda m: self._shown[m.group(0)], text)


def _check_keys(cls: type, data: dict[str, Any], private: frozenset[str]) -> None:
    known = {f.name for f in fields(cls)} - private
    unknown = set(data) - known
    if unknown:
        raise ValueError(f"unknown {cls.__name__} key(s): {', '.join(sorted(unknown))}")
    required = {f.name for f in fields(cls) if f.default is MISSING and f.default_factory is MISSING}
    missing = required - set(data)
    if missing:
        raise ValueError(f"{cls.__name__} without key(s): {', '.join(sorted(missing))}")


def _finding_dict(f: Finding, mask: _ValueMask) -> dict[str, Any]:
    data = {k.name: getattr(f, k.name) for k in fields(f) if k.name not in _PRIVATE}
    data.update(severity=f.severity.label, path=mask(f.path), ref=mask(f.ref), note=mask(f.note),
                preview=f.preview if f.redacts else mask(f.preview))
    return data


def _finding_from(data: dict[str, Any]) -> Finding:
    _check_keys(Finding, data, _PRIVATE)
    return Finding(**{**data, "severity": Severity.parse(data["severity"]), "unobeyed": tuple(data.get("unobeyed", ()))})


def _rule_dict(rule: Rule) -> dict[str, Any]:
    data = {k.name: _plain(getattr(rule, k.name)) for k in fields(rule)}
    data.update(severity=rule.severity.label, magic=rule.magic.hex() if rule.magic is not None else None,
                context_severity=[[c, s.label if s is not None else None] for c, s in rule.context_severity])
    return data


def _rule_from(data: dict[str, Any]) -> Rule:
    _check_keys(Rule, data, frozenset())
    values = {k: _tupled(v) for k, v in data.items()}
    values.update(
        severity=Severity.parse(data["severity"]),
        magic=bytes.fromhex(data["magic"]) if data.get("magic") is not None else None,
        examples=tuple(Example(**e) for e in data.get("examples", ())),
        negative_examples=tuple(Example(**e) for e in data.get("negative_examples", ())),
        context_severity=tuple((c, Severity.parse(s) if s is not None else None)
                               for c, s in data.get("context_severity", ())),
    )
    return Rule(**values)


def _plain(value: Any) -> Any:
    if isinstance(value, Example):
        return {"text": value.text, "path": value.path}
    if isinstance(value, tuple):
        return [_plain(v) for v in value]
    return value


def _tupled(value: Any) -> Any:
    return tuple(_tupled(v) for v in value) if isinstance(value, list) else value
