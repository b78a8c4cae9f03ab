"""Wires the stages for one scan: target -> sources -> engine -> ScanResult."""
from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path

from reposcrub import git, shipped
from reposcrub.decode.formats import FormatSettings
from reposcrub.decode.limits import DecodeLimits
from reposcrub.errors import ReposcrubError
from reposcrub.excerpts import capture
from reposcrub.filters import drop_baselined
from reposcrub.infer import fallback
from reposcrub.nested import with_nested
from reposcrub.model import Blob, Finding, Provenance, Rule, ScanResult, Severity
from reposcrub.people import PersonGroup, group_identities, identity_people
from reposcrub.profile import Profile, from_flags, load_profile
from reposcrub.progress import estimated_total
from reposcrub.rules import builtin_rules
from reposcrub.scan import Engine, EngineConfig, Executor, default_jobs, run
from reposcrub.severity import judge
from reposcrub.sources import gitwalk
from reposcrub.sources.archive import (
    ArchiveLimits,
    extracted,
    find_repositories,
    is_archive,
)
from reposcrub.sources.dates import since_timestamp
from reposcrub.sources.history import HistoryScope, HistorySource, head_revision
from reposcrub.sources.staged import StagedSource
from reposcrub.sources.worktree import (
    DEFAULT_MAX_FILE_SIZE,
    WorktreeSource,
    load_ignore,
)
from reposcrub.targets import Target, classify, cloned, is_url


@dataclass(frozen=True, slots=True)
class ScanOptions:
    jobs: int = field(default_factory=default_jobs)
    max_file_size: int = DEFAULT_MAX_FILE_SIZE
    disabled_rules: frozenset[str] = frozenset()
    baseline: frozenset[str] = frozenset()
    history: bool = True
    staged: bool = False
    staged_paths: tuple[str, ...] = ()  # with staged: these paths' indexed content, changed or not
    since: str | None = None
    rev_range: str | None = None
    profile_file: Path | None = None
    orgs: tuple[str, ...] = ()
    domains: tuple[str, ...] = ()
    profile: Profile | None = None  # given explicitly (scrub verification): no lookup
    archive_limits: ArchiveLimits = field(default_factory=ArchiveLimits)
    progress: Callable[[int, int], None] | None = None  # (blobs, bytes) read so far
    progress_total: Callable[[int], None] | None = None  # told how many files and objects there are, at most
    # A later version of a file is scanned only where it changed (its findings elsewhere are
    # the earlier version's). Scrub turns this off: it rewrites every blob that holds a value.
    changes_only: bool = True
    # Context (string, comment, identifier) for every finding, also in history-only blobs:
    # scrub needs it to shape replacements, and the scan's workers parse in parallel.
    full_context: bool = False
    excerpt_lines: int = 0  # keep this many lines either side of findings (the HTML report shows them)
    # Where batches are scanned instead of a pool forked by the scan itself (scan.run).
    executor: Executor | None = field(default=None, compare=False)
    # A submission's own .reposcrub.toml, .reposcrubignore, inline allows and baseline are
    # reported, not obeyed: only the operator's profile and flags count (intake, the Action).
    untrusted: bool = False
    allow_foreign_owner: bool = False  # read repositories owned by another user (never their config)
    ocr: bool = False  # read text in pictures (the ocr extra and tesseract)


def format_settings(options: ScanOptions) -> FormatSettings:
    """How documents are read: the archive caps, and whether pictures are read by OCR."""
    return FormatSettings(DecodeLimits.from_archive(options.archive_limits), ocr=options.ocr)


