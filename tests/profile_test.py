"""The profile is read from the places PRODUCT.md names; unknown keys are errors naming the key."""
from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from reposcrub.cli import cli
from reposcrub.errors import ReposcrubError
from reposcrub.profile import load_profile
from tests.conftest import write_files

PROFILE = """
[org]
names = ["Globex"]
domains = ["Globex.com"]
ticket_prefixes = ["GLX"]

[[people]]
name = "Hank Scorpio"
emails = ["hank@globex.com"]

[rules]
severity = { "ident/ticket-key" = "low" }
"""


def test_reposcrub_toml(tmp_path):
    write_files(tmp_path, {".reposcrub.toml": PROFILE})
    profile = load_profile(tmp_path)
    assert profile.names == ("Globex",) and profile.domains == ("globex.com",)
    assert profile.people[0].emails == ("hank@globex.com",)


def test_pyproject_section(tmp_path):
    write_files(tmp_path, {"pyproject.toml": '[project]\nname = "x"\n\n[tool.reposcrub.org]\nnames = ["Initech"]\n'})
    assert load_profile(tmp_path).names == ("Initech",)


@pytest.mark.parametrize("text, key", [
    ("[org]\nnmaes = ['x']\n", "nmaes"),
    ("[orgs]\n", "orgs"),
    ("[rules]\nenable = []\n", "enable"),
    ("[[people]]\nname = 'x'\nphone = '1'\n", "phone"),
])
def test_unknown_keys_are_named(tmp_path, text, key):
    write_files(tmp_path, {".reposcrub.toml": text})
    with pytest.raises(ReposcrubError, match=f"unknown key '{key}'"):
        load_profile(tmp_path)


def test_invalid_toml_is_a_one_line_cli_error(tmp_path):
    write_files(tmp_path, {".reposcrub.toml": "[org\n", "a.txt": "x"})
    result = CliRunner().invoke(cli, ["scan", str(tmp_path)])
    assert result.exit_code == 2 and "is not valid TOML" in result.output
    assert len(result.output.strip().splitlines()) == 1


def test_profile_drives_the_scan_and_severity_overrides(tmp_path):
    write_files(tmp_path, {".reposcrub.toml": PROFILE, "notes.md": "GLX-12: ask Hank Scorpio at globex.com\n"})
    result = CliRunner().invoke(cli, ["scan", str(tmp_path), "--format", "json"])
    doc = json.loads(result.output)
    found = {(f["rule_id"], f["severity"]) for f in doc["findings"] if f["path"] == "notes.md"}
    assert {("ident/ticket-key", "low"), ("pii/person-name", "low"), ("host/org-domain", "high")} <= found


def test_org_and_domain_flags(tmp_path):
    write_files(tmp_path, {"a.py": "import initech_utils  # see initech.net\n"})
    result = CliRunner().invoke(cli, ["scan", str(tmp_path), "--org", "Initech", "--domain", "initech.net", "--format", "json"])
    rules = sorted(f["rule_id"] for f in json.loads(result.output)["findings"])
    assert rules == ["host/org-domain", "ident/org-name"]


def test_host_patterns_are_read_lower_cased(tmp_path):
    write_files(tmp_path, {".reposcrub.toml": '[org]\nhosts = ["*-DevBox", "*.corp.acme.io", "build*.acme.net"]\n'})
    assert load_profile(tmp_path).hosts == ("*-devbox", "*.corp.acme.io", "build*.acme.net")


@pytest.mark.parametrize("pattern, says", [
    ("*", "matches almost any host"),
    ("*.io", "matches almost any host"),
    ("*-a", "matches almost any host"),
    ("https://*.acme.io", "must be a host name with * wildcards"),
    ("acme io", "must be a host name with * wildcards"),
])
def test_bad_host_patterns_are_one_line_errors_naming_the_entry(tmp_path, pattern, says):
    write_files(tmp_path, {".reposcrub.toml": f'[org]\nhosts = ["{pattern}"]\n', "a.txt": "x"})
    result = CliRunner().invoke(cli, ["scan", str(tmp_path)])
    assert result.exit_code == 2 and says in result.output and repr(pattern) in result.output
    assert len(result.output.strip().splitlines()) == 1
