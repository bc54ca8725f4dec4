"""What changed in a section between two versions, word by word, as pieces a page shows
with <del> and <ins> (and words for screen readers, which do not announce those tags).

Lines are compared first and only changed lines word by word: comparing tens of thousands
of words at once would take seconds, comparing a changed paragraph takes microseconds."""

import re
from dataclasses import dataclass
from difflib import SequenceMatcher

SAME, ADDED, REMOVED = "same", "added", "removed"
WORDS_AT_ONCE = 3_000  # above this, a changed block shows as removed and added whole
# Words, runs of spaces, and each other sign alone: "Kosten" stays when a comma follows it.
_TOKENS = re.compile(r"\s+|\w+|[^\w\s]")
_WORDS = re.compile(r"\w+")


@dataclass(frozen=True)
class Piece:
    kind: str  # SAME, ADDED or REMOVED
    text: str


@dataclass(frozen=True)
class Changes:
    pieces: list[Piece]
    added_words: int
    removed_words: int

    @property
    def changed(self) -> bool:
        return bool(self.added_words or self.removed_words)


def compare(old: str, new: str) -> Changes:
    """The pieces that turn `old` into `new`, and how many words each side lost or won."""
    old_lines, new_lines = old.splitlines(keepends=True), new.splitlines(keepends=True)
    pieces: list[Piece] = []
    matcher = SequenceMatcher(None, old_lines, new_lines, autojunk=False)
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        before, after = "".join(old_lines[a1:a2]), "".join(new_lines[b1:b2])
        if op == "equal":
            pieces.append(Piece(SAME, before))
        elif op == "replace":
            pieces.extend(_words(before, after))
        elif op == "delete":
            pieces.append(Piece(REMOVED, before))
        else:
            pieces.append(Piece(ADDED, after))
    pieces = _merged(pieces)
    return Changes(pieces, _count(pieces, ADDED), _count(pieces, REMOVED))


def _words(old: str, new: str) -> list[Piece]:
    old_words, new_words = _TOKENS.findall(old), _TOKENS.findall(new)
    if len(old_words) + len(new_words) > WORDS_AT_ONCE:
        return [Piece(REMOVED, old), Piece(ADDED, new)]
    pieces = []
    matcher = SequenceMatcher(None, old_words, new_words, autojunk=False)
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        if op == "equal":
            pieces.append(Piece(SAME, "".join(old_words[a1:a2])))
            continue
        if a2 > a1:
            pieces.append(Piece(REMOVED, "".join(old_words[a1:a2])))
        if b2 > b1:
            pieces.append(Piece(ADDED, "".join(new_words[b1:b2])))
    return pieces


def _merged(pieces: list[Piece]) -> list[Piece]:
    """Neighbours of one kind joined; a change of nothing but spaces shown as unchanged."""
    merged: list[Piece] = []
    for piece in pieces:
        if not piece.text:
            continue
        if piece.kind != SAME and not piece.text.strip():
            piece = Piece(SAME, piece.text) if piece.kind == ADDED else None
        if piece is None:
            continue
        if merged and merged[-1].kind == piece.kind:
            merged[-1] = Piece(piece.kind, merged[-1].text + piece.text)
        else:
            merged.append(piece)
    return merged


def _count(pieces: list[Piece], kind: str) -> int:
    return sum(len(_WORDS.findall(piece.text)) for piece in pieces if piece.kind == kind)
