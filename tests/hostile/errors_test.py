"""Every user-facing error is one line that names the problem, exit code 2, and no
traceback unless --debug asks for one."""
from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from reposcrub.cli import cli
from tests.conftest import make_repo, write_files
from tests.hostile.helpers import run_cli


@pytest.fixture
def setting(tmp_path: Path) -> Path:
    make_repo(tmp_path / "repo", {"a.txt": "a\n"})
    write_files(tmp_path, {
        "out/existing.txt": "keep me\n",
        "bad.toml": "not [valid toml",
        "notes.txt": "just text\n",
        "corrupt.zip": b"PK\x03\x04" + b"\0" * 40,
        "baseline.json": "{not json",
    })
    return tmp_path


# (id, arguments with {t} for the setting folder, words the one line must contain)
BAD_INVOCATIONS = [
    ("missing-target", ["scan", "{t}/nope"], ["does not exist"]),
    ("missing-profile", ["scan", "{t}/repo", "--profile", "{t}/missing.toml"], ["cannot read profile", "missing.toml"]),
    ("invalid-profile", ["scan", "{t}/repo", "--profile", "{t}/bad.toml"], ["bad.toml", "TOML"]),
    ("unknown-rule-id", ["scan", "{t}/repo", "--disable", "secret/no-such-rule"], ["unknown rule id", "secret/no-such-rule"]),
    ("bad-rev-range", ["scan", "{t}/repo", "--rev-range", "nope..bad"], []),
    ("scrub-out-not-empty", ["scrub", "{t}/repo", "--out", "{t}/out"], ["not empty", "--force"]),
    ("scrub-out-inside-input", ["scrub", "{t}/repo", "--out", "{t}/repo/copy"], ["inside the input"]),
    ("corrupt-archive", ["scan", "{t}/corrupt.zip"], ["corrupt.zip"]),
    ("unwritable-output", ["scan", "{t}/repo", "--output", "{t}/no/such/dir/report.json"], ["cannot write"]),
    ("bad-baseline", ["scan", "{t}/repo", "--baseline", "{t}/baseline.json"], ["baseline.json"]),
    ("transport-that-runs-programs", ["scan", "ext::sh -c touch% {t}/pwned"], []),
    ("staged-outside-a-work-tree", ["scan", "{t}/out", "--staged"], ["--staged"]),
]


def invoke(args: list[str], setting: Path, debug: bool = False):
    full = (["--debug"] if debug else []) + [a.replace("{t}", str(setting)) for a in args]
    return CliRunner().invoke(cli, full)


@pytest.mark.parametrize("args,words", [pytest.param(a, w, id=i) for i, a, w in BAD_INVOCATIONS])
def test_bad_invocation_is_one_line_exit_2(setting, args, words):
    result = invoke(args, setting)
    lines = result.output.strip().splitlines()
    assert result.exit_code == 2, result.output
    assert len(lines) == 1 and lines[0].startswith("reposcrub: error: "), result.output
    assert "Traceback" not in result.output and not isinstance(result.exception, (KeyError, TypeError, AttributeError))
    for word in words:
        assert word in lines[0]
    assert not (setting / "pwned").exists()
    assert (setting / "out" / "existing.txt").read_text() == "keep me\n"


@pytest.mark.parametrize("args", [pytest.param(a, id=i) for i, a, _ in BAD_INVOCATIONS])
def test_debug_shows_the_traceback(setting, args):
    result = invoke(args, setting, debug=True)
    assert result.exit_code == 2
    assert "Traceback" in result.stderr
    assert result.stderr.strip().splitlines()[-1].startswith("reposcrub: error: ")


def test_bad_rev_range_names_the_range(setting):
    result = invoke(["scan", "{t}/repo", "--rev-range", "nope..bad"], setting)
    assert "nope..bad" in result.output


def test_scrub_out_that_cannot_be_created(setting):
    result = invoke(["scrub", "{t}/repo", "--out", "{t}/notes.txt/copy"], setting)
    assert result.exit_code == 2, result.output
    assert result.output.startswith("reposcrub: error: ")


def test_corrupt_archive_says_so(setting):
    result = invoke(["scan", "{t}/corrupt.zip"], setting)
    assert "not a valid zip archive" in result.output


@pytest.mark.parametrize("args", [["scan", "--format", "xml"], ["scan", "--max-file-size", "0"],
                                  ["scan", "{t}/repo", "--profile", "{t}"]], ids=["choice", "range", "path"])
def test_usage_errors_are_one_line(setting, args):
    result = invoke(args, setting)
    assert result.exit_code == 2
    assert len(result.output.strip().splitlines()) == 1, result.output


@pytest.mark.parametrize("debug", [False, True])
def test_entry_point_maps_errors(setting, debug):
    """Through main() in a real process: exit 2, one line, traceback only with --debug."""
    run = run_cli(*(["--debug"] if debug else []), "scan", str(setting / "nope"))
    assert run.returncode == 2 and "internal error" not in run.output
    assert run.stderr.strip().splitlines()[-1].startswith("reposcrub: error: ")
    assert ("Traceback" in run.stderr) == debug
