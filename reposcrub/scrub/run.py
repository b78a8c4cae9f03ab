"""scrub: scan the input, plan, rewrite a fresh mirror, write the copy, verify it."""
from __future__ import annotations

import shutil
from dataclasses import dataclass, field, replace
from pathlib import Path

from reposcrub import git
from reposcrub.dirty import has_uncommitted_changes
from reposcrub.decode import DocumentOptions
from reposcrub.model import Finding, ScanResult, Severity
from reposcrub.pipeline import (
    ScanOptions, enabled_rules, format_settings, resolve_profile, scan_target, verification_options,
    with_identity_people,
)
from reposcrub.profile import Profile
from reposcrub.scan import Engine
from reposcrub.scrub import materialize, outdir
from reposcrub.scrub.clean import Cleaner
from reposcrub.scrub.command import run_both
from reposcrub.scrub.notes import NotesResult, rebuild_notes
from reposcrub.scrub.plan import Plan, build_plan
from reposcrub.scrub.refs import lost_signatures
from reposcrub.scrub.replace import Replacer
from reposcrub.scrub.rewrite import rewrite
from reposcrub.scrub.sweep import Sweeper, sweep_repository
from reposcrub.scrub.terms import sweep_terms
from reposcrub.scrub.verify import TreeCheck, Verification, check_structure, unreachable_objects
from reposcrub.sources import gitwalk
from reposcrub.targets import classify, is_url


@dataclass(frozen=True, slots=True)
class ScrubOptions:
    out: Path
    mode: str = "history"  # or "snapshot"
    salt: str | None = None
    keep_identity: tuple[str, ...] = ()
    force: bool = False
    verify: bool = True
    verify_cmd: str | None = None  # the operator's own test command, run in both checkouts
    fail_on: Severity = Severity.LOW
    scan: ScanOptions = field(default_factory=ScanOptions)
    documents: DocumentOptions = field(default_factory=DocumentOptions)  # tracked changes, notebook outputs


@dataclass
class ScrubResult:
    out: Path
    scan: ScanResult
    plan: Plan
    verification: Verification | None
    commit_map: Path | None
    notes: list[str] = field(default_factory=list)


def check_out_dir(out: Path, force: bool, source: Path | None) -> None:
    """Raises: ReposcrubError: see outdir.prepare."""
    outdir.prepare(out, force, [source] if source is not None else [])


def scrub(target_text: str, options: ScrubOptions) -> ScrubResult:
    """Write a sanitized copy of the target at options.out; the input is never modified.

    Raises:
        ReposcrubError: bad target or output, or a git step failed.
    """
    local = None if is_url(target_text) else classify(Path(target_text), allow_foreign_owner=options.scan.allow_foreign_owner)
    outdir.prepare(options.out, options.force, outdir.inputs(target_text, local.path if local else None))
    profile = resolve_profile(local.path if local and local.kind != "bare" else None, options.scan)
    profile = replace(profile, keep_identity=profile.keep_identity + options.keep_identity,
                      salt=options.salt if options.salt is not None else profile.salt)
    with outdir.work_dir(options.out) as tmp:
        try:
            outdir.create(options.out)
            if local is not None and local.kind == "folder":
                result = materialize.scrub_folder(local.path, options, profile)
            else:
                result = _scrub_git(target_text, local.path if local else None, tmp, options, profile)
        except BaseException:
            shutil.rmtree(options.out, ignore_errors=True)  # interrupted or failed: no partial output
            raise
        outdir.finish(options.out)
        return result


def _scrub_git(target_text: str, source: Path | None, tmp: Path, options: ScrubOptions, profile: Profile) -> ScrubResult:
    # The input is only read (with git hardened against its config); URLs are cloned once.
    mirror = tmp / "mirror.git"
    if source is not None:
        pristine = source
    else:
        pristine = tmp / "pristine.git"
        git.run(["clone", "--mirror", "--no-local", "--quiet", "--", target_text, str(pristine)], cwd=tmp)
    git.run(["clone", "--mirror", "--no-local", "--quiet", "--", str(pristine.resolve()), str(mirror)], cwd=tmp)
    profile = with_identity_people(profile, pristine)
    scan_opts = replace(options.scan, profile=profile, history=True)
    # Every blob holding a value is rewritten, so every blob's findings are needed, not only
    # where each value first appeared. Suppressions are revealed, not obeyed: a secret they
    # hide is kept only for a trusted input, and then named in the verdict.
    reveal = scan_opts if scan_opts.untrusted else verification_options(scan_opts)
    result = scan_target(str(pristine), replace(reveal, changes_only=False, full_context=True))
    result, kept = _kept_by_suppressions(result, trusted=not scan_opts.untrusted)
    replacer = Replacer(profile, profile.salt)
    replacer.prepare(gitwalk.identities(pristine), result.findings)
    engine = Engine(enabled_rules(scan_opts, profile), profile, obey_allows=not scan_opts.untrusted,
                    documents=format_settings(scan_opts))
    plan = build_plan(result, Cleaner(engine, replacer, documents=options.documents), pristine,
                      stub=profile.secret_files == "stub")
    ref_map = rewrite(mirror, plan, replacer)
    commit_map = materialize.read_commit_map(mirror)
    notes = rebuild_notes(pristine, mirror, commit_map, plan, replacer)
    ref_map.update(notes.refs)
    head = git.run(["symbolic-ref", "-q", "HEAD"], cwd=pristine, check=False).decode().strip()
    materialize.write_repository(mirror, options.out, options.mode, ref_map.get(head, head) or None)
    said = _notes_said(source, notes) + lost_signatures(pristine)
    verification = None
    if options.verify:
        context = _Context(pristine, tmp, plan, engine, replacer, profile, commit_map, ref_map, head, kept)
        verification = _verify(context, options)
    commit_map_file = _commit_map_file(options.out, commit_map) if options.mode == "history" else None
    return ScrubResult(options.out, result, plan, verification, commit_map_file, said)


