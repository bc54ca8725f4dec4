"""Links to a board's ideas, built once per page: a list of twenty ideas would otherwise
build some sixty URLs through the URL map, a tenth of the page's time."""

from dataclasses import dataclass

from flask import url_for

from . import bp

_SENTINEL = 2_147_483_647  # the largest id a route takes; the id is each path's last part


def _pattern(endpoint: str, slug: str) -> tuple[str, str]:
    head, tail = url_for(endpoint, slug=slug, idea_id=_SENTINEL).rsplit(str(_SENTINEL), 1)
    return head, tail


@dataclass(frozen=True)
class IdeaLinks:
    """The idea page, support and withdraw paths of one board's ideas, by id."""

    page_parts: tuple[str, str]
    support_parts: tuple[str, str]
    withdraw_parts: tuple[str, str]

    def page(self, idea_id: int) -> str:
        return f"{self.page_parts[0]}{int(idea_id)}{self.page_parts[1]}"

    def support(self, idea_id: int) -> str:
        return f"{self.support_parts[0]}{int(idea_id)}{self.support_parts[1]}"

    def withdraw(self, idea_id: int) -> str:
        return f"{self.withdraw_parts[0]}{int(idea_id)}{self.withdraw_parts[1]}"


@bp.app_template_global()
def idea_links(board) -> IdeaLinks:
    """Links to the ideas of `board` (for templates)."""
    return IdeaLinks(_pattern("proposals.idea", board.slug),
                     _pattern("proposals.support", board.slug),
                     _pattern("proposals.withdraw_support", board.slug))
