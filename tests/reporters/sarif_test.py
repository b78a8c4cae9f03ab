"""SARIF validates against the OASIS schema and follows GitHub code scanning's rules."""
from __future__ import annotations

import io
import json

import jsonschema
import pytest

from reposcrub.findings import LineIndex, fingerprint, make_finding, redact
from reposcrub.model import Blob, Provenance, ScanResult
from reposcrub.reporters.sarif import SarifReporter
from reposcrub.rules import load_rules
from tests.conftest import SARIF_SCHEMA, UPPER_B32, fake

RULES = load_rules()
SCHEMA = json.loads(SARIF_SCHEMA.read_text())


def finding(path: str, text: str, rule_id: str = "secret/aws-access-key-id", commit: str | None = None):
    rule = next(r for r in RULES if r.id == rule_id)
    blob = Blob(data=text.encode(), provenance=Provenance(path=path, commit=commit, commit_count=3 if commit else 0))
    start = text.index("AKIA")
    return make_finding(rule, blob, start, start + 20, LineIndex(blob.data))


def render(result: ScanResult, **kw) -> dict:
    out = io.StringIO()
    SarifReporter(**kw).write(result, out)
    doc = json.loads(out.getvalue())
    jsonschema.validate(doc, SCHEMA)
    return doc


def result_with(findings, revision=None) -> ScanResult:
    return ScanResult(target="t", findings=tuple(findings), rules=tuple(RULES), revision=revision,
                      repository_uri="file:///repo" if revision else None)


def test_empty_scan_is_valid_and_lists_every_rule():
    doc = render(result_with([]))
    run = doc["runs"][0]
    assert run["results"] == []
    assert len(run["tool"]["driver"]["rules"]) == len(RULES)
    assert run["automationDetails"]["id"] == "reposcrub/tree/"


def test_rules_carry_what_github_needs():
    doc = render(result_with([]))
    for rule in doc["runs"][0]["tool"]["driver"]["rules"]:
        assert rule["shortDescription"]["text"] and rule["fullDescription"]["text"]
        assert rule["help"]["text"] and rule["help"]["markdown"]
        assert 0 < float(rule["properties"]["security-severity"]) <= 10
        assert "security" in rule["properties"]["tags"]


def test_results_have_relative_uris_fingerprints_and_no_secret():
    key = fake("AKIA", UPPER_B32, 16)
    doc = render(result_with([finding("src/app config.py", f"x = 1\nk = '{key}'\n")]))
    res = doc["runs"][0]["results"][0]
    loc = res["locations"][0]["physicalLocation"]
    assert loc["artifactLocation"]["uri"] == "src/app%20config.py"
    assert loc["region"]["startLine"] == 2 and loc["region"]["startColumn"] == 6
    assert res["partialFingerprints"]["reposcrubFingerprint/v1"]
    assert key not in json.dumps(doc)


def test_history_findings_go_in_their_own_run():
    key = fake("AKIA", UPPER_B32, 16)
    tree = finding("a.py", f"k = '{key}'")
    hist = finding("old.py", f"k = '{key}'", commit="a" * 40)
    doc = render(result_with([tree, hist], revision="b" * 40))
    ids = [run["automationDetails"]["id"] for run in doc["runs"]]
    assert ids == ["reposcrub/tree/", "reposcrub/history/"]
    history = doc["runs"][1]
    assert history["versionControlProvenance"][0]["revisionId"] == "b" * 40
    assert history["results"][0]["properties"]["commit"] == "a" * 40
    assert "a" * 40 in history["results"][0]["message"]["text"]


@pytest.mark.parametrize("count, limit", [(30, 10)])
def test_results_above_the_limit_are_aggregated_and_say_so(count, limit):
    findings = [finding(f"f{i % 5}.py", f"k = '{fake('AKIA', UPPER_B32, 16)}'") for i in range(count)]
    doc = render(result_with(findings), max_results=limit)
    run = doc["runs"][0]
    assert len(run["results"]) == 5
    note = run["invocations"][0]["toolExecutionNotifications"][0]["message"]["text"]
    assert "aggregated" in note and str(count) in note
    assert all("6 occurrences" in r["message"]["text"] for r in run["results"])


def test_metadata_findings_get_a_pseudo_path_under_dot_git():
    key = fake("AKIA", UPPER_B32, 16)
    rule = next(r for r in RULES if r.id == "secret/aws-access-key-id")
    text = f"rotate {key}"
    blob = Blob(data=text.encode(), provenance=Provenance(path="c" * 40, commit="c" * 40, location="message"))
    f = make_finding(rule, blob, 7, 27, LineIndex(blob.data))
    doc = render(result_with([f], revision="c" * 40))
    res = doc["runs"][1]["results"][0]
    assert res["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == ".git/message/" + "c" * 40
    assert "in the message" in res["message"]["text"]


def test_a_secret_in_a_file_name_is_masked_in_uris_and_messages():
    key, other = fake("AKIA", UPPER_B32, 16), fake("AKIA", UPPER_B32, 16)
    path = f"keys/{key}.txt"
    rule = next(r for r in RULES if r.id == "secret/aws-access-key-id")
    name = Blob(data=path.encode(), provenance=Provenance(path=path, commit="c" * 40, location="path"))
    in_name = make_finding(rule, name, 5, 25, LineIndex(name.data))
    in_file = finding(path, f"k = '{other}'\n", commit="c" * 40)
    for limit in (25_000, 1):  # listed, then aggregated per rule and file
        doc = render(result_with([in_name, in_file], revision="c" * 40), max_results=limit)
        text = json.dumps(doc, ensure_ascii=False)
        assert key not in text and key[4:-4] not in text and other not in text
        results = doc["runs"][1]["results"]
        uris = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in results}
        assert uris == {"keys/" + redact(key).replace("*", "%2A") + ".txt"}
        assert any(redact(key) in r["message"]["text"] for r in results)
    doc = render(result_with([in_name], revision="c" * 40))
    # The fingerprint hashes the real path: baselines and code scanning alerts stay stable.
    assert doc["runs"][1]["results"][0]["partialFingerprints"]["reposcrubFingerprint/v1"] == fingerprint(
        rule.id, path, key.encode())
