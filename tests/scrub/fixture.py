"""A realistic repository to scrub, built at test time (fake values only)."""
from __future__ import annotations

import random
from dataclasses import dataclass
from pathlib import Path

from tests.conftest import ALNUM, UPPER_B32, fake, git, make_repo, write_files

PROFILE = """
[org]
names = ["Globex", "Globex Corporation"]
domains = ["globex.com", "globex.internal"]
codenames = ["Skyhook"]
namespaces = ["com.globex", "@globex"]
ticket_prefixes = ["GLX"]
"""

HANK = {"GIT_AUTHOR_NAME": "Hank Scorpio", "GIT_AUTHOR_EMAIL": "hank.scorpio@globex.com",
        "GIT_COMMITTER_NAME": "Hank Scorpio", "GIT_COMMITTER_EMAIL": "hank.scorpio@globex.com"}


@dataclass
class Fixture:
    repo: Path
    profile: Path
    secrets: list[str]
    terms: list[str]


def build(root: Path, seed: int = 11) -> Fixture:
    rng = random.Random(seed)
    aws = fake("AKIA", UPPER_B32, 16, rng)
    aws_secret = fake("", ALNUM, 40, rng)
    github = fake("ghp_", ALNUM, 36, rng)
    repo = make_repo(root / "globex-billing", {
        "globex_utils/__init__.py": '"""Helpers of Globex Corporation."""\nfrom globex_utils.money import add_cents\n',
        "globex_utils/money.py": "# Maintainer: Hank Scorpio\ndef add_cents(a, b):\n    return a + b\n",
        "tests/test_money.py": "from globex_utils import add_cents\nimport globex_utils.money as m\n\n\n"
                               "def test_add():\n    assert add_cents(1, 2) == 3 == m.add_cents(2, 1)\n",
        "app.py": "import globex_utils\n\nAPI = 'https://api.globex.internal/v1'\n\n\n"
                  "def main():\n    return globex_utils.add_cents(40, 2)\n",
        "deploy/values.yaml": "db:\n  host: db01.globex.internal\n  port: 5432\nowner: hank.scorpio@globex.com\n",
        "src/main/java/com/globex/billing/Invoice.java": "package com.globex.billing;\n\n// GLX-7: SkyhookInvoice rounding\n"
                                                          "public class Invoice {}\n",
        "web/package.json": '{"name": "@globex/web", "version": "1.0.0"}\n',
        "README.md": "# Billing\n\nBuilt by GLOBEX for the Skyhook launch. Ask Hank Scorpio.\n",
    }, message="GLX-1 import billing")
    write_files(repo, {"deploy/aws.cfg": f"[default]\naws_access_key_id = {aws}\naws_secret_access_key = {aws_secret}\n"})
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "GLX-2 deploy config", env=HANK)
    for i in range(3):
        write_files(repo, {"CHANGELOG.md": f"- change {i}\n"})
        git(repo, "add", "-A")
        git(repo, "commit", "-q", "-m", f"GLX-{10 + i} work", env=HANK)
    git(repo, "rm", "-q", "deploy/aws.cfg")
    git(repo, "commit", "-q", "-m", "remove key", env=HANK)
    git(repo, "tag", "-a", "globex-v1.0", "-m", "Globex release 1.0")
    git(repo, "checkout", "-q", "-b", "feature/GLX-42-skyhook")
    write_files(repo, {".ci.yml": f"token: {github}\n"})
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "GLX-42 ci token for globex", env=HANK)
    git(repo, "checkout", "-q", "main")
    profile = root / "globex.toml"
    profile.write_text(PROFILE)
    terms = ["globex", "skyhook", "hank", "scorpio", "glx-", "globex.internal"]
    return Fixture(repo, profile, [aws, aws_secret, github], terms)
