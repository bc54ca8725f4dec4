"""Casting a secret online ballot: the ballot box, its writes, the ballot pages."""
