"""Each credential kind in every syntax is found; each placeholder in every syntax is not.

Values are built at test time (random characters of the right alphabet); nothing here is a
credential literal.
"""
from __future__ import annotations

import random
import string
from dataclasses import dataclass
from typing import Callable

import pytest

from reposcrub.model import Blob, Provenance
from reposcrub.rules import load_rules
from reposcrub.scan import Engine
from tests.rules.syntaxes import SYNTAXES, Key, Syntax

ENGINE = Engine(load_rules())
ALNUM = string.ascii_letters + string.digits
HEX = "0123456789abcdef"


def _r(alphabet: str, n: int, rng: random.Random) -> str:
    return "".join(rng.choice(alphabet) for _ in range(n))


def _jwt(rng: random.Random) -> str:
    b64url = ALNUM + "-_"
    return "eyJhbGciOiJIUzI1NiJ9.eyJ" + _r(b64url, 60, rng) + "." + _r(b64url, 43, rng)


@dataclass(frozen=True)
class Kind:
    name: str
    key: str  # snake_case words
    value: Callable[[random.Random], str]
    rules: frozenset[str]  # any of these finding the value counts


def _password(rng: random.Random) -> str:
    return _r(string.ascii_letters, 3, rng) + _r(ALNUM + "!%-", 10, rng) + _r(string.digits, 2, rng)


KINDS = (
    Kind("password", "db_password", _password, frozenset({"secret/generic-password", "secret/generic-password-unquoted"})),
    Kind("api-key", "api_key", lambda rng: _r(ALNUM, 32, rng), frozenset({"secret/generic-api-key"})),
    Kind("client-secret", "client_secret", lambda rng: _r(ALNUM + "-_", 40, rng), frozenset({"secret/generic-secret"})),
    Kind("token", "auth_token", lambda rng: _r(ALNUM, 40, rng), frozenset({"secret/generic-token"})),
    Kind("datadog-api-key", "datadog_api_key", lambda rng: _r(HEX, 32, rng), frozenset({"secret/datadog-api-key"})),
    Kind("twilio-auth-token", "twilio_auth_token", lambda rng: _r(HEX, 32, rng), frozenset({"secret/twilio-auth-token"})),
    Kind("aws-secret-access-key", "aws_secret_access_key", lambda rng: _r(ALNUM + "/+", 40, rng),
         frozenset({"secret/aws-secret-access-key"})),
    Kind("jwt", "access_token", _jwt, frozenset({"secret/jwt-assigned"})),
)

PLACEHOLDERS = (
    "${SERVICE_SECRET}", "$SERVICE_SECRET", "<your-secret-here>", "xxxxxxxxxxxxxxxx", "changeme", "********",
    "{{ vault_service_secret }}", "%SERVICE_SECRET%", "YOUR_API_KEY_HERE", "REPLACE_ME", "<%= ENV['SERVICE_SECRET'] %>",
    "#{service_secret}", "@service.secret@", "ENC(c2VjcmV0LWJsb2I)",
)
PLACEHOLDER_KEYS = ("db_password", "api_key", "client_secret", "auth_token")


def findings(syntax: Syntax, key: Key, value: str) -> tuple[str, list[tuple[str, int, int]], int, int]:
    text = syntax.render(key, value)
    data = text.encode()
    blob = Blob(data, Provenance(path=syntax.path))
    found = [(f.rule_id, f.start, f.end) for f in ENGINE.scan_blob(blob, resolve_overlaps=False)
             if f.category == "secret" and not f.kind]
    start = data.find(value.encode())
    return text, found, start, start + len(value.encode())


def test_the_matrix_has_at_least_twenty_syntaxes():
    assert len(SYNTAXES) >= 20


@pytest.mark.parametrize("syntax", SYNTAXES, ids=[s.name for s in SYNTAXES])
@pytest.mark.parametrize("kind", KINDS, ids=[k.name for k in KINDS])
def test_each_credential_kind_is_found_in_each_syntax(kind, syntax):
    rng = random.Random(f"{kind.name}:{syntax.name}")
    for _ in range(3):
        value = kind.value(rng)
        text, found, start, end = findings(syntax, Key.of(kind.key), value)
        hits = [rule for rule, s, e in found if rule in kind.rules and s < end and start < e]
        assert hits, f"{kind.name} not found in {syntax.name}:\n{text}found: {found}"


@pytest.mark.parametrize("syntax", SYNTAXES, ids=[s.name for s in SYNTAXES])
@pytest.mark.parametrize("key", PLACEHOLDER_KEYS)
def test_each_placeholder_is_silent_in_each_syntax(key, syntax):
    loud = []
    for placeholder in PLACEHOLDERS:
        if syntax.markup and any(c in placeholder for c in "<&"):
            continue  # not well-formed XML
        text, found, start, end = findings(syntax, Key.of(key), placeholder)
        loud += [(placeholder, rule) for rule, s, e in found if s < end and start < e]
    assert not loud, f"placeholders reported in {syntax.name}: {loud}"
