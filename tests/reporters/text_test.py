"""Text output: the items that block first, each once; every untrusted string escaped."""
from __future__ import annotations

import random
import re

from click.testing import CliRunner

from reposcrub.cli import cli
from reposcrub.reporters.render import safe_text
from tests.conftest import UPPER_B32, fake, git, make_repo, write_files


def _scan(*args: str):
    return CliRunner().invoke(cli, ["scan", *args])


def test_control_characters_are_shown_as_escapes():
    assert safe_text("a\x1b[2Jb\nc\rd\x07e\u202ef\u2028") == "a\\e[2Jb\\nc\\rd\\x07e\\u202ef\\u2028"
    assert safe_text("plain ünïcode path.py") == "plain ünïcode path.py"


def test_hostile_names_cannot_drive_the_terminal_or_forge_lines(tmp_path):
    names = ["\x1b]0;pwned\x07title.py", "a\n::error file=x::forged.py", "::warning::x.py", "rtl\u202etxt.exe.py"]
    repo = make_repo(tmp_path / "repo", {n: 'host = "build01.corp"\n' for n in names})
    for args in ([], ["--all"]):
        result = _scan(str(repo), "--no-color", *args)
        assert result.exit_code == 1, result.output
        out = result.output
        assert "\x1b" not in out and "\x07" not in out and "\u202e" not in out
        assert not [line for line in out.splitlines() if line.lstrip().startswith("::")], out
        if args:
            assert "\\e]0;pwned\\x07title.py" in out and "a\\n::error file=x::forged.py" in out


def test_a_hostile_name_in_an_error_message_is_escaped(tmp_path):
    missing = tmp_path / "no\x1b[2Jsuch"
    result = _scan(str(missing))
    assert result.exit_code == 2 and "\x1b" not in result.output and "no\\e[2Jsuch" in result.output


def test_one_entry_per_value_ranked_above_names_and_every_occurrence_with_all(tmp_path):
    rng = random.Random(3)
    key = fake("AKIA", UPPER_B32, 16, rng)
    files = {f"src/m{i}.py": f"# Written by Jane Doe\nDB = 'db01.prod.corp'\n" for i in range(30)}
    files["conf/settings.py"] = f"AWS = '{key}'\n"
    repo = make_repo(tmp_path / "repo", files)
    git(repo, "commit", "-q", "--allow-empty", "-m", "x", env={"GIT_AUTHOR_NAME": "Jane Doe",
                                                               "GIT_AUTHOR_EMAIL": "jane@doe.example.org"})
    result = _scan(str(repo), "--no-color")
    lines = result.output.splitlines()
    items = [line for line in lines if re.match(r"^\s+\d+ ", line)]
    assert "secret/aws-access-key-id" in items[0]
    host = [line for line in items if "db01.prod.corp" in line]
    assert len(host) == 1 and "30×" in host[0] and "30 files" in host[0]
    assert len(lines) < 40 and key not in result.output
    every = _scan(str(repo), "--no-color", "--all").output
    assert every.count("host/internal-hostname at src/m") == 30


def test_filters_narrow_the_report_and_the_exit_code(tmp_path):
    key = fake("AKIA", UPPER_B32, 16, random.Random(4))
    repo = make_repo(tmp_path / "repo", {"a.py": f"AWS = '{key}'\nhost = 'build01.corp'\n"})
    only_host = _scan(str(repo), "--category", "host", "--no-color")
    assert "build01.corp" in only_host.output and "aws-access-key-id" not in only_host.output
    assert "showing category host" in only_host.output
    by_rule = _scan(str(repo), "--rule", "secret/*", "--format", "json")
    assert '"host/' not in by_rule.output and "secret/aws-access-key-id" in by_rule.output
    high = _scan(str(repo), "--min-severity", "critical", "--no-color")
    assert high.exit_code == 0 and "No findings" in high.output


def test_a_single_file_can_be_scanned(tmp_path):
    write_files(tmp_path, {"notes.txt": "deploy to build01.corp\nssh admin@build01.corp\n"})
    result = _scan(str(tmp_path / "notes.txt"), "--no-color")
    assert result.exit_code == 1 and "notes.txt:2" in result.output


def test_colour_only_on_request_and_never_with_no_color(tmp_path, monkeypatch):
    from reposcrub.reporters import Style, reporter_for
    from reposcrub.pipeline import ScanOptions, scan_target

    repo = make_repo(tmp_path / "repo", {"a.py": "host = 'build01.corp'\n"})
    import io

    out = io.StringIO()
    reporter_for("text", Style(color=True)).write(scan_target(str(repo), ScanOptions(jobs=1)), out)
    assert "\x1b[" in out.getvalue()
    monkeypatch.setenv("NO_COLOR", "1")
    assert "\x1b[" not in _scan(str(repo)).output
