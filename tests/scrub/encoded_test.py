"""Cleaning what is found in an encoding, in that encoding: the result decodes as before,
minus the secrets; content without findings is left byte for byte."""
from __future__ import annotations

import base64
import json
import random
import string
import subprocess
from dataclasses import replace
from urllib.parse import quote, unquote

import pytest
from click.testing import CliRunner

from reposcrub.cli import cli
from reposcrub.model import Blob, Provenance, Severity
from reposcrub.profile import Person, Profile
from reposcrub.rules import load_rules
from reposcrub.scan import Engine
from reposcrub.scrub.clean import Cleaner, _outermost
from reposcrub.scrub.replace import Replacer
from tests.conftest import fake, make_repo
from tests.hostile.helpers import fake_tokens

PROFILE = Profile(names=("Acme Corp",), domains=("acme.com",), people=(Person("Jane Doe", ("jane@acme.com",)),))
ENGINE = Engine(load_rules(), PROFILE)
TOKENS = fake_tokens(33)
AWS, GITHUB = TOKENS["aws"], TOKENS["github"]


def clean(data: bytes, path: str = "notes.txt") -> bytes:
    return Cleaner(ENGINE, Replacer(PROFILE, "salt"), Severity.LOW).clean(data, Provenance(path=path)).data


def config(*secrets: str) -> bytes:
    lines = [f"key_{i} = {s}" for i, s in enumerate(secrets)]
    return ("[default]\n" + "\n".join(lines) + "\nregion = eu-west-1\n").encode()


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be", "utf-32-be"])
def test_utf16_is_cleaned_and_written_back_in_its_encoding(codec):
    data = f"\ufeff# d\u00e9ploiement\r\nkey = '{AWS}'\r\ntoken: {GITHUB}\r\n".encode(codec)
    cleaned = clean(data)
    assert cleaned[:4] == data[:4]  # the same mark, the same byte order
    text = cleaned.decode(codec)
    assert AWS not in text and GITHUB not in text
    assert text.startswith("\ufeff# d\u00e9ploiement\r\nkey = 'REDACTED_AWS_ACCESS_KEY_ID_")
    assert not ENGINE.scan_blob(Blob(cleaned, Provenance(path="notes.txt")))
    assert clean(cleaned) == cleaned


@pytest.mark.parametrize("padded", [True, False])
def test_a_base64_config_still_decodes_without_its_secrets(padded):
    text = config(AWS, GITHUB) + b"owner = jane@acme.com\n"
    blob = base64.b64encode(text) if padded else base64.b64encode(text).rstrip(b"=")
    data = b"deploy:\n  stage: prod\n  credentials: " + blob + b"\n  other: 1\n"
    cleaned = clean(data, "ci.yaml")
    head, run, tail = cleaned.partition(b"credentials: ")[0], *cleaned.partition(b"credentials: ")[2].split(b"\n", 1)
    assert head == data.partition(b"credentials: ")[0] and tail == b"  other: 1\n"
    decoded = base64.b64decode(run + b"=" * (-len(run) % 4)).decode()
    assert run.endswith(b"=") or not padded or len(run) % 4 == 0
    assert AWS not in decoded and GITHUB not in decoded and "acme" not in decoded.lower()
    assert decoded.startswith("[default]\nkey_0 = REDACTED_AWS_ACCESS_KEY_ID_") and "region = eu-west-1\n" in decoded
    assert clean(cleaned, "ci.yaml") == cleaned


def test_a_raw_finding_inside_a_run_does_not_cut_it():
    """A rule that matched part of the run as it is must wait: replacing that part would
    leave the rest of the run, and the secret in it, undecodable rather than gone."""
    blob = base64.b64encode(config(AWS))
    data = b"c: " + blob + b" " + GITHUB.encode() + b"\n"
    found = ENGINE.scan_blob(Blob(data, Provenance(path="notes.txt")))
    [run] = [f for f in found if f.rule_id == "secret/aws-access-key-id"]
    [after] = [f for f in found if f.rule_id == "secret/github-pat"]
    partial = replace(after, start=run.start + 8, end=run.start + 30, note="")
    assert _outermost([partial, after, run]) == [run, after]
    assert _outermost([after, partial]) == [partial, after]


