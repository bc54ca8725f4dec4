"""Sections that features add to a project's pages: the public project page and its staff
page. A feature registers a function per page that returns its Section for a project (or
None to show nothing), so `projects/` shows votes (later idea boards and surveys) without
importing any of them."""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal

from flask import Flask, current_app

Page = Literal["public", "staff"]


@dataclass(frozen=True)
class Section:
    """One feature's part of a project page: `template` renders it with `section` (this
    object, its `data` for the feature's own use) and `project`."""

    template: str
    data: dict = field(default_factory=dict)


SectionProvider = Callable[[object, object], Section | None]  # (project, viewer)


def register(app: Flask, page: Page, provider: SectionProvider) -> None:
    """Let a feature add its section to the `page` of every project, in registration order."""
    app.extensions.setdefault("project_sections", {}).setdefault(page, []).append(provider)


def sections(page: Page, project, viewer) -> list[Section]:
    """The sections of `page` for `project` as `viewer` sees them."""
    providers = current_app.extensions.get("project_sections", {}).get(page, [])
    return [section for provider in providers
            if (section := provider(project, viewer)) is not None]
