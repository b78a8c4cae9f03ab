"""Special files and telling names (issue 12, items 14 and 16): a FIFO where a
.gitignore, .mailmap or reposcrub's own files are read never hangs a run; a key in a
file name is found even percent-encoded, and no report prints the key in the name of the
scanned folder or in a URL's query string."""
from __future__ import annotations

import json
import os
import subprocess

from tests.conftest import git, make_repo, write_files
from tests.hostile.gitattack import KEY, TOKENS, invoke, keys_found, leaky_repo, scan_json
from tests.hostile.helpers import assert_handled, run_cli

SPECIAL = (".gitignore", ".mailmap", ".reposcrubignore", ".reposcrub.toml", "pyproject.toml",
           ".reposcrub-baseline.json", "src/.gitignore", "fifo.py")


def test_fifos_never_hang_any_command(tmp_path):
    repo = leaky_repo(tmp_path / "repo", **{"src/a.py": "x = 1\n"})
    folder = tmp_path / "folder"
    write_files(folder, {"src/a.py": f"K = '{KEY}'\n"})
    for root in (repo, folder):
        for name in SPECIAL:
            os.mkfifo(root / name)
    for args in (["scan", str(repo), "--format", "json"], ["scan", str(folder), "--format", "json"],
                 ["baseline", "create", str(repo), "-o", str(tmp_path / "b.json")], ["profile", "infer", str(repo)],
                 ["scrub", str(repo), "--out", str(tmp_path / "copy")],
                 ["scrub", str(folder), "--out", str(tmp_path / "folder-copy")]):
        run = run_cli(*args, timeout=60)
        assert_handled(run)
        if args[0] == "scan":
            doc = json.loads(run.stdout)
            assert keys_found(doc), run.output
            assert args[1] == str(folder) or any("not a regular file" in n for n in doc["notes"])


def test_percent_encoded_key_in_a_file_name_is_found_and_renamed(tmp_path):
    encoded = "".join(f"%{ord(c):02X}" for c in KEY)
    folder = tmp_path / "folder"
    write_files(folder, {f"keys/{encoded}.txt": "see the name\n"})
    [found] = keys_found(scan_json(str(folder)))
    assert found["location"] == "path" and encoded not in found["path"]
    result = invoke("scrub", str(folder), "--out", str(tmp_path / "copy"))
    assert result.exit_code == 0, result.output
    names = [str(p.relative_to(tmp_path / "copy")) for p in (tmp_path / "copy").rglob("*.txt")]
    assert len(names) == 1 and encoded not in names[0] and KEY not in names[0]


def test_key_in_the_scanned_folder_name_is_masked_in_every_report(tmp_path):
    folder = tmp_path / f"export-{KEY}"
    write_files(folder, {"a.txt": "nothing here\n"})
    printed = ""
    for fmt in ("json", "sarif", "text"):
        result = invoke("scan", str(folder), "--format", fmt)
        assert result.exit_code == 1, result.output
        printed += result.output
    result = invoke("scrub", str(folder), "--out", str(tmp_path / "copy"))
    printed += result.output + (tmp_path / "copy.scrub-report.json").read_text()
    printed += (tmp_path / "copy.scrub-report.sarif").read_text()
    assert KEY not in printed and KEY[4:-4] not in printed


def test_token_in_a_url_query_is_masked_everywhere(tmp_path):
    token = TOKENS["github"]
    repo = make_repo(tmp_path / "repo", {"a.txt": "a\n"})
    where = tmp_path / f"served?token={token}"  # git takes the query as part of a file URL's path
    subprocess.run(["git", "clone", "-q", "--bare", str(repo), str(where)], check=True, capture_output=True)
    url = f"file://{where}"
    printed = ""
    for fmt in ("json", "sarif", "text"):
        printed += invoke("scan", url, "--format", fmt).output
    result = invoke("scrub", url, "--out", str(tmp_path / "copy"))
    assert result.exit_code == 0, result.output
    printed += result.output + (tmp_path / "copy.scrub-report.json").read_text()
    printed += (tmp_path / "copy.scrub-report.sarif").read_text()
    printed += invoke("scan", f"file://{tmp_path}/missing?token={token}").output  # git's own error quotes it
    assert token not in printed and token[4:-4] not in printed
    assert git(tmp_path / "copy", "rev-parse", "HEAD")
