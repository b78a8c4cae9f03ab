"""Records passed between stages: sources emit Blobs, detectors emit Findings."""
from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

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


CATEGORIES = ("secret", "host", "ident", "pii", "marker", "file", "meta")

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
