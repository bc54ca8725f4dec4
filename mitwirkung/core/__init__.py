"""Shared, feature-free building blocks."""
