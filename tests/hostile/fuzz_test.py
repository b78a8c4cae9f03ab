"""Properties, checked on generated inputs: scanning never crashes, cleaning is
idempotent, a clean text is left byte for byte, and a planted secret does not survive
cleaning in any encoding reposcrub claims to see through."""
from __future__ import annotations

import base64
import json
import string
from urllib.parse import quote

import pytest
from hypothesis import HealthCheck, Phase, assume, given, settings
from hypothesis import strategies as st

from reposcrub.model import Blob, Provenance, Severity
from reposcrub.profile import Person, Profile
from reposcrub.rules import load_rules
from reposcrub.scan import Engine
from reposcrub.scrub.clean import Cleaner, replaceable
from reposcrub.scrub.replace import Replacer

RULES = load_rules()
PROFILE = Profile(names=("Acme Corp",), domains=("acme.com",), codenames=("Skyhook",), ticket_prefixes=("ACME",),
                  people=(Person("Jane Doe", ("jane@acme.com",)),))
ENGINE = Engine(RULES, PROFILE)
FUZZ = settings(max_examples=100, deadline=None, derandomize=True, database=None, suppress_health_check=[HealthCheck.too_slow])

# Words that wake rules up, so generated inputs reach the post-processing, not only the prefilter.
VOCABULARY = [
    "password", "token", "secret", "api_key", "Authorization: Bearer ", "AKIA", "ghp_", "xoxb-", "-----BEGIN ",
    "PRIVATE KEY-----", "mongodb://", "https://", "@", ".corp.", "10.0.0.", "acme.com", "Acme Corp", "AcmeCorp",
    "Jane Doe", "ACME-12", "Skyhook", "=", ":", '"', "'", "`", "\n", "\r\n", "\t", " ", "{", "}", "${", "<", ">",
    "\\", "/", "#", "//", "/*", "*/", "eyJ", ".", "=" * 3, "\0", "\xe9", "\ud800",
]
PATHS = st.sampled_from(["notes.txt", "config.py", "app.js", "settings.json", "values.yaml", "main.go", "x.toml",
                         ".env", "gradle.properties", "id_rsa", "a/b/c.tf", "Dockerfile", "caf\udce9.txt", ""])


def _token(prefix: str, alphabet: str, size: int):
    return st.text(alphabet, min_size=size, max_size=size).map(lambda body: prefix + body)


TOKENS = {
    "aws": _token("AKIA", string.ascii_uppercase + "234567", 16),
    "github": _token("ghp_", string.ascii_letters + string.digits, 36),
    "slack": st.tuples(st.text(string.digits, min_size=11, max_size=11), st.text(string.digits, min_size=12, max_size=12),
                       st.text(string.ascii_letters + string.digits, min_size=24, max_size=24))
              .map(lambda parts: "xoxb-" + "-".join(parts)),
}
vocabulary_text = st.lists(st.one_of(st.sampled_from(VOCABULARY), st.text(max_size=12)), max_size=40).map("".join)


def cleaner() -> Cleaner:
    return Cleaner(ENGINE, Replacer(PROFILE, "fuzz"), Severity.LOW)


@FUZZ
@given(data=st.one_of(st.binary(max_size=4096), vocabulary_text.map(lambda t: t.encode("utf-8", "surrogatepass"))),
       path=PATHS, location=st.sampled_from(["file", "path", "message", "author"]))
def test_scanning_never_crashes(data, path, location):
    for f in ENGINE.scan_blob(Blob(data, Provenance(path=path, location=location))):
        assert 0 <= f.start <= f.end <= len(data) and f.line >= 1 and f.column >= 1


@FUZZ
@given(text=vocabulary_text, token=st.one_of(*TOKENS.values()), path=PATHS)
def test_cleaning_is_idempotent(text, token, path):
    data = (text + " " + token + " " + text).encode("utf-8", "surrogatepass")
    c = cleaner()
    once = c.clean(data, Provenance(path=path)).data
    twice = c.clean(once, Provenance(path=path)).data
    assert twice == once


