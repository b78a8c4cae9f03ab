"""Secrets seen through encodings: UTF-16/32 text, percent-escapes, base64 of a text.
Each is found where its encoded bytes are, and nothing is made up from binary."""
from __future__ import annotations

import base64
import hashlib
import random
import string
from urllib.parse import quote, unquote

import pytest

from reposcrub.decode.encoded import BASE64_NOTE, PERCENT_NOTE, base64_text, views
from reposcrub.decode.text import transcode
from reposcrub.model import Blob, Provenance
from reposcrub.profile import Person, Profile
from reposcrub.rules import load_rules
from reposcrub.scan import Engine
from tests.conftest import UPPER_B32, fake
from tests.hostile.costs import measure
from tests.hostile.helpers import fake_tokens

ENGINE = Engine(load_rules(), Profile(names=("Acme Corp",), domains=("acme.com",),
                                      people=(Person("Jane Doe", ("jane@acme.com",)),)))
TOKENS = fake_tokens(21)
AWS = TOKENS["aws"]
B64 = string.ascii_letters + string.digits + "+/"


def scan(data: bytes, path: str = "notes.txt", decode: bool = True):
    return ENGINE.scan_blob(Blob(data, Provenance(path=path)), decode=decode)


def aws_secret_key(rng: random.Random) -> str:
    """40 base64 characters holding both '/' and '+', as the ones percent-encoding mangles."""
    return fake("", B64, 19, rng) + "/" + fake("", B64, 19, rng) + "+"


# UTF-16 and UTF-32 ---------------------------------------------------------------------

@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be"])
def test_text_with_a_byte_order_mark_is_scanned_and_placed_on_its_bytes(codec):
    text = f"\ufeff# caf\u00e9 \U0001f600\r\nkey = '{AWS}'\r\n"
    data = text.encode(codec)
    [f] = [f for f in scan(data) if f.rule_id == "secret/aws-access-key-id"]
    assert data[f.start : f.end].decode(codec) == AWS  # the byte offsets the scrubber uses
    assert (f.line, f.column, f.end_column) == (2, 8, 8 + len(AWS))  # of the text, without the mark
    assert f.value == AWS.encode() and f.preview != AWS


@pytest.mark.parametrize("data", [
    b"\xff\xfe" + "key = 1\n".encode("utf-16-le") + b"\x00",  # odd length: truncated
    b"\xff\xfe\x00\xd8A\x00",  # a lone surrogate
    b"\xff\xfe" + b"\x00\x00" * 40,  # NULs
    b"\xff\xfe" + random.Random(3).randbytes(4000),
    b"\xff\xd8\xff\xe0\x00\x10JFIF",  # a JPEG
    bytes([1, 0, 2, 0]) * 40,  # NUL in every other byte, but no text in the others
    b"\x00\x00\x01\x00\x01\x00\x10\x10",  # an icon header
], ids=["odd", "surrogate", "nuls", "random", "jpeg", "no-text", "ico"])
def test_binary_is_not_taken_for_utf16(data):
    assert transcode(data) is None


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_utf16_without_a_mark_is_scanned_as_text(codec):
    """What .NET's Encoding.Unicode writes: UTF-16 with no byte-order mark, binary to git."""
    data = f"# r\u00e9sum\u00e9 settings\r\nkey = '{AWS}'\r\n".encode(codec)
    assert b"\0" in data[:8]
    [f] = [f for f in scan(data) if f.rule_id == "secret/aws-access-key-id"]
    assert data[f.start : f.end].decode(codec) == AWS
    assert (f.line, f.column) == (2, 8)


def test_utf16_offsets_count_code_units():
    text = transcode("\ufeffa\u00e9\U0001f600b".encode("utf-16-le"))
    assert text is not None and text.text == "a\u00e9\U0001f600b".encode()
    assert text.original_offsets({0, 1, 3, 7, 8}) == {0: 2, 1: 4, 3: 6, 7: 10, 8: 12}


# Percent-escapes ------------------------------------------------------------------------

