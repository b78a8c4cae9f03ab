"""Hostile documents end in a one-line note, never a crash or a hang; a NUL byte, UTF-16
without a mark or a binary hides nothing; a binary or an editor's copy holding a finding
is removed by scrub, never edited in place."""
from __future__ import annotations

import io
import json
import random
import time
import zipfile

import pytest
from click.testing import CliRunner

from reposcrub.cli import cli
from tests.conftest import git, make_repo, write_files
from tests.decode import documents as D
from tests.hostile.helpers import fake_tokens

TOKENS = fake_tokens(5)
AWS = TOKENS["aws"]


def scan(root, *extra):
    run = CliRunner().invoke(cli, ["scan", str(root), "--format", "json", "--no-history", "-j", "1", *extra])
    assert run.exit_code in (0, 1), run.output
    assert "Traceback" not in run.output
    return json.loads(run.output)


def notes(doc, path):
    return [f["note"] for f in doc["findings"] if f["rule_id"] == "file/document-unreadable" and f["path"] == path]


def docx_with(document_xml: bytes, extra: dict[str, bytes] | None = None) -> bytes:
    """A real .docx (python-docx's) with its body part replaced."""
    base = zipfile.ZipFile(io.BytesIO(D.word(D.planted())))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for info in base.infolist():
            data = document_xml if info.filename == "word/document.xml" else base.read(info)
            z.writestr(info.filename, data)
        for name, data in (extra or {}).items():
            z.writestr(name, data)
    return out.getvalue()


def test_zip_bomb_is_a_note_and_the_rest_is_scanned(tmp_path):
    bomb = docx_with(b'<?xml version="1.0"?><w:document xmlns:w="x">' + b" " * (60 << 20) + b"</w:document>")
    write_files(tmp_path, {"bomb.docx": bomb, "app.cfg": f"key = {AWS}\n"})
    started = time.monotonic()
    doc = scan(tmp_path)
    assert time.monotonic() - started < 30
    assert any("zip bomb" in n for n in notes(doc, "bomb.docx"))
    assert any(f["rule_id"] == "secret/aws-access-key-id" for f in doc["findings"])


@pytest.mark.parametrize("dtd", [
    b'<!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]>',
    b'<!DOCTYPE d [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]>',
], ids=["external-entity", "entity-expansion"])
def test_xml_entities_are_refused(tmp_path, dtd):
    body = b'<?xml version="1.0"?>' + dtd + b'<w:document xmlns:w="http://schemas.openxmlformats.org/' \
           b'wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>&x;&c;</w:t></w:r></w:p></w:body></w:document>'
    write_files(tmp_path, {"x.docx": docx_with(body)})
    doc = scan(tmp_path)
    assert any("DTD" in n for n in notes(doc, "x.docx"))
    assert "root:" not in json.dumps(doc)


def test_documents_nested_too_deep_stop_with_a_note(tmp_path):
    inner = D.word(D.planted())
    for _ in range(5):
        inner = _embed(inner)
    write_files(tmp_path, {"deep.docx": inner})
    doc = scan(tmp_path)
    assert any("nested more than" in f["note"] for f in doc["findings"] if f["rule_id"] == "file/document-unreadable")


def _embed(inner: bytes) -> bytes:
    base = zipfile.ZipFile(io.BytesIO(D.word(D.planted())))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for info in base.infolist():
            z.writestr(info.filename, base.read(info))
        z.writestr("word/embeddings/inner.docx", inner)
    return out.getvalue()


