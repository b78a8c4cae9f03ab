"""People from git identities: grouped as .mailmap would, bots and services left out."""
from __future__ import annotations

import pytest

from reposcrub.people import group_identities, is_service, parse_mailmap
from reposcrub.sources import gitwalk
from tests.conftest import git, make_repo


@pytest.mark.parametrize("name,email", [
    ("GitHub", "noreply@github.com"),
    ("dependabot[bot]", "49699333+dependabot[bot]@users.noreply.github.com"),
    ("renovate[bot]", "29139614+renovate[bot]@users.noreply.github.com"),
    ("github-actions", "41898282+github-actions[bot]@users.noreply.github.com"),
    ("pre-commit-ci[bot]", "66853113+pre-commit-ci[bot]@users.noreply.github.com"),
    ("Release Bot", "release-bot@example.org"),
    ("Build Service", "no-reply@example.org"),
    ("Jenkins", "jenkins@ci.example.org"),
])
def test_services_are_not_people(name, email):
    assert is_service(name, email)


@pytest.mark.parametrize("name,email", [
    ("Jane Doe", "jane@example.org"),
    ("jdoe", "12345+jdoe@users.noreply.github.com"),  # a person hiding their address
    ("Abbot Smith", "abbot@example.org"),  # 'bot' inside a word
    ("Robotics Team Lead", "lead@example.org"),
])
def test_people_are_people(name, email):
    assert not is_service(name, email)


def test_same_email_or_same_full_name_is_one_person():
    groups = group_identities([
        ("Jane Doe", "jane@acme.example"),
        ("jane", "jane@acme.example"),
        ("Jane Doe", "jane.doe@gmail.example"),
        ("John Roe", "john@acme.example"),
        ("GitHub", "noreply@github.com"),
    ])
    assert len(groups) == 2
    jane = next(g for g in groups if "jane@acme.example" in g.emails)
    assert jane.name == "Jane Doe"
    assert set(jane.emails) == {"jane@acme.example", "jane.doe@gmail.example"}
    assert set(jane.names) == {"Jane Doe", "jane"}


def test_a_shared_single_word_name_does_not_join_people():
    groups = group_identities([("admin", "a@one.example"), ("admin", "b@two.example")])
    assert len(groups) == 2


def test_mailmap_joins_identities_it_maps():
    mailmap = "Jane Doe <jane@acme.example> <jd@old-laptop.local>\n# comment\nJane Doe <jane@acme.example> J D <jd2@x.example>\n"
    assert parse_mailmap(mailmap)[0] == ("Jane Doe", "jane@acme.example", "", "jd@old-laptop.local")
    groups = group_identities([("Jane Doe", "jane@acme.example"), ("jd", "jd@old-laptop.local"),
                               ("J D", "jd2@x.example")], mailmap)
    assert len(groups) == 1
    assert groups[0].name == "Jane Doe"


def test_identities_of_a_real_repository(tmp_path):
    repo = make_repo(tmp_path / "r", {"a.txt": "a\n"})
    (repo / "b.txt").write_text("b\n")
    git(repo, "add", "b.txt")
    git(repo, "commit", "-q", "-m", "b", env={"GIT_AUTHOR_NAME": "Test Author", "GIT_AUTHOR_EMAIL": "other@example.com",
                                             "GIT_COMMITTER_NAME": "GitHub", "GIT_COMMITTER_EMAIL": "noreply@github.com"})
    found = [(n.decode(), e.decode()) for n, e in gitwalk.identities(repo)]
    groups = group_identities(found)
    assert [set(g.emails) for g in groups] == [{"author@example.com", "other@example.com"}]
