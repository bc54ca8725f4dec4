"""The Alembic migrations build exactly the schema the models describe, and go back down."""

import flask_migrate
import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine, inspect, text
from sqlalchemy.engine import make_url

from mitwirkung import create_app
from mitwirkung.extensions import db

from .conftest import app_settings


@pytest.fixture
def empty_database_url(database_url, tmp_path):
    if not database_url.startswith("postgresql"):
        yield f"sqlite:///{tmp_path / 'migrated.db'}"
        return
    url = make_url(database_url)
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    name = "mitwirkung_migrations"
    with admin.connect() as connection:
        connection.execute(text(f"DROP DATABASE IF EXISTS {name}"))
        connection.execute(text(f"CREATE DATABASE {name}"))
    yield url.set(database=name).render_as_string(hide_password=False)
    with admin.connect() as connection:
        connection.execute(text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
    admin.dispose()


def test_migrations_match_the_models_and_downgrade(tmp_path_factory, empty_database_url):
    migrated = create_app(app_settings(tmp_path_factory, empty_database_url))
    with migrated.app_context():
        flask_migrate.upgrade()
        with db.engine.connect() as connection:
            differences = compare_metadata(MigrationContext.configure(connection), db.metadata)
        assert differences == []
        flask_migrate.downgrade(revision="base")
        with db.engine.connect() as connection:
            remaining = inspect(connection).get_table_names()
        assert remaining in ([], ["alembic_version"])
        db.engine.dispose()
