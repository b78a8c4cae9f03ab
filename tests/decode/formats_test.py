"""Each format's own behaviour: what scrub keeps or removes, what it refuses, and that a
value split across runs is one finding and one replacement."""
from __future__ import annotations

import io
import json
import zipfile

import pytest

from reposcrub.decode import DocumentOptions
from reposcrub.decode.formats import Formats
from reposcrub.model import Blob, Provenance
from reposcrub.profile import Person, Profile
from reposcrub.rules import load_rules
from reposcrub.scan import Engine
from reposcrub.scrub.clean import Cleaner
from reposcrub.scrub.replace import Replacer
from tests.decode import documents as D

PROFILE = Profile(names=("Initech",), domains=("initech.com",), people=(Person(D.PERSON, (D.EMAIL,)),))
ENGINE = Engine(load_rules(), PROFILE)
P = D.planted()


def cleaner(revisions: str = "remove", strip_outputs: bool = False) -> Cleaner:
    return Cleaner(ENGINE, Replacer(PROFILE, "s"), documents=DocumentOptions(revisions, strip_outputs))


def found(path: str, data: bytes) -> set[str]:
    return {f.value.decode() for f in ENGINE.scan_blob(Blob(data, Provenance(path=path))) if f.category != "file"}


def test_a_value_split_across_runs_is_one_finding_and_one_replacement():
    import docx

    d = docx.Document()
    p = d.add_paragraph("Mail ")
    for piece in ("peter.", "gib", "bons@", "initech", ".com", " today"):
        p.add_run(piece).italic = True
    data = D._save(d)
    assert D.EMAIL in found("a.docx", data)
    out = cleaner().clean(data, Provenance(path="a.docx")).data
    text = docx.Document(io.BytesIO(out)).paragraphs[0]
    assert text.text.startswith("Mail person-") and text.text.endswith("@example.com today")
    assert len(text.runs) == 7 and text.runs[-1].text == " today" and text.runs[1].italic


def test_tracked_changes_and_comments_kept_when_asked_and_cleaned():
    data = D.word(P)
    kept = cleaner("keep").clean(data, Provenance(path="a.docx")).data
    removed = cleaner("remove").clean(data, Provenance(path="a.docx")).data
    assert b"w:delText" in zipfile.ZipFile(io.BytesIO(kept)).read("word/document.xml")
    assert b"w:delText" not in zipfile.ZipFile(io.BytesIO(removed)).read("word/document.xml")
    assert b"<w:comment " in zipfile.ZipFile(io.BytesIO(kept)).read("word/comments.xml")
    assert b"<w:comment " not in zipfile.ZipFile(io.BytesIO(removed)).read("word/comments.xml")
    for out in (kept, removed):
        D.opens("a.docx", out)
        assert not found("a.docx", out) & set(P.values.values())


def test_notebook_outputs_cleared_only_where_they_held_a_value_unless_stripped():
    import nbformat
    from nbformat import v4

    nb = v4.new_notebook()
    nb.cells = [v4.new_code_cell("print(1)", outputs=[v4.new_output("stream", name="stdout", text="1\n")]),
                v4.new_code_cell("print(mail)", outputs=[v4.new_output("stream", name="stdout", text=D.EMAIL)])]
    data = nbformat.writes(nb).encode()
    out = json.loads(cleaner().clean(data, Provenance(path="n.ipynb")).data)
    assert [len(c["outputs"]) for c in out["cells"]] == [1, 0]
    stripped = json.loads(cleaner(strip_outputs=True).clean(data, Provenance(path="n.ipynb")).data)
    assert [len(c["outputs"]) for c in stripped["cells"]] == [0, 0]
    nbformat.validate(nbformat.reads(json.dumps(stripped), as_version=4))


def test_a_notebook_without_findings_is_left_byte_for_byte():
    data = D.notebook(P).replace(P.token.encode(), b"nothing").replace(D.ORG.encode(), b"Team")
    data = data.replace(D.EMAIL.encode(), b"x").replace(D.HOST.encode(), b"y").replace(D.PERSON.encode(), b"z")
    assert cleaner().clean(data, Provenance(path="n.ipynb")).data == data


def test_pdf_text_outside_the_page_stream_is_refused_by_page():
    from reportlab.pdfgen import canvas

    out = io.BytesIO()
    c = canvas.Canvas(out)
    c.drawString(72, 720, "plain page text")
    c.beginForm("stamp")
    c.drawString(72, 700, f"drawn by {D.EMAIL}")
    c.endForm()
    c.doForm("stamp")
    c.showPage()
    c.save()
    data = out.getvalue()
    assert D.EMAIL in found("a.pdf", data)
    result = cleaner().clean(data, Provenance(path="a.pdf"))
    assert result.refused.startswith("a.pdf (page 1): not scrubbed") and result.data == data


def _odt(text: str, creator: str) -> bytes:
    """A minimal OpenDocument text, as the specification lays it out."""
    office = 'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"'
    text_ns = 'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"'
    meta_ns = 'xmlns:meta="urn:oasis:names:tc:opendocument:xmlns:meta:1.0" xmlns:dc="http://purl.org/dc/elements/1.1/"'
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.text")
        z.writestr("content.xml", f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {office} {text_ns}>'
                   f'<office:body><office:text><text:p>{text}<text:span> and </text:span>more</text:p>'
                   '</office:text></office:body></office:document-content>')
        z.writestr("meta.xml", f'<?xml version="1.0" encoding="UTF-8"?><office:document-meta {office} {meta_ns}>'
                   f'<office:meta><meta:initial-creator>{creator}</meta:initial-creator></office:meta>'
                   '</office:document-meta>')
        z.writestr("META-INF/manifest.xml", '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest '
                   'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"/>')
    return out.getvalue()


def test_opendocument_is_read_and_scrubbed_in_place():
    data = _odt(f"Ask {D.EMAIL} at Initech", "jdoe")
    assert {D.EMAIL, "Initech", "jdoe"} <= found("a.odt", data)
    out = cleaner().clean(data, Provenance(path="a.odt")).data
    archive = zipfile.ZipFile(io.BytesIO(out))
    assert archive.infolist()[0].filename == "mimetype" and archive.infolist()[0].compress_type == zipfile.ZIP_STORED
    assert not found("a.odt", out) & {D.EMAIL, "Initech", "jdoe"}
    assert Formats().get("odf").opens(out) is None


@pytest.mark.parametrize("make", [D.png, D.jpeg], ids=["png", "jpeg"])
def test_a_picture_without_findings_is_untouched(make):
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (4, 4)).save(out, "PNG" if make is D.png else "JPEG")
    data = out.getvalue()
    result = cleaner().clean(data, Provenance(path="a.png" if make is D.png else "a.jpg"))
    assert result.data == data and not result.removed and not result.refused

