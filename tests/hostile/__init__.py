"""Inputs that break naive scanners: each gets a bounded time and a result, not a traceback."""
