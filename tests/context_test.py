"""Every planted occurrence of the organisation is found with the syntactic context it sits in."""
from __future__ import annotations

import json
import string

from click.testing import CliRunner

from reposcrub.cli import cli
from tests.conftest import fake, git, make_repo

PROFILE = """
[org]
names = ["Acme"]
domains = ["acme.internal"]
namespaces = ["com.acme", "@acme"]
ticket_prefixes = ["ACME"]

[[people]]
name = "Wile Coyote"
"""

FILES = {
    ".reposcrub.toml": PROFILE,
    "acme_utils/__init__.py": "from acme_utils.core import run\n",
    "acme_utils/core.py": "# Wile Coyote wrote this for ACME-77\ndef run():\n    return 'acme rocket'\n",
    "app.py": "import acme_utils\n\nacmetric = 1\npacme = 2\nAcmeister = 3\nsite = 'https://example.com'\n",
    "src/main/java/com/acme/Billing.java": "package com.acme;\n\npublic class Billing {}\n",
    "web/index.ts": "import { Client } from '@acme/sdk';\n// see ACME-12\nconst acmeClient = new Client();\n",
    "deploy/values.yaml": "db:\n  host: db01.acme.internal\n",
    "infra/main.tf": 'resource "aws_instance" "web" {\n  tags = { Host = "web.acme.internal" }\n}\n',
}

EXPECTED = {
    ("acme_utils/__init__.py", "ident/org-name", "acme", "identifier"),
    ("acme_utils/core.py", "pii/person-name", "Wile Coyote", "comment"),
    ("acme_utils/core.py", "ident/ticket-key", "ACME-77", "comment"),
    ("acme_utils/core.py", "ident/org-name", "acme", "string"),
    ("app.py", "ident/org-name", "acme", "identifier"),
    ("src/main/java/com/acme/Billing.java", "ident/namespace", "com.acme", "identifier"),
    ("web/index.ts", "ident/namespace", "@acme", "string"),
    ("web/index.ts", "ident/ticket-key", "ACME-12", "comment"),
    ("web/index.ts", "ident/org-name", "acme", "identifier"),
    ("deploy/values.yaml", "host/org-domain", "db01.acme.internal", "string"),
    ("infra/main.tf", "host/org-domain", "web.acme.internal", "string"),
}


def test_planted_occurrences_with_context_and_silent_look_alikes(tmp_path):
    repo = make_repo(tmp_path / "r", FILES)
    result = CliRunner().invoke(cli, ["scan", str(repo), "--format", "json", "--no-history"], catch_exceptions=False)
    findings = json.loads(result.output)["findings"]
    got = {(f["path"], f["rule_id"], f["preview"], f["context"]) for f in findings if f["location"] == "file"}
    assert EXPECTED <= got, sorted(EXPECTED - got)
    app = [f for f in findings if f["path"] == "app.py"]
    assert [(f["line"], f["preview"]) for f in app] == [(1, "acme")]  # acmetric, pacme, Acmeister, example.com: silent


def test_context_lowers_or_drops_by_rule(tmp_path):
    from reposcrub.rules import rule_from_dict
    from reposcrub.model import Blob, Provenance, Severity
    from reposcrub.scan import Engine

    rule = rule_from_dict({
        "id": "secret/test-ctx", "name": "n", "category": "secret", "severity": "high", "description": "d",
        "pattern": "tok_[a-z]{6}", "keywords": ["tok_"], "context_severity": {"comment": "low", "identifier": "drop"},
        "examples": ["tok_abcdef"], "negative_examples": ["x"],
    })
    engine = Engine([rule])
    blob = Blob(data=b"a = 'tok_abcdef'\n# tok_ghijkl\ntok_mnopqr = 1\n", provenance=Provenance(path="x.py"))
    found = sorted((f.line, f.context, f.severity) for f in engine.scan_blob(blob))
    assert found == [(1, "string", Severity.HIGH), (2, "comment", Severity.LOW)]  # line 3: identifier, dropped


def _history_only_repo(tmp_path):
    """old.py exists only in history; its comment holds a generic password (context lowers it)."""
    files = {".reposcrub.toml": PROFILE, "old.py": "# Wile Coyote\nURL = 'https://db01.acme.internal'\n"
             f"# password = '{fake('Zq8', string.ascii_letters + string.digits, 16)}'\n"}
    repo = make_repo(tmp_path / "r", files)
    git(repo, "rm", "-q", "old.py")
    git(repo, "commit", "-q", "-m", "remove old.py")
    return repo


def _history_findings(repo, *args):
    result = CliRunner().invoke(cli, ["scan", str(repo), "--format", "json", *args], catch_exceptions=False)
    return [f for f in json.loads(result.output)["findings"] if f["path"] == "old.py" and f["location"] == "file"]


def test_full_history_scan_parses_history_only_blobs_where_context_decides(tmp_path):
    repo = _history_only_repo(tmp_path)
    full = _history_findings(repo)
    by_rule = {f["rule_id"]: f for f in full}
    # Context lowers the generic password in a comment, so that blob is parsed and every
    # finding in it is labelled; the work tree is always parsed.
    assert by_rule["secret/generic-password"]["severity"] == "low"
    assert {f["context"] for f in full} == {"comment", "string"}


def test_history_only_blob_without_a_deciding_finding_is_not_parsed(tmp_path):
    files = {".reposcrub.toml": PROFILE, "old.py": "# Wile Coyote\nURL = 'https://db01.acme.internal'\n"}
    repo = make_repo(tmp_path / "r", files)
    git(repo, "rm", "-q", "old.py")
    git(repo, "commit", "-q", "-m", "remove old.py")
    full = _history_findings(repo)
    assert full and {f["context"] for f in full} == {"unparsed"}
    # A ranged scan (a push, a pull request) labels every finding.
    ranged = _history_findings(repo, "--rev-range", "HEAD~1")
    assert {(f["rule_id"], f["context"]) for f in ranged} == {(f["rule_id"], "comment" if f["line"] == 1 else "string")
                                                             for f in full}
