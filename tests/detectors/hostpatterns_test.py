"""Host naming conventions from the profile ([org] hosts): found as whole host names in
files and history, and replaced by scrub with reserved names everywhere."""
from __future__ import annotations

import json
import subprocess

import pytest
from click.testing import CliRunner

from reposcrub.cli import cli
from reposcrub.detectors.hostpatterns import RULE_ID, HostPatternDetector
from reposcrub.model import Blob, Provenance
from reposcrub.profile import Profile
from reposcrub.rules import builtin_rules
from tests.conftest import git, make_repo

PATTERNS = ("*-devbox", "*.corp.acme.io", "build*.acme.net")


def found(text: str) -> list[str]:
    detector = HostPatternDetector(Profile(hosts=PATTERNS), builtin_rules())
    blob = Blob(text.encode(), Provenance("notes.txt"))
    return [f.value.decode() for f in detector.detect(blob) if f.rule_id == RULE_ID]


@pytest.mark.parametrize("text, hosts", [
    ("ssh alice-devbox", ["alice-devbox"]),
    ("ssh deploy@BOB-DEVBOX.", ["BOB-DEVBOX"]),
    ("url = 'https://wiki.corp.acme.io/page'", ["wiki.corp.acme.io"]),
    ("a.b.corp.acme.io:8080", ["a.b.corp.acme.io"]),
    ("hosts: [alice-devbox, bob-devbox]", ["alice-devbox", "bob-devbox"]),
    ("build07.acme.net", ["build07.acme.net"]),
])
def test_finds_whole_host_names(text, hosts):
    assert found(text) == hosts


@pytest.mark.parametrize("text", [
    "./setup-devbox.sh",  # a file name goes on after the dot
    "alice_devbox = 1",  # an identifier, not a host
    "alice-devbox-2",  # a longer host name
    "corp.acme.io",  # nothing before the pattern's literal part
    "wiki.corp.acme.io.evil.example",  # another host that merely starts the same
    "xbuild07.acme.net",
    "devbox",
])
def test_leaves_what_is_not_such_a_host(text):
    assert found(text) == []


def test_scan_and_scrub_remove_conventional_hosts_from_files_and_history(tmp_path):
    repo = make_repo(tmp_path / "r", {
        ".reposcrub.toml": '[org]\nhosts = ["*-devbox", "*.corp.acme.io"]\n',
        "deploy.sh": "#!/bin/sh\nssh alice-devbox 'make'\ncurl https://ci.corp.acme.io/job/1\n",
    }, message="deploy to carol-devbox")
    scan = CliRunner().invoke(cli, ["scan", str(repo), "--format", "json"])
    # Counted among the findings (the JSON report also lists each value's group).
    assert scan.exit_code == 1 and [f["rule_id"] for f in json.loads(scan.output)["findings"]].count(RULE_ID) == 3
    out = tmp_path / "out"
    result = CliRunner().invoke(cli, ["scrub", str(repo), "--out", str(out)])
    assert "verification: passed" in result.output, result.output
    revs = git(out, "rev-list", "--all").split()
    tree = subprocess.run(["git", "grep", "-i", "-e", "-devbox", "--and", "--not", "-e", "hosts =", *revs],
                          cwd=out, capture_output=True, text=True)
    assert tree.stdout == ""
    assert "devbox" not in git(out, "log", "--all", "--format=%B").lower()
    assert "example" in git(out, "show", "HEAD:deploy.sh")
