"""Schema migrations (Flask-Migrate and Alembic), loaded only when a `db` command runs:
importing Alembic takes about 0.4 s that web workers and the other commands need not pay."""

from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import ScriptInfo

from ..extensions import db

DIRECTORY = str(Path(__file__).resolve().parents[2] / "migrations")


# Schema that features make outside their models, with DDL of their own (full-text search:
# proposals/search.py); autogenerate and the migration test leave it alone.
MANAGED_OUTSIDE_MODELS = ("ideas_fts", "search_vector", "ix_ideas_search")


def include_object(_object, name, _type, reflected, compare_to) -> bool:
    """Alembic's filter: False for a reflected object of MANAGED_OUTSIDE_MODELS (an FTS5
    table's shadow tables share its name as prefix)."""
    return not (reflected and compare_to is None and name
                and name.startswith(MANAGED_OUTSIDE_MODELS))


def init_migrations(app: Flask) -> None:
    """Bind Flask-Migrate to `app` (also what `flask_migrate.upgrade()` in code needs)."""
    from flask_migrate import Migrate

    Migrate(app, db, directory=DIRECTORY, render_as_batch=True, include_object=include_object)


class _MigrationCommands(click.Group):
    """Flask-Migrate's `db` group (upgrade, migrate, downgrade ...), imported on first use."""

    def make_context(self, info_name, args, parent=None, **extra):
        app = parent.ensure_object(ScriptInfo).load_app() if parent else current_app
        if "migrate" not in app.extensions:
            init_migrations(app)
        from flask_migrate.cli import db as commands

        # From here on the real group parses, runs its callback and dispatches.
        return commands.make_context(info_name, args, parent=parent, **extra)


def register(app: Flask) -> None:
    app.cli.add_command(_MigrationCommands("db", help="Database migrations (Alembic)."))
