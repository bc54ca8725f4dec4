"""Fixtures of the survey tests."""

from .builder import as_, people  # noqa: F401  (the builder's people, a client for each)