def _kept_by_suppressions(result: ScanResult, trusted: bool) -> tuple[ScanResult, tuple[Finding, ...]]:
    """For a trusted input, what its own inline allows, ignore files, baseline or profile hide
    stays as it is, and is returned to be listed as left in the verdict; an untrusted input
    keeps nothing."""
    kept = tuple(f for f in result.findings if f.unobeyed) if trusted else ()
    if not kept:
        return result, ()
    said = [replace(f, note=f"kept in place: the input's own {' and '.join(f.unobeyed)} hides it "
                            "(not obeyed with --untrusted, which removes it too)") for f in kept]
    return replace(result, findings=tuple(f for f in result.findings if not f.unobeyed)), tuple(said)


def _notes_said(source: Path | None, notes: NotesResult) -> list[str]:
    said = []
    if source is not None and git.toplevel(source) is not None and has_uncommitted_changes(source):
        said.append("uncommitted changes in the input's work tree are not part of the copy")
    if notes.refs:
        said.append(f"git notes: {notes.notes} note(s) in {len(notes.refs)} notes ref(s) follow their rewritten commits"
                    + (f"; the history of {notes.squashed} notes ref(s) is not kept, only its last state" if notes.squashed else ""))
    if notes.dropped:
        said.append(f"git notes: {notes.dropped} note(s) on objects other than commits are not kept")
    return said


@dataclass(frozen=True, slots=True)
class _Context:
    pristine: Path
    tmp: Path
    plan: Plan
    engine: Engine
    replacer: Replacer
    profile: Profile
    commit_map: dict[str, str]
    ref_map: dict[str, str]
    head: str
    kept: tuple[Finding, ...] = ()  # left in place because a suppression of the input asks so


def _verify(c: _Context, options: ScrubOptions) -> Verification:
    """The copy as a recipient gets it (a fresh mirror clone), swept for every term; its
    files compared with the input's at every ref tip; optionally the project's own command."""
    v = Verification()
    clone = c.tmp / "verify.git"
    git.run(["clone", "--mirror", "--no-local", "--quiet", "--", str(options.out.resolve()), str(clone)], cwd=c.tmp)
    v.leftover = [f for f in c.plan.leftover if f.severity >= options.fail_on] + list(c.kept)
    findings = [f for f in (*c.plan.replaced, *c.plan.leftover) if f.severity >= options.fail_on]
    sweeper = Sweeper(sweep_terms(c.profile, findings, c.replacer.literals), c.profile.keep_words)
    v.sweep = sweep_repository(clone, sweeper)
    v.evidence.append(f"swept {v.sweep.objects} objects ({v.sweep.bytes / 1e6:.1f} MB) and {v.sweep.refs} ref names "
                      f"for {v.sweep.terms} terms")
    v.problems += [f"unreachable object left: {line}" for line in unreachable_objects(options.out)]
    v.problems += c.plan.refusals  # a document scrub could not clean: never certified
    trees = TreeCheck(c.pristine, options.out, c.plan, c.engine)
    if options.mode == "history":
        check_structure(c.pristine, options.out, c.commit_map, v)
        trees.run(c.ref_map, v)
    elif c.head:
        trees.run(c.ref_map, v, only=c.head)
    if options.verify_cmd:
        run_both(options.verify_cmd, c.pristine, options.out, c.tmp, v)
    return v


def _commit_map_file(out: Path, commit_map: dict[str, str]) -> Path | None:
    if not commit_map:
        return None
    path = out.parent / f"{out.name}.commit-map"
    lines = ["old new"] + [f"{old} {new}" for old, new in sorted(commit_map.items())]
    outdir.write_beside(path, "\n".join(lines) + "\n")
    return path
