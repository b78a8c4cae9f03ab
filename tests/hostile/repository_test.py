"""A repository that reaches outside itself or hides what it holds (issue 12, items 4, 5,
10-13): nothing outside the target is read, a borrowed git directory is refused, an
unreadable config is an error (never a silent folder scan), and nested repositories,
grafted-away commits and messages in other encodings are all scanned."""
from __future__ import annotations

import shutil
import subprocess
import tarfile

import pytest

from tests.conftest import git, make_repo, write_files
from tests.hostile.gitattack import KEY, TOKENS, invoke, keys_found, leaky_repo, scan_json, set_config

def test_symlinked_folders_never_lead_out(tmp_path):
    """The index lists etc/passwd and proc/environ; on disk etc and proc are links out,
    one to a folder elsewhere, one to the scanner's own /proc/self (its environment)."""
    outside = tmp_path / "outside"
    write_files(outside, {"passwd": f"root:x:0:0:{KEY}:/root:/bin/sh\n"})
    repo = make_repo(tmp_path / "repo", {"etc/passwd": "x\n", "proc/environ": "x\n", "sub/etc/passwd": "x\n",
                                         "sub/proc/environ": "x\n", "sub/a.py": "x = 1\n"})
    for folder in (repo, repo / "sub"):
        shutil.rmtree(folder / "etc")
        shutil.rmtree(folder / "proc")
        (folder / "etc").symlink_to(outside)
        (folder / "proc").symlink_to("/proc/self")
    env = {"CI_JOB_TOKEN": TOKENS["github"]}
    doc = scan_json(str(repo), "--no-history", env=env)
    assert not [f for f in doc["findings"] if f["category"] == "secret"]
    assert any("symbolic link" in n for n in doc["notes"])
    # A folder inside the work tree, scrubbed as a folder: nothing from outside is copied in.
    result = invoke("scrub", str(repo / "sub"), "--out", str(tmp_path / "copy"), env=env)
    assert result.exit_code == 0, result.output
    copied = b"".join(p.read_bytes() for p in (tmp_path / "copy").rglob("*") if p.is_file() and not p.is_symlink())
    assert KEY.encode() not in copied and TOKENS["github"].encode() not in copied


@pytest.mark.parametrize("how", ["symlink", "gitdir-file", "alternates", "commondir"])
def test_git_directory_borrowed_from_another_repository_is_refused(tmp_path, how):
    victim = leaky_repo(tmp_path / "victim")
    hostile = tmp_path / "hostile"
    if how == "symlink":
        hostile.mkdir()
        (hostile / ".git").symlink_to(victim / ".git")
    elif how == "gitdir-file":
        write_files(hostile, {".git": f"gitdir: {victim / '.git'}\n", "a.txt": "a\n"})
    elif how == "alternates":
        make_repo(hostile, {"a.txt": "a\n"})
        (hostile / ".git" / "objects" / "info" / "alternates").write_text(f"{victim / '.git' / 'objects'}\n")
        first = git(victim, "rev-list", "--max-parents=0", "HEAD").strip()
        git(hostile, "update-ref", "refs/heads/stolen", first)
    else:
        write_files(hostile, {".git/HEAD": "ref: refs/heads/main\n", ".git/commondir": f"{victim / '.git'}\n",
                              "a.txt": "a\n"})
        (hostile / ".git" / "objects").mkdir()
        (hostile / ".git" / "refs").mkdir()
    scan = invoke("scan", str(hostile))
    assert scan.exit_code == 2 and KEY not in scan.output, scan.output
    scrub = invoke("scrub", str(hostile), "--out", str(tmp_path / "copy"))
    assert scrub.exit_code == 2, scrub.output
    assert not (tmp_path / "copy").exists()


BROKEN_CONFIGS = {
    "garbage line": ("[core]\n\trepositoryformatversion = 0\n  this is = = not config [\n", "cannot be read"),
    "format 99": ("[core]\n\trepositoryformatversion = 99\n", "format version"),
    "unknown extension": ("[core]\n\trepositoryformatversion = 1\n[extensions]\n\tfutureThing = yes\n", "extension"),
    "work tree elsewhere": ("[core]\n\trepositoryformatversion = 0\n\tworktree = {elsewhere}\n", "core.worktree"),
}


@pytest.mark.parametrize("name", BROKEN_CONFIGS)
def test_unreadable_config_is_an_error_not_a_folder(tmp_path, name):
    config, words = BROKEN_CONFIGS[name]
    elsewhere = make_repo(tmp_path / "elsewhere", {"b.txt": "b\n"})
    repo = leaky_repo(tmp_path / "repo")
    (repo / ".git" / "config").write_text(config.format(elsewhere=elsewhere))
    result = invoke("scan", str(repo))
    assert result.exit_code == 2 and words in result.output, result.output
    assert "\n" not in result.output.strip()


def test_included_device_is_not_followed_and_history_is_still_scanned(tmp_path):
    repo = leaky_repo(tmp_path / "repo")
    set_config(repo / ".git" / "config", {"include.path": "/dev/zero"})
    found = keys_found(scan_json(str(repo)))
    assert found and found[0]["commit"]


def test_archived_worktree_config_is_defused(tmp_path):
    elsewhere = make_repo(tmp_path / "elsewhere", {"b.txt": "b\n"})
    repo = leaky_repo(tmp_path / "repo")
    set_config(repo / ".git" / "config", {"extensions.worktreeConfig": "true", "core.repositoryformatversion": "1"})
    set_config(repo / ".git" / "config.worktree", {"core.worktree": str(elsewhere)})
    archive = tmp_path / "repo.tgz"
    with tarfile.open(archive, "w:gz") as tf:
        tf.add(repo, arcname="repo")
    doc = scan_json(str(archive))
    assert keys_found(doc) and keys_found(doc)[0]["commit"]
    assert any("core.worktree" in n and "config.worktree" in n for n in doc["notes"])


