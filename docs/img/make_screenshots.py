"""Make the README's screenshots: the terminal output and the HTML report of a scan of the
example project, given a history (a key committed then removed, a swap file, several
people, a machine name in an identity, changelog names). Needs Debian's chromium.

    .venv/bin/python docs/img/make_screenshots.py docs/img
"""
from __future__ import annotations

import html
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "examples"))

from make_leaky_project import main as make_project  # noqa: E402

FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync", "--hide-scrollbars"]
_ANSI = {"1;31": "#ff5f5f;font-weight:bold", "31": "#ff5f5f", "33": "#e5c07b", "36": "#56b6c2", "2": "#7f848e"}


def _git(repo: Path, *args: str, who: tuple[str, str] = ("Priya Raman", "priya.raman@globex-corp.com"),
         when: str = "2024-03-04T10:00:00+00:00") -> None:
    env = {**os.environ, "GIT_AUTHOR_NAME": who[0], "GIT_AUTHOR_EMAIL": who[1], "GIT_COMMITTER_NAME": who[0],
           "GIT_COMMITTER_EMAIL": who[1], "GIT_CONFIG_NOSYSTEM": "1", "HOME": "/nonexistent",
           "GIT_AUTHOR_DATE": when, "GIT_COMMITTER_DATE": when}
    subprocess.run(["git", *args], cwd=repo, env=env, check=True, capture_output=True)


def build(repo: Path) -> None:
    make_project(repo)
    _git(repo, "-c", "init.defaultBranch=main", "init", "-q")
    (repo / "CHANGES.md").write_text("## 1.0\n\n- Billing exports (thanks Tom Okafor and Lena Berg)\n")
    _git(repo, "add", "-A")
    _git(repo, "commit", "-q", "-m", "Billing service")
    (repo / "billing" / ".jobs.py.swp").write_bytes(b"b0VIM 8.2\0" + b"\0" * 40 + b"priya\0build-07.corp.globex.com\0")
    (repo / "deploy.sh").write_text("ssh deploy@build-07.corp.globex.com 'systemctl restart billing'\n")
    _git(repo, "add", "-A")
    _git(repo, "commit", "-q", "-m", "Deploy script", who=("Tom Okafor", "tom@toms-MacBook-Pro.local"),
         when="2024-09-16T10:00:00+00:00")
    _git(repo, "rm", "-q", "--cached", "billing/.jobs.py.swp")
    (repo / "billing" / ".jobs.py.swp").unlink()
    _git(repo, "commit", "-q", "-m", "Remove swap file", who=("Lena Berg", "lena.berg@globex-corp.com"),
         when="2025-02-20T10:00:00+00:00")


def _ansi_to_html(text: str) -> str:
    out, open_span = [], False
    for part in re.split(r"(\x1b\[[0-9;]*m)", text):
        m = re.fullmatch(r"\x1b\[([0-9;]*)m", part)
        if m is None:
            out.append(html.escape(part))
            continue
        if open_span:
            out.append("</span>")
            open_span = False
        if m.group(1) in _ANSI:
            out.append(f'<span style="color:{_ANSI[m.group(1)]}">')
            open_span = True
    return "".join(out)


def shoot(page: Path, png: Path, size: str, work: Path) -> None:
    subprocess.run(["chromium", *FLAGS, f"--user-data-dir={work / 'profile'}", f"--window-size={size}",
                    f"--screenshot={png}", page.as_uri()], check=True, capture_output=True)


def main(out: Path) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        repo = work / "billing-service"
        build(repo)
        from reposcrub.reporters import Style, reporter_for
        from reposcrub.pipeline import ScanOptions, scan_target
        from dataclasses import replace
        from io import StringIO

        result = scan_target(str(repo), replace(ScanOptions(), excerpt_lines=2))
        text = StringIO()
        reporter_for("text", Style(color=True)).write(result, text)
        term = work / "term.html"
        term.write_text("<html><body style='margin:0;background:#1e2127'><pre style='color:#d7dae0;font:13px/1.35 "
                        "DejaVu Sans Mono,monospace;padding:12px;margin:0'>$ reposcrub scan billing-service\n"
                        + _ansi_to_html(text.getvalue().replace(str(repo), "billing-service")) + "</pre></body></html>")
        shoot(term, out / "terminal.png", "1400,760", work)
        page = work / "report.html"
        result = replace(result, target="billing-service")
        with page.open("w") as stream:
            reporter_for("html", Style()).write(result, stream)
        shoot(page, out / "html-report.png", "1400,1100", work)


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "docs/img"))
