"""Documents built at test time with their formats' own libraries, each leaking an org
name, a person, an e-mail, an internal host and a token in places people forget:
properties, headers, tracked deletions, comments, hidden sheets, formulas, speaker
notes, alt text, PDF metadata, annotations and bookmarks, notebook outputs and
tracebacks, EXIF, GPS and PNG text chunks. Values are fake (tokens made at run time)."""
from __future__ import annotations

import copy
import io
import json
import random
from dataclasses import dataclass
from pathlib import Path

from tests.conftest import ALNUM, fake

PROFILE = """
[org]
names = ["Initech"]
domains = ["initech.com"]

[[people]]
name = "Peter Gibbons"
emails = ["peter.gibbons@initech.com"]
"""

ORG = "Initech"
PERSON = "Peter Gibbons"
EMAIL = "peter.gibbons@initech.com"
HOST = "jenkins.initech.com"

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


@dataclass
class Planted:
    token: str

    @property
    def values(self) -> dict[str, str]:
        return {"org": ORG, "person": PERSON, "email": EMAIL, "host": HOST, "token": self.token}


def planted(seed: int = 7) -> Planted:
    return Planted(fake("ghp_", ALNUM, 36, random.Random(seed)))


def word(p: Planted) -> bytes:
    """Org in the header, person as author, e-mail split across runs, host in a tracked
    deletion, token in a comment."""
    import docx
    from docx.oxml import OxmlElement

    d = docx.Document()
    d.core_properties.author = PERSON
    d.sections[0].header.paragraphs[0].text = f"{ORG} - internal"
    para = d.add_paragraph("Questions to ")
    local, domain = EMAIL.split("@")
    para.add_run(local[:5])
    para.add_run(local[5:] + "@" + domain).bold = True
    para = d.add_paragraph("The build runs on ")
    deleted = OxmlElement("w:del")
    deleted.set(f"{W}id", "1")
    deleted.set(f"{W}author", "Reviewer")
    run = copy.deepcopy(para.runs[0]._r)
    text = run.find(f"{W}t")
    text.tag = f"{W}delText"
    text.text = HOST
    deleted.append(run)
    para._p.append(deleted)
    para.add_run(" the shared server.")
    note = d.add_paragraph("See the comment.")
    d.add_comment(note.runs[0], text=f"use token {p.token}", author="Reviewer", initials="R")
    return _save(d)


def workbook(p: Planted) -> bytes:
    """Person as creator, org as a sheet's text, token in a hidden sheet, host in a
    formula's literal string, e-mail in a cell comment."""
    import openpyxl
    from openpyxl.comments import Comment

    wb = openpyxl.Workbook()
    wb.properties.creator = PERSON
    ws = wb.active
    ws.title = "Costs"
    ws["A1"] = f"{ORG} cost centre"
    ws["B2"] = f'=HYPERLINK("https://{HOST}/job/1","build")'
    ws["C3"] = "owner"
    ws["C3"].comment = Comment(f"ask {EMAIL}", "Reviewer")
    hidden = wb.create_sheet("Keys")
    hidden["B4"] = p.token
    hidden.sheet_state = "hidden"
    return _save(wb)


def deck(p: Planted) -> bytes:
    """E-mail in the title, org in the body, token in the speaker notes, host in a
    picture's alt text, person as author."""
    from pptx import Presentation
    from pptx.util import Inches

    prs = Presentation()
    prs.core_properties.author = PERSON
    slide = prs.slides.add_slide(prs.slide_layouts[1])
    slide.shapes.title.text = f"Contact {EMAIL}"
    slide.placeholders[1].text = f"{ORG} roadmap"
    slide.notes_slide.notes_text_frame.text = f"demo token: {p.token}"
    picture = slide.shapes.add_picture(io.BytesIO(png(p, metadata=False)), Inches(1), Inches(1))
    picture._element.nvPicPr.cNvPr.set("descr", f"screenshot of https://{HOST}/dashboard")
    return _save(prs)


def pdf(p: Planted) -> bytes:
    """Org and e-mail in the page text, person as author, token in an annotation, host
    in a bookmark."""
    from reportlab.pdfgen import canvas

    out = io.BytesIO()
    c = canvas.Canvas(out)
    c.setAuthor(PERSON)
    c.setTitle("Plan")
    c.drawString(72, 720, f"{ORG} plan, written for the team")
    c.drawString(72, 700, f"Contact: {EMAIL}")
    c.bookmarkPage("p1")
    c.addOutlineEntry(f"Runbook for {HOST}", "p1")
    c.textAnnotation(f"token {p.token}", Rect=(72, 600, 200, 650))
    c.showPage()
    c.save()
    return out.getvalue()