@pytest.mark.parametrize("kind", sorted(TOKENS))
@pytest.mark.parametrize("lead", ["token%3D", "key%20", "a%2F", "%22"])
def test_a_secret_right_after_an_escape_is_found(kind, lead):
    secret = TOKENS[kind]
    data = f"first line\ncurl -d 'x=1&{lead}{secret}&y=2' https://example.com/hook\n".encode()
    assert not [f for f in scan(data, decode=False) if f.value == secret.encode()]  # the gap this closes
    [f] = [f for f in scan(data) if f.value == secret.encode()]
    assert data[f.start : f.end] == secret.encode() and PERCENT_NOTE in f.note
    assert (f.line, f.column) == (2, len(f"curl -d 'x=1&{lead}") + 1)


def test_a_percent_encoded_secret_is_found_where_it_is_encoded():
    secret = aws_secret_key(random.Random(4))
    data = ("curl 'https://example.com/?q=" + quote(f"aws_secret_access_key = {secret}", safe="") + "'\n").encode()
    assert not scan(data, decode=False)
    [f] = scan(data)
    assert f.rule_id == "secret/aws-secret-access-key" and f.value == secret.encode()
    assert unquote(data[f.start : f.end].decode()) == secret and b"%2F" in data[f.start : f.end]
    assert secret not in f.preview


def test_an_organisation_name_and_an_email_behind_escapes_are_found():
    data = b"https://example.com/search?q=Acme%20Corp&to=mailto%3Ajane%40acme.com\n"
    found = {(f.rule_id, data[f.start : f.end]) for f in scan(data)}
    assert ("ident/org-name", b"Acme%20Corp") in found
    assert ("pii/org-email", b"jane%40acme.com") in found


def test_only_the_text_around_escapes_is_decoded():
    """A minified file is one line: one escape in it must not have the whole file scanned twice."""
    filler = b"var a=function(b){return b+1};" * 2000
    lead = filler + b'var u="https://example.com/?token%3D'
    data = lead + AWS.encode() + b'";' + filler
    [view] = views(data)
    assert len(view.text) < 1000 and AWS.encode() in view.text
    [f] = scan(data, "app.min.js")
    assert data[f.start : f.end] == AWS.encode() and (f.line, f.column) == (1, len(lead) + 1)


def test_windows_around_distant_escapes_stay_apart():
    data = b"a%20b " + b"x" * 2000 + b" c%3Dd\n"
    [view] = views(data)
    assert view.text.startswith(b"a b ") and view.text.endswith(b" c=d\n") and b"\n" in view.text[:-1]


def test_only_what_changed_is_decoded():
    """A blob scanned as a change to an earlier version: encodings outside the windows
    were seen in that version already."""
    old = b"c: " + base64.b64encode(f"[default]\naws_key = {AWS}\nregion = eu-west-1\n".encode()) + b"\n"
    new = b"u: https://example.com/?token%3D" + TOKENS["github"].encode() + b"\n"
    data = old + new
    assert [v.note for v in views(data)] == [BASE64_NOTE, PERCENT_NOTE]
    assert [v.note for v in views(data, ((len(old), len(data)),))] == [PERCENT_NOTE]
    assert [v.note for v in views(data, ((0, len(old)),))] == [BASE64_NOTE]
    assert views(data, ()) == []


def test_printf_formats_are_not_decoded():
    assert views(b'printf("%02d:%08x %10s\\n", a, b, c);\n') == []


# Base64 of a text -----------------------------------------------------------------------

def config_b64(secret: str, extra: str = "") -> str:
    text = f"[default]\naws_access_key_id = {secret}\nregion = eu-west-1\n{extra}"
    return base64.b64encode(text.encode()).decode()


@pytest.mark.parametrize("padding", [0, 1, 2])
def test_a_secret_in_base64_of_a_config_is_found_at_the_run(padding):
    blob = config_b64(AWS, "x" * padding)  # each length mod 3: padded with two, one or no '='
    data = f"apiVersion: v1\ndata:\n  credentials: {blob}\n".encode()
    assert not scan(data, decode=False)
    [f] = scan(data, "secret.yaml")
    assert f.rule_id == "secret/aws-access-key-id" and f.value == AWS.encode()
    assert data[f.start : f.end] == blob.encode() and BASE64_NOTE in f.note
    assert (f.line, f.column, f.end_column) == (3, 16, 16 + len(blob))
    assert AWS not in f.preview


def test_every_secret_in_one_run_is_reported():
    github = TOKENS["github"]
    blob = config_b64(AWS, f"token = {github}\nowner = jane@acme.com\n")
    found = {f.rule_id for f in scan(f"x = '{blob}'\n".encode(), "x.py")}
    assert {"secret/aws-access-key-id", "secret/github-pat", "pii/org-email"} <= found


