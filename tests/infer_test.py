"""`reposcrub profile infer` drafts a profile a user can accept as printed: ranked by
evidence, the doubtful commented out, and the draft loads as a profile exactly as printed."""
from __future__ import annotations

import tomllib

import pytest
from click.testing import CliRunner

from reposcrub.cli import cli
from reposcrub.infer.words import DEFAULT_WORDS
from reposcrub.profile import Profile
from tests.conftest import git, make_repo, write_files

needs_words = pytest.mark.skipif(not DEFAULT_WORDS.is_file(), reason="needs a word list (.ci/run installs wamerican)")


def draft(path, *args: str) -> str:
    result = CliRunner().invoke(cli, ["profile", "infer", str(path), *args], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output


def loaded(text: str) -> Profile:
    """The draft exactly as printed, read the way scan and scrub read a profile."""
    return Profile.from_dict(tomllib.loads(text), "draft")


def commit(repo, message: str, name: str, email: str, files: dict[str, str] | None = None) -> None:
    write_files(repo, files or {f"log/{abs(hash(message))}.txt": message})
    git(repo, "add", "-A")
    env = {"GIT_AUTHOR_NAME": name, "GIT_AUTHOR_EMAIL": email, "GIT_COMMITTER_NAME": name, "GIT_COMMITTER_EMAIL": email}
    git(repo, "commit", "-q", "-m", message, env=env)


@pytest.fixture
def company_repo(tmp_path):
    """A company's Python project as a new user would point infer at: its package is named
    after the company, its people commit from the company domain and from their machines,
    and outsiders contribute from public mail, universities and their own domains."""
    repo = make_repo(tmp_path / "billing", {
        "LICENSE": "Copyright (c) 2018-2024 Globex Corporation\n\nAll rights reserved.\n",
        "globex/__init__.py": "",
        "globex/client.py": '"""See https://api.globex.com/v2 and https://docs.globex.com."""\n',
        "pyproject.toml": '[project]\nname = "globex"\n\n[project.scripts]\nhamctl = "globex.cli:main"\n',
        ".github/workflows/ci.yml": "on: push\n",
        "docker-compose.yml": "services: {}\n",
    }, message="initial import")
    people = [("Hank Scorpio", "hank@globex.com"), ("Frank Grimes", "frank@globex.com"),
              ("Lenny Leonard", "lenny@globex.com")]
    for i, (name, email) in enumerate(people):
        commit(repo, f"GLX-{101 + i} billing work, UTF-8 and ISO-8859 handling", name, email)
    commit(repo, "tests", "Alice Devbox", "alice@alice-devbox.corp.globex.io")
    commit(repo, "more tests", "Bob Devbox", "bob@bob-devbox.corp.globex.io")
    commit(repo, "typo", "Some One", "someone@gmail.com")
    commit(repo, "docs", "A Student", "student@cs.stateu.edu")
    commit(repo, "readme", "Solo Dev", "me@solo-dev-pages.net")
    commit(repo, "merge", "GitHub", "noreply@github.com")
    git(repo, "branch", "feature/GLX-200-invoices")
    git(repo, "remote", "add", "origin", "https://github.com/globex-inc/billing.git")
    return repo


def test_company_repository_draft_loads_as_printed_and_ranks_the_org_first(company_repo):
    text = draft(company_repo)
    profile = loaded(text)
    assert profile.names[0] == "Globex"
    assert profile.domains == ("globex.com", "globex.io")  # the machines' domain is the org's too
    assert profile.ticket_prefixes == ("GLX",)
    assert "*.corp.globex.io" in profile.hosts
    assert "hamctl" in profile.codenames  # the CLI command is a product name
    assert "github.com/globex-inc" in profile.namespaces
    # The names that broke builds when used as printed are not entries at all.
    for word in ("Github", "Gmail", "Com", "Stateu", "Late", "Sample", "Compose", "Docker"):
        assert word not in profile.names
    for domain in ("gmail.com", '"github.com"', "stateu.edu", "solo-dev-pages.net"):
        assert domain not in text  # left out, not even commented
    assert not {"UTF", "ISO"} & set(profile.ticket_prefixes)


def test_every_entry_shows_confidence_and_evidence(company_repo):
    text = draft(company_repo)
    line = next(line for line in text.splitlines() if line.strip().startswith('"Globex"'))
    confidence = float(line.split("# ", 1)[1].split(":", 1)[0])
    assert confidence >= 0.9
    for evidence in ("import package globex/", "copyright holder LICENSE", "e-mail domain globex.com (3 people)"):
        assert evidence in line


def test_entries_below_the_threshold_are_comments_and_a_lower_threshold_keeps_them(tmp_path):
    repo = make_repo(tmp_path / "r", {"a.txt": "x"})
    commit(repo, "one", "Hank Scorpio", "hank@globex.com")
    commit(repo, "two", "Hank Scorpio", "hank@globex.com")
    commit(repo, "three", "Marge Bouvier", "marge@initech.com")
    commit(repo, "four", "Patty Bouvier", "patty@initech.com")
    commit(repo, "five", "Selma Bouvier", "selma@initech.com")
    commit(repo, "six", "Jay Small", "jay@vandelay.com")
    commit(repo, "seven", "Kay Small", "kay@vandelay.com")
    text = draft(repo)
    assert loaded(text).domains == ("initech.com",)
    assert '  # "vandelay.com",' in text  # a second, smaller company domain: shown, not active
    assert "vandelay.com" in loaded(draft(repo, "--threshold", "0.1")).domains


@needs_words
def test_ordinary_words_need_two_witnesses_and_are_marked_ambiguous(tmp_path):
    repo = make_repo(tmp_path / "r", {
        "LICENSE": "Copyright 2021 Anvil, Inc.\n",
        "anvil/__init__.py": "",
        "vendor/lib.c": "/* Copyright 2019 Late */\n",
    })
    text = draft(repo)
    profile = loaded(text)
    assert "Anvil" in profile.names and profile.ambiguous == ("Anvil",)
    assert "Late" not in profile.names and '# "Late",' in text


def test_org_hosts_conventions_from_machine_names(tmp_path):
    repo = make_repo(tmp_path / "r", {"a.txt": "x"})
    for who in ("alice", "bob", "carol"):
        commit(repo, f"work of {who}", f"{who.title()} Smith", f"{who}@{who}-devbox")
    profile = loaded(draft(repo))
    assert profile.hosts == ("*-devbox",)


def test_bare_repository_reads_the_files_of_head(tmp_path, company_repo):
    bare = tmp_path / "bare.git"
    git(tmp_path, "clone", "-q", "--bare", str(company_repo), str(bare))
    profile = loaded(draft(bare))
    assert profile.names[0] == "Globex" and "hamctl" in profile.codenames


def test_plain_folder_without_history(tmp_path):
    write_files(tmp_path, {"LICENSE": "Copyright 2020 Initech, Inc.\n", "main.c": "int main(void) { return 0; }\n"})
    profile = loaded(draft(tmp_path))
    assert profile.names == ("Initech",)
    assert profile.domains == () and profile.ticket_prefixes == ()


def test_draft_is_usable_as_a_profile_file_by_scan(tmp_path, company_repo):
    path = tmp_path / "draft.toml"
    path.write_text(draft(company_repo), encoding="utf-8")
    result = CliRunner().invoke(cli, ["scan", str(company_repo), "--profile", str(path), "--format", "json"])
    assert result.exit_code == 1, result.output  # findings, not a usage error
    assert '"rule_id": "ident/org-name"' in result.output


def test_missing_word_list_is_a_one_line_error(tmp_path):
    write_files(tmp_path, {"a.txt": "x"})
    result = CliRunner().invoke(cli, ["profile", "infer", str(tmp_path), "--words", str(tmp_path / "nope.txt")])
    assert result.exit_code == 2
    assert "cannot read the word list" in result.output and len(result.output.strip().splitlines()) == 1


def test_remote_credentials_never_reach_the_draft(tmp_path):
    repo = make_repo(tmp_path / "r", {"a.txt": "x"})
    token = "ghp_" + "Q" * 36
    git(repo, "remote", "add", "origin", f"https://user:{token}@github.com/globex-inc/billing.git")
    assert token not in draft(repo)


def test_hostile_names_still_give_a_draft_that_loads(tmp_path):
    root = tmp_path / "r"
    root.mkdir()
    (root / "LICENSE").write_text("Copyright 2020 Initech\n", encoding="utf-8")
    (root / "x.py").write_text('# Copyright 2020 Evil "Quoted" Name\u2028\n', encoding="utf-8")
    bad = root / b"\xff\xfeglobex".decode("utf-8", "surrogateescape")
    bad.mkdir()
    (bad / "__init__.py").write_text("")
    (root / "line\nbreak").mkdir()
    (root / "line\nbreak" / "__init__.py").write_text("")
    text = draft(root)
    assert "Initech" in loaded(text).names
