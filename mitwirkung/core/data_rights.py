"""A person's data rights (DSGVO Art. 15, 17 and 20): everything we store about them as
one JSON document, and its erasure when they delete their account.

Each feature registers one part, when it loads: a function that exports what the feature
stores about a person, and one that erases or anonymises it. Both go together, so a
feature that stores something about people (ideas, comments, supports, survey answers
with a name) cannot add the one and forget the other. Core imports no feature.

Erasure keeps the account's row as a tombstone without anything personal: its id still
stands for "one person, now deleted" wherever a record must stay complete (who entered a
paper batch, who acted in the audit log), so the rule that two different people enter a
batch twice still holds, and no record points at nothing.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Part:
    name: str  # its key in the export
    export: Callable[[Any], Any]  # user -> JSON-ready data
    erase: Callable[[Any], None]  # user -> None; adds and flushes, the caller commits
    # The account itself comes first in the export and is erased last: the other parts
    # may still need its address or name to find what is theirs.
    account: bool = False


_parts: dict[str, Part] = {}


def register(name: str, *, export, erase, account: bool = False) -> None:
    """Add a feature's part (call it when the feature's module loads)."""
    _parts[name] = Part(name, export, erase, account)


def parts() -> list[Part]:
    """The parts in the order of the export: the account first, then the features."""
    return sorted(_parts.values(), key=lambda part: not part.account)


def export(user) -> dict[str, Any]:
    """Everything stored about `user`, by part."""
    return {part.name: part.export(user) for part in parts()}


def erase(user) -> None:
    """Erase or anonymise everything stored about `user`, the account last."""
    for part in reversed(parts()):
        part.erase(user)
