"""Every assignment rule finds its own examples' values in every syntax: the key and value
of each positive example, as the extractor reads them, are written again in each syntax
of tests/rules/syntaxes.py, and the rule must still report the value."""
from __future__ import annotations

import random
import re

import pytest
import re2

from reposcrub.model import Blob, Provenance
from reposcrub.parse.assignments import Extractor
from reposcrub.rules import expand_example, load_rules
from reposcrub.scan import Engine
from tests.rules.syntaxes import SYNTAXES, Key

RULES = load_rules()
ENGINE = Engine(RULES)
EXTRACTOR = Extractor()
KEY_RULES = [r for r in RULES if r.key_pattern and not r.path_pattern]
_SAFE_VALUE = re.compile(r"[A-Za-z0-9_+/=.:@!%~-]+")


def _pairs(rule):
    """(key, value) of each positive example, where the rule reported the assigned value."""
    rng = random.Random(rule.id)
    for example in rule.examples:
        data = expand_example(example.text, rng).encode()
        found = [f for f in ENGINE.scan_blob(Blob(data, Provenance(example.path)), resolve_overlaps=False)
                 if f.rule_id == rule.id]
        for a in EXTRACTOR.extract(data, example.path):
            if any(a.start <= f.start and f.end <= a.end for f in found):
                yield a.key, data[a.start:a.end].decode(), a.quoted


def _fires(rule, syntax, key, value) -> bool:
    text = syntax.render(Key.of(key), value)
    literals = [k.lower() for k in rule.keywords if not k.startswith("re:")]
    if rule.keywords and not any(k in text.lower() for k in literals) and not any(
            re2.search(k[3:], text) for k in rule.keywords if k.startswith("re:")):
        return True  # the rule is gated on a word this file does not hold: not the syntax's fault
    start = text.encode().find(value.encode())
    found = ENGINE.scan_blob(Blob(text.encode(), Provenance(syntax.path)), resolve_overlaps=False)
    return any(f.rule_id == rule.id and f.start < start + len(value.encode()) and start < f.end for f in found)


def test_there_are_key_rules_with_examples_in_assignments():
    assert len(KEY_RULES) >= 80
    assert sum(1 for r in KEY_RULES if next(_pairs(r), None)) >= 60


@pytest.mark.parametrize("rule", KEY_RULES, ids=[r.id for r in KEY_RULES])
def test_a_key_rule_finds_its_examples_in_every_syntax(rule):
    missed = []
    for key, value, quoted in _pairs(rule):
        if not _SAFE_VALUE.fullmatch(value) or not re.fullmatch(r"[a-z0-9_]+", key):
            continue
        for syntax in SYNTAXES:
            if rule.value_quoted is not None and rule.value_quoted != syntax.quoted:
                continue
            if not _fires(rule, syntax, key, value):
                missed.append((syntax.name, key))
    assert not missed, f"{rule.id} missed its example values in: {missed}"
