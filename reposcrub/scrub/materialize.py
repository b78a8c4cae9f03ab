"""Write the scrubbed copy: a repository with every rewritten ref (or one snapshot
commit), no remotes, no reflogs and no unreachable objects; or a plain folder."""
from __future__ import annotations

import shutil
import subprocess
from pathlib import Path
from typing import TYPE_CHECKING

from reposcrub import git
from reposcrub.model import Provenance
from reposcrub.profile import Profile
from reposcrub.scrub.refs import remove_stale_files

if TYPE_CHECKING:
    from reposcrub.scrub.run import ScrubOptions, ScrubResult


def read_commit_map(mirror: Path) -> dict[str, str]:
    """Old commit id -> new, as git-filter-repo wrote it in the mirror."""
    path = mirror / "filter-repo" / "commit-map"
    if not path.is_file():
        return {}
    pairs = (line.split() for line in path.read_text().splitlines()[1:])
    return dict(pair for pair in pairs if len(pair) == 2)


def _head_ref(head: str | None, out: Path) -> str | None:
    """The input's HEAD under its new name; else the first branch."""
    refs = git.run(["for-each-ref", "--format=%(refname)", "refs/heads"], cwd=out).decode().split()
    if head in refs:
        return head
    return refs[0] if refs else None


def write_repository(mirror: Path, out: Path, mode: str, head: str | None) -> None:
    """Fetch every rewritten ref into a new repository at out and check out head (the
    input's HEAD, renamed). Nothing naming the mirror or old commits is left in .git."""
    out = out.resolve()
    out.mkdir(parents=True, exist_ok=True)
    git.run(["-c", "init.defaultBranch=main", "init", "-q", str(out)], cwd=out)
    git.run(["fetch", "-q", "--no-tags", "--update-head-ok", str(mirror.resolve()), "+refs/*:refs/*"], cwd=out)
    head = _head_ref(head, out)
    if head is not None:
        git.run(["symbolic-ref", "HEAD", head], cwd=out)
        git.run(["reset", "-q", "--hard"], cwd=out)
    if mode == "snapshot" and head is not None:
        _squash(out, head)
    _clean_up(out)


def _squash(out: Path, head: str) -> None:
    """One commit holding HEAD's tree, with HEAD's (already scrubbed) identity and date."""
    fmt = "%an%x00%ae%x00%aI%x00%cn%x00%ce%x00%cI"
    an, ae, ad, cn, ce, cd = git.run(["log", "-1", f"--format={fmt}", head], cwd=out).decode().strip().split("\0")
    env = dict(GIT_AUTHOR_NAME=an, GIT_AUTHOR_EMAIL=ae, GIT_AUTHOR_DATE=ad,
               GIT_COMMITTER_NAME=cn, GIT_COMMITTER_EMAIL=ce, GIT_COMMITTER_DATE=cd)
    tree = git.run(["rev-parse", f"{head}^{{tree}}"], cwd=out).decode().strip()
    proc = subprocess.run(git.git_command(["commit-tree", tree, "-m", "Snapshot"]), cwd=out,
                          env={**git.safe_env(), **env}, capture_output=True, check=True)
    commit = proc.stdout.decode().strip()
    for ref in git.run(["for-each-ref", "--format=%(refname)"], cwd=out).decode().split():
        git.run(["update-ref", "-d", ref], cwd=out)
    git.run(["update-ref", head, commit], cwd=out)


def _clean_up(out: Path) -> None:
    """No remotes, no reflogs, nothing unreachable."""
    for remote in git.run(["remote"], cwd=out).decode().split():
        git.run(["remote", "remove", remote], cwd=out)
    git.run(["reflog", "expire", "--expire=now", "--expire-unreachable=now", "--all"], cwd=out)
    shutil.rmtree(out / ".git" / "logs", ignore_errors=True)
    remove_stale_files(out / ".git")
    git.run(["gc", "-q", "--prune=now"], cwd=out)


def scrub_folder(root: Path, options: ScrubOptions, profile: Profile) -> ScrubResult:
    """A plain folder in, a plain folder out: every shipped file, cleaned and renamed."""
    from dataclasses import replace as dc_replace

    from reposcrub.pipeline import enabled_rules, format_settings, scan_target, verification_options
    from reposcrub.scan import Engine
    from reposcrub.scrub.clean import Cleaner
    from reposcrub.scrub.plan import STUB, Plan, build_plan
    from reposcrub.scrub.replace import Replacer
    from reposcrub.scrub.run import ScrubResult
    from reposcrub.scrub.sweep import Sweeper, sweep_folder
    from reposcrub.scrub.terms import sweep_terms
    from reposcrub.scrub.verify import Verification, judge_findings
    from reposcrub.scrub.plan import secret_file_rules
    from reposcrub.sources.worktree import WorktreeSource

    scan_opts = dc_replace(options.scan, profile=profile)
    result = scan_target(str(root), scan_opts)
    rules = enabled_rules(scan_opts, profile)
    replacer = Replacer(profile, profile.salt)
    replacer.prepare((), result.findings)
    cleaner = Cleaner(Engine(rules, profile, documents=format_settings(scan_opts)), replacer, documents=options.documents)
    plan: Plan = build_plan(result, cleaner, None, stub=profile.secret_files == "stub")
    source = WorktreeSource(root, max_file_size=options.scan.max_file_size)
    options.out.mkdir(parents=True, exist_ok=True)
    for blob in source.blobs():
        if blob.provenance.location != "file":
            continue  # a file's name as content to scan: renamed with the file below
        path = blob.path
        new_rel = cleaner.clean(path.encode(), Provenance(path=path, location="path")).data.decode()
        target = options.out / new_rel
        target.parent.mkdir(parents=True, exist_ok=True)
        if path in plan.secret_files:
            if plan.stub:
                target.write_bytes(STUB)
            continue
        if blob.size is not None:  # too large to scan: copied as is, and reported for review
            shutil.copyfile(root / path, target)
            continue
        cleaned = cleaner.clean(blob.data, blob.provenance)
        plan.replaced.extend(cleaned.replaced)
        plan.refusals += [cleaned.refused] if cleaned.refused else []
        if cleaned.removed:  # a binary or an editor's copy holding a finding: not copied
            plan.secret_files.add(path)
            continue
        target.write_bytes(cleaned.data)
        shutil.copymode(root / path, target)
    verification = None
    if options.verify:
        verification = Verification()
        after = scan_target(str(options.out), verification_options(scan_opts))  # no suppression hides a secret
        judge_findings(list(after.findings), secret_file_rules(rules), options.fail_on, verification)
        verification.problems += plan.refusals
        sweeper = Sweeper(sweep_terms(profile, plan.replaced, replacer.literals), profile.keep_words)
        verification.sweep = sweep_folder(options.out, sweeper)
        verification.evidence.append(f"swept {verification.sweep.objects} files for {verification.sweep.terms} terms")
    return ScrubResult(options.out, result, plan, verification, None, [])
