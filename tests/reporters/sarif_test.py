"""SARIF validates against the OASIS schema and follows GitHub code scanning's rules."""
from __future__ import annotations

import io
import json
import random

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


def test_empty_scan_is_valid_and_lists_no_rule():
    doc = render(result_with([]))
    run = doc["runs"][0]
    assert run["results"] == [] and run["tool"]["driver"]["rules"] == []
    assert run["automationDetails"]["id"] == "reposcrub/tree/"


def test_only_rules_with_results_are_listed_and_carry_what_github_needs():
    key = fake("AKIA", UPPER_B32, 16)
    doc = render(result_with([finding("a.py", f"k = '{key}'")]))
    rules = doc["runs"][0]["tool"]["driver"]["rules"]
    assert [r["id"] for r in rules] == ["secret/aws-access-key-id"]
    for rule in rules:
        assert rule["shortDescription"]["text"] and rule["fullDescription"]["text"]
        assert rule["help"]["text"] and rule["help"]["markdown"] and "Rotate" in rule["help"]["text"]
        assert 0 < float(rule["properties"]["security-severity"]) <= 10
        assert "security" in rule["properties"]["tags"] and len(rule["properties"]["tags"]) <= 10
    assert len(json.dumps(doc)) < 20_000  # not every rule of the pack


def test_results_have_relative_uris_fingerprints_and_no_secret():
    key = fake("AKIA", UPPER_B32, 16)
    doc = render(result_with([finding("src/app config.py", f"x = 1\nk = '{key}'\n")]))
    res = doc["runs"][0]["results"][0]
    loc = res["locations"][0]["physicalLocation"]
    assert loc["artifactLocation"]["uri"] == "src/app%20config.py"
    assert loc["region"]["startLine"] == 2 and loc["region"]["startColumn"] == 6
    assert res["partialFingerprints"]["reposcrubFingerprint/v1"]
    assert key not in json.dumps(doc)


def test_a_value_still_in_the_tree_is_one_tree_result_that_says_where_it_came_in():
    key = fake("AKIA", UPPER_B32, 16)
    tree = finding("a.py", f"x = 1\nk = '{key}'")
    hist = finding("old.py", f"k = '{key}'", commit="a" * 40)
    doc = render(result_with([tree, hist], revision="b" * 40))
    ids = [run["automationDetails"]["id"] for run in doc["runs"]]
    assert ids == ["reposcrub/tree/", "reposcrub/history/"]
    [result] = doc["runs"][0]["results"]
    assert result["locations"][0]["physicalLocation"]["region"]["startLine"] == 2
    assert "first committed in " + "a" * 10 in result["message"]["text"]
    assert result["properties"]["firstCommit"] == "a" * 40
    assert doc["runs"][1]["results"] == []  # not again as a history result


def test_history_only_values_are_grouped_at_the_committed_path_without_a_line():
    key = fake("AKIA", UPPER_B32, 16)
    hist = [finding(f"old{i}.py", f"x = 1\nk = '{key}'", commit=c * 40) for i, c in enumerate("abc")]
    doc = render(result_with(hist, revision="d" * 40))
    history = doc["runs"][1]
    assert history["versionControlProvenance"][0]["revisionId"] == "d" * 40
    [result] = history["results"]
    location = result["locations"][0]["physicalLocation"]
    assert location["artifactLocation"]["uri"].startswith("old") and "region" not in location
    assert "3 occurrences in 3 files and 3 commits" in result["message"]["text"]
    assert "no longer in the work tree" in result["message"]["text"]
    assert len(result["relatedLocations"]) == 2 and result["properties"]["commits"] == 3
    note = history["invocations"][0]["toolExecutionNotifications"][0]["message"]["text"]
    assert "grouped to one result per value" in note


def test_ten_thousand_history_findings_stay_within_what_code_scanning_shows():
    rng = random.Random(5)
    findings = [finding(f"src/m{i % 700}.py", f"k = '{fake('AKIA', UPPER_B32, 16, rng)}'", commit=f"{i:040x}")
                for i in range(10_000)]
    findings += [finding("old/a.py", f"k = '{findings[0].value.decode()}'", commit="e" * 40)]  # one value twice
    doc = render(result_with(findings, revision="f" * 40))
    history = doc["runs"][1]
    assert len(history["results"]) == 5_000 and history["properties"]["findingCount"] == 10_001
    notes = " ".join(n["message"]["text"] for n in history["invocations"][0]["toolExecutionNotifications"])
    assert "grouped to one result per value (10000)" in notes and "5000 less severe values left out" in notes
    for result in history["results"]:
        assert "region" not in result["locations"][0]["physicalLocation"]
    assert len({r["partialFingerprints"]["reposcrubFingerprint/v1"] for r in history["results"]}) == 5_000


def test_many_work_tree_results_are_grouped_per_value_and_say_so():
    key = fake("AKIA", UPPER_B32, 16)
    findings = [finding(f"f{i}.py", f"k = '{key}'") for i in range(30)]
    doc = render(result_with(findings), max_results=10)
    run = doc["runs"][0]
    [result] = run["results"]
    assert len(result["relatedLocations"]) == 29 and result["properties"]["occurrences"] == 30
    note = run["invocations"][0]["toolExecutionNotifications"][0]["message"]["text"]
    assert "30 results exceed the 10" in note and "grouped to one result per value" in note


def test_git_metadata_is_named_in_a_notification_never_at_a_made_up_path():
    key = fake("AKIA", UPPER_B32, 16)
    rule = next(r for r in RULES if r.id == "secret/aws-access-key-id")
    text = f"rotate {key}"
    blob = Blob(data=text.encode(), provenance=Provenance(path="c" * 40, commit="c" * 40, location="message"))
    f = make_finding(rule, blob, 7, 27, LineIndex(blob.data))
    doc = render(result_with([f], revision="c" * 40))
    history = doc["runs"][1]
    assert history["results"] == [] and history["properties"]["gitMetadata"] == {"items": 1, "findings": 1}
    note = history["invocations"][0]["toolExecutionNotifications"][0]["message"]["text"]
    assert "secret/aws-access-key-id" in note and "message of commit " + "c" * 10 in note
    assert ".git/" not in json.dumps(doc) and key not in json.dumps(doc)


def test_a_secret_in_a_file_name_is_masked_in_uris_and_messages():
    key, other = fake("AKIA", UPPER_B32, 16), fake("AKIA", UPPER_B32, 16)
    path = f"keys/{key}.txt"
    rule = next(r for r in RULES if r.id == "secret/aws-access-key-id")
    name = Blob(data=path.encode(), provenance=Provenance(path=path, commit="c" * 40, location="path"))
    in_name = make_finding(rule, name, 5, 25, LineIndex(name.data))
    in_file = finding(path, f"k = '{other}'\n", commit="c" * 40)
    for limit in (5_000, 1):
        doc = render(result_with([in_name, in_file], revision="c" * 40), max_results=limit)
        text = json.dumps(doc, ensure_ascii=False)
        assert key not in text and key[4:-4] not in text and other not in text
        results = doc["runs"][1]["results"]
        uris = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in results}
        assert uris == {"keys/" + redact(key).replace("*", "%2A") + ".txt"}
        assert any(redact(key) in r["message"]["text"] for r in results)
    # A work-tree result's fingerprint hashes the real path: baselines and alerts stay stable.
    doc = render(result_with([finding(path, f"k = '{other}'\n")]))
    assert doc["runs"][0]["results"][0]["partialFingerprints"]["reposcrubFingerprint/v1"] == fingerprint(
        "secret/aws-access-key-id", path, other.encode())
