"""Documents benchmark: what reading documents costs, measured side by side in one run.

1. 200 mixed documents, about 10 MB (Word, Excel, PowerPoint, PDF, notebooks, PNG and
   JPEG pictures, made with the formats' own libraries, text with names, e-mails and
   hosts in it), scanned as they are;
2. the same number of bytes of plain text (the same kind of sentences) in .txt files;
3. the same document bytes under a name that says nothing (.bin): recognised by content
   (zip packages by their content types, PDFs and pictures by their first bytes), as a
   blob in history with no name would be;
4. the text the documents hold (what the decoders read from them) as plain .txt files.

Reported: the median wall time of each (and CPU, peak RSS; runs interleaved), and the
ratios of (1) to (2) and to (4): document decoding should cost no more than twice a scan
of the same bytes of text.

Then a workbook of about --workbook-mb megabytes (a sheet of shared strings and random
numbers, written straight to the zip) is scanned alone, for its peak memory.

    .venv/bin/python bench/documents.py [--runs 3] [--workbook-mb 100] [--keep DIR]

Optionally (when LibreOffice is installed), every scrubbed document of the set is
converted with ``soffice --headless --convert-to pdf`` to show it still opens there.
"""
from __future__ import annotations

import argparse
import io
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from proctree import code_version, measure  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
WORDS = ("plan budget release server cluster review quarterly forecast customer migration network "
         "database backup latency rollout incident owner contract invoice ticket onboarding").split()
NAMES = ("Jane Doe", "Peter Gibbons", "Samir Nagheenanajar", "Milton Waddams")
HOSTS = ("db01.initech.internal", "ci.initech.com", "10.20.30.40", "jenkins.corp")


def sentence(rng: random.Random) -> str:
    words = [rng.choice(WORDS) for _ in range(rng.randint(8, 18))]
    if rng.random() < 0.1:
        words.insert(rng.randint(0, len(words)), rng.choice(NAMES))
    if rng.random() < 0.05:
        words.insert(rng.randint(0, len(words)), rng.choice(HOSTS))
    return " ".join(words).capitalize() + "."


def _docx(rng: random.Random) -> bytes:
    import docx

    d = docx.Document()
    for _ in range(rng.randint(80, 320)):
        d.add_paragraph(sentence(rng))
    return _save(d)


def _xlsx(rng: random.Random) -> bytes:
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    for r in range(rng.randint(400, 1600)):
        ws.append([sentence(rng)[:40], rng.random() * 1000, rng.randint(1, 10**6), rng.choice(NAMES)])
    return _save(wb)


def _pptx(rng: random.Random) -> bytes:
    from pptx import Presentation

    prs = Presentation()
    for _ in range(rng.randint(10, 30)):
        slide = prs.slides.add_slide(prs.slide_layouts[1])
        slide.shapes.title.text = sentence(rng)[:50]
        slide.placeholders[1].text = "\n".join(sentence(rng) for _ in range(5))
        slide.notes_slide.notes_text_frame.text = sentence(rng)
    return _save(prs)


def _pdf(rng: random.Random) -> bytes:
    from reportlab.pdfgen import canvas

    out = io.BytesIO()
    c = canvas.Canvas(out)
    for _ in range(rng.randint(4, 16)):
        for line in range(40):
            c.drawString(40, 800 - 18 * line, sentence(rng)[:90])
        c.showPage()
    c.save()
    return out.getvalue()


def _ipynb(rng: random.Random) -> bytes:
    import nbformat
    from nbformat import v4

    nb = v4.new_notebook()
    for n in range(rng.randint(20, 80)):
        nb.cells.append(v4.new_code_cell(f"x{n} = '{sentence(rng)}'\nprint(x{n})", execution_count=n,
                                         outputs=[v4.new_output("stream", name="stdout", text=sentence(rng))]))
    return nbformat.writes(nb).encode()


