"""Rule files are validated on load: bad rules are named in a one-line error."""
from __future__ import annotations

import pytest

from reposcrub.errors import ReposcrubError
from reposcrub.rules import rule_from_dict

BASE = {
    "id": "secret/x-token",
    "name": "X token",
    "category": "secret",
    "severity": "high",
    "description": "d",
    "pattern": "xtok_[a-z]{8}",
    "examples": ["xtok_abcdefgh"],
    "negative_examples": ["nope"],
}


def test_valid_rule_loads():
    rule = rule_from_dict(BASE)
    assert rule.id == "secret/x-token" and rule.severity.label == "high"


@pytest.mark.parametrize(
    "change, message",
    [
        ({"colour": "red"}, "unknown key(s) colour"),
        ({"id": "host/x-token"}, "id must look like"),
        ({"severity": "urgent"}, "unknown severity"),
        ({"pattern": "(?=x)y"}, "not a valid RE2 pattern"),
        ({"examples": []}, "examples and negative_examples"),
        ({"filters": ["psychic"]}, "unknown filter(s) psychic"),
    ],
)
def test_invalid_rules_are_named(change, message):
    with pytest.raises(ReposcrubError, match=message.replace("(", r"\(").replace(")", r"\)")):
        rule_from_dict({**BASE, **change})
