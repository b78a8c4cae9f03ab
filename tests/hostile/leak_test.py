"""Secrets never leak through reporting: not in error messages, not in --debug
tracebacks, not in internal errors raised while a secret is being processed."""
from __future__ import annotations

import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from reposcrub import cli as cli_module
from reposcrub.cli import cli
from tests.conftest import git, make_repo, write_files
from tests.hostile.helpers import fake_tokens, run_cli

TOKENS = fake_tokens(11)
SECRETS = list(TOKENS.values())


@pytest.fixture
def leaky(tmp_path: Path) -> Path:
    repo = make_repo(tmp_path / "repo", {"config.py": "".join(f"{k.upper()} = '{v}'\n" for k, v in TOKENS.items())})
    write_files(repo, {"later.env": f"TOKEN={TOKENS['github']}\n"})
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "more")
    return repo


def assert_no_secret(text: str) -> None:
    for secret in SECRETS:
        assert secret not in text, "a planted secret was printed"
        assert secret[4:-4] not in text, "most of a planted secret was printed"


def test_unwritable_report_with_planted_secret(leaky, tmp_path):
    run = run_cli("--debug", "scan", str(leaky), "--output", str(tmp_path / "no/dir/r.json"))
    assert run.returncode == 2 and "Traceback" in run.stderr
    assert_no_secret(run.output)


def test_unwritable_scrub_output_with_planted_secret(leaky, tmp_path):
    (tmp_path / "a-file").write_text("x\n")
    run = run_cli("--debug", "scrub", str(leaky), "--out", str(tmp_path / "a-file" / "copy"))
    assert run.returncode in (2, 3)
    assert_no_secret(run.output)


@pytest.mark.parametrize("command", ["scan", "scrub"])
def test_url_password_never_printed(tmp_path, command):
    password = "pw-" + TOKENS["github"][4:24]
    url = f"https://reposcrub-user:{password}@127.0.0.1:9/private.git"
    args = ["--debug", command, url] + (["--out", str(tmp_path / "out")] if command == "scrub" else [])
    run = run_cli(*args, env={"GIT_TERMINAL_PROMPT": "0"})
    assert run.returncode == 2
    assert password not in run.output


def test_internal_error_in_reporting_with_planted_secret(tmp_path):
    """A real internal error (a file name that is not UTF-8 breaks the SARIF writer),
    with --debug: the traceback must not carry the secret."""
    root = tmp_path / "t"
    root.mkdir()
    with open(os.path.join(os.fsencode(root), b"caf\xe9.py"), "wb") as stream:
        stream.write(f"KEY = '{TOKENS['aws']}'\n".encode())
    for debug in ([], ["--debug"]):
        run = run_cli(*debug, "scan", str(root), "--format", "sarif")
        assert "Traceback" not in run.stdout
        assert_no_secret(run.output)


def test_internal_error_while_a_secret_is_processed(leaky, monkeypatch, capsys):
    """An exception raised with the matched value in its message, as `int(value)` or a
    KeyError on a value would be: the one-line message and the --debug trace hide it."""
    from reposcrub import findings

    original = findings.make_finding

    def failing(rule, blob, start, end, lines, note=""):
        if rule.category == "secret" and end > start:
            raise ValueError(f"cannot handle {blob.data[start:end].decode()!r}")
        return original(rule, blob, start, end, lines, note)

    monkeypatch.setattr("reposcrub.detectors.rules.make_finding", failing)
    for debug in ([], ["--debug"]):
        with pytest.raises(SystemExit) as exc:
            cli_module.main([*debug, "scan", str(leaky), "--jobs", "1"])
        assert exc.value.code == 3
        assert_no_secret(capsys.readouterr().err)


def test_secret_in_a_file_name(tmp_path):
    repo = make_repo(tmp_path / "repo", {f"keys/{TOKENS['aws']}.txt": "see file name\n"})
    for fmt in ("text", "json", "sarif"):
        run = run_cli("scan", str(repo), "--format", fmt)
        assert run.returncode == 1
        assert_no_secret(run.output)


def test_secret_in_a_file_name_and_a_branch_name_everywhere(tmp_path):
    """The file's other findings, the branch's finding, the baseline and the scrub's
    reports print the path and ref too: masked in all of them, fingerprints unchanged."""
    import json

    from reposcrub.findings import fingerprint

    key = TOKENS["aws"]
    repo = make_repo(tmp_path / "repo", {f"keys/{key}.txt": 'host = "build01.corp"\n'})
    git(repo, "branch", f"feature/{key}")
    report = json.loads(run_cli("scan", str(repo), "--format", "json").stdout)
    by_rule = {(f["rule_id"], f["location"]): f for f in report["findings"]}
    assert set(by_rule) >= {("secret/aws-access-key-id", "path"), ("secret/aws-access-key-id", "ref"),
                            ("host/internal-hostname", "file")}
    assert by_rule[("secret/aws-access-key-id", "path")]["fingerprint"] == fingerprint(
        "secret/aws-access-key-id", f"keys/{key}.txt", key.encode())
    printed = json.dumps(report)
    for fmt in ("text", "sarif"):
        printed += run_cli("scan", str(repo), "--format", fmt).output
    baseline = tmp_path / "baseline.json"
    assert run_cli("baseline", "create", str(repo), "-o", str(baseline)).returncode == 0
    assert run_cli("scan", str(repo), "--baseline", str(baseline)).returncode == 0  # same fingerprints
    scrub = run_cli("scrub", str(repo), "--out", str(tmp_path / "copy"))
    assert scrub.returncode == 0, scrub.output
    for written in (baseline, tmp_path / "copy.scrub-report.json", tmp_path / "copy.scrub-report.sarif"):
        printed += written.read_text(encoding="utf-8")
    assert_no_secret(printed + scrub.output)


def test_token_inside_an_internal_url_is_not_previewed(tmp_path):
    """host/internal-url previews the URL it found; the token in its query is a secret of its own."""
    repo = make_repo(tmp_path / "repo", {"a.py": f"URL = 'https://git.corp/api?token={TOKENS['github']}'\n"})
    for fmt in ("text", "json", "sarif"):
        run = run_cli("scan", str(repo), "--format", fmt, "--no-history")
        assert run.returncode == 1 and "git.corp" in run.stdout
        assert_no_secret(run.output)


@pytest.mark.parametrize("fmt", ["text", "json", "sarif"])
def test_no_secret_in_any_report_format(leaky, tmp_path, fmt):
    report = tmp_path / f"report.{fmt}"
    result = CliRunner().invoke(cli, ["scan", str(leaky), "--format", fmt, "--output", str(report), "--jobs", "1"])
    assert result.exit_code == 1, result.output
    assert_no_secret(result.output + report.read_text(encoding="utf-8"))