def test_a_percent_encoded_secret_is_replaced_percent_encoded():
    rng = random.Random(7)
    secret = fake("", string.ascii_letters + string.digits + "+/", 39, rng) + "/"
    data = ("curl 'https://example.com/?q=" + quote(f"aws_secret_access_key = {secret}", safe="")
            + "&to=mailto%3Ajane%40acme.com&t=token%3D" + AWS + "'\n").encode()
    cleaned = clean(data).decode()
    assert secret not in unquote(cleaned) and AWS not in cleaned and "acme" not in unquote(cleaned).lower()
    assert cleaned.startswith("curl 'https://example.com/?q=aws_secret_access_key%20%3D%20REDACTED_")
    assert "&to=mailto%3Aperson-1%40example.com&t=token%3DREDACTED_AWS_ACCESS_KEY_ID_" in cleaned
    assert clean(cleaned.encode()) == cleaned.encode()


@pytest.mark.parametrize("data", [
    "\ufeffplain text, nothing to see\r\n".encode("utf-16-le"),
    b"readme: " + base64.b64encode(b"Just a friendly text, long enough to be decoded and read.\n" * 3) + b"\n",
    b"icon: " + base64.b64encode(random.Random(1).randbytes(600)) + b"\n",
    b'printf("%02d %3d %20s"); see https://example.com/a%20b?c=%3D%2F\n',
], ids=["utf16", "base64-text", "base64-binary", "percent"])
def test_content_without_findings_is_left_byte_for_byte(data):
    assert not ENGINE.scan_blob(Blob(data, Provenance(path="notes.txt")))
    assert clean(data) == data


def test_scrub_end_to_end(tmp_path):
    """Through the CLI: found, cleaned in every encoding, verified clean, and still decoding."""
    files = {
        "conf.ini": f"\ufeff[aws]\r\nkey = {AWS}\r\n".encode("utf-16-le"),
        "deploy.yaml": b"deploy:\n  credentials: " + base64.b64encode(config(AWS, GITHUB)) + b"\n",
        "hook.sh": f"curl -d 'payload=auth_token%3D{GITHUB}&x=1' https://example.com/hook\n".encode(),
        "README.md": b"# Tools\n",
    }
    repo = make_repo(tmp_path / "repo", files)
    scan = CliRunner().invoke(cli, ["scan", str(repo), "--format", "json"])
    found = {(f["path"], f["rule_id"]) for f in json.loads(scan.output)["findings"]}
    assert {("conf.ini", "secret/aws-access-key-id"), ("deploy.yaml", "secret/aws-access-key-id"),
            ("deploy.yaml", "secret/github-pat"), ("hook.sh", "secret/github-pat")} <= found
    out = tmp_path / "out"
    result = CliRunner().invoke(cli, ["scrub", str(repo), "--out", str(out)], catch_exceptions=False)
    assert result.exit_code == 0 and "verification: passed" in result.output, result.output
    show = {path: blob_at(out, path) for path in files}
    assert show["README.md"] == files["README.md"]
    assert show["conf.ini"][:2] == b"\xff\xfe" and show["hook.sh"].startswith(b"curl -d 'payload=auth_token%3DREDACTED_")
    credentials = base64.b64decode(show["deploy.yaml"].split(b"credentials: ")[1].strip())
    assert credentials.startswith(b"[default]\nkey_0 = REDACTED_AWS_ACCESS_KEY_ID_")
    for text in (show["conf.ini"].decode("utf-16"), show["hook.sh"].decode(), credentials.decode()):
        assert AWS not in text and GITHUB not in text


def blob_at(repo, path: str) -> bytes:
    return subprocess.run(["git", "cat-file", "-p", f"HEAD:{path}"], cwd=repo, capture_output=True, check=True).stdout
