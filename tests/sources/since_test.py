"""--since is read strictly: git's approxidate turns garbage into "now" and scans nothing."""
from __future__ import annotations

import json
import os
import random
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner

from reposcrub.cli import cli
from reposcrub.errors import ReposcrubError
from reposcrub.sources.dates import since_timestamp
from reposcrub.sources.history import HistoryScope
from tests.conftest import ROOT, UPPER_B32, fake, git, make_repo, write_files

AWS = "secret/aws-access-key-id"
NOW = datetime(2024, 3, 31, 15, 30, tzinfo=UTC)


def _local(*args: int) -> int:
    """A naive date or time read as local time, as git reads it."""
    return int(datetime(*args).astimezone().timestamp())


@pytest.mark.parametrize("text,expected", [
    ("2024-01-31", _local(2024, 1, 31)),  # a date alone: its midnight, not the time of day it is now
    ("2024-01-31T10:00", _local(2024, 1, 31, 10)),
    ("2024-01-31 10:00:30", _local(2024, 1, 31, 10, 0, 30)),
    ("2024-01-31T10:00:00+01:00", int(datetime(2024, 1, 31, 9, tzinfo=UTC).timestamp())),
    ("2024-01-31T10:00Z", int(datetime(2024, 1, 31, 10, tzinfo=UTC).timestamp())),
    ("2024/1/31", _local(2024, 1, 31)),
    ("2.weeks.ago", int((NOW - timedelta(weeks=2)).timestamp())),
    ("2 weeks ago", int((NOW - timedelta(weeks=2)).timestamp())),
    ("3 days", int((NOW - timedelta(days=3)).timestamp())),
    ("1.hour.ago", int((NOW - timedelta(hours=1)).timestamp())),
    ("last week", int((NOW - timedelta(weeks=1)).timestamp())),
    ("1 month ago", int(datetime(2024, 2, 29, 15, 30, tzinfo=UTC).timestamp())),  # 31 March: end of February
    ("1 year, 2 months ago", int(datetime(2023, 1, 31, 15, 30, tzinfo=UTC).timestamp())),
    ("yesterday", int(datetime(2024, 3, 30, tzinfo=UTC).timestamp())),
    ("today", int(datetime(2024, 3, 31, tzinfo=UTC).timestamp())),
    ("now", int(NOW.timestamp())),
    ("@1700000000", 1700000000),
    ("1700000000", 1700000000),
    ("Wed Jan 31 10:00:00 2024 +0100", int(datetime(2024, 1, 31, 9, tzinfo=UTC).timestamp())),  # git log's format
    ("Wed, 31 Jan 2024 10:00:00 +0100", int(datetime(2024, 1, 31, 9, tzinfo=UTC).timestamp())),  # RFC 2822
    ("1969-06-01", 0),
    ("100 years ago", 0),
])
def test_dates_users_write_are_read_as_meant(text, expected):
    assert since_timestamp(text, NOW) == expected


@pytest.mark.parametrize("text,problem", [
    ("garbage", "is not a date"),
    ("garbage 5", "is not a date"),  # approxidate: the 5th of this month
    ("2 weaks ago", "is not a date"),  # approxidate: 24 days ago
    ("weeks ago", "is not a date"),
    ("tomorrow", "is not a date"),
    ("2024-01-31garbage", "is not a date"),
    ("", "is not a date"),
    ("2024-13-01", "is not a valid date (month must be in 1..12)"),
    ("2024-02-30", "is not a valid date (day is out of range for month)"),
    ("2024-04-01", "is in the future"),
    ("@99999999999", "is in the future"),
])
def test_garbage_is_refused_with_the_forms_that_work(text, problem):
    with pytest.raises(ReposcrubError) as raised:
        since_timestamp(text, NOW)
    message = str(raised.value)
    assert message.startswith(f"--since {text!r} {problem}")
    assert "\n" not in message
    assert "2.weeks.ago" in message


def test_scope_hands_git_a_number():
    assert HistoryScope(since="@1700000000").selection() == ["--all", "--reflog", "--max-age=1700000000"]
    assert HistoryScope(since="1969-01-01", rev_range="main").selection() == ["main", "--max-age=0"]
    assert HistoryScope().selection() == ["--all", "--reflog"]
    with pytest.raises(ReposcrubError, match="is not a date"):
        HistoryScope(since="garbage")


