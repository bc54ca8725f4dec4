"""Where a `next=` parameter may lead: only to a path on this site."""

from urllib.parse import urlsplit


def safe_next(target: str | None, default: str) -> str:
    """Return `target` if it is a plain local path, else `default`."""
    if not target or not target.startswith("/") or target.startswith("//"):
        return default
    # Backslashes and control characters are read as slashes or dropped by browsers.
    if "\\" in target or any(ord(ch) < 32 or ord(ch) == 127 for ch in target):
        return default
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return default
    return target