def notebook(p: Planted) -> bytes:
    """Token in a cell source, e-mail in a stream output, host in a traceback, person in
    the notebook's metadata, org in a markdown cell."""
    import nbformat
    from nbformat import v4

    nb = v4.new_notebook(metadata={"authors": [{"name": PERSON}]})
    nb.cells = [
        v4.new_markdown_cell(f"# {ORG} churn analysis"),
        v4.new_code_cell(f"TOKEN = '{p.token}'\nprint(owner)", execution_count=1,
                         outputs=[v4.new_output("stream", name="stdout", text=f"{EMAIL}\n")]),
        v4.new_code_cell("fetch()", execution_count=2, outputs=[v4.new_output(
            "error", ename="ConnectionError", evalue=f"cannot reach {HOST}",
            traceback=["\x1b[0;31mConnectionError\x1b[0m", f"  File /srv/app.py, line 3, in fetch: {HOST}"])]),
    ]
    return nbformat.writes(nb).encode()


def png(p: Planted, metadata: bool = True) -> bytes:
    """A PNG whose text chunks name the person (Author), the org and e-mail (Comment), the
    host (Source) and the token (Description)."""
    from PIL import Image, PngImagePlugin

    image = Image.new("RGB", (16, 8), (200, 30, 30))
    info = PngImagePlugin.PngInfo()
    if metadata:
        info.add_text("Author", PERSON)
        info.add_text("Comment", f"{ORG} screenshot sent by {EMAIL}")
        info.add_text("Source", f"https://{HOST}/shots/1")
        info.add_text("Description", f"token {p.token}", zip=True)
    return _save_image(image, "PNG", pnginfo=info)


def jpeg(p: Planted) -> bytes:
    """A JPEG whose EXIF names the person (Artist), the org (Copyright), the e-mail
    (UserComment), the host (Software), the token (ImageDescription), and a GPS position."""
    from PIL import Image

    image = Image.new("RGB", (16, 8), (30, 30, 200))
    exif = Image.Exif()
    exif[0x013B] = PERSON
    exif[0x8298] = f"(c) {ORG}"
    exif[0x010E] = f"token {p.token}"
    exif[0x0131] = f"uploader https://{HOST}/up"
    exif.get_ifd(0x8769)[0x9286] = b"ASCII\0\0\0" + f"mail {EMAIL}".encode()
    exif.get_ifd(0x8825).update({1: "N", 2: (48.0, 51.0, 30.0), 3: "E", 4: (2.0, 17.0, 40.0)})
    return _save_image(image, "JPEG", exif=exif, quality=90)


FILES = {
    "docs/Plan.docx": word,
    "finance/Costs.xlsx": workbook,
    "slides/Kickoff.pptx": deck,
    "docs/Plan.pdf": pdf,
    "analysis/churn.ipynb": notebook,
    "img/screen.png": png,
    "img/site.jpg": jpeg,
}


def build(root: Path, p: Planted) -> dict[str, bytes]:
    files = {path: make(p) for path, make in FILES.items()}
    for path, data in files.items():
        target = root / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    return files


def _save(document: object) -> bytes:
    out = io.BytesIO()
    document.save(out)  # type: ignore[attr-defined]
    return out.getvalue()


def _save_image(image: object, fmt: str, **options: object) -> bytes:
    out = io.BytesIO()
    image.save(out, fmt, **options)  # type: ignore[attr-defined]
    return out.getvalue()


def opens(path: str, data: bytes) -> None:
    """Open a file with its own library, reading everything (raises if it cannot)."""
    suffix = Path(path).suffix
    if suffix == ".docx":
        import docx

        d = docx.Document(io.BytesIO(data))
        [p.text for p in d.paragraphs]
    elif suffix == ".xlsx":
        import openpyxl

        wb = openpyxl.load_workbook(io.BytesIO(data))
        [[c.value for c in row] for ws in wb.worksheets for row in ws.iter_rows()]
    elif suffix == ".pptx":
        from pptx import Presentation

        [s.shapes for s in Presentation(io.BytesIO(data)).slides]
    elif suffix == ".pdf":
        from pypdf import PdfReader

        [page.extract_text() for page in PdfReader(io.BytesIO(data), strict=True).pages]
    elif suffix == ".ipynb":
        import nbformat

        nbformat.validate(nbformat.reads(data.decode(), as_version=4))
    else:
        from PIL import Image

        Image.open(io.BytesIO(data)).load()


def everything_in(path: str, data: bytes) -> bytes:
    """Every byte a file holds, unpacked as far as a reader of it could: zip members
    (recursively), inflated PDF streams, PNG text chunks, notebook strings unescaped."""
    import re
    import zipfile
    import zlib

    found = [data]
    if data.startswith(b"PK"):
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            found += [everything_in(name, archive.read(name)) for name in archive.namelist()]
    for match in re.finditer(rb"stream\r?\n(.*?)endstream", data, re.S):
        try:
            found.append(zlib.decompress(match.group(1)))
        except zlib.error:
            pass
    if data.startswith(b"\x89PNG"):
        from reposcrub.decode.strip import png_chunks, png_text

        for kind, _, _, payload in png_chunks(data):
            text = png_text(kind, payload)
            if text:
                found.append(" ".join(text).encode())
    if path.endswith(".ipynb") or data.lstrip().startswith(b"{"):
        try:
            found.append(json.dumps(json.loads(data), ensure_ascii=False).encode())
        except ValueError:
            pass
    return b"\n".join(found)