def _dated_commit(repo: Path, files: dict[str, str], message: str, when: datetime) -> None:
    write_files(repo, files)
    git(repo, "add", "-A")
    stamp = when.strftime("%Y-%m-%dT%H:%M:%S%z")
    git(repo, "commit", "-q", "-m", message, env={"GIT_AUTHOR_DATE": stamp, "GIT_COMMITTER_DATE": stamp})


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A key added in 2020, one added 2024-01-31 at 08:00 UTC and one a day ago; all removed."""
    rng = random.Random(17)
    repo = make_repo(tmp_path / "r", {"README.md": "hi\n"})
    recent = datetime.now(UTC).replace(microsecond=0) - timedelta(days=1)
    for name, when in [("old.py", datetime(2020, 1, 1, tzinfo=UTC)), ("jan31.py", datetime(2024, 1, 31, 8, tzinfo=UTC)),
                       ("recent.py", recent)]:
        _dated_commit(repo, {name: f"K = '{fake('AKIA', UPPER_B32, 16, rng)}'\n"}, f"add {name}", when)
    git(repo, "rm", "-q", "old.py", "jan31.py", "recent.py")
    _dated_commit(repo, {}, "remove keys", recent + timedelta(hours=1))
    return repo


def _scanned(repo: Path, *args: str) -> set[str]:
    result = CliRunner().invoke(cli, ["scan", str(repo), "--format", "json", *args], catch_exceptions=False)
    assert result.exit_code in (0, 1), result.output
    return {f["path"] for f in json.loads(result.output)["findings"] if f["rule_id"] == AWS}


def test_since_narrows_a_real_history(repo):
    assert _scanned(repo) == {"old.py", "jan31.py", "recent.py"}
    assert _scanned(repo, "--since", "2.weeks.ago") == {"recent.py"}
    assert _scanned(repo, "--since", "2 weeks ago") == {"recent.py"}
    assert _scanned(repo, "--since", "2024-01-31T09:00Z") == {"recent.py"}
    assert _scanned(repo, "--since", "@1700000000") == {"jan31.py", "recent.py"}
    assert _scanned(repo, "--since", "1970-01-01") == {"old.py", "jan31.py", "recent.py"}


def test_a_date_alone_covers_that_whole_day(repo):
    """Run in UTC, like the commit: git would read 2024-01-31 as that day at the current
    time of day, and miss the 08:00 commit whenever the scan runs after 08:00."""
    env = {**os.environ, "TZ": "UTC"}
    proc = subprocess.run([sys.executable, "-m", "reposcrub", "scan", str(repo), "--format", "json", "--since", "2024-01-31"],
                          cwd=ROOT, env=env, capture_output=True, check=False)
    assert proc.returncode == 1, proc.stderr
    assert {f["path"] for f in json.loads(proc.stdout)["findings"] if f["rule_id"] == AWS} == {"jan31.py", "recent.py"}


@pytest.mark.parametrize("since,problem", [
    ("garbage", "is not a date: give an ISO date"),
    ("2 weaks ago", "is not a date: give an ISO date"),
    ("2024-02-30", "is not a valid date (day is out of range for month)"),
    ("2999-01-01", "is in the future (2999-01-01 00:00), so no commit would be scanned"),
])
def test_garbage_since_is_a_one_line_usage_error(repo, since, problem):
    result = CliRunner().invoke(cli, ["scan", str(repo), "--since", since])
    assert result.exit_code == 2
    assert result.output.splitlines() == [result.output.strip()]
    assert result.output.startswith(f"reposcrub: error: --since {since!r} {problem}")
    assert "2.weeks.ago" in result.output


def test_a_bad_date_fails_before_any_work_even_without_history(tmp_path):
    from click.testing import CliRunner

    from reposcrub.cli import cli

    for extra in (["--no-history"], []):
        result = CliRunner().invoke(cli, ["scan", str(tmp_path), "--since", "garbage", *extra])
        assert result.exit_code == 2 and len(result.output.strip().splitlines()) == 1, result.output
    url = CliRunner().invoke(cli, ["scan", "file:///nonexistent/repo.git", "--since", "2 weaks ago"])
    assert url.exit_code == 2 and "weaks" in url.output and "clone" not in url.output.lower(), url.output
