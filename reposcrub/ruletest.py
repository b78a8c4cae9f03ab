"""Run every rule's examples: positives must fire the rule, negatives must not."""
from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass

from reposcrub.model import DOCUMENTED_EXAMPLE, Blob, Example, Provenance, Rule
from reposcrub.rules import expand_example
from reposcrub.scan import Engine


@dataclass(frozen=True, slots=True)
class ExampleFailure:
    rule_id: str
    positive: bool
    example: Example

    def describe(self) -> str:
        kind = "example did not match" if self.positive else "negative example matched"
        return f"{self.rule_id}: {kind}: {self.example.path}: {self.example.text!r}"


def fires(engine: Engine, rule_id: str, example: Example, rng: random.Random) -> bool:
    text = expand_example(example.text, rng)
    blob = Blob(data=text.encode("utf-8"), provenance=Provenance(path=example.path))
    # Each rule is judged on its own: which of two overlapping rules reports a span is
    # the engine's choice, not part of either rule's proof. A documented example value is
    # reported as such (info), not as the leak a rule's example proves it finds.
    found = engine.scan_blob(blob, resolve_overlaps=False)
    return any(f.rule_id == rule_id and f.kind != DOCUMENTED_EXAMPLE for f in found)


def check_rule(engine: Engine, rule: Rule, seed: int = 0) -> Iterator[ExampleFailure]:
    rng = random.Random(f"{rule.id}:{seed}")
    for example in rule.examples:
        if not fires(engine, rule.id, example, rng):
            yield ExampleFailure(rule.id, True, example)
    for example in rule.negative_examples:
        if fires(engine, rule.id, example, rng):
            yield ExampleFailure(rule.id, False, example)