def with_identity_people(profile: Profile, repo: Path) -> Profile:
    """People known from git identities join the profile's people, grouped as .mailmap
    would (people.py): their names and handles are found in comments and docs too. Bots,
    services and identities kept with --keep-identity are left out. Without any profile,
    what the repository says about itself is the profile (infer/fallback.py)."""
    keep = {k.lower() for k in profile.keep_identity}
    if profile.is_empty and not profile.source:
        found = fallback.self_described(repo)
        found = replace(found, people=tuple(p for p in found.people if not keep & {e.lower() for e in p.emails}))
        profile = replace(profile.merged(found), source=found.source, fallback=True)
    found_ids = [(n.decode("utf-8", "replace"), e.decode("utf-8", "replace")) for n, e in gitwalk.identities(repo)]
    mailmap = git.run(["cat-file", "blob", "HEAD:.mailmap"], cwd=repo, check=False).decode("utf-8", "replace")
    people = [p for p in identity_people(found_ids, mailmap) if not keep & {e.lower() for e in p.emails}]
    return profile.merged(Profile(people=tuple(people))) if people else profile


def pushed_range() -> str:
    """The commits a push sends: pre-commit's pre-push variables, else upstream..HEAD.

    Raises:
        ReposcrubError: neither is available.
    """
    import os

    source, target = os.environ.get("PRE_COMMIT_FROM_REF"), os.environ.get("PRE_COMMIT_TO_REF")
    if source and target:
        # A new branch has no remote commit yet (pre-commit passes all zeros): what the
        # remote does not have yet is what the push sends.
        return f"{target} --not --remotes" if set(source) == {"0"} else f"{source}..{target}"
    upstream = git.run(["rev-parse", "--abbrev-ref", "--symbolic-full-name", "@{upstream}"], cwd=Path("."), check=False)
    if upstream.strip():
        return f"{upstream.decode().strip()}..HEAD"
    # The first push of a repository: pre-commit sets neither variable and there is no upstream.
    local = os.environ.get("PRE_COMMIT_LOCAL_BRANCH") or "HEAD"
    return f"{local} --not --remotes"


def enabled_rules(options: ScanOptions, profile: Profile) -> list[Rule]:
    """The rule pack less disabled rules, with the profile's severity overrides.

    Raises:
        ReposcrubError: a disabled or overridden rule id does not exist.
    """
    rules = builtin_rules()
    disabled = options.disabled_rules | set(profile.disabled_rules)
    overrides = dict(profile.severity_overrides)
    unknown = (disabled | set(overrides)) - {r.id for r in rules}
    if unknown:
        raise ReposcrubError(f"unknown rule id(s) in configuration: {', '.join(sorted(unknown))}; see `reposcrub rules list`")
    return [replace(r, severity=overrides.get(r.id, r.severity)) for r in rules if r.id not in disabled]


def verification_options(options: ScanOptions) -> ScanOptions:
    """How scrub re-scans its copy: no suppression hides a secret there. Ignore files,
    inline allows and baselines are reported, not obeyed, and the profile neither disables
    nor lowers a secret rule: a secret left in place fails the verdict, saying why."""
    profile = options.profile
    if profile is not None:
        secret = {r.id for r in builtin_rules() if r.redacts}
        profile = replace(profile, disabled_rules=tuple(r for r in profile.disabled_rules if r not in secret),
                          severity_overrides=tuple(o for o in profile.severity_overrides if o[0] not in secret))
    return replace(options, profile=profile, baseline=frozenset(), untrusted=True,
                   disabled_rules=options.disabled_rules - {r.id for r in builtin_rules() if r.redacts})


def resolve_profile(root: Path | None, options: ScanOptions) -> Profile:
    profile = load_profile(None if options.untrusted else root, options.profile_file)
    if options.orgs or options.domains:
        profile = profile.merged(from_flags(options.orgs, options.domains))
    return profile


def scan_target(text: str, options: ScanOptions) -> ScanResult:
    """Scan a folder, work tree, bare repository or git URL.

    Raises:
        ReposcrubError: the target is missing or unusable, or git failed.
    """
    if options.since is not None:
        since_timestamp(options.since)  # a bad date fails now, before a clone or a work-tree scan
    if is_url(text):
        if options.staged:
            raise ReposcrubError("--staged needs a local work tree, not a URL")
        with cloned(text) as target:
            return _scan(target, options)
    path = Path(text)
    if path.is_file() and is_archive(path):
        return scan_archive(path, options, options.archive_limits)
    if path.is_file() and not path.is_symlink() and not options.staged:
        return scan_file(path, options)
    return _scan(classify(path, allow_foreign_owner=options.allow_foreign_owner), options)


