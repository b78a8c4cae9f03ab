"""The scan command end to end, through click's runner, on real folders and git repos."""
from __future__ import annotations

import hashlib
import json
import random
import sys
from pathlib import Path

from click.testing import CliRunner

from reposcrub.cli import cli
from tests.conftest import ROOT, UPPER_B32, fake, git, make_repo, write_files

sys.path.insert(0, str(ROOT / "examples"))
import make_leaky_project  # noqa: E402


def invoke(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def tree_digest(root: Path) -> str:
    h = hashlib.sha256()
    for p in sorted(root.rglob("*")):
        h.update(str(p.relative_to(root)).encode())
        if p.is_file():
            h.update(p.read_bytes())
    return h.hexdigest()


def leaky_project(tmp_path: Path) -> tuple[Path, dict[str, str]]:
    files = make_leaky_project.files(random.Random(7))
    root = tmp_path / "proj"
    write_files(root, files)
    return root, files


def test_example_project_findings_and_exit_code(tmp_path):
    root, _ = leaky_project(tmp_path)
    result = invoke("scan", str(root), "--format", "json")
    assert result.exit_code == 1
    doc = json.loads(result.output)
    rules = {f["rule_id"] for f in doc["findings"]}
    assert {"secret/aws-access-key-id", "secret/aws-secret-access-key", "file/dotenv"} <= rules
    key = next(f for f in doc["findings"] if f["rule_id"] == "secret/aws-access-key-id")
    assert (key["path"], key["line"], key["column"]) == ("config/settings.yaml", 2, 22)
    assert key["preview"].startswith("AKIA") and "*" in key["preview"]


def test_no_secret_value_in_any_output(tmp_path):
    root, files = leaky_project(tmp_path)
    settings = files["config/settings.yaml"].splitlines()
    db_password = settings[4].split("billing:")[1].split("@")[0]
    secrets = [settings[1].split(": ")[1], settings[2].split(": ")[1], files[".env"].split("=")[1].split("\n")[0],
               db_password]
    for fmt in ("text", "json", "sarif"):
        result = CliRunner().invoke(cli, ["scan", str(root), "--format", fmt])
        for secret in secrets:
            assert secret not in result.output, fmt
            assert secret not in (result.stderr if result.stderr_bytes is not None else "")


def test_clean_folder_exits_zero(tmp_path):
    write_files(tmp_path, {"main.py": "print('hello')\n"})
    result = invoke("scan", str(tmp_path))
    assert result.exit_code == 0
    assert "No findings in 1 files" in result.output


def test_fail_on_threshold(tmp_path):
    write_files(tmp_path, {".env": "DEBUG=1\n"})  # file/dotenv is high
    assert invoke("scan", str(tmp_path), "--fail-on", "critical").exit_code == 0
    assert invoke("scan", str(tmp_path), "--fail-on", "high").exit_code == 1


def test_missing_target_is_a_one_line_error(tmp_path):
    result = CliRunner().invoke(cli, ["scan", str(tmp_path / "nope")])
    assert result.exit_code == 2
    assert result.output.strip().count("\n") == 0
    assert "does not exist" in result.output and "Traceback" not in result.output


def test_unwritable_output_is_a_one_line_error(tmp_path):
    write_files(tmp_path, {"a.txt": "x"})
    result = CliRunner().invoke(cli, ["scan", str(tmp_path), "-o", str(tmp_path / "no" / "such" / "dir.json")])
    assert result.exit_code == 2 and "cannot write" in result.output


def test_git_worktree_scans_what_would_ship(tmp_path):
    key = fake("AKIA", UPPER_B32, 16)
    repo = make_repo(tmp_path / "r", {".gitignore": "build/\n", "src/a.py": "x = 1\n"})
    write_files(repo, {"build/out.py": f"k = '{key}'\n", "new.py": f"k = '{key}'\n", "skip/me.py": f"k = '{key}'\n"})
    write_files(repo, {".reposcrubignore": "skip/\n"})
    before = tree_digest(repo)
    doc = json.loads(invoke("scan", str(repo), "--format", "json").output)
    paths = {f["path"] for f in doc["findings"] if f["location"] == "file"}
    assert paths == {"new.py"}
    assert tree_digest(repo) == before
    assert git(repo, "status", "--porcelain") == "?? .reposcrubignore\n?? new.py\n?? skip/\n"


def test_fingerprint_survives_moving_lines_but_not_a_new_secret(tmp_path):
    key = fake("AKIA", UPPER_B32, 16, random.Random(1))
    other = fake("AKIA", UPPER_B32, 16, random.Random(2))

    def fingerprint(text: str) -> str:
        write_files(tmp_path, {"c.py": text})
        doc = json.loads(invoke("scan", str(tmp_path), "--format", "json").output)
        return next(f["fingerprint"] for f in doc["findings"] if f["rule_id"] == "secret/aws-access-key-id")

    first = fingerprint(f"k = '{key}'\n")
    assert fingerprint(f"import os\n\n\nk = '{key}'\n") == first
    assert fingerprint(f"k = '{other}'\n") != first


def test_inline_allow(tmp_path):
    key = fake("AKIA", UPPER_B32, 16)
    write_files(tmp_path, {
        "a.py": f"k = '{key}'  # reposcrub: allow\n",
        "b.py": f"k = '{key}'  # reposcrub: allow secret/aws-access-key-id\n",
        "c.py": f"k = '{key}'  # reposcrub: allow host/private-ipv4\n",
    })
    doc = json.loads(invoke("scan", str(tmp_path), "--format", "json").output)
    assert [f["path"] for f in doc["findings"] if f["rule_id"] == "secret/aws-access-key-id"] == ["c.py"]


def test_too_large_file_is_reported_not_skipped_silently(tmp_path):
    write_files(tmp_path, {"big.txt": b"a" * 5000, "small.txt": b"ok"})
    doc = json.loads(invoke("scan", str(tmp_path), "--format", "json", "--max-file-size", "1000").output)
    assert [(f["rule_id"], f["path"]) for f in doc["findings"]] == [("file/too-large", "big.txt")]


def test_symlinks_are_not_followed(tmp_path):
    outside = tmp_path / "outside"
    write_files(outside, {"secret.py": f"k = '{fake('AKIA', UPPER_B32, 16)}'\n"})
    inside = tmp_path / "inside"
    write_files(inside, {"a.py": "x = 1\n"})
    (inside / "link.py").symlink_to(outside / "secret.py")
    (inside / "dir").symlink_to(outside)
    assert invoke("scan", str(inside)).exit_code == 0


def test_rules_list_and_test_commands():
    listed = invoke("rules", "list")
    assert listed.exit_code == 0 and "secret/aws-access-key-id" in listed.output
    tested = invoke("rules", "test", "--seeds", "1")
    assert tested.exit_code == 0, tested.output
    assert " 0 failures" in tested.output


def test_disable_unknown_rule_is_an_error(tmp_path):
    result = CliRunner().invoke(cli, ["scan", str(tmp_path), "--disable", "secret/nope"])
    assert result.exit_code == 2 and "unknown rule id" in result.output


def test_parallel_and_serial_scans_agree(tmp_path):
    rng = random.Random(3)
    files = {f"d{i}/f{j}.py": f"x = {j}\nk = '{fake('AKIA', UPPER_B32, 16, rng)}'\n" for i in range(10) for j in range(40)}
    write_files(tmp_path, files)
    serial = json.loads(invoke("scan", str(tmp_path), "--format", "json", "-j", "1").output)["findings"]
    parallel = json.loads(invoke("scan", str(tmp_path), "--format", "json", "-j", "2").output)["findings"]
    assert serial == parallel and len(serial) == 400


def test_folder_inside_a_work_tree_is_scanned_as_a_folder(tmp_path):
    key = fake("AKIA", UPPER_B32, 16)
    repo = make_repo(tmp_path / "r", {".gitignore": "out/\n", "top.py": f"K = '{key}'\n"})
    write_files(repo, {"out/probe.py": f"K = '{key}'\n"})
    doc = json.loads(invoke("scan", str(repo / "out"), "--format", "json").output)
    assert [f["path"] for f in doc["findings"] if f["rule_id"] == "secret/aws-access-key-id"] == ["probe.py"]
    assert any("inside a git work tree" in n for n in doc["notes"])


def test_staged_paths_scan_their_indexed_content_changed_or_not(tmp_path, monkeypatch):
    key = fake("AKIA", UPPER_B32, 16, random.Random(3))
    repo = make_repo(tmp_path / "r", {"committed.py": f"KEY = '{key}'\n", "other.py": f"K = '{key}'\n",
                                      "we ird*.py": f"K2 = '{key}'\n"})
    write_files(repo, {"committed.py": "KEY = 'edited, not staged'\n"})
    monkeypatch.chdir(repo)
    nothing_staged = invoke("scan", ".", "--staged", "--no-history", "--format", "json")
    assert nothing_staged.exit_code == 0 and json.loads(nothing_staged.output)["findings"] == []
    result = invoke("scan", ".", "--staged", "--no-history", "--format", "json", "committed.py", "we ird*.py", "gone.py")
    assert result.exit_code == 1, result.output
    paths = sorted(f["path"] for f in json.loads(result.output)["findings"])
    assert paths == ["committed.py", "we ird*.py"]  # the index, not the edited work tree; '*' is literal


def test_paths_without_staged_is_a_one_line_usage_error(tmp_path):
    result = invoke("scan", str(tmp_path), "extra.py")
    assert result.exit_code == 2
    assert len(result.output.strip().splitlines()) == 1 and "--staged" in result.output


def test_every_option_of_every_command_has_help_text():
    import click

    from reposcrub.cli import cli

    def missing(command, path):
        for param in command.params:
            if isinstance(param, click.Option) and not param.help:
                yield f"{path} {param.opts[0]}"
        for name, sub in getattr(command, "commands", {}).items():
            yield from missing(sub, f"{path} {name}")

    assert list(missing(cli, "reposcrub")) == []
