"""A later version of a file is scanned only where it changed: each value is reported once,
at the commit that introduced it, and nothing new is missed."""
from __future__ import annotations

import json
import random
from pathlib import Path

from click.testing import CliRunner

from reposcrub.cli import cli
from tests.conftest import ALNUM, UPPER_B32, fake, git, make_repo, write_files

AWS = "secret/aws-access-key-id"
FILLER = "".join(f"value_{i} = compute({i})\n" for i in range(60))


def scan(repo: Path, *args: str) -> list[dict]:
    result = CliRunner().invoke(cli, ["scan", str(repo), "--format", "json", *args], catch_exceptions=False)
    assert result.exit_code in (0, 1), result.output
    return json.loads(result.output)["findings"]


def commit(repo: Path, files: dict[str, str], message: str) -> str:
    write_files(repo, files)
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", message)
    return git(repo, "rev-parse", "HEAD").strip()


def pem(rng: random.Random) -> str:
    body = "\n".join(fake("", ALNUM + "+/", 64, rng) for _ in range(8))
    return f"-----BEGIN RSA PRIVATE KEY-----\n{body}\n-----END RSA PRIVATE KEY-----\n"


def test_each_value_is_reported_once_where_it_was_introduced(tmp_path):
    rng = random.Random(11)
    first, second = (fake("AKIA", UPPER_B32, 16, rng) for _ in range(2))
    repo = make_repo(tmp_path / "r", {"README.md": "hi\n"})
    v1 = commit(repo, {"app/config.py": f"KEY = '{first}'\n{FILLER}"}, "v1")
    v2 = commit(repo, {"app/config.py": f"KEY = '{first}'\n{FILLER}OTHER = '{second}'\n"}, "v2")
    commit(repo, {"app/config.py": f"KEY = '{first}'\n{FILLER.replace('(7)', '(8)')}OTHER = '{second}'\n"}, "v3")
    git(repo, "rm", "-q", "app/config.py")
    git(repo, "commit", "-q", "-m", "remove")

    found = sorted((f["commit"], f["line"]) for f in scan(repo) if f["rule_id"] == AWS)
    assert found == sorted([(v1, 1), (v2, 62)])


def test_a_changed_private_key_between_unchanged_armour_lines_is_found(tmp_path):
    rng = random.Random(12)
    repo = make_repo(tmp_path / "r", {"README.md": "hi\n"})
    v1 = commit(repo, {"deploy/notes.txt": FILLER + pem(rng) + FILLER}, "add key")
    v2 = commit(repo, {"deploy/notes.txt": FILLER + pem(rng) + FILLER}, "rotate key: only the body changes")
    git(repo, "rm", "-q", "deploy/notes.txt")
    git(repo, "commit", "-q", "-m", "remove")
    keys = [f for f in scan(repo) if f["rule_id"].startswith("secret/private-key")]
    assert sorted((f["commit"], f["line"], f["end_line"]) for f in keys) == sorted([(v1, 61, 70), (v2, 61, 70)])


def test_a_ranged_scan_reports_what_its_commits_hold(tmp_path):
    """Without the earlier version in the scan, the later one is scanned whole."""
    rng = random.Random(13)
    first, second = (fake("AKIA", UPPER_B32, 16, rng) for _ in range(2))
    repo = make_repo(tmp_path / "r", {"README.md": "hi\n"})
    commit(repo, {"app/config.py": f"KEY = '{first}'\n{FILLER}"}, "v1")
    v2 = commit(repo, {"app/config.py": f"KEY = '{first}'\n{FILLER}OTHER = '{second}'\n"}, "v2")
    found = sorted((f["commit"], f["line"]) for f in scan(repo, "--rev-range", "HEAD~1..HEAD") if f["rule_id"] == AWS)
    assert found == [(v2, 1), (v2, 62)]


