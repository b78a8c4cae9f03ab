"""Files that break naive scanners (issue 7), each through the real CLI in a subprocess
with a deadline: a result (exit 0 or 1) and no traceback, in bounded time and memory."""
from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from reposcrub.cli import cli
from tests.conftest import git, make_repo, write_files
from tests.hostile.adversarial import GENERIC
from tests.hostile.helpers import Run, assert_handled, fake_tokens, run_cli

AWS = fake_tokens(7)["aws"]
MB = 1 << 20


def scan_json(target: Path, *extra: str) -> tuple[dict[str, Any], Run]:
    run = run_cli("scan", str(target), "--format", "json", *extra)
    assert_handled(run)
    return json.loads(run.stdout), run


def findings(doc: dict[str, Any], rule_id: str) -> list[dict[str, Any]]:
    return [f for f in doc["findings"] if f["rule_id"] == rule_id]


def test_200_mb_file_is_reported_not_read(tmp_path):
    huge = tmp_path / "dump.bin"
    with huge.open("wb") as stream:  # sparse: instant, and no disk used
        stream.truncate(200 * MB)
    doc, run = scan_json(tmp_path)
    [finding] = findings(doc, "file/too-large")
    assert finding["path"] == "dump.bin" and "209715200 bytes" in finding.get("note", json.dumps(finding))
    assert run.returncode == 1
    assert run.max_rss_mb < 150, f"peak memory {run.max_rss_mb:.0f} MB: the file was read"


