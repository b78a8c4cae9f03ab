"""Severity by place and by what a risky file holds, as the rules declare it."""
from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from reposcrub.cli import cli
from reposcrub.places import places_of
from tests.conftest import make_repo


def _findings(repo) -> list[dict]:
    result = CliRunner().invoke(cli, ["scan", str(repo), "--format", "json", "--no-history"])
    return json.loads(result.output)["findings"]


@pytest.mark.parametrize("path,places", [
    ("tests/test_api.py", {"test"}), ("src/app_test.go", {"test"}), ("docker-compose.yml", {"compose"}),
    ("deploy/compose.prod.yaml", {"compose"}), ("examples/demo/config.py", {"example"}),
    ("config.yml.example", {"example"}), ("CHANGES.rst", {"changelog", "docs"}), ("AUTHORS", {"changelog"}),
    ("venv/lib/python3.12/site-packages/x.py", {"vendored"}), ("node_modules/a/b.js", {"vendored"}),
    ("src/app.py", set()), ("src/testing_utils.py", set()),
])
def test_places_by_path(path, places):
    assert places_of("file", path) == places


def test_places_of_metadata():
    assert places_of("author", "abc") == {"identity"} and places_of("tag-message", "v1") == {"message"}


def test_a_private_address_is_info_in_compose_files_and_fixtures_only(tmp_path):
    line = "url: http://10.20.30.40:8080/api\n"
    repo = make_repo(tmp_path / "r", {"docker-compose.yml": line, "tests/fixtures/conf.yml": line, "app/conf.yml": line})
    severity = {f["path"]: f["severity"] for f in _findings(repo) if f["rule_id"] == "host/private-ip-url"}
    assert severity == {"docker-compose.yml": "info", "tests/fixtures/conf.yml": "info", "app/conf.yml": "medium"}


def test_a_backup_holding_a_finding_outranks_one_that_holds_none(tmp_path):
    repo = make_repo(tmp_path / "r", {"settings.py.bak": 'DB_HOST = "db01.prod.corp"\n', "empty.bak": "x = 1\n"})
    found = {(f["path"], f["rule_id"]): f for f in _findings(repo)}
    holder = found[("settings.py.bak", "file/backup-file")]
    assert holder["severity"] == "high" and "holds 1 other finding" in holder["note"]
    assert found[("empty.bak", "file/backup-file")]["severity"] == "low"
    assert found[("settings.py.bak", "host/internal-hostname")]["severity"] == "medium"  # reported as what it is


def test_an_internal_label_under_a_public_domain_is_an_internal_host(tmp_path):
    repo = make_repo(tmp_path / "r", {"deploy.sh": "ssh deploy@build7.corp.acme-widgets.com\n"})
    [f] = [f for f in _findings(repo) if f["category"] == "host"]
    assert f["rule_id"] == "host/internal-label-hostname" and f["severity"] == "high"
