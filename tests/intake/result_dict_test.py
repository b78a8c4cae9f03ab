"""ScanResult.to_dict/from_dict: results cross process boundaries with no secret value in them."""
from __future__ import annotations

import io
import json

import pytest

from reposcrub.model import ScanResult
from reposcrub.pipeline import ScanOptions, scan_target
from reposcrub.reporters.json import JsonReporter
from reposcrub.reporters.sarif import SarifReporter
from tests.conftest import ALNUM, UPPER_B32, fake, make_repo


@pytest.fixture
def leaky(tmp_path, rng):
    key = fake("AKIA", UPPER_B32, 16, rng)
    token = fake("ghp_", ALNUM, 36, rng)
    files = {
        "settings.py": f'AWS_ACCESS_KEY_ID = "{key}"\nGITHUB = "{token}"\n# Acme build host: ci01.corp.internal\n',
        f"keys/{token}.txt": "see settings\n",  # a secret in a file name
        "README.md": "Maintained by Acme Corp <dev@acme-corp.com>\n",
    }
    repo = make_repo(tmp_path / "repo", files)
    result = scan_target(str(repo), ScanOptions(jobs=1, orgs=("Acme",), domains=("acme-corp.com",)))
    return result, (key, token)


def _report(reporter, result: ScanResult) -> str:
    out = io.StringIO()
    reporter.write(result, out)
    return out.getvalue()


def test_the_dict_holds_no_secret_value_anywhere(leaky):
    result, secrets = leaky
    assert {f.category for f in result.findings} >= {"secret", "host", "ident", "pii"}
    text = json.dumps(result.to_dict())
    for secret in secrets:
        assert secret not in text
        assert secret[:4] in text  # its redacted preview is there
    assert not any("value" in f for f in result.to_dict()["findings"])


def test_round_trip_keeps_every_finding_and_the_reports_it_makes(leaky):
    result, secrets = leaky
    back = ScanResult.from_dict(json.loads(json.dumps(result.to_dict())))
    assert len(back.findings) == len(result.findings)
    assert [f.fingerprint for f in back.findings] == [f.fingerprint for f in result.findings]
    assert [(f.rule_id, f.severity, f.line, f.column, f.preview) for f in back.findings] == \
        [(f.rule_id, f.severity, f.line, f.column, f.preview) for f in result.findings]
    assert all(f.value == b"" for f in back.findings)
    assert back.rules == result.rules
    assert back.to_dict() == result.to_dict()
    # Reports written on the other side are the ones written here.
    assert _report(JsonReporter(), back) == _report(JsonReporter(), result)
    assert _report(SarifReporter(), back) == _report(SarifReporter(), result)


def test_unknown_and_missing_keys_are_named(leaky):
    data = leaky[0].to_dict()
    with pytest.raises(ValueError, match="unknown ScanResult key.*colour"):
        ScanResult.from_dict({**data, "colour": "red"})
    broken = dict(data, findings=[{k: v for k, v in data["findings"][0].items() if k != "fingerprint"}])
    with pytest.raises(ValueError, match="Finding without key.*fingerprint"):
        ScanResult.from_dict(broken)
