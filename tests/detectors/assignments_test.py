"""The key -> value extractor, the assignment rules built on it, and the gates every secret
rule shares (fillers, documented example values)."""
from __future__ import annotations

import random
import string

import pytest

from reposcrub.detectors.gates import is_filler
from reposcrub.errors import ReposcrubError
from reposcrub.model import DOCUMENTED_EXAMPLE, Blob, Provenance, Severity
from reposcrub.parse.assignments import Extractor
from reposcrub.parse.keypath import family_for, normalise
from reposcrub.rules import load_rules, rule_from_dict
from reposcrub.scan import Engine

ENGINE = Engine(load_rules())
EXTRACTOR = Extractor()
RNG = random.Random(13)


def _value(n: int = 20) -> str:
    return "".join(RNG.choice(string.ascii_letters + string.digits) for _ in range(n))


def pairs(path: str, text: str) -> list[tuple[str, str]]:
    data = text.encode()
    return [(a.key, data[a.start:a.end].decode()) for a in EXTRACTOR.extract(data, path)]


@pytest.mark.parametrize("raw,key", [
    ("DB_PASSWORD", "db_password"), ("dbPassword", "db_password"), ("db.password", "db_password"),
    ("APIKey", "api_key"), ("$cfg['Servers'][$i]['password']", "cfg_servers_i_password"), ("X-Api-Key", "x_api_key"),
])
def test_keys_are_normalised_whatever_the_style(raw, key):
    assert normalise(raw) == key


@pytest.mark.parametrize("path,family", [
    ("app.py", "code"), ("config.json", "json"), (".env", "shell"), ("Makefile", "shell"), ("settings.ini", "config"),
    ("values.yaml", "config"), ("app.properties", "properties"), ("web.config", "xml"), ("README.md", "text"),
])
def test_each_path_has_a_family(path, family):
    assert family_for(path) == family


def test_yaml_parents_and_ini_sections_are_part_of_the_key():
    v = _value()
    assert pairs("twilio.yaml", f"twilio:\n  account:\n    auth_token: {v}\n") == [("twilio_account_auth_token", v)]
    assert pairs("settings.ini", f"[twilio]\nauth_token = {v}\n") == [("twilio_auth_token", v)]


def test_bare_words_in_code_are_expressions_not_values():
    assert pairs("app.py", "password = get_password()\ntoken = request.headers['x']\n") == []
    assert pairs("app.py", 'print("password = ", password)\n') == []


def test_a_key_must_end_with_a_credential_word():
    v = _value()
    assert pairs("app.js", f"const description = '{v}'; const keyboard = '{v}'; const x = {{ key: '{v}' }};\n") == []
    assert pairs("app.js", f"const apiKey = '{v}';\n") == [("api_key", v)]


def test_xml_attributes_in_any_order_and_elements_over_lines():
    v, w = _value(), _value()
    text = f'<appSettings>\n  <add value="{v}" key="SmtpPassword"/>\n</appSettings>\n<password>\n  {w}\n</password>\n'
    assert sorted(pairs("web.config", text)) == sorted([("smtp_password", v), ("password", w)])


def test_a_string_that_only_looks_quoted_to_the_line_grammar_is_dropped_by_the_parser():
    value = _value()
    text = f'log("password: " + user + "{value}")\n'.encode()
    found = [f for f in ENGINE.scan_blob(Blob(text, Provenance("app.js"))) if f.category == "secret"]
    assert found == []


def test_a_documented_example_is_reported_at_info_as_such():
    doc = b'AWS_ACCESS_KEY_ID = "AKIAIOSFODNN7EXAMPLE"\n'
    [f] = [f for f in ENGINE.scan_blob(Blob(doc, Provenance("settings.py"))) if f.rule_id == "secret/aws-access-key-id"]
    assert (f.severity, f.kind) == (Severity.INFO, DOCUMENTED_EXAMPLE) and "documented example" in f.note
    real = b'AWS_ACCESS_KEY_ID = "AKIA' + "".join(RNG.choice("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567") for _ in range(16)).encode() + b'"\n'
    [g] = [f for f in ENGINE.scan_blob(Blob(real, Provenance("settings.py"))) if f.rule_id == "secret/aws-access-key-id"]
    assert g.severity > Severity.INFO and g.kind == ""


@pytest.mark.parametrize("value,filler", [
    ("AKIAXXXXXXXXXXXXXXXX", True), ("sk_live_" + "*" * 24, True), ("ghp_" + "x" * 36, True), ("xxxx", True),
    ("AKIA" + "Q7DM3HZK2PLW5RTY", False), ("Tr0ub4dor&3x", False),
])
def test_fillers_are_told_from_values(value, filler):
    assert is_filler(value) is filler


def test_fillers_are_silent_for_every_secret_rule():
    text = b'AWS_ACCESS_KEY_ID=AKIAXXXXXXXXXXXXXXXX\nGITHUB_TOKEN=ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\nSTRIPE=sk_live_************************\n'
    assert [f.rule_id for f in ENGINE.scan_blob(Blob(text, Provenance(".env"))) if f.category == "secret"] == []


def test_a_counting_run_in_a_token_id_does_not_hide_its_random_part():
    secret = _value(24)
    token = f"xoxb-123456789012-1234567890123-{secret}"
    found = ENGINE.scan_blob(Blob(f"SLACK_BOT_TOKEN={token}\n".encode(), Provenance(".env")))
    assert any(f.rule_id == "secret/slack-bot-token" for f in found)


_BASE = {"id": "secret/x-key", "name": "x", "category": "secret", "severity": "high", "description": "x",
         "examples": ["a"], "negative_examples": ["b"]}


@pytest.mark.parametrize("extra,message", [
    ({"pattern": "x", "value_pattern": "y"}, "go with a key_pattern"),
    ({"key_pattern": "(?:^|_)x$", "value_quoted": "yes"}, "value_quoted must be true or false"),
    ({"key_pattern": "(?:^|_)x$", "keywords": ["re:x.y"]}, "are literals"),
    ({"key_pattern": "(?<=x)"}, "not a valid RE2 pattern"),
    ({"pattern": "x", "documented": [{"value": "v"}]}, "need a value and a source"),
])
def test_the_loader_names_what_is_wrong_with_the_new_fields(extra, message):
    with pytest.raises(ReposcrubError, match=message):
        rule_from_dict({**_BASE, **extra})
