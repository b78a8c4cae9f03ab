"""History scanning on real repositories: every ref, every unique blob once, the metadata."""
from __future__ import annotations

import json
import random
import stat
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from reposcrub.cli import cli
from reposcrub.findings import redact
from reposcrub.model import Blob
from reposcrub.sources.history import HistoryScope, HistorySource
from tests.conftest import UPPER_B32, fake, git, make_repo, write_files

AWS = "secret/aws-access-key-id"


def scan_json(*args: str) -> dict:
    result = CliRunner().invoke(cli, ["scan", *args, "--format", "json"], catch_exceptions=False)
    assert result.exit_code in (0, 1), result.output
    return json.loads(result.output)


def hits(doc: dict, rule: str = AWS) -> list[dict]:
    return [f for f in doc["findings"] if f["rule_id"] == rule]


def commit(repo: Path, files: dict[str, str], message: str, **env: str) -> str:
    write_files(repo, files)
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", message, env=env or None)
    return git(repo, "rev-parse", "HEAD").strip()


@pytest.fixture
def key() -> str:
    return fake("AKIA", UPPER_B32, 16, random.Random())


def test_deleted_secret_is_found_with_its_introducing_commit(tmp_path, key):
    repo = make_repo(tmp_path / "r", {"README.md": "hi\n"})
    introducing = commit(repo, {"deploy/config.py": f"KEY = '{key}'\n"}, "add deploy config")
    commit(repo, {"other.txt": "x\n"}, "unrelated")
    git(repo, "rm", "-q", "deploy/config.py")
    git(repo, "commit", "-q", "-m", "remove key")
    found = hits(scan_json(str(repo)))
    assert [(f["path"], f["commit"], f["line"]) for f in found] == [("deploy/config.py", introducing, 1)]
    assert found[0]["commit_count"] == 1


def test_same_blob_on_fifty_branches_is_scanned_once(tmp_path, key):
    repo = make_repo(tmp_path / "r", {"a.txt": "base\n"})
    for i in range(50):
        git(repo, "checkout", "-q", "-b", f"topic-{i}", "main")
        commit(repo, {"creds.py": f"KEY = '{key}'\n", f"n{i}.txt": f"{i}\n"}, f"topic {i}")
    source = HistorySource(repo, HistoryScope(), max_file_size=1 << 20)
    blobs = [b for b in source.blobs() if b.provenance.location == "file"]
    creds = [b for b in blobs if b.path == "creds.py"]
    assert len(creds) == 1 and creds[0].provenance.commit_count == 50
    assert source.blobs_scanned == len({b.oid for b in blobs}) == 52
    found = hits(scan_json(str(repo), "--no-history"))  # HEAD is topic-49: the work tree has it
    assert len(found) == 1
    assert len(hits(scan_json(str(repo)))) == 1  # the history run skips what the work tree holds


def test_metadata_only_secrets_are_each_found(tmp_path):
    rng = random.Random(5)
    k_msg, k_tag, k_branch, k_path = (fake("AKIA", UPPER_B32, 16, rng) for _ in range(4))
    repo = make_repo(tmp_path / "r", {"a.txt": "a\n"})
    msg_commit = commit(repo, {"b.txt": "b\n"}, f"rotate key {k_msg}")
    git(repo, "tag", "-a", "v1", "-m", f"release with {k_tag}")
    git(repo, "branch", f"fix/{k_branch}")
    path_commit = commit(repo, {f"keys/{k_path}.txt": "nothing here\n"}, "add file")
    commit(repo, {"c.txt": "c\n"}, "by someone", GIT_AUTHOR_EMAIL="jane.doe@globex-corp.com")
    doc = scan_json(str(repo))
    where = {(f["location"], f["path"]) for f in hits(doc)}
    assert ("message", msg_commit) in where
    assert ("tag-message", "refs/tags/v1") in where
    # Reports name them with the secret masked, as everywhere else.
    assert ("ref", f"refs/heads/fix/{redact(k_branch)}") in where
    assert ("path", f"keys/{redact(k_path)}.txt") in where
    path_hit = next(f for f in hits(doc) if f["location"] == "path")
    assert path_hit["commit"] == path_commit
    emails = [f for f in doc["findings"] if f["location"] == "author" and f["category"] == "pii"]
    assert any("globex-corp.com" in f["preview"] for f in emails)


def test_secret_introduced_by_a_merge_resolution_is_found(tmp_path, key):
    repo = make_repo(tmp_path / "r", {"conf.py": "A = 1\n"})
    git(repo, "checkout", "-q", "-b", "side")
    commit(repo, {"conf.py": "A = 2\n"}, "side change")
    git(repo, "checkout", "-q", "main")
    commit(repo, {"conf.py": "A = 3\n"}, "main change")
    with pytest.raises(subprocess.CalledProcessError):
        git(repo, "merge", "-q", "side", "-m", "merge")  # conflicts: resolved by hand below
    write_files(repo, {"conf.py": f"A = 4\nKEY = '{key}'\n"})
    git(repo, "add", "conf.py")
    git(repo, "commit", "-q", "-m", "merge side")
    merge = git(repo, "rev-parse", "HEAD").strip()
    write_files(repo, {"conf.py": "A = 4\n"})
    commit(repo, {}, "drop key")
    found = hits(scan_json(str(repo)))
    assert [(f["path"], f["commit"]) for f in found] == [("conf.py", merge)]


