"""The Alembic migrations build exactly the schema the models describe, and go back down."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from mitwirkung import create_app
from mitwirkung.core.migrations import include_object
from mitwirkung.extensions import db

from .conftest import app_settings


def test_migrations_match_the_models_and_downgrade(tmp_path_factory, empty_database_url):
    migrated = create_app(app_settings(tmp_path_factory, empty_database_url))
    cli = migrated.test_cli_runner()
    upgrade = cli.invoke(args=["db", "upgrade"])  # the command `make run` uses
    assert upgrade.exit_code == 0, upgrade.output
    with migrated.app_context():
        with db.engine.connect() as connection:
            context = MigrationContext.configure(
                connection, opts={"include_object": include_object})
            differences = compare_metadata(context, db.metadata)
        assert differences == []
        if db.engine.dialect.name == "sqlite":  # which autogenerate does not compare
            with db.engine.connect() as connection:
                tables = connection.exec_driver_sql(
                    "SELECT name, sql FROM sqlite_master WHERE name IN"
                    " ('ballots', 'ballot_answers')").all()
            assert len(tables) == 2, tables
            assert all(sql.rstrip().upper().endswith("WITHOUT ROWID") for _n, sql in tables), tables
        downgrade = cli.invoke(args=["db", "downgrade", "base"])
        assert downgrade.exit_code == 0, downgrade.output
        with db.engine.connect() as connection:
            remaining = inspect(connection).get_table_names()
        assert remaining in ([], ["alembic_version"])
        db.engine.dispose()