def scan_file(path: Path, options: ScanOptions) -> ScanResult:
    """Scan one file that is not an archive: its content, under its own name.

    Raises:
        ReposcrubError: the file cannot be read.
    """
    started = time.perf_counter()
    profile = options.profile or resolve_profile(path.parent, options)
    rules = enabled_rules(options, profile)
    try:
        size = path.stat().st_size
        data = path.read_bytes() if size <= options.max_file_size else b""
    except OSError as exc:
        raise ReposcrubError(f"cannot read {path}: {exc.strerror}") from None
    blob = Blob(data, Provenance(path=path.name), size=size if size > options.max_file_size else None)
    found = drop_baselined(run([blob], Engine(rules, profile), 1), options.baseline)
    return ScanResult(target=str(path), findings=tuple(judge(found, {r.id: r for r in rules})), rules=tuple(rules),
                      files_scanned=1, bytes_scanned=len(data), seconds=time.perf_counter() - started)


@dataclass
class _Counters:
    files: int = 0
    bytes: int = 0
    nested: list[str] = field(default_factory=list)  # folders holding repositories of their own


def engine_config(target: Target, options: ScanOptions) -> EngineConfig:
    """The scan's configuration, resolved once: profile (file, flags, git identities), rules.

    Raises:
        ReposcrubError: the profile is invalid or names unknown rules.
    """
    profile = options.profile or resolve_profile(target.path if target.kind != "bare" else None, options)
    if target.kind != "folder" and options.profile is None and not options.staged:
        profile = with_identity_people(profile, target.path)
    rules = enabled_rules(options, profile)
    # A full-history scan labels blobs seen only in history where context decides something;
    # ranged scans (a push, a pull request) are small enough to label every finding.
    full_history = options.history and not (options.rev_range or options.since or options.staged)
    return EngineConfig(tuple(rules), profile, history_context=options.full_context or not full_history,
                        obey_allows=not options.untrusted,
                        documents=format_settings(options))


def _scan(target: Target, options: ScanOptions, depth: int = 0) -> ScanResult:
    started = time.perf_counter()
    config = engine_config(target, options)
    engine = Engine.from_config(config)
    profile, rules = config.profile, list(config.rules)
    notes: list[str] = list(target.notes)
    if profile.fallback:
        notes.append(fallback.note(profile))
    counters = _Counters()
    blobs = _blobs(target, options, notes, counters, profile)
    if options.progress is not None:
        if options.progress_total is not None and not options.staged:
            ranged = bool(options.rev_range or options.since)
            options.progress_total(estimated_total(target.path, target.kind, tree=not ranged, history=options.history))
        blobs = _reporting(blobs, options.progress)
    findings = drop_baselined(run(blobs, engine, options.jobs, options.executor), options.baseline)
    findings = judge(_judge_identities(findings) + (_in_label(target, engine) if depth == 0 else []),
                     {r.id: r for r in rules})
    if options.untrusted:
        findings, said = shipped.review(target.path if target.kind != "bare" else None, findings)
        notes += said
    findings.sort(key=lambda f: f.sort_key())
    revision = head_revision(target.path) if target.kind != "folder" else None
    result = ScanResult(
        target=target.label,
        findings=tuple(findings),
        rules=tuple(rules),
        files_scanned=counters.files,
        bytes_scanned=counters.bytes,
        seconds=time.perf_counter() - started,
        notes=tuple(notes),
        revision=revision if options.history and not options.staged else None,
        repository_uri=target.repository_uri,
        ranged=bool(options.rev_range or options.since),
        people=_people(target.path) if target.kind != "folder" and not options.staged else (),
        commit_times=_commit_times(target.path, {f.commit for f in findings if f.commit}),
        excerpts=capture(target.path, findings, rules, options.excerpt_lines) if options.excerpt_lines else {},
    )
    if not counters.nested:
        return result
    inner = replace(options, progress=None)
    return with_nested(target.path, result, counters.nested, lambda t, d: _scan(t, inner, d), depth,
                       options.allow_foreign_owner)


