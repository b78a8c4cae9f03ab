"""Every rule carries its own proof: examples fire it, negative examples stay silent."""
from __future__ import annotations

import pytest

from reposcrub.rules import load_rules
from reposcrub.ruletest import check_rule
from reposcrub.scan import Engine

RULES = load_rules()
ENGINE = Engine(RULES)


@pytest.mark.parametrize("rule", RULES, ids=[r.id for r in RULES])
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_rule_examples(rule, seed):
    failures = [f.describe() for f in check_rule(ENGINE, rule, seed)]
    assert not failures, "\n".join(failures)


def test_every_builtin_pattern_compiles_in_re2():
    assert len(load_rules(compile_patterns=True)) == len(RULES)


def test_rule_ids_are_unique_and_namespaced():
    ids = [r.id for r in RULES]
    assert len(ids) == len(set(ids))
    assert all(r.id.startswith(r.category + "/") for r in RULES)


def test_every_category_has_rules():
    categories = {r.category for r in RULES}
    assert {"secret", "host", "pii", "marker", "file"} <= categories


def test_secret_rule_pack_covers_at_least_150_credential_types():
    assert sum(1 for r in RULES if r.category == "secret") >= 150