def _image(rng: random.Random, fmt: str) -> bytes:
    from PIL import Image

    image = Image.frombytes("RGB", (240, 180), rng.randbytes(240 * 180 * 3))
    exif = Image.Exif()
    exif[0x013B] = rng.choice(NAMES)
    exif[0x010E] = sentence(rng)
    out = io.BytesIO()
    image.save(out, fmt, exif=exif)
    return out.getvalue()


MAKERS = {".docx": _docx, ".xlsx": _xlsx, ".pptx": _pptx, ".pdf": _pdf, ".ipynb": _ipynb,
          ".png": lambda rng: _image(rng, "PNG"), ".jpg": lambda rng: _image(rng, "JPEG")}


def _save(document: object) -> bytes:
    out = io.BytesIO()
    document.save(out)  # type: ignore[attr-defined]
    return out.getvalue()


def make_sets(root: Path, count: int, seed: int) -> tuple[Path, Path, Path, Path, int]:
    from reposcrub.decode import Part
    from reposcrub.decode.formats import Formats

    formats = Formats()
    rng = random.Random(seed)
    docs, text, raw, content = root / "documents", root / "text", root / "raw", root / "content"
    for folder in (docs, text, raw, content):
        folder.mkdir(parents=True)
    total = 0
    suffixes = list(MAKERS)
    for i in range(count):
        suffix = suffixes[i % len(suffixes)]
        data = MAKERS[suffix](rng)
        (docs / f"doc{i:03d}{suffix}").write_bytes(data)
        (raw / f"doc{i:03d}.bin").write_bytes(data)
        lines, size = [], 0
        while size < len(data):
            line = sentence(rng) + "\n"
            lines.append(line)
            size += len(line)
        (text / f"doc{i:03d}.txt").write_text("".join(lines))
        fmt = formats.for_blob(f"doc{i:03d}{suffix}", data)
        parts = [p.text for p in fmt.pieces(data) if isinstance(p, Part)] if fmt else []
        (content / f"doc{i:03d}.txt").write_bytes(b"\n".join(parts))
        total += len(data)
    return docs, text, raw, content, total


def make_workbook(path: Path, megabytes: int, seed: int) -> None:
    """A workbook written part by part: shared strings and one large sheet of random values."""
    rng = random.Random(seed)
    shared = [sentence(rng) for _ in range(20_000)]
    ns = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
    rel = 'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as z:
        z.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/'
                   'package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/></Types>')
        z.writestr("xl/workbook.xml", f'<?xml version="1.0"?><workbook {ns} {rel}><sheets>'
                   '<sheet name="Data" sheetId="1" r:id="rId1"/></sheets></workbook>')
        z.writestr("xl/_rels/workbook.xml.rels", '<?xml version="1.0"?><Relationships xmlns="http://schemas.'
                   'openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="worksheet" '
                   'Target="worksheets/sheet1.xml"/></Relationships>')
        z.writestr("xl/sharedStrings.xml", f'<?xml version="1.0"?><sst {ns}>'
                   + "".join(f"<si><t>{s}</t></si>" for s in shared) + "</sst>")
        with z.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            sheet.write(f'<?xml version="1.0"?><worksheet {ns}><sheetData>'.encode())
            row = 0
            while path.stat().st_size < megabytes << 20:
                rows = []
                for _ in range(2000):
                    row += 1
                    values = rng.randbytes(24).hex()
                    rows.append(f'<row r="{row}"><c r="A{row}" t="s"><v>{rng.randrange(len(shared))}</v></c>'
                                f'<c r="B{row}"><v>{int(values[:12], 16)}</v></c><c r="C{row}" t="inlineStr">'
                                f'<is><t>{values[12:]}</t></is></c></row>')
                sheet.write("".join(rows).encode())
                z.fp.flush()  # type: ignore[union-attr]
            sheet.write(b"</sheetData></worksheet>")


