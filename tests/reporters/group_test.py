"""Grouping: one item per value per rule, one per person across identities, bots apart."""
from __future__ import annotations

import json

from click.testing import CliRunner

from reposcrub.cli import cli
from tests.conftest import git, make_repo, write_files


def _commit(repo, name, email, files):
    write_files(repo, files)
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "change", env={"GIT_AUTHOR_NAME": name, "GIT_AUTHOR_EMAIL": email,
                                                   "GIT_COMMITTER_NAME": name, "GIT_COMMITTER_EMAIL": email})


def test_a_person_is_one_item_across_identities_mailmap_and_files(tmp_path):
    repo = make_repo(tmp_path / "r", {"README.md": "demo\n"})
    _commit(repo, "Jane Q Doe", "jane@work.widgetco.io", {"a.py": "x = 1\n"})
    _commit(repo, "Jane Q Doe", "jane.doe@home.widgetco-mail.net", {"b.py": "y = 2\n"})
    _commit(repo, "jdoe", "jd@laptop.widgetco.io", {"c.py": "z = 3\n"})
    _commit(repo, "dependabot[bot]", "49699333+dependabot[bot]@users.noreply.github.com", {"d.py": "w = 4\n"})
    _commit(repo, "Jane Q Doe", "jane@work.widgetco.io",
            {".mailmap": "Jane Q Doe <jane@work.widgetco.io> jdoe <jd@laptop.widgetco.io>\n",
             "src/app.py": "# maintained by Jane Q Doe, write to jane@work.widgetco.io\n"})
    doc = json.loads(CliRunner().invoke(cli, ["scan", str(repo), "--format", "json"]).output)
    people = [g for g in doc["groups"] if g["kind"] == "person"]
    assert sorted(g["title"].split(" <")[0] for g in people) == ["Jane Q Doe", "Test Author"], people
    jane = next(g for g in people if g["title"].startswith("Jane"))
    assert jane["files"] == 2  # src/app.py and .mailmap
    members = [f for f in doc["findings"] if f["group"] == jane["key"]]
    assert {f["location"] for f in members} >= {"author", "file"}
    assert {f["preview"] for f in members} >= {"jd@laptop.widgetco.io", "jane.doe@home.widgetco-mail.net"}
    assert not any("dependabot" in g["title"] for g in people)
    assert len(doc["findings"]) == sum(g["occurrences"] for g in doc["groups"])  # every occurrence is in one item


def test_items_are_ranked_by_severity_then_confidence_then_spread(tmp_path):
    repo = make_repo(tmp_path / "r", {f"m{i}.py": "HOST = 'db01.prod.corp'\n" for i in range(5)}
                     | {"one.py": "HOST = 'cache.prod.corp'\n", "key.pem": "-----BEGIN PRIVATE KEY-----\n"})
    doc = json.loads(CliRunner().invoke(cli, ["scan", str(repo), "--format", "json", "--no-history"]).output)
    order = [(g["severity"], g["title"]) for g in doc["groups"]]
    hosts = [t for s, t in order if "corp" in t]
    assert hosts == ["db01.prod.corp", "cache.prod.corp"]  # same rule and severity: the wider spread first
    assert order[0][0] in ("critical", "high")