def test_unpadded_and_wrapped_in_quotes():
    blob = config_b64(AWS).rstrip("=")
    data = f'{{"config": "{blob}"}}\n'.encode()
    [f] = scan(data, "settings.json")
    assert data[f.start : f.end] == blob.encode()


@pytest.mark.parametrize("size", [30, 64, 300, 3000, 30000])
def test_base64_of_binary_gives_nothing(size):
    rng = random.Random(size)
    for _ in range(20):
        raw = rng.randbytes(size)
        data = b"icon: " + base64.b64encode(raw) + b"\nsum: " + hashlib.sha512(raw).hexdigest().encode() + b"\n"
        assert base64_text(base64.b64encode(raw)) is None
        assert not scan(data)


def test_base64_of_a_text_without_secrets_gives_nothing():
    data = b"readme: " + base64.b64encode(b"Just a friendly text, long enough to be decoded and read.\n" * 3) + b"\n"
    assert [v.note for v in views(data)] == [BASE64_NOTE]
    assert not scan(data)


def test_decoding_does_not_nest():
    inner = base64.b64encode(f"aws_key = {AWS}\nregion = eu-west-1 and some more text\n".encode()).decode()
    twice = base64.b64encode(f"nested = {inner}\nand enough text around it to decode\n".encode()).decode()
    assert [f.rule_id for f in scan(f"c: {inner}\n".encode())] == ["secret/aws-access-key-id"]
    assert scan(f"c: {twice}\n".encode()) == []


# Linear time ----------------------------------------------------------------------------

@pytest.mark.parametrize("make", [
    lambda n: b"q=" + b"%41" * n + b"\n",  # escapes on one long line
    lambda n: b"%3D%3D\n" * n,  # many lines
    lambda n: (b"%3D" + b"x" * 700 + b" ") * (n // 100),  # many windows on one line
    lambda n: base64.b64encode(b"plain text line\n" * n),  # one long run of text
    lambda n: (b"k: " + base64.b64encode(b"a line of text, base64 encoded\n") + b"\n") * n,  # many runs
    lambda n: b"QUFB" * n,  # a run of base64 that decodes to AAA...
], ids=["escapes-one-line", "escape-lines", "windows", "one-run", "many-runs", "repeated-group"])
def test_decoding_work_is_linear(make):
    n = 3000
    small, big = measure(ENGINE.scan_blob, make(n), "notes.txt"), measure(ENGINE.scan_blob, make(4 * n), "notes.txt")
    assert big.calls <= 8 * max(small.calls, 1000)
    for site, cost in big.touched.items():
        assert cost <= 8 * max(small.touched.get(site, 0), 4 * len(make(n))), site


def test_fake_tokens_are_what_the_rules_expect():
    """A guard for the tables above: the fakes are found when written plainly."""
    assert {f.rule_id for f in scan(f"k = {AWS} {fake('AKIA', UPPER_B32, 16)}\n".encode())} == {"secret/aws-access-key-id"}


def test_past_the_escape_cap_escapes_are_blanked_and_a_secret_after_one_is_still_found(monkeypatch):
    """A minified file of escapes (a hostile one had three million: 38 s and 2 GB when each
    was decoded): past the cap, escapes become blanks at the same offsets."""
    from reposcrub.decode import encoded

    monkeypatch.setattr(encoded, "MAX_ESCAPES", 1000)
    key = fake("AKIA", UPPER_B32, 16, random.Random(9))
    data = b"".join(b"a%%3D%d%%26b%%3Dv%%20x" % i for i in range(5000)) + f"token%3D{key}".encode()
    decoded, blanked = views(data)
    assert len(decoded.starts) <= 2 * 1000 + 2  # the first thousand escapes, decoded
    start = blanked.spans[0][0]
    assert blanked.text == data[start:].replace(b"%3D", b"   ").replace(b"%26", b"   ").replace(b"%20", b"   ") + b"\n"
    assert blanked.span(len(blanked.text) - 17, len(blanked.text) - 1) == (len(data) - 16, len(data))
    [found] = [f for f in ENGINE.scan_blob(Blob(data, Provenance("min.js"))) if f.rule_id == "secret/aws-access-key-id"]
    assert data[found.start:found.end] == key.encode() and PERCENT_NOTE in found.note
