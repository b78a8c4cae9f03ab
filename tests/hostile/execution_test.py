"""Nothing a scanned repository holds runs (issue 12, items 1-3 and 6): not the programs
its config names for signatures, not the operator's own global filters on its files, and
no caller's GIT_* variable steers git-filter-repo at another repository. Each program
here leaves a marker when it runs; the marker must never appear."""
from __future__ import annotations

import os
import subprocess
import tarfile

import pytest

from tests.conftest import git, make_repo
from tests.hostile.gitattack import (
    KEY, forge_signed_commits, invoke, keys_found, leaky_repo, marker_program, scan_json, set_config, signature_config,
    snapshot,
)


@pytest.fixture
def signed(tmp_path):
    """A repository with a key in its history and commits signed three ways; a program
    outside it that leaves a marker."""
    program, marker = marker_program(tmp_path / "attacker")
    repo = leaky_repo(tmp_path / "repo")
    forge_signed_commits(repo)
    return repo, program, marker


def _arm(repo, program, how, tmp_path):
    values = signature_config(str(program))
    config = repo / ".git" / "config" if (repo / ".git").is_dir() else repo / "config"
    if how == "config":
        set_config(config, values)
        return
    included = tmp_path / "attacker" / "included.gitconfig"
    set_config(included, values)
    key = "include.path" if how == "include" else "includeIf.gitdir:/**.path"
    set_config(config, {key: str(included)})


@pytest.mark.parametrize("how", ["config", "include", "includeIf"])
def test_signature_programs_never_run_in_any_scan(signed, tmp_path, monkeypatch, how):
    repo, program, marker = signed
    _arm(repo, program, how, tmp_path)
    found = keys_found(scan_json(str(repo)))
    assert found and found[0]["commit"]  # the history was read, signatures and all
    scan_json(str(repo), "--rev-range", "HEAD~4..HEAD")
    first = git(repo, "rev-list", "--max-parents=0", "HEAD").strip()
    monkeypatch.chdir(repo)
    scan_json(".", "--pushed", env={"PRE_COMMIT_FROM_REF": first, "PRE_COMMIT_TO_REF": "HEAD"})
    assert invoke("baseline", "create", str(repo), "-o", str(tmp_path / "b.json")).exit_code == 0
    assert invoke("profile", "infer", str(repo)).exit_code == 0
    assert not marker.exists(), marker.read_text()


def test_signature_programs_never_run_in_scrub_bare_repositories_and_archives(signed, tmp_path):
    repo, program, marker = signed
    _arm(repo, program, "config", tmp_path)
    result = invoke("scrub", str(repo), "--out", str(tmp_path / "copy"))
    assert result.exit_code == 0, result.output
    bare = tmp_path / "bare.git"
    git(tmp_path, "clone", "-q", "--bare", str(repo), str(bare))
    _arm(bare, program, "config", tmp_path)
    assert keys_found(scan_json(str(bare)))
    # Self-contained: the archive ships the program and names it relative to the repository.
    (repo / "tools").mkdir()
    (repo / "tools" / "verify.sh").write_bytes(program.read_bytes())
    (repo / "tools" / "verify.sh").chmod(0o755)
    set_config(repo / ".git" / "config", signature_config("./tools/verify.sh"))
    archive = tmp_path / "submission.tar.gz"
    with tarfile.open(archive, "w:gz") as tf:
        tf.add(repo, arcname="submission")
    assert keys_found(scan_json(str(archive)))
    assert not marker.exists(), marker.read_text()


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="giving a repository away needs root")
def test_repository_of_another_user_is_refused_and_then_its_config_ignored(signed, tmp_path):
    repo, program, marker = signed
    _arm(repo, program, "config", tmp_path)
    set_config(repo / ".git" / "config", {"core.fsmonitor": str(program), "core.hooksPath": str(program.parent)})
    subprocess.run(["chown", "-R", "65534:65534", str(repo)], check=True)
    refused = invoke("scan", str(repo))
    assert refused.exit_code == 2
    assert "owned by another user" in refused.output and "--allow-foreign-owner" in refused.output
    assert keys_found(scan_json(str(repo), "--allow-foreign-owner"))
    scrubbed = invoke("scrub", str(repo), "--out", str(tmp_path / "copy"), "--allow-foreign-owner")
    assert scrubbed.exit_code == 0, scrubbed.output
    assert not marker.exists(), marker.read_text()


def test_operator_global_filters_never_run_on_submission_files(tmp_path):
    """`git lfs install` writes filter.lfs.* into ~/.gitconfig; a submission's .gitattributes
    names the filter for every file and its .lfsconfig chooses where git-lfs would go."""
    program, marker = marker_program(tmp_path / "operator")
    home = tmp_path / "home"
    set_config(home / ".gitconfig", {"filter.lfs.smudge": f"{program} %f", "filter.lfs.clean": f"{program} %f",
                                     "diff.lfs.textconv": str(program), "core.fsmonitor": str(program)})
    repo = make_repo(tmp_path / "repo", {".gitattributes": "* filter=lfs diff=lfs\n", "a.py": f"K = '{KEY}'\n",
                                         ".lfsconfig": "[lfs]\n\turl = https://lfs.attacker.example/\n"})
    (repo / "a.py").write_text(f"K = '{KEY}'\n# edited\n")  # stat-dirty: tempts a clean filter
    git(repo, "add", "a.py")
    env = {"HOME": str(home), "XDG_CONFIG_HOME": str(home / ".config")}
    assert keys_found(scan_json(str(repo), env=env))
    assert keys_found(scan_json(str(repo), "--staged", env=env))
    result = invoke("scrub", str(repo), "--out", str(tmp_path / "copy"), env=env)
    assert result.exit_code == 0, result.output
    assert not marker.exists(), marker.read_text()


def test_callers_git_environment_never_reaches_the_rewrite(tmp_path):
    """With GIT_DIR and GIT_WORK_TREE set by the caller, git-filter-repo's git processes
    would rewrite that repository and reset its work tree over uncommitted work."""
    victim = make_repo(tmp_path / "victim", {"work.txt": "committed\n"})
    (victim / "work.txt").write_text("uncommitted work\n")
    before = snapshot(victim)
    target = leaky_repo(tmp_path / "target")
    env = {"GIT_DIR": str(victim / ".git"), "GIT_WORK_TREE": str(victim), "GIT_INDEX_FILE": str(victim / ".git" / "index")}
    result = invoke("scrub", str(target), "--out", str(tmp_path / "copy"), env=env)
    assert result.exit_code == 0, result.output
    assert snapshot(victim) == before
    history = git(tmp_path / "copy", "log", "--all", "-p")
    assert KEY not in history and "settings.py" in history
