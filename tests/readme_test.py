"""The README's snippets are the files the tests use, so they cannot drift."""
from __future__ import annotations

import re

from tests.conftest import ROOT

README = (ROOT / "README.md").read_text()


def test_snippets_are_the_tested_example_files():
    for name in ("examples/pre-commit-config.yaml", "examples/workflow.yml"):
        assert (ROOT / name).read_text().rstrip() in README, name


def test_set_up_holds_exactly_two_commands():
    section = README.split("## Set up", 1)[1].split("\n## ", 1)[0]
    commands = re.findall(r"```sh\n(.*?)```", section, re.S)
    assert len(commands) == 2 and all(c.count("\n") == 1 for c in commands)
    assert "reposcrub scan" in commands[0] and "pytest" in commands[1]
