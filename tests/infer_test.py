"""`reposcrub profile infer` drafts a profile from the repository's own evidence."""
from __future__ import annotations

import tomllib

from click.testing import CliRunner

from reposcrub.cli import cli
from tests.conftest import git, make_repo, write_files


def infer(path) -> dict:
    result = CliRunner().invoke(cli, ["profile", "infer", str(path)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return tomllib.loads(result.output)["org"]


def test_infers_org_domain_namespaces_and_tickets(tmp_path):
    repo = make_repo(tmp_path / "r", {
        "LICENSE": "Copyright (c) 2018-2024 Globex Corporation\n\nAll rights reserved.\n",
        "src/main/java/com/globex/billing/Invoice.java": "package com.globex.billing;\nclass Invoice {}\n",
        "web/package.json": '{"name": "@globex/web-sdk", "version": "1.0.0"}\n',
        "svc/go.mod": "module github.com/globex-inc/billing-svc\n\ngo 1.22\n",
        "pom.xml": "<project><groupId>com.globex.platform</groupId></project>\n",
    }, message="GLX-101 initial import")
    env = {"GIT_AUTHOR_EMAIL": "hank.scorpio@globex.com", "GIT_COMMITTER_EMAIL": "hank.scorpio@globex.com"}
    write_files(repo, {"a.txt": "1"})
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "GLX-102 fix the ISO-8859 and UTF-8 handling", env=env)
    git(repo, "commit", "-q", "--allow-empty", "-m", "x", env={"GIT_AUTHOR_EMAIL": "someone@gmail.com"})
    git(repo, "remote", "add", "origin", "https://github.com/globex-inc/billing.git")
    org = infer(repo)
    assert org["names"][0] == "Globex"
    assert "globex.com" in org["domains"]
    assert not any("gmail" in d or "example.com" in d for d in org["domains"])
    assert {"com.globex", "@globex", "github.com/globex-inc"} <= set(org["namespaces"])
    assert org["ticket_prefixes"] == ["GLX"]
    assert "globex-inc" in org["names"]


def test_plain_folder_without_history(tmp_path):
    write_files(tmp_path, {"main.c": "/* Copyright 2020 Initech, Inc. */\nint main(void) { return 0; }\n"})
    org = infer(tmp_path)
    assert org["names"] == ["Initech"]
    assert org["domains"] == [] and org["ticket_prefixes"] == []