@pytest.mark.parametrize("name,data", [
    ("cut.docx", D.word(D.planted())[:3000]),
    ("broken.pdf", b"%PDF-1.7\n1 0 obj << /Type /Catalog /Pages 9 0 R >>\ntrailer << /Root 1 0 R >>\n%%EOF"),
    ("broken.png", b"\x89PNG\r\n\x1a\n" + b"\0\0\0\rIHDR" + random.Random(1).randbytes(64)),
    ("broken.jpg", b"\xff\xd8\xff\xe1\xff\xffExif\0\0" + random.Random(2).randbytes(40)),
    ("broken.ipynb", b'{"cells": [ {"source": '),
    ("broken.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100),
], ids=lambda v: v if isinstance(v, str) else "")
def test_malformed_documents_are_a_note_not_a_crash(tmp_path, name, data):
    write_files(tmp_path, {name: data, "ok.txt": f"key = {AWS}\n"})
    doc = scan(tmp_path)
    assert any(f["rule_id"] == "secret/aws-access-key-id" for f in doc["findings"])
    for note in notes(doc, name):
        assert "\n" not in note


def test_encrypted_pdf_says_so(tmp_path):
    from reportlab.pdfgen import canvas

    out = io.BytesIO()
    c = canvas.Canvas(out, encrypt="secret-password")
    c.drawString(72, 720, "Initech plan")
    c.save()
    write_files(tmp_path, {"locked.pdf": out.getvalue()})
    assert any("encrypted" in n for n in notes(scan(tmp_path), "locked.pdf"))


# Issue: one NUL byte, UTF-16 without a mark, a key inside a binary --------------------------

def test_one_nul_byte_hides_nothing(tmp_path):
    write_files(tmp_path, {"settings.py": b"\0# settings\nAWS_KEY = '" + AWS.encode() + b"'\n"})
    [f] = [f for f in scan(tmp_path)["findings"] if f["rule_id"] == "secret/aws-access-key-id"]
    assert (f["path"], f["line"], f["column"]) == ("settings.py", 2, 12)


def test_a_key_inside_a_binary_is_found_where_it_is(tmp_path):
    noise = random.Random(3).randbytes(5000)
    write_files(tmp_path, {"tool.bin": b"\0ELF" + noise + b"aws_key=" + AWS.encode() + b"\0" + noise})
    assert any(f["rule_id"] == "secret/aws-access-key-id" and f["path"] == "tool.bin" for f in scan(tmp_path)["findings"])


def test_scrub_removes_binaries_and_editor_copies_that_hold_a_value_and_cleans_utf16(tmp_path):
    rng = random.Random(4)
    repo = make_repo(tmp_path / "repo", {
        "tool.bin": b"\0\1\2" + rng.randbytes(300) + b" token " + AWS.encode() + b" " + rng.randbytes(300),
        "logo.bin": b"\0\1\2" + rng.randbytes(300),  # no finding: kept byte for byte
        ".settings.py.swp": b"b0VIM 8.2\0\0" + b"host = 'db01.initech.com'\n",
        "notes.txt~": "mail peter.gibbons@initech.com\n",
        "app.py.orig": f"KEY = '{AWS}'\n",
        "clean.txt~": "nothing here\n",
        "conf.ini": f"[aws]\nkey = {AWS}\n".encode("utf-16-le"),
        "main.py": "print('hello')\n",
    })
    profile = tmp_path / "p.toml"
    profile.write_text(D.PROFILE)
    out = tmp_path / "out"
    run = CliRunner().invoke(cli, ["scrub", str(repo), "--out", str(out), "--profile", str(profile)], catch_exceptions=False)
    assert run.exit_code == 0 and "verification: passed" in run.output, run.output
    kept = set(git(out, "ls-files").split())
    assert kept == {"logo.bin", "clean.txt~", "conf.ini", "main.py"}
    assert (out / "logo.bin").read_bytes() == (repo / "logo.bin").read_bytes()
    conf = (out / "conf.ini").read_bytes()
    assert b"\0" in conf and AWS not in conf.decode("utf-16-le") and "key = REDACTED" in conf.decode("utf-16-le")
    report = json.loads((tmp_path / "out.scrub-report.json").read_text())
    assert {"tool.bin", ".settings.py.swp", "notes.txt~", "app.py.orig"} <= set(report["removed_files"])


def test_a_folder_scrub_keeps_a_broken_document_that_holds_nothing(tmp_path):
    folder = tmp_path / "in"
    write_files(folder, {"cut.docx": D.word(D.planted())[:2000], "app.py": f"KEY = '{AWS}'\n"})
    run = CliRunner().invoke(cli, ["scrub", str(folder), "--out", str(tmp_path / "out"), "--org", "Initech"])
    assert run.exit_code == 0 and "verification: passed" in run.output, run.output
    assert (tmp_path / "out" / "cut.docx").read_bytes() == (folder / "cut.docx").read_bytes()
