"""Every rule's own examples come out of the cleaner clean: no replacement is itself a finding."""
from __future__ import annotations

import random

import pytest

from reposcrub.model import Blob, Provenance
from reposcrub.profile import Profile
from reposcrub.rules import builtin_rules, expand_example
from reposcrub.scan import Engine
from reposcrub.scrub.clean import Cleaner, replaceable
from reposcrub.scrub.replace import Replacer

RULES = builtin_rules()
PROFILE = Profile(names=("Acme",), domains=("acme.com",))
ENGINE = Engine(RULES, PROFILE)
CASES = [(r.id, ex) for r in RULES if r.category != "file" for ex in r.examples]


@pytest.mark.parametrize("rule_id, example", CASES, ids=[f"{r}-{i}" for i, (r, _) in enumerate(CASES)])
def test_cleaning_an_example_leaves_nothing(rule_id, example):
    cleaner = Cleaner(ENGINE, Replacer(PROFILE, "salt"))
    text = expand_example(example.text, random.Random(rule_id)).encode()
    cleaned = cleaner.clean(text, Provenance(path=example.path))
    again = ENGINE.scan_blob(Blob(cleaned.data, Provenance(path=example.path)))
    left = [(f.rule_id, cleaned.data[f.start:f.end]) for f in again if replaceable(f, cleaner.threshold)]
    assert not left, (rule_id, cleaned.data)
    assert cleaner.clean(cleaned.data, Provenance(path=example.path)).data == cleaned.data  # idempotent


def test_a_replacement_that_breaks_the_syntax_is_caught():
    class Breaking(Replacer):
        def replace(self, f):
            return b"x' + ("  # unbalanced: the file no longer parses

    cleaner = Cleaner(ENGINE, Breaking(PROFILE, "salt"))
    good = Cleaner(ENGINE, Replacer(PROFILE, "salt"))
    text = b"import os\nKEY = 'AKIA" + b"Q" * 16 + b"'\n"
    assert cleaner.clean(text, Provenance(path="app.py")).broke_syntax
    assert not good.clean(text, Provenance(path="app.py")).broke_syntax
