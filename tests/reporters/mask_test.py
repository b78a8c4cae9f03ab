"""Secret values are masked in every path, ref, note and preview a report prints;
fingerprints keep hashing the real path."""
from __future__ import annotations

import io
import json

import pytest

from reposcrub.findings import LineIndex, fingerprint, make_finding, redact
from reposcrub.model import Blob, Provenance, ScanResult
from reposcrub.reporters import reporter_for
from reposcrub.reporters.mask import SecretMask, for_display, masked_finding
from reposcrub.rules import load_rules
from reposcrub.scan import Engine
from tests.conftest import ALNUM, UPPER_B32, fake

RULES = {r.id: r for r in load_rules()}


def found(rule_id: str, text: str, value: str, path: str, **prov) -> object:
    blob = Blob(data=text.encode("utf-8", "surrogateescape"), provenance=Provenance(path=path, **prov))
    start = text.index(value)
    return make_finding(RULES[rule_id], blob, start, start + len(value), LineIndex(blob.data))


def test_each_value_becomes_its_redacted_form():
    key = fake("AKIA", UPPER_B32, 16)
    mask = SecretMask([key])
    assert mask(f"keys/{key}.txt") == f"keys/{redact(key)}.txt"
    assert mask(f"{key}/{key}") == f"{redact(key)}/{redact(key)}"
    assert mask("nothing here") == "nothing here"


def test_overlapping_values_are_masked_as_one():
    a, b = fake("AKIA", UPPER_B32, 16), fake("", UPPER_B32, 20)
    text = f"x{a}{b}y"
    both = SecretMask([a, a[8:] + b[:10], b])(text)
    assert a[4:-4] not in both and b[4:-4] not in both and (a[8:] + b[:10]) not in both
    assert both == f"x{redact(a + b)}y"


def test_the_longest_value_at_a_position_wins():
    long = fake("ghp_", ALNUM, 36)
    assert SecretMask([long[:20], long])(f"[{long}]") == f"[{redact(long)}]"


def test_no_values_changes_nothing():
    result = ScanResult(target="t", findings=(), rules=())
    assert not SecretMask([]) and for_display(result) is result


def test_undecodable_paths_match_as_surrogates():
    key = fake("AKIA", UPPER_B32, 16)
    path = f"caf\udce9/{key}.txt"  # b"caf\xe9/..." as sources keep it
    f = found("secret/aws-access-key-id", path, key, path, commit="c" * 40, location="path")
    shown = masked_finding(f, SecretMask.of([f]))
    assert key not in shown.shown_path and shown.shown_path.startswith("caf\ufffd/")


def test_every_finding_sharing_the_value_is_masked_and_keeps_its_fingerprint():
    key = fake("AKIA", UPPER_B32, 16)
    path = f"keys/{key}.txt"
    in_name = found("secret/aws-access-key-id", path, key, path, commit="c" * 40, location="path")
    in_file = found("host/internal-hostname", 'host = "build01.corp"\n', "build01.corp", path)
    elsewhere = found("host/internal-hostname", f"see {path} on build01.corp", "build01.corp", f"docs/{key}/README")
    in_ref = found("secret/aws-access-key-id", f"refs/heads/{key}", key, f"refs/heads/{key}", location="ref",
                   ref=f"refs/heads/{key}")
    result = ScanResult(target="t", findings=(in_name, in_file, elsewhere, in_ref), rules=(),
                        notes=(f"submodule at {path} not followed",))
    shown = for_display(result)
    assert key not in repr(shown) and key[4:-4] not in repr(shown)
    assert [f.fingerprint for f in shown.findings] == [f.fingerprint for f in result.findings]
    assert shown.findings[0].fingerprint == fingerprint("secret/aws-access-key-id", path, key.encode())
    assert shown.findings[1].path == f"keys/{redact(key)}.txt"
    assert shown.findings[3].ref == f"refs/heads/{redact(key)}"


def test_a_secret_inside_another_rules_preview_is_masked():
    """An internal URL is previewed in full; the token in its query must not be."""
    token = fake("ghp_", ALNUM, 36)
    blob = Blob(f"url = 'https://git.corp/api?token={token}'\n".encode(), Provenance(path="a.py"))
    result = ScanResult(target="t", findings=tuple(Engine(list(RULES.values())).scan_blob(blob)), rules=())
    assert {f.rule_id for f in result.findings} >= {"host/internal-url", "secret/github-pat"}
    shown = for_display(result)
    assert token not in repr(shown) and "https://git.corp/api?token=" + redact(token) in repr(shown)


@pytest.mark.parametrize("fmt", ["text", "json", "sarif"])
def test_every_format_masks_paths(fmt):
    key = fake("AKIA", UPPER_B32, 16)
    path = f"keys/{key}.txt"
    findings = (found("secret/aws-access-key-id", path, key, path, commit="c" * 40, location="path"),
                found("host/internal-hostname", 'host = "build01.corp"\n', "build01.corp", path))
    out = io.StringIO()
    reporter_for(fmt).write(ScanResult(target="t", findings=findings, rules=tuple(RULES.values())), out)
    assert key not in out.getvalue() and key[4:-4] not in out.getvalue()
    assert redact(key) in out.getvalue()
    if fmt == "json":
        doc = json.loads(out.getvalue())
        assert [f["fingerprint"] for f in doc["findings"]] == [f.fingerprint for f in findings]