def _in_label(target: Target, engine: Engine) -> list[Finding]:
    """Secrets in the name the target was given (a folder named after a token): reported,
    and so masked wherever reports print the name."""
    blob = Blob(data=target.label.encode("utf-8", "surrogateescape"), provenance=Provenance(path="", location="path"))
    return [replace(f, note="in the name of the scanned target") for f in engine.scan_blob(blob) if f.redacts]


def _commit_times(repo: Path, wanted: set[str]) -> dict[str, int]:
    """When each commit that holds a finding was made (reports date where a value came in)."""
    if not wanted:
        return {}
    times: dict[str, int] = {}
    for line in git.split_stream(["log", "--all", "--reflog", "--format=%H %ct"], repo, b"\n"):
        sha, _, when = line.decode("ascii", "replace").partition(" ")
        if sha in wanted and when.strip().isdigit():
            times[sha] = int(when)
    return times


def _people(repo: Path) -> tuple[PersonGroup, ...]:
    """The people among the git identities, grouped as .mailmap (read from HEAD) would."""
    pairs = [(n.decode("utf-8", "replace"), e.decode("utf-8", "replace")) for n, e in gitwalk.identities(repo)]
    mailmap = git.run(["cat-file", "blob", "HEAD:.mailmap"], cwd=repo, check=False)[: 1 << 20]
    return tuple(group_identities(pairs, mailmap.decode("utf-8", "replace")))


_IDENTITY = ("author", "committer")
# Identities are always rewritten by scrub; in a scan, personal data in them is reported
# for information, while the organisation's own domains and secrets keep their severity.
_IDENTITY_KEEPS_SEVERITY = ("pii/org-email",)


def _own_email(target: Target, options: ScanOptions) -> str | None:
    """The committer's own e-mail, exempt from identity findings in a hook run."""
    if target.kind != "worktree" or not (options.staged or options.rev_range):
        return None
    email = git.user_email(target.path)
    return email.lower() if email else None


def _judge_identities(findings: list[Finding]) -> list[Finding]:
    out = []
    for f in findings:
        if f.location in _IDENTITY and f.category == "pii" and f.rule_id not in _IDENTITY_KEEPS_SEVERITY:
            f = replace(f, severity=Severity.INFO, note=f.note or "author identity: scrub rewrites it")
        out.append(f)
    return out


def _reporting(blobs: Iterator[Blob], progress: Callable[[int, int], None]) -> Iterator[Blob]:
    count = size = 0
    last = time.monotonic()
    for blob in blobs:
        count += blob.provenance.location == "file"  # metadata is not among the files and objects counted
        size += len(blob.data)
        if time.monotonic() - last > 0.2:
            progress(count, size)
            last = time.monotonic()
        yield blob
    progress(count, size)


def _blobs(target: Target, options: ScanOptions, notes: list[str], counters: _Counters,
           profile: Profile) -> Iterator[Blob]:
    if options.staged:
        if target.kind != "worktree":
            raise ReposcrubError(f"--staged needs a git work tree; {target.label} is not one")
        staged = StagedSource(target.path, options.max_file_size, options.staged_paths, obey_ignore=not options.untrusted)
        yield from staged.blobs()
        counters.files, counters.bytes = staged.files_seen, staged.bytes_seen
        return
    skip: frozenset[str] = frozenset()
    commits_only = options.history and (options.rev_range or options.since) and target.kind != "folder"
    if target.kind in ("worktree", "folder") and not commits_only:
        tree = WorktreeSource(target.path, max_file_size=options.max_file_size, use_git=target.kind == "worktree",
                              obey_ignore=not options.untrusted)
        yield from tree.blobs()
        counters.files, counters.bytes, counters.nested = tree.files_seen, tree.bytes_seen, tree.nested
        notes.extend(tree.notes)
        skip = frozenset(tree.oids)
    if target.kind == "folder" or not options.history:
        return
    yield from _history(target, options, skip, notes, counters, profile)