def test_untrusted_config_never_executes(tmp_path, key):
    repo = make_repo(tmp_path / "r", {"a.py": f"K = '{key}'\n", ".gitattributes": "*.py filter=evil diff=evil\n"})
    marker = tmp_path / "executed"
    script = tmp_path / "evil.sh"
    script.write_text(f"#!/bin/sh\ntouch {marker}\ncat\n")
    script.chmod(script.stat().st_mode | stat.S_IEXEC)
    for key_name in ("core.fsmonitor", "filter.evil.clean", "filter.evil.smudge", "filter.evil.process",
                     "diff.evil.textconv", "diff.external", "core.pager", "core.sshCommand", "credential.helper",
                     "core.hooksPath"):
        git(repo, "config", key_name, str(script) if key_name != "core.hooksPath" else str(tmp_path))
    for hook in ("post-checkout", "pre-commit", "post-index-change", "reference-transaction"):
        (tmp_path / hook).write_text(f"#!/bin/sh\ntouch {marker}\n")
        (tmp_path / hook).chmod(0o755)
    (repo / "a.py").write_text(f"K = '{key}'\n# edited\n")  # stat-dirty: tempts a clean filter
    doc = scan_json(str(repo))
    assert hits(doc)
    scan_json(str(repo), "--staged")
    CliRunner().invoke(cli, ["scan", f"file://{repo}", "--format", "json"])
    assert not marker.exists()


def test_bare_repository_and_file_url(tmp_path, key):
    repo = make_repo(tmp_path / "r", {"a.py": f"K = '{key}'\n"})
    bare = tmp_path / "bare.git"
    git(tmp_path, "clone", "-q", "--bare", str(repo), str(bare))
    assert len(hits(scan_json(str(bare)))) == 1
    before = set(Path("/tmp").glob("reposcrub-clone-*"))
    doc = scan_json(f"file://{bare}")
    assert len(hits(doc)) == 1 and hits(doc)[0]["commit"]
    assert set(Path("/tmp").glob("reposcrub-clone-*")) == before  # temporary clone removed


def test_dangerous_url_transport_is_refused(tmp_path):
    result = CliRunner().invoke(cli, ["scan", "ext::sh -c touch% /tmp/pwned"])
    assert result.exit_code == 2
    assert "unsupported URL scheme" in result.output or "does not exist" in result.output


def test_since_and_rev_range_narrow_the_history(tmp_path):
    rng = random.Random(9)
    old_key, new_key = fake("AKIA", UPPER_B32, 16, rng), fake("AKIA", UPPER_B32, 16, rng)
    repo = make_repo(tmp_path / "r", {"a.txt": "a\n"})
    commit(repo, {"old.py": f"K = '{old_key}'\n"}, "old", GIT_AUTHOR_DATE="2020-01-01T00:00:00", GIT_COMMITTER_DATE="2020-01-01T00:00:00")
    base = git(repo, "rev-parse", "HEAD").strip()
    commit(repo, {"new.py": f"K = '{new_key}'\n"}, "new", GIT_AUTHOR_DATE="2025-01-01T00:00:00", GIT_COMMITTER_DATE="2025-01-01T00:00:00")
    git(repo, "rm", "-q", "old.py", "new.py")
    git(repo, "commit", "-q", "-m", "clean", env={"GIT_COMMITTER_DATE": "2025-02-01T00:00:00"})
    assert {f["path"] for f in hits(scan_json(str(repo)))} == {"old.py", "new.py"}
    assert {f["path"] for f in hits(scan_json(str(repo), "--since", "2024-06-01"))} == {"new.py"}
    assert {f["path"] for f in hits(scan_json(str(repo), "--rev-range", f"{base}..HEAD"))} == {"new.py"}


def test_staged_scans_the_index_not_the_work_tree(tmp_path, key):
    repo = make_repo(tmp_path / "r", {"a.txt": "a\n"})
    write_files(repo, {"staged.py": f"K = '{key}'\n"})
    git(repo, "add", "staged.py")
    write_files(repo, {"staged.py": "K = 'clean now'\n", "untracked.py": f"K = '{key}'\n"})
    found = hits(scan_json(str(repo), "--staged"))
    assert [f["path"] for f in found] == ["staged.py"]
    git(repo, "reset", "-q")
    assert hits(scan_json(str(repo), "--staged")) == []


def test_odd_repositories_get_a_note(tmp_path, key):
    empty = make_repo(tmp_path / "empty")
    assert any("no commits" in n for n in scan_json(str(empty))["notes"])
    repo = make_repo(tmp_path / "r", {"a.txt": "1\n"})
    for i in range(3):
        commit(repo, {"a.txt": f"{i}\n"}, f"c{i}")
    shallow = tmp_path / "shallow"
    git(tmp_path, "clone", "-q", "--depth", "1", f"file://{repo}", str(shallow))
    assert any("shallow" in n for n in scan_json(str(shallow))["notes"])
    git(repo, "-c", "protocol.file.allow=always", "submodule", "add", "-q", f"file://{shallow}", "vendor/lib")
    git(repo, "commit", "-q", "-m", "add submodule")
    assert any("submodule at vendor/lib" in n for n in scan_json(str(repo))["notes"])


def test_corrupt_object_is_reported_not_fatal(tmp_path, key):
    repo = make_repo(tmp_path / "r", {"a.py": f"K = '{key}'\n", "b.txt": "plain\n"})
    oid = git(repo, "rev-parse", "HEAD:b.txt").strip()
    (repo / ".git" / "objects" / oid[:2] / oid[2:]).unlink()
    source = HistorySource(repo, HistoryScope(since="1970-01-01"), max_file_size=1 << 20)
    blobs: list[Blob] = list(source.blobs())
    assert any(b.path == "a.py" for b in blobs)
    assert any("could not be read" in n for n in source.notes)
