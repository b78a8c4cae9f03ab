"""reposcrub: make a repository safe to hand outside the organisation that made it."""
from __future__ import annotations

__version__ = "0.1.0"