def _history(target: Target, options: ScanOptions, skip: frozenset[str], notes: list[str],
             counters: _Counters, profile: Profile) -> Iterable[Blob]:
    if git.rev_parse_flag(target.path, "--is-shallow-repository"):
        notes.append("shallow clone: history before the shallow boundary is not scanned (fetch with --unshallow)")
    if head_revision(target.path) is None and not git.run(["for-each-ref"], cwd=target.path).strip():
        notes.append("the repository has no commits: only the work tree was scanned")
        return
    scope = HistoryScope(since=options.since, rev_range=options.rev_range)
    keep = {e.lower() for e in profile.keep_identity}
    own = _own_email(target, options)
    ignore = None if options.untrusted else load_ignore(target.path)
    history = HistorySource(target.path, scope, options.max_file_size, skip_oids=skip, ignore=ignore,
                            changes_only=options.changes_only,
                            keep_emails=frozenset(keep | ({own} if own else set())))
    yield from history.blobs()
    counters.files += history.blobs_scanned
    counters.bytes += history.bytes_scanned
    notes.extend(history.notes)


def scan_archive(path: Path, options: ScanOptions, limits: ArchiveLimits | None = None) -> ScanResult:
    """Scan an archive: each git repository in it (its root or one level down) with its
    history, everything else as a folder. Finding paths are relative to the archive's root.

    Raises:
        ReposcrubError: the archive is unusable or over a limit, or the scan failed.
    """
    if options.staged:
        raise ReposcrubError(f"--staged needs a git work tree; {path} is an archive")
    started = time.perf_counter()
    with extracted(path, limits or ArchiveLimits()) as archive:
        parts = _scan_roots(archive.root)
        results = [(prefix, scan_target(str(where), options)) for where, prefix in parts]
        whole = find_repositories(archive.root) == [archive.root]
    prefixes = [p for _, p in parts if p]
    said = tuple(f"git repository at {p}/ scanned with its history" for p in prefixes)
    if whole:
        said = ("the archive holds a git repository: scanned with its history",)
    merged = _merge(results, prefixes)
    return replace(merged, target=str(path), notes=archive.notes + said + merged.notes, repository_uri=None,
                   seconds=time.perf_counter() - started)


def _scan_roots(root: Path) -> list[tuple[Path, str]]:
    """What to scan, with the prefix its paths get: "" for the root itself."""
    repos = find_repositories(root)
    if repos and (repos == [root] or all(p in repos for p in root.iterdir())):
        return [(r, "" if r == root else r.name) for r in repos]
    return [(root, "")]  # a folder: repositories in it, at any depth, are scanned as nested ones


def _merge(results: list[tuple[str, ScanResult]], repo_prefixes: list[str]) -> ScanResult:
    findings: list[Finding] = []
    notes: list[str] = []
    files = size = 0
    for prefix, result in results:
        for f in result.findings:
            if not prefix and f.path.split("/", 1)[0] in repo_prefixes:
                continue  # the folder scan of the root: the repository's own scan has these
            findings.append(replace(f, path=f"{prefix}/{f.path}") if prefix and f.location in ("file", "path") else f)
        files, size = files + result.files_scanned, size + result.bytes_scanned
        notes.extend(n for n in result.notes if not n.startswith("a folder inside a git work tree"))
    first = results[0][1]
    findings.sort(key=lambda f: f.sort_key())
    return replace(first, findings=tuple(findings), files_scanned=files, bytes_scanned=size, notes=tuple(notes),
                   revision=first.revision if len(results) == 1 else None)
