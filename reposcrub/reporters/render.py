"""One place where a scan result becomes something fit to print: ``render(result) -> Report``.

Every reporter receives a ``Report``, never a ``ScanResult``: its findings (``Shown``) carry
no matched value, every secret the scan found is masked in every string (paths, refs,
notes, previews, excerpts), and every untrusted string (file, directory, submodule and ref
names, previews, notes) has its control characters made visible, so an ESC byte cannot
drive the terminal and a newline cannot forge a report line (or a ``::error`` workflow
command in a CI log). Format-specific escaping (HTML, Markdown) is the reporter's; the
data it escapes is already masked and single-line.
"""
from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from fnmatch import fnmatchcase

from reposcrub.model import Finding, Rule, ScanResult, Severity
from reposcrub.grouping import Grouper
from reposcrub.reporters.group import Group, rank_groups
from reposcrub.reporters.mask import SecretMask

# C0 and C1 controls, DEL, line and paragraph separators, and bidirectional overrides
# (which reorder what a reader sees: "Trojan Source").
_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff]")
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t", "\x1b": "\\e"}


def safe_text(text: str) -> str:
    """text on one line with every control character shown as an escape (\\n, \\e, \\x07, \\u202e)."""
    if text.isprintable():
        return text
    text = text.encode("utf-8", "surrogateescape").decode("utf-8", "replace")  # undecodable bytes as U+FFFD
    return _UNSAFE.sub(lambda m: _NAMED.get(m.group(), f"\\x{ord(m.group()):02x}" if ord(m.group()) < 0x100
                                            else f"\\u{ord(m.group()):04x}"), text)


@dataclass(frozen=True, slots=True)
class Shown:
    """A finding as every report prints it: masked, escaped, and without its matched value."""

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
    context: str
    location: str
    commit: str | None
    commit_count: int
    ref: str | None
    note: str
    group: str = ""  # the key of its Group
    time: int | None = None  # commit time (seconds since the epoch) of commit
    excerpt: tuple[str, ...] = ()  # masked lines around it, the first at excerpt_line
    excerpt_line: int = 0
    part: str = ""  # inside a document: what path names after its "!" (Finding.part)

    @property
    def container(self) -> str:
        """The file itself, for a finding inside a document."""
        return self.path[: len(self.path) - len(self.part) - 1] if self.part else self.path

    @property
    def shown_path(self) -> str:
        return self.path


@dataclass(frozen=True, slots=True)
class Selection:
    """Which findings a report shows (--category, --min-severity, --rule)."""

    categories: frozenset[str] = frozenset()
    min_severity: Severity = Severity.INFO
    rules: tuple[str, ...] = ()  # rule ids or globs (host/*)

    def keeps(self, f: Finding) -> bool:
        return ((not self.categories or f.category in self.categories) and f.severity >= self.min_severity
                and (not self.rules or any(fnmatchcase(f.rule_id, r) for r in self.rules)))

    def describe(self) -> str:
        parts = [f"category {', '.join(sorted(self.categories))}"] if self.categories else []
        parts += [f"severity {self.min_severity.label} and above"] if self.min_severity > Severity.INFO else []
        parts += [f"rule {', '.join(self.rules)}"] if self.rules else []
        return "; ".join(parts)


def select(result: ScanResult, selection: Selection) -> ScanResult:
    """result with only the findings selection keeps."""
    if selection == Selection():
        return result
    return replace(result, findings=tuple(f for f in result.findings if selection.keeps(f)))


@dataclass(frozen=True, slots=True)
class Report:
    """Everything a reporter prints, already masked and escaped."""

    target: str
    findings: tuple[Shown, ...]  # every occurrence, in location order
    groups: tuple[Group, ...]  # one entry per distinct value per rule (per person for identities), ranked
    rules: tuple[Rule, ...]
    files_scanned: int = 0
    bytes_scanned: int = 0
    seconds: float = 0.0
    notes: tuple[str, ...] = ()
    revision: str | None = None
    repository_uri: str | None = None
    branch: str | None = None
    ranged: bool = False
    selection: str = ""  # the filters applied, described; "" for none
    people: int = 0  # distinct people among the git identities

    def at_or_above(self, threshold: Severity) -> list[Shown]:
        return [f for f in self.findings if f.severity >= threshold]


def render(result: ScanResult, mask: SecretMask | None = None, selection: str = "") -> Report:
    """result as every reporter prints it.

    mask defaults to the secrets among result's own findings (pass a larger one when only some
    findings are shown: a report filtered to some categories still masks every secret the
    scan found). Commit times and excerpts come from the result.
    """
    mask = mask if mask is not None else SecretMask.of(result.findings)
    rules = {r.id: r for r in result.rules}
    grouper = Grouper(result.people)
    keys = [grouper.key(f) for f in result.findings]
    shown = tuple(_shown(f, k, mask, result.commit_times, result.excerpts) for f, k in zip(result.findings, keys))
    groups = rank_groups(shown, rules, result.people, lambda s: safe_text(mask(s)))
    return Report(
        target=_clean(result.target, mask), findings=shown, groups=groups, rules=result.rules,
        files_scanned=result.files_scanned, bytes_scanned=result.bytes_scanned, seconds=result.seconds,
        notes=tuple(_clean(n, mask) for n in result.notes), revision=result.revision,
        repository_uri=_clean(result.repository_uri, mask) if result.repository_uri else None,
        branch=_clean(result.branch, mask) if result.branch else None, ranged=result.ranged,
        selection=selection, people=len(result.people),
    )


def _clean(text: str, mask: SecretMask) -> str:
    return safe_text(mask(text))


def _shown(f: Finding, key: str, mask: SecretMask, times: Mapping[str, int],
           excerpts: Mapping[tuple[str, int], tuple[int, tuple[str, ...]]]) -> Shown:
    start, lines = excerpts.get((f.fingerprint, f.line), (0, ()))
    return Shown(
        rule_id=f.rule_id, category=f.category, severity=f.severity, path=_clean(f.path, mask),
        line=f.line, column=f.column, end_line=f.end_line, end_column=f.end_column,
        # A secret's preview is redacted already; anything else may quote one.
        preview=safe_text(f.preview if f.redacts else mask(f.preview)), fingerprint=f.fingerprint,
        context=f.context, location=f.location, commit=f.commit, commit_count=f.commit_count,
        ref=_clean(f.ref, mask) if f.ref else f.ref, note=_clean(f.note, mask), group=key,
        time=times.get(f.commit) if f.commit else None,
        excerpt=tuple(_clean(line, mask) for line in lines), excerpt_line=start,
        part=_clean(f.part, mask) if f.part else "",
    )


def as_report(result: Report | ScanResult) -> Report:
    """A Report as is; a ScanResult rendered (callers that print a result they built)."""
    return result if isinstance(result, Report) else render(result)