def test_max_file_size_is_configurable(tmp_path):
    write_files(tmp_path, {"two-mb.txt": b"x = 1\n" * (2 * MB // 6)})
    doc, _ = scan_json(tmp_path)
    assert not findings(doc, "file/too-large")
    doc, _ = scan_json(tmp_path, "--max-file-size", str(MB))
    assert [f["path"] for f in findings(doc, "file/too-large")] == ["two-mb.txt"]


def test_large_blob_in_history_is_reported_not_read(tmp_path):
    repo = make_repo(tmp_path / "repo", {"big.bin": b"y" * (3 * MB), "a.txt": "a\n"})
    git(repo, "rm", "-q", "big.bin")
    git(repo, "commit", "-q", "-m", "drop it")
    doc, _ = scan_json(repo, "--max-file-size", str(MB))
    [finding] = findings(doc, "file/too-large")
    assert finding["path"] == "big.bin" and finding["commit"]


def test_20_mb_minified_line(tmp_path):
    chunk = b'var a=function(b){return b+1},c={"k":"v","n":[1,2,3]};'
    body = chunk * (20 * MB // len(chunk))
    write_files(tmp_path, {"app.min.js": body + f'var k="{AWS}";'.encode()})
    doc, run = scan_json(tmp_path)
    [finding] = findings(doc, "secret/aws-access-key-id")
    assert (finding["line"], finding["column"]) == (1, len(body) + 8)
    assert run.max_rss_mb < 1024, f"peak memory {run.max_rss_mb:.0f} MB for a 20 MB file"


@pytest.mark.parametrize("as_repo", [False, True], ids=["folder", "git"])
def test_backtracking_bait_lines(tmp_path, as_repo):
    """200 KB of each run of tests/hostile/adversarial.py, alone and after words that wake
    the generic rules up, as text, Python and JSON: one scan, one deadline."""
    leads = (b"", b"password=", b"token: ", b"api_key = \"", b"Authorization: Bearer ", b"mongodb://", b"user@")
    root = tmp_path / "bait"
    for name, make in GENERIC.items():
        run = make(200_000)
        write_files(root, {f"{name}/bait.txt": b"\n".join(lead + run for lead in leads) + b"\n",
                           f"{name}/bait.py": b"x = '" + run + b"'\n", f"{name}/bait.json": b'{"secret": "' + run + b'"}\n'})
    if as_repo:
        make_repo(root)
        git(root, "add", "-A")
        git(root, "commit", "-q", "-m", "bait")
    doc, _ = scan_json(root)
    assert doc["summary"]["files_scanned"] >= 3 * len(GENERIC)


def test_invalid_utf8_keeps_line_and_column(tmp_path):
    write_files(tmp_path, {"x.txt": b"\xff\xfe\xc3\x28\n\xe9\xe9 key = '" + AWS.encode() + b"' \xc0\n"})
    doc, _ = scan_json(tmp_path)
    [finding] = findings(doc, "secret/aws-access-key-id")
    assert (finding["line"], finding["column"]) == (2, 11)  # two undecodable bytes count as two characters


def test_crlf_line_and_column(tmp_path):
    write_files(tmp_path, {"c.txt": f"first\r\nsecond\r\n  key = '{AWS}'\r\n".encode()})
    doc, _ = scan_json(tmp_path)
    [finding] = findings(doc, "secret/aws-access-key-id")
    assert (finding["line"], finding["column"], finding["end_line"]) == (3, 10, 3)
    assert "\r" not in finding["preview"]


def test_utf16_with_bom_is_handled(tmp_path):
    write_files(tmp_path, {"conf.txt": f"\ufeffkey = '{AWS}'\r\n".encode("utf-16-le")})
    scan_json(tmp_path)


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be", "utf-32-le"])
def test_utf16_with_bom_secret_is_found(tmp_path, codec):
    """Scanned as the text it is: line and column count its characters (the mark not among them)."""
    write_files(tmp_path, {"conf.txt": f"\ufeff# \u00e9t\u00e9\r\nkey = '{AWS}'\r\n".encode(codec)})
    doc, run = scan_json(tmp_path)
    [finding] = findings(doc, "secret/aws-access-key-id")
    assert (finding["line"], finding["column"], finding["end_column"]) == (2, 8, 8 + len(AWS))
    assert finding["preview"] != AWS and AWS not in run.output


def test_nul_laden_binary(tmp_path):
    noise = bytes(range(256)) * 4096
    write_files(tmp_path, {"blob.bin": b"\0" * 10 + noise + AWS.encode() + noise, "ok.txt": "hello\n"})
    scan_json(tmp_path)


@pytest.mark.parametrize("as_repo", [False, True], ids=["folder", "git"])
def test_symlink_loops(tmp_path, as_repo):
    root = tmp_path / "t"
    root.mkdir()
    write_files(root, {"sub/real.txt": "hello\n"})
    os.symlink("b", root / "a")
    os.symlink("a", root / "b")
    os.symlink("..", root / "sub" / "up")
    os.symlink("/", root / "sub" / "slash")
    os.symlink("self", root / "self")
    if as_repo:
        make_repo(root)
        git(root, "add", "-A")
        git(root, "commit", "-q", "-m", "loops")
    doc, _ = scan_json(root)
    assert doc["summary"]["files_scanned"] >= 1


def _latin1_named(root: Path) -> Path:
    root.mkdir()
    with open(os.path.join(os.fsencode(root), b"caf\xe9-\xff.txt"), "wb") as stream:
        stream.write(f"k = '{AWS}'\n".encode())
    return root


@pytest.mark.parametrize("as_repo", [False, True], ids=["folder", "git"])
def test_file_names_not_utf8(tmp_path, as_repo):
    root = _latin1_named(tmp_path / "t")
    if as_repo:
        make_repo(root)
        git(root, "add", "-A")
        git(root, "commit", "-q", "-m", "latin-1 name")
    doc, run = scan_json(root)
    # Bytes that are not UTF-8 are shown as U+FFFD in reports (SARIF percent-encodes them exactly).
    assert [f["path"] for f in findings(doc, "secret/aws-access-key-id")] == ["caf\ufffd-\ufffd.txt"]
    assert AWS not in run.output


@pytest.mark.parametrize("to_file", [False, True], ids=["stdout", "output-file"])
@pytest.mark.parametrize("fmt", ["text", "json", "sarif"])
def test_file_names_not_utf8_in_every_report(tmp_path, fmt, to_file):
    root = _latin1_named(tmp_path / "t")
    out = tmp_path / "report"
    args = ["scan", str(root), "--format", fmt] + (["--output", str(out)] if to_file else [])
    result = CliRunner().invoke(cli, args)  # the runner's stdout is strict UTF-8, like most desktops'
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert result.exit_code == 1


@pytest.mark.parametrize("as_repo", [False, True], ids=["folder", "git"])
def test_200_levels_deep(tmp_path, as_repo):
    root = tmp_path / "t"
    deep = "/".join(f"level{i:03d}" for i in range(200))
    write_files(root, {f"{deep}/k.txt": f"k = '{AWS}'\n"})
    if as_repo:
        make_repo(root)
        git(root, "add", "-A")
        git(root, "commit", "-q", "-m", "deep")
    doc, _ = scan_json(root)
    assert [f["path"] for f in findings(doc, "secret/aws-access-key-id")][:1] == [f"{deep}/k.txt"]
