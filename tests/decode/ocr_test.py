"""--ocr: text shown in a screenshot is scanned with the same rules; scrub cannot remove
it from the pixels, so it refuses the picture rather than certify it. Off by default."""
from __future__ import annotations

import io
import json
import shutil

import pytest
from click.testing import CliRunner

from reposcrub.cli import cli
from tests.conftest import make_repo
from tests.decode import documents as D

pytest.importorskip("pytesseract")
pytestmark = pytest.mark.skipif(shutil.which("tesseract") is None, reason="tesseract-ocr is not installed")


def screenshot(text: str) -> bytes:
    from PIL import Image, ImageDraw, ImageFont

    image = Image.new("RGB", (900, 90), "white")
    ImageDraw.Draw(image).text((10, 20), text, fill="black", font=ImageFont.load_default(size=36))
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


@pytest.fixture(scope="module")
def repo(tmp_path_factory):
    root = tmp_path_factory.mktemp("ocr")
    profile = root / "p.toml"
    profile.write_text(D.PROFILE)
    return make_repo(root / "repo", {"shot.png": screenshot(f"mail {D.EMAIL}")}), profile


def test_text_in_a_picture_is_found_only_with_ocr(repo):
    path, profile = repo
    args = ["scan", str(path), "--profile", str(profile), "--no-history", "--format", "json"]
    plain = json.loads(CliRunner().invoke(cli, args).output)
    read = json.loads(CliRunner().invoke(cli, [*args, "--ocr"]).output)
    assert not [f for f in plain["findings"] if f["rule_id"] == "pii/org-email"]
    [f] = [f for f in read["findings"] if f["rule_id"] == "pii/org-email"]
    assert f["path"] == "shot.png!ocr" and "text read in the picture" in f["note"]


def test_scrub_refuses_a_picture_that_shows_a_value(repo, tmp_path):
    path, profile = repo
    run = CliRunner().invoke(cli, ["scrub", str(path), "--out", str(tmp_path / "out"), "--profile", str(profile), "--ocr"])
    assert run.exit_code == 1
    assert "shot.png (picture): not scrubbed: text shown in the picture itself cannot be removed" in run.output
    assert "verification: FAILED" in run.output