def test_nested_repository_is_scanned_with_its_history(tmp_path):
    outer = make_repo(tmp_path / "outer", {"a.txt": "a\n"})
    leaky_repo(outer / "vendor" / "lib")  # untracked, with a history of its own
    doc = scan_json(str(outer))
    [found] = keys_found(doc)
    assert found["path"] == "vendor/lib/settings.py" and found["commit"]
    assert any("vendor/lib/" in n for n in doc["notes"])


def test_repository_two_levels_down_in_an_archive(tmp_path):
    leaky_repo(tmp_path / "src" / "projects" / "billing")
    write_files(tmp_path / "src", {"README.txt": "the submission\n"})
    archive = tmp_path / "submission.tar.gz"
    with tarfile.open(archive, "w:gz") as tf:
        tf.add(tmp_path / "src", arcname="submission")
    found = keys_found(scan_json(str(archive)))
    assert [f["path"] for f in found if f["commit"]] == ["submission/projects/billing/settings.py"]


@pytest.mark.parametrize("cut", ["grafts", "graft cycle", "shallow"])
def test_history_cut_away_is_still_scanned(tmp_path, cut):
    repo = leaky_repo(tmp_path / "repo")
    git(repo, "commit", "-q", "--allow-empty", "-m", "later")
    commits = git(repo, "rev-list", "HEAD").split()  # newest first
    shutil.rmtree(repo / ".git" / "logs")  # as in a clone: no reflog reaches the older commits
    if cut == "grafts":
        (repo / ".git" / "info").mkdir(exist_ok=True)
        (repo / ".git" / "info" / "grafts").write_text(f"{commits[0]}\n")  # HEAD without parents
    elif cut == "graft cycle":
        (repo / ".git" / "info").mkdir(exist_ok=True)
        (repo / ".git" / "info" / "grafts").write_text(f"{commits[1]} {commits[0]}\n")
    else:
        (repo / ".git" / "shallow").write_text(f"{commits[0]}\n")  # a boundary whose parents are all here
    found = keys_found(scan_json(str(repo)))
    assert found and found[0]["commit"] == commits[-1]


@pytest.mark.parametrize("setting", [("i18n.logOutputEncoding", "UTF-16"), ("i18n.commitEncoding", "UTF-32"),
                                     ("i18n.logOutputEncoding", "IBM037")])
def test_output_encoding_in_config_hides_no_message(tmp_path, setting):
    repo = make_repo(tmp_path / "repo", {"a.txt": "a\n"})
    git(repo, "commit", "-q", "--allow-empty", "-m", f"deploy with {KEY}")
    set_config(repo / ".git" / "config", {setting[0]: setting[1]})
    found = [f for f in keys_found(scan_json(str(repo))) if f["location"] == "message"]
    assert len(found) == 1


@pytest.mark.parametrize("codec,name", [("utf-16", "UTF-16"), ("cp037", "IBM037"), ("utf-32-le", "UTF-32LE")])
def test_commit_in_another_encoding_is_decoded(tmp_path, codec, name):
    repo = make_repo(tmp_path / "repo", {"a.txt": "a\n"})
    tree = git(repo, "rev-parse", "HEAD^{tree}").strip()
    body = (f"tree {tree}\nparent {git(repo, 'rev-parse', 'HEAD').strip()}\nauthor A <a@example.com> 1700000000 +0000\n"
            f"committer A <a@example.com> 1700000000 +0000\nencoding {name}\n\n").encode() + f"deploy {KEY}\n".encode(codec)
    oid = subprocess.run(["git", "hash-object", "-t", "commit", "-w", "--stdin"], cwd=repo, input=body,
                         capture_output=True, check=True).stdout.decode().strip()
    git(repo, "update-ref", "refs/heads/main", oid)
    found = [f for f in keys_found(scan_json(str(repo))) if f["location"] == "message"]
    assert found and {f["commit"] for f in found} == {oid}


def test_linked_work_tree_and_submodule_checkout_are_read_through_their_own_git_directory(tmp_path):
    """The .git files that git itself writes name a git directory that names them back:
    a `git worktree` (the pre-commit hook runs there) and a submodule's checkout."""
    main = leaky_repo(tmp_path / "main")
    git(main, "worktree", "add", "-q", str(tmp_path / "linked"))
    write_files(tmp_path / "linked", {"new.py": f"KEY = '{KEY}'\n"})
    git(tmp_path / "linked", "add", "new.py")
    assert [f["path"] for f in keys_found(scan_json(str(tmp_path / "linked"), "--staged"))] == ["new.py"]
    assert {f["path"] for f in keys_found(scan_json(str(tmp_path / "linked")))} == {"new.py", "settings.py"}
    outer = make_repo(tmp_path / "outer", {"a.txt": "a\n"})
    git(outer, "-c", "protocol.file.allow=always", "submodule", "add", "-q", str(main), "lib")
    git(outer, "commit", "-q", "-m", "add lib")
    found = keys_found(scan_json(str(outer)))
    assert [(f["path"], bool(f["commit"])) for f in found] == [("lib/settings.py", True)]


def test_core_worktree_naming_the_work_tree_itself_is_accepted(tmp_path):
    repo = leaky_repo(tmp_path / "repo")
    set_config(repo / ".git" / "config", {"core.worktree": str(repo)})
    assert keys_found(scan_json(str(repo)))
    result = invoke("scrub", str(repo), "--out", str(tmp_path / "copy"))
    assert result.exit_code == 0, result.output
