"""Scrub: findings -> replacements (plan) -> a rewritten copy of the repository (rewrite)."""
from __future__ import annotations