def test_the_work_tree_is_scanned_whole(tmp_path):
    rng = random.Random(14)
    first, second = (fake("AKIA", UPPER_B32, 16, rng) for _ in range(2))
    repo = make_repo(tmp_path / "r", {"app/config.py": f"KEY = '{first}'\n{FILLER}"})
    commit(repo, {"app/config.py": f"KEY = '{first}'\n{FILLER}OTHER = '{second}'\n"}, "v2")
    tree = [(f["line"], f["commit"]) for f in scan(repo, "--no-history") if f["rule_id"] == AWS]
    assert sorted(tree) == [(1, None), (62, None)]


def test_past_the_memory_budget_later_versions_are_scanned_whole(tmp_path, monkeypatch):
    from reposcrub.sources import history

    monkeypatch.setattr(history._BaseCache, "BUDGET", 0)
    rng = random.Random(15)
    first = fake("AKIA", UPPER_B32, 16, rng)
    repo = make_repo(tmp_path / "r", {"README.md": "hi\n"})
    v1 = commit(repo, {"app/config.py": f"KEY = '{first}'\n{FILLER}"}, "v1")
    v2 = commit(repo, {"app/config.py": f"KEY = '{first}'\n{FILLER}# more\n"}, "v2")
    git(repo, "rm", "-q", "app/config.py")
    git(repo, "commit", "-q", "-m", "remove")
    found = sorted((f["commit"], f["line"]) for f in scan(repo) if f["rule_id"] == AWS)
    assert found == sorted([(v1, 1), (v2, 1)])


def test_binary_versions_are_scanned_whole(tmp_path):
    first = fake("AKIA", UPPER_B32, 16, random.Random(16))
    header = b"\0\1\2 binary header\n" + FILLER.encode()
    repo = make_repo(tmp_path / "r", {"README.md": "hi\n"})
    commit(repo, {"blob.bin": header + b"\n"}, "v1")
    v2 = commit(repo, {"blob.bin": header + f"KEY = '{first}'\n".encode()}, "v2")
    git(repo, "rm", "-q", "blob.bin")
    git(repo, "commit", "-q", "-m", "remove")
    # A binary is read over its printable runs (a NUL byte hides nothing), each version whole.
    assert [f["commit"] for f in scan(repo) if f["rule_id"] == AWS] == [v2]


def test_a_value_next_to_a_change_is_not_reported_again(tmp_path):
    first = fake("AKIA", UPPER_B32, 16, random.Random(17))
    repo = make_repo(tmp_path / "r", {"README.md": "hi\n"})
    v1 = commit(repo, {"app/config.py": f"KEY = '{first}'\n{FILLER}"}, "v1")
    commit(repo, {"app/config.py": f"KEY = '{first}'\n# a comment right below the key\n{FILLER}"}, "v2")
    git(repo, "rm", "-q", "app/config.py")
    git(repo, "commit", "-q", "-m", "remove")
    assert [(f["commit"], f["line"]) for f in scan(repo) if f["rule_id"] == AWS] == [(v1, 1)]


def test_a_copy_changed_later_is_compared_with_the_version_it_changed(tmp_path):
    """The base of copy.py's second version first appeared as orig.py: it is still read
    first, so only the new line is scanned in the later version."""
    first, second = (fake("AKIA", UPPER_B32, 16, random.Random(18)) for _ in range(2))
    text = f"KEY = '{first}'\n{FILLER}"
    repo = make_repo(tmp_path / "r", {"README.md": "hi\n"})
    v1 = commit(repo, {"zz/orig.py": text}, "v1")
    commit(repo, {"aa/copy.py": text}, "copy")
    v3 = commit(repo, {"aa/copy.py": text + f"OTHER = '{second}'\n"}, "change the copy")
    git(repo, "rm", "-q", "-r", "zz", "aa")
    git(repo, "commit", "-q", "-m", "remove")
    found = sorted((f["path"], f["commit"], f["line"]) for f in scan(repo) if f["rule_id"] == AWS)
    assert found == sorted([("zz/orig.py", v1, 1), ("aa/copy.py", v3, 62)])