def scan(target: Path, work: Path, label: str, extra: list[str] | None = None):  # type: ignore[no-untyped-def]
    report = work / f"{label}.json"
    cmd = [sys.executable, "-m", "reposcrub", "scan", str(target), "--no-history", "--format", "json",
           "-o", str(report), "-j", "1", *(extra or [])]
    run = measure(cmd, ROOT, None, work / f"{label}.err")
    if run.returncode not in (0, 1):
        raise SystemExit(f"{label}: exit {run.returncode}: {run.stderr_tail}")
    run.findings = len(json.loads(report.read_text())["findings"])
    return run


def _libreoffice(folder: Path, work: Path) -> str:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        return "LibreOffice: not installed, conversion check skipped"
    out = work / "converted"
    failed = []
    for path in sorted(folder.iterdir()):
        if path.suffix in (".docx", ".xlsx", ".pptx"):
            proc = subprocess.run([soffice, "--headless", "--convert-to", "pdf", "--outdir", str(out), str(path)],
                                  capture_output=True, timeout=120, env={**os.environ, "HOME": str(work)})
            if proc.returncode != 0 or not (out / (path.stem + ".pdf")).is_file():
                failed.append(path.name)
    return f"LibreOffice: {'all converted' if not failed else 'FAILED ' + ', '.join(failed)}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--count", type=int, default=200)
    parser.add_argument("--workbook-mb", type=int, default=100)
    parser.add_argument("--seed", type=int, default=15)
    parser.add_argument("--keep", type=Path, default=None, help="build the sets here and keep them")
    args = parser.parse_args()
    work = args.keep or Path(tempfile.mkdtemp(prefix="reposcrub-bench-docs-"))
    work.mkdir(parents=True, exist_ok=True)
    print(f"reposcrub {code_version()}")
    docs, text, raw, content, total = make_sets(work / "sets", args.count, args.seed)
    held = sum(p.stat().st_size for p in content.iterdir())
    print(f"{args.count} documents, {total / 1e6:.1f} MB, holding {held / 1e6:.1f} MB of text; "
          "the same bytes as text, the documents unnamed (.bin), and the documents' own text as .txt")
    sets = (("documents", docs), ("text", text), ("raw", raw), ("content", content))
    rows: dict[str, list[Any]] = {label: [] for label, _ in sets}
    for i in range(args.runs):  # interleaved, so that load on the machine falls on all alike
        for label, folder in sets:
            rows[label].append(scan(folder, work, f"{label}{i}"))
    print(f"{'set':<10} {'wall s':>8} {'cpu s':>8} {'peak MB':>8} {'findings':>9}")
    for label, runs in rows.items():
        wall = statistics.median(r.wall for r in runs)
        cpu = statistics.median(r.cpu for r in runs)
        print(f"{label:<10} {wall:8.2f} {cpu:8.2f} {max(r.maxrss_kb for r in runs) / 1024:8.0f} {runs[0].findings:>9}")
    for base in ("text", "content"):
        wall = statistics.median(r.wall for r in rows["documents"]) / statistics.median(r.wall for r in rows[base])
        cpu = statistics.median(r.cpu for r in rows["documents"]) / statistics.median(r.cpu for r in rows[base])
        print(f"documents / {base}: {wall:.2f}x wall, {cpu:.2f}x cpu (target <= 2x)")
    out = work / "scrubbed"
    subprocess.run([sys.executable, "-m", "reposcrub", "scrub", str(docs), "--out", str(out), "--org", "Initech",
                    "--domain", "initech.com", "--no-verify"], cwd=ROOT, capture_output=True, check=False)
    if out.is_dir():
        print(_libreoffice(out, work))
    book = work / "big.xlsx"
    make_workbook(book, args.workbook_mb, args.seed)
    (work / "book").mkdir(exist_ok=True)
    shutil.move(str(book), work / "book" / "big.xlsx")
    size = (work / "book" / "big.xlsx").stat().st_size
    run = scan(work / "book", work, "workbook", ["--max-file-size", str(size + 1)])
    print(f"workbook {size / 1e6:.0f} MB: {run.wall:.1f} s, peak RSS {run.maxrss_kb / 1024:.0f} MB, "
          f"{run.findings} findings")
    if args.keep is None:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
