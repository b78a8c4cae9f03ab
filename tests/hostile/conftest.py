"""The hostile suite's marker: `slow` tests are left to the lead's choice (-m slow / -m 'not slow')."""
from __future__ import annotations


def pytest_configure(config):
    config.addinivalue_line("markers", "slow: hostile cases too slow for every run (deselect with -m 'not slow')")
