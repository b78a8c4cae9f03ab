"""scrub: scan the input, plan, rewrite a fresh mirror, write the copy, verify it."""
from __future__ import annotations

import shutil
import tempfile
from dataclasses import dataclass, field, replace
from pathlib import Path

from reposcrub import git
from reposcrub.errors import ReposcrubError
from reposcrub.model import ScanResult, Severity
from reposcrub.decode import DocumentOptions
from reposcrub.pipeline import ScanOptions, enabled_rules, format_settings, resolve_profile, scan_target, with_identity_people
from reposcrub.profile import Profile
from reposcrub.scan import Engine
from reposcrub.scrub import materialize
from reposcrub.scrub.clean import Cleaner
from reposcrub.scrub.plan import Plan, build_plan, secret_file_rules
from reposcrub.scrub.replace import Replacer
from reposcrub.scrub.rewrite import rewrite
from reposcrub.scrub.verify import Verification, check_structure, check_untouched_files, judge_findings, unreachable_objects
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
    """Raises: ReposcrubError: out exists and is not empty (without force), or lies inside the input."""
    if source is not None:
        src, dst = source.resolve(), out.resolve()
        if dst == src or src in dst.parents:
            raise ReposcrubError(f"--out {out} is inside the input; choose a folder outside it")
    if out.exists() and (not out.is_dir() or any(out.iterdir())):
        if not force:
            raise ReposcrubError(f"--out {out} exists and is not empty; choose another folder or pass --force")
        shutil.rmtree(out) if out.is_dir() else out.unlink()


def scrub(target_text: str, options: ScrubOptions) -> ScrubResult:
    """Write a sanitized copy of the target at options.out; the input is never modified.

    Raises:
        ReposcrubError: bad target or output, or a git step failed.
    """
    local = None if is_url(target_text) else classify(Path(target_text))
    check_out_dir(options.out, options.force, local.path if local else None)
    profile = resolve_profile(local.path if local and local.kind != "bare" else None, options.scan)
    profile = replace(profile, keep_identity=profile.keep_identity + options.keep_identity,
                      salt=options.salt if options.salt is not None else profile.salt)
    tmp = Path(tempfile.mkdtemp(prefix="reposcrub-scrub-"))
    try:
        _make_out(options.out)
        if local is not None and local.kind == "folder":
            return materialize.scrub_folder(local.path, options, profile)
        return _scrub_git(target_text, local.path if local else None, tmp, options, profile)
    except BaseException:
        shutil.rmtree(options.out, ignore_errors=True)  # interrupted or failed: no partial output
        raise
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def _make_out(out: Path) -> None:
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ReposcrubError(f"cannot create --out {out}: {exc.strerror}; choose a folder you can write") from None


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
    # where each value first appeared.
    result = scan_target(str(pristine), replace(scan_opts, changes_only=False))
    rules = enabled_rules(scan_opts, profile)
    replacer = Replacer(profile, profile.salt)
    replacer.prepare(gitwalk.identities(pristine), result.findings)
    cleaner = Cleaner(Engine(rules, profile, documents=format_settings(scan_opts)), replacer, documents=options.documents)
    plan = build_plan(result, cleaner, pristine, stub=profile.secret_files == "stub")
    rewrite(mirror, plan, replacer)
    commit_map = materialize.write_repository(mirror, options.out, options.mode)
    notes = []
    if source is not None and git.toplevel(source) is not None:
        notes.append("uncommitted changes in the input's work tree are not part of the copy")
    verification = None
    if options.verify:
        verification = _verify(pristine, options, scan_opts, plan, commit_map, rules)
    return ScrubResult(options.out, result, plan, verification, _commit_map_file(options.out, commit_map), notes)


def _verify(pristine: Path, options: ScrubOptions, scan_opts: ScanOptions, plan: Plan,
            commit_map: dict[str, str], rules: list) -> Verification:  # type: ignore[type-arg]
    v = Verification()
    after = scan_target(str(options.out), replace(scan_opts, baseline=frozenset()))
    judge_findings(list(after.findings), secret_file_rules(rules), options.fail_on, v)
    v.problems += [f"unreachable object left: {line}" for line in unreachable_objects(options.out)]
    v.problems += [f"{path} parsed without errors before scrubbing and not after" for path in plan.broken_syntax]
    v.problems += plan.refusals  # a document scrub could not clean: never certified
    if options.mode == "history":
        check_structure(pristine, options.out, commit_map, v)
        tips = {old: commit_map[old] for _, kind, old in gitwalk.refs(pristine) if kind == "commit" and old in commit_map}
        check_untouched_files(pristine, options.out, tips, plan, v)
    return v


def _commit_map_file(out: Path, commit_map: dict[str, str]) -> Path | None:
    if not commit_map:
        return None
    path = out.parent / f"{out.name}.commit-map"
    lines = ["old new"] + [f"{old} {new}" for old, new in sorted(commit_map.items())]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path
