"""Content keys (what a rerun compares) and the size cap, before anything is scanned."""
from __future__ import annotations

import pytest

from reposcrub.intake.content import Refused, content_key
from reposcrub.sources.archive import ArchiveLimits
from tests.conftest import git
from tests.intake.batch import archive_of, clean_repo, zip_bomb

LIMITS = ArchiveLimits()


def test_a_new_commit_or_an_uncommitted_edit_changes_a_work_tree_key(tmp_path):
    repo = clean_repo(tmp_path / "repo", 1)
    first = content_key(str(repo), LIMITS)
    assert content_key(str(repo), LIMITS) == first
    (repo / "app.py").write_text("changed = True\n")
    edited = content_key(str(repo), LIMITS)
    git(repo, "commit", "-q", "-am", "change")
    committed = content_key(str(repo), LIMITS)
    assert len({first, edited, committed}) == 3


def test_archives_are_keyed_by_their_hash_and_bombs_refused_with_it(tmp_path):
    archive = archive_of(clean_repo(tmp_path / "repo", 1), tmp_path / "a.tar.gz")
    assert content_key(str(archive), LIMITS).startswith("sha256:")
    with pytest.raises(Refused) as caught:
        content_key(str(zip_bomb(tmp_path / "bomb.zip")), LIMITS)
    assert caught.value.key and caught.value.key.startswith("sha256:")


def test_a_folder_over_the_size_cap_is_refused_and_links_are_not_followed(tmp_path):
    folder = tmp_path / "folder"
    folder.mkdir()
    (folder / "data.bin").write_bytes(bytes(5000))
    (folder / "outside").symlink_to("/etc")  # a link out of the submission: its text is hashed, not /etc
    assert content_key(str(folder), ArchiveLimits(max_size=10_000)).startswith("files:")
    with pytest.raises(Refused, match="larger than the size cap"):
        content_key(str(folder), ArchiveLimits(max_size=4_000))
