"""The scrub's "uncommitted changes" note: only when there are some, found without git status
(which would run a repository's clean filters)."""
from __future__ import annotations

from click.testing import CliRunner

from reposcrub.cli import cli
from reposcrub.dirty import has_uncommitted_changes
from tests.conftest import git, make_repo, write_files


def test_clean_staged_modified_untracked_and_deleted(tmp_path):
    repo = make_repo(tmp_path / "r", {"a.py": "x = 1\n", "b.py": "y = 2\n", ".gitignore": "*.log\n"})
    assert not has_uncommitted_changes(repo)
    write_files(repo, {"debug.log": "ignored\n"})
    assert not has_uncommitted_changes(repo)
    write_files(repo, {"a.py": "x = 2\n"})
    assert has_uncommitted_changes(repo)
    git(repo, "add", "a.py")
    assert has_uncommitted_changes(repo)  # staged
    git(repo, "commit", "-q", "-m", "a")
    write_files(repo, {"new.py": "z = 3\n"})
    assert has_uncommitted_changes(repo)  # untracked
    (repo / "new.py").unlink()
    (repo / "b.py").unlink()
    assert has_uncommitted_changes(repo)  # deleted


def test_a_filter_in_the_repository_never_runs(tmp_path):
    repo = make_repo(tmp_path / "r", {"a.txt": "x\n", ".gitattributes": "*.txt filter=evil\n"})
    marker = tmp_path / "ran"
    git(repo, "config", "filter.evil.clean", f"touch {marker}; cat")
    write_files(repo, {"a.txt": "changed\n"})
    assert has_uncommitted_changes(repo) and not marker.exists()


def test_scrub_notes_uncommitted_changes_only_when_there_are_some(tmp_path):
    repo = make_repo(tmp_path / "r", {"a.py": "HOST = 'db01.prod.corp'\n"})
    clean = CliRunner().invoke(cli, ["scrub", str(repo), "--out", str(tmp_path / "c1"), "--no-verify"])
    assert clean.exit_code == 0, clean.output
    assert "not part of the copy" not in clean.output
    write_files(repo, {"wip.py": "draft = True\n"})
    dirty = CliRunner().invoke(cli, ["scrub", str(repo), "--out", str(tmp_path / "c2"), "--no-verify"])
    assert "uncommitted changes in the input's work tree are not part of the copy" in dirty.output