@FUZZ
@given(data=st.one_of(st.binary(max_size=2048), vocabulary_text.map(lambda t: t.encode("utf-8", "surrogatepass"))),
       path=PATHS)
def test_text_without_findings_is_left_byte_for_byte(data, path):
    """Nothing found, nothing changed: a name inside a longer word (acmetric) is no
    finding and stays as it is."""
    prov = Provenance(path=path)
    c = cleaner()
    assume(not any(replaceable(f, Severity.LOW) for f in ENGINE.scan_blob(Blob(data, prov))))
    assert c.clean(data, prov).data == data


def _plain(secret: str) -> tuple[str, str]:
    return f"deploy:\n  key: {secret}\n", secret


def _url(secret: str) -> tuple[str, str]:
    return f"remote = https://ci:{secret}@git.example.com/repo.git?token={secret}\n", secret


def _percent(secret: str) -> tuple[str, str]:
    encoded = quote(f"auth_token={secret}", safe="")
    return f"curl -d 'payload={encoded}&x=1' https://example.com/hook\n", secret


def _json(secret: str) -> tuple[str, str]:
    return json.dumps({"config": f"[default]\nkey={secret}\n", "n": 1}) + "\n", secret


def _base64(secret: str) -> tuple[str, str]:
    blob = base64.b64encode(f"[default]\naws_key = {secret}\nregion = eu-west-1\n".encode()).decode()
    return f"config_b64: {blob}\n", blob


# encoding -> (make, gap when the secret appears only in this form, gap when it is also found bare elsewhere)
ENCODINGS = {
    "plain": (_plain, None, None),
    "url": (_url, None, None),
    "percent-encoded": (_percent, None, None),  # found decoded (decode/encoded.py)
    "json-escaped": (_json, None, None),
    "base64-of-a-config": (_base64, None, None),  # found decoded, cleaned, base64-encoded again
}


def _survives(cleaned: str, secret: str, planted: str) -> bool:
    if secret in cleaned or planted in cleaned:
        return True
    if planted != secret:  # base64: decode whatever is left where the blob was
        left = cleaned.split("config_b64: ", 1)[-1].split()[0] if "config_b64: " in cleaned else ""
        try:
            return secret in base64.b64decode(left + "=" * (-len(left) % 4)).decode("utf-8", "replace")
        except ValueError:
            return False
    return False


def _planted_params() -> list[object]:
    params: list[object] = []
    for name, (_, only_gap, also_gap) in ENCODINGS.items():
        for elsewhere, gap in ((False, only_gap), (True, also_gap)):
            marks = [pytest.mark.xfail(strict=True, reason=gap)] if gap else []
            params.append(pytest.param(name, elsewhere, marks=marks, id=f"{name}-{'also-bare' if elsewhere else 'only'}"))
    return params


@pytest.mark.parametrize("kind", sorted(TOKENS))
@pytest.mark.parametrize("encoding,found_elsewhere", _planted_params())
def test_planted_secret_does_not_survive_cleaning(encoding, found_elsewhere, kind):
    """Planted in one encoding; with found_elsewhere, the same secret also sits bare in
    another file cleaned first, as in a repository where it was committed twice."""
    make = ENCODINGS[encoding][0]

    @settings(max_examples=8, deadline=None, derandomize=True, database=None, phases=[Phase.generate])
    @given(secret=TOKENS[kind], path=st.sampled_from(["notes.txt", "deploy.yaml", "ci.sh", "settings.json"]))
    def check(secret, path):
        text, planted = make(secret)
        c = cleaner()
        if found_elsewhere:
            c.clean(f"key: {secret}\n".encode(), Provenance(path="other.yaml"))
        cleaned = c.clean(text.encode(), Provenance(path=path)).data.decode("utf-8", "surrogateescape")
        assert not _survives(cleaned, secret, planted), f"{kind} secret survived in {encoding}: {cleaned!r}"

    check()
