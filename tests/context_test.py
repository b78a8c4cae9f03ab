"""Every planted occurrence of the organisation is found with the syntactic context it sits in."""
from __future__ import annotations

import json

from click.testing import CliRunner

from reposcrub.cli import cli
from tests.conftest import make_repo

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
